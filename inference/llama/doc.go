// Package llama runs Llama-family decoder models on the CPU in pure Go:
// RMSNorm, rotary position embeddings (rotate-half convention, rope_theta
// and rope_scaling "linear" or "llama3" from the config), grouped-query
// attention with a key/value cache, a SwiGLU MLP, and tied or untied output
// embeddings, exactly as Hugging Face's LlamaForCausalLM computes them, in
// float32; with Qwen2ForCausalLM's q/k/v biases and MistralForCausalLM's
// sliding window as well. docs/models.md lists what loads and what is
// refused.
//
// Load reads a model folder in the Hugging Face layout (config.json,
// model.safetensors or shards named by model.safetensors.index.json, in
// float32, bfloat16 or float16, widened to float32 at load; tokenizer.json)
// from any fs.FS, so a model embedded in
// the binary loads the same way as one on disk. The resulting Model is an
// inference.Engine: greedy decoding and seeded sampling are deterministic
// for a given model and request, whatever the number of cores, because each
// output element is always summed in the same order by one goroutine.
//
// Weights are packed at load time into panels of 16 output features
// (gemm.go), so that a matrix product multiplies up to six token rows with
// each panel while it sits in the L1 cache: prefill and scoring run as
// cache-blocked matrix-matrix products over a chunk of tokens, decoding as
// the one-row case of the same kernel. Each output is the same sequence of
// multiply-adds however many rows share the call, so prefill reproduces
// decoding bit for bit. On amd64 CPUs with AVX2 and FMA the kernel, the
// exponentials (softmax, SwiGLU) and the attention loops run in assembly
// written by asm_gen.go (go generate); elsewhere, or built with the tag
// purego, the same loops run in plain Go. No cgo either way.
//
// A prefill computes, in the last layer, only the keys and values of the
// tokens whose logits nobody reads (all but the prompt's last when
// generating, all before the first scored token when scoring). A Prefix
// keeps the state after a run of leading tokens, so that several
// continuations of prompts that begin alike are scored without prefilling
// those tokens again (ScoreMany, the inference.PrefixScorer a validator uses
// for the answers of several miners to one task), with the numbers of one
// pass over each whole sequence, bit for bit.
//
// A prefill or scoring pass splits its chunk of tokens into bands of rows,
// one per core of a pool of goroutines (pool.go); the bands meet once per
// layer, when every row's keys and values are in the cache (forward.go).
// A decode step, one row, stays on its core: at this model size its
// products are too small to repay a hand-over. Every buffer the forward pass
// needs is allocated once per request, so the decode loop does not allocate
// per token.
package llama
