// Package verify checks a miner's answer against a reference engine serving
// the same model, the way a Mindnet validator scores miners: it re-scores
// the miner's tokens with one prefill pass and compares. On a GPU server a
// prefill costs a small fraction of generating the same tokens; on the
// built-in CPU engine, where both are bound by the same scalar arithmetic,
// it measured about 55% (BenchmarkVerifyVsGenerate).
//
// An answer fails when
//   - it is empty, longer than asked, or ends early without a reason
//     (finish "length" with fewer than MaxTokens tokens);
//   - it ran past a stop sequence or the end-of-sequence token, claims a stop
//     that its tokens do not complete, or its text is not its tokens' text;
//   - under greedy decoding, a token is not the reference's top choice, up
//     to GreedyMargin for near-ties that different hardware may order
//     differently;
//   - under sampling, a token is implausible: its probability at the
//     requested temperature, relative to the most likely token, is below
//     MinSampleRatio (the reference only reports the top token, so the test
//     uses that ratio, which the top-p cut can only make stricter);
//   - a reported log-probability drifts from the reference's by more than
//     LogprobTolerance.
//
// Tolerances, from measurements (no GPU was lent to this work, so the
// GPU side is emulated on the CPU; scripts/model/drift.py re-measures):
//
//	Go engine vs PyTorch float32, CPU        max 5.1e-6 nats per token
//	PyTorch bfloat16 vs float32, CPU         max 3.9e-2, mean 8e-3 nats, 0 argmax flips in 189
//	gocode-alt (another model) vs reference  mean 0.8 to 1.9, max 2.6 to 7.4 nats per token
//
// DefaultTolerance is for a reference and a miner that both run the float32
// checkpoint (the built-in engine, or a GPU server started with
// --dtype float32, which this 4 MB model can well afford): 1e-2 nats of
// drift is about 2000 times the measured CPU difference and leaves room for
// GPU kernels' reordered float32 sums, yet is exceeded by another model
// and, over an answer of a few dozen tokens, by half-precision serving. HalfPrecisionTolerance is for
// subnets that accept float16/bfloat16 serving: 2.5 times the largest
// measured bfloat16 drift, with a greedy margin that absorbs the argmax
// flips half precision can cause.
package verify
