// Package inference defines what the miner and the validator share about
// language models: the Engine interface, its request and result types, and
// the conventions every engine keeps so that a validator can re-score a
// miner's answer with a different engine serving the same model.
//
// Conventions (the verifier relies on them):
//   - A prompt is encoded with the model's tokenizer and a BOS token in front,
//     as Hugging Face tokenizers do for Llama-family models.
//   - Log-probabilities are those of the model's own next-token distribution
//     (temperature 1, no top-p), whatever sampling settings produced the token;
//     vLLM and SGLang report the same quantity by default.
//   - When a stop sequence completes, generation ends: the token that
//     completed it is kept in Tokens (so it can be re-scored) and Text is cut
//     before the stop sequence, as the OpenAI API does. When the model emits
//     its end-of-sequence token, that token is kept in Tokens and left out of
//     Text.
//   - Temperature 0 means greedy decoding; ties go to the lowest token id.
package inference
