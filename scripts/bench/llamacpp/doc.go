// Command llamacpp compares the built-in engine's speed with llama.cpp's on
// one random-weight model in SmolLM2-135M's shape, float32 on both sides.
//
//	llamacpp write -out DIR    # DIR/hf: config.json, tokenizer.json, model.safetensors
//	                           # DIR/model.gguf: the same weights for llama.cpp
//	llamacpp bench -dir DIR/hf # the built-in engine's prefill and generation tokens/s, as JSON
//
// run.sh runs both and llama.cpp (bench.mjs, through npm's node-llama-cpp)
// side by side and prints the ratios. The prompt is the BOS token and then
// byte tokens, whose ids are the same in both files, so both engines run the
// same token sequence through the same weights.
package main
