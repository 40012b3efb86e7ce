// Package verify checks a miner's answer against a reference engine serving
// the same model, the way a Mindnet validator scores miners: it re-scores
// the miner's tokens with one prefill pass and compares. On a GPU server a
// prefill costs a small fraction of generating the same tokens: 0.03 to 0.04
// for one answer on an H100, 0.004 to 0.005 per answer for a group of eight
// in one batch (testdata/gpu-verify-cost.json). On the built-in CPU engine
// it costs far more, because the whole model sits in the CPU's caches: a
// decode step is not starved for memory bandwidth the way it is on a GPU,
// so a decoded token costs only four to ten times as much as a prefilled
// one. BenchmarkVerifyVsGenerate on two shared AMD EPYC cores (wall time,
// one request at a time) measured, for a 40-token answer to a 72-token
// prompt, 0.39 of greedy generation and 0.18 of sampled generation (which
// draws from the nucleus at every step); for a 64-token answer to a short
// prompt 0.26 and 0.13. On one core, where both sides are core time, the
// same cases cost 0.50, 0.23, 0.37 and 0.17.
//
// VerifyMany verifies several answers at once, with the verdicts Verify
// gives. When the reference is an inference.PrefixScorer (the built-in
// engine) it prefills the prompt tokens the requests share once, so that
// answers to one prompt cost little more than their own tokens: eight
// greedy answers to the 72-token prompt measured 0.22 of generation per
// answer on two cores and 0.29 on one, eight sampled ones 0.10 and 0.14.
// Engines without it are asked to score one answer at a time.
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
// Tolerances come from the GPU check (scripts/model/gpu_check.py): Hugging Face transformers
// (5.17, PyTorch 2.11, SDPA attention) ran the shipped model on an NVIDIA
// H100 over 16 Go prompts with 64 greedy tokens each (1024 positions), and
// scripts/model/gpu_check.py compared it with the built-in Go engine.
// testdata/gpu-check.json holds every figure and token; the largest
// per-token |log-probability difference| against the Go engine, in nats:
//
//	GPU float32                        4.2e-6   greedy output identical on 16 of 16 prompts
//	GPU float32, TF32 matmuls          2.7e-3   16 of 16
//	GPU float16                        6.2e-3   13 of 16, largest near-tie gap at a flip 7.9e-3
//	GPU bfloat16                       5.5e-2   9 of 16, largest near-tie gap at a flip 3.2e-2
//	PyTorch float32, CPU               4.7e-6   (gpu_check.py --backend local)
//	gocode-alt (another model)         mean 0.8 to 1.9, max 2.6 to 7.4 per answer
//
// The rule: a tolerance is at least twice the largest drift measured for
// the serving it admits, and well below what another model shows.
// TestGPUAnswersPassVerifier replays the GPU's own answers, with the
// log-probabilities it reported while decoding, through Verify and holds
// the tolerances to that rule.
//
// DefaultTolerance admits float32 serving (the built-in engine, or a GPU
// server started with --dtype float32, which this 4 MB model can well
// afford), TF32 matmuls included: 1e-2 nats is 3.7 times the TF32 figure
// and 2400 times plain float32, yet far below another model's drift, and
// over a few dozen tokens half precision exceeds it. HalfPrecisionTolerance
// admits float16 and bfloat16 serving: 0.15 nats is 2.7 times the bfloat16
// figure, with a GreedyMargin of 0.1 (3 times the widest near-tie that
// bfloat16 broke the other way); TestHalfPrecisionToleranceRejectsOtherModel
// checks that it still rejects another model.
package verify
