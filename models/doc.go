// Package models embeds the model that ships with Mindnet, so that every
// binary can run real inference with no file on disk and no download.
//
// gocode-tiny/ is a Hugging Face model folder (LlamaForCausalLM, byte-level
// BPE tokenizer) trained by scripts/model/train.py on the Go standard
// library's source code; its README.md records the data, settings, final
// loss and the Go licence notice. The same folder loads unchanged in
// transformers, vLLM and SGLang, so GPU miners can serve the very model the
// built-in engine runs.
package models
