// Package tokenizer encodes and decodes text with a BPE tokenizer read from
// a Hugging Face tokenizer.json, the format the built-in model and the GPU
// servers (vLLM, SGLang, TGI) share, so that all of them agree on token ids.
//
// Encoding follows the `tokenizers` library step by step: added (special)
// tokens are cut out of the text first; each remaining part is then
// handled by one of two families.
//
// Byte-level BPE (GPT-2, Llama 3, Qwen2): the part is normalized (NFC, if
// the file says so) and split into words by the pre-tokenizer's pattern,
// GPT-2's
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// or Llama 3's or Qwen2's (pattern.go), which Go's regexp cannot express
// (they use lookahead), so each split is written by hand; each word's UTF-8
// bytes are mapped to GPT-2's printable byte alphabet and merged pair by
// pair, lowest merge rank first (with ignore_merges, a word that is itself
// in the vocabulary is one token). Decoding maps the alphabet back to
// bytes. Any byte string, valid UTF-8 or not, round-trips.
//
// SentencePiece-style BPE (Llama 2, Mistral; sentencepiece.go): blanks
// become ▁, a ▁ goes in front as the Prepend normalizer or the Metaspace
// pre-tokenizer says, each character is a symbol or, when the vocabulary
// lacks it, its bytes as <0xXX> tokens (byte fallback), and the symbols
// merge by rank. Decoding turns ▁ back into blanks and strips the leading
// one.
//
// BOS reports what the file's post-processor puts before a sequence, so
// that a model without a BOS token (Qwen2) gets none.
package tokenizer
