// Package serve is an OpenAI-compatible inference server over the built-in
// engine (package llama): the server behind `mindnet-serve`. It speaks vLLM's
// wire format as vLLM documents it, so that every test, the demo and CPU users
// exercise the same path that GPU miners take in front of vLLM or SGLang:
//
//	GET  /v1/models             the one served model
//	POST /v1/completions        text or token-id prompts; logprobs (top 0-20),
//	                            temperature, top_p, seed, stop, max_tokens,
//	                            SSE streaming, echo prefill scoring (max_tokens
//	                            0 or 1), return_tokens_as_token_ids
//	POST /v1/chat/completions   logprobs and top_logprobs
//	GET  /health, GET /metrics  liveness and Prometheus metrics
//
// Token names follow vLLM: a token is named by decoding it alone, so a token
// that holds part of a UTF-8 character is written with U+FFFD replacement
// characters (package openai's LossyText), and "token_id:N" when the request
// asks for ids. A bad request gets 400 with OpenAI's error object naming the
// field; an unknown model 404; a full queue 429; an oversized body 413.
//
// What differs from vLLM, and why:
//   - echo with logprobs above 1 is refused: the engine's prefill keeps the
//     best token at each position, not a top-k list;
//   - one prompt and one choice per request (n = 1): miners and validators
//     send one;
//   - chat messages are laid out by a plain template ("role: content" lines,
//     then "assistant:"). The built-in models ship no chat template, and
//     Jinja templates are not interpreted.
package serve
