// Package tokenizer encodes and decodes text with a byte-level BPE tokenizer
// read from a Hugging Face tokenizer.json, the format the built-in model and
// the GPU servers (vLLM, SGLang, TGI) share, so that all of them agree on
// token ids.
//
// Encoding follows the `tokenizers` library step by step: added (special)
// tokens are cut out of the text first; each remaining part is split into
// words by the GPT-2 pattern
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// which Go's regexp cannot express (it has no lookahead), so the split is
// written by hand in pretokenize.go; each word's UTF-8 bytes are mapped to
// GPT-2's printable byte alphabet and merged pair by pair, lowest merge rank
// first. Decoding maps the alphabet back to bytes. Any byte string, valid
// UTF-8 or not, round-trips through Encode and Decode.
package tokenizer
