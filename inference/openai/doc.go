// Package openai is an inference.Engine that talks to an OpenAI-compatible
// HTTP server, the way GPU miners deploy models: vLLM, SGLang, llama.cpp's
// server, Ollama or Hugging Face TGI.
//
// Generate and GenerateStream use /v1/completions with `logprobs` (streaming
// as server-sent events); Chat and ChatStream use /v1/chat/completions with
// `logprobs` and `top_logprobs`. Score re-scores a given continuation by
// prefill: it sends the prompt and the continuation as token ids to
// /v1/completions with `echo: true`, `logprobs: 1` and `max_tokens` 0 or 1,
// and reads the prompt's log-probabilities back, as vLLM and SGLang
// implement it.
//
// Token ids. Log-probability entries name tokens by their text. With
// Config.TokenIDs set, the client asks for `return_tokens_as_token_ids`
// (vLLM) and reads ids from "token_id:N"; otherwise it maps each token's
// text back to an id with the model's tokenizer, which fails with
// ErrUnmappableToken on tokens that are not whole characters.
//
// What the servers support (as of their 2025 releases):
//
//	server            completions+logprobs  echo prefill scoring   chat logprobs  seed  token ids
//	vLLM              yes (top 20)          yes (max_tokens 0/1)   yes            yes   return_tokens_as_token_ids
//	SGLang            yes                   yes (echo, logprobs)   yes            yes   no (map text)
//	llama.cpp server  yes (n_probs)         no                     yes            yes   no (map text)
//	Ollama            no (chat only, 0.12+) no                     yes            yes   no (map text)
//	TGI               no                    no (use /generate      yes            yes   no (map text)
//	                                        decoder_input_details)
//
// So a validator that verifies by prefill needs vLLM or SGLang (or the
// built-in engine) as its reference; miners may serve from any of them.
//
// Retries. Every request carries a seed, so repeating it cannot change what
// a caller sees: non-streaming requests are retried on connection errors,
// 429 and 5xx with exponential backoff; a stream is retried only until its
// first token has reached the caller. Other non-2xx answers fail at once
// with a *StatusError; a stream that ends without [DONE] fails with
// ErrTruncatedStream; a body that does not parse fails with
// ErrMalformedResponse.
package openai
