// Package scoring turns one miner's answer to one task into a score in [0, 1] with the reason for it,
// and flags answers copied between miners within a round.
//
// An answer scores zero, with a reason code (the Reason constants), when the call failed or timed out, is empty,
// arrived after the task's deadline, carries no miner signature or one that does not verify for the
// miner's hotkey and the validator's request, is malformed (unknown finish reason, token ids outside
// the model's vocabulary, log-probabilities that are not numbers), or fails verification against the
// validator's reference engine (package inference/verify: a prefill of the same model compares every
// token and log-probability). Correctness dominates: only an answer that passes verification scores at
// all, and it then scores
//
//	score = CorrectnessWeight + LatencyWeight·L + ThroughputWeight·T        (weights sum to 1)
//	L = clamp((deadline − latency) / (deadline − TargetLatency), 0, 1)     1 at or below TargetLatency
//	T = min(1, (tokens / latency) / TargetThroughput)                      tokens per second seen by the validator
//
// where latency is the validator's wall time from sending the request to holding the whole answer. With
// the default weights (0.6, 0.2, 0.2) a correct but slow answer keeps at least 0.6 and the fastest
// miners earn up to 0.4 more.
//
// ScoreRound verifies the answers of each task group together (verify.VerifyMany): with the
// built-in reference engine, the prompt tokens the group's tasks share are prefilled once for all
// of them. Each miner's nonce line stands before the last line of the group's prompt body (package
// validator/tasks), so the miners of a group share most of their prompt; the results are the same as
// scoring each answer alone. The groups are verified side by side, one per core; when a round has
// fewer groups than cores (the default round sends every sampled miner the same group), a group of
// four answers or more is cut into batches to fill them, since one prefill of a few dozen tokens
// leaves the cores idle much of the time. The prechecks, signatures included, run on every core
// too. Signatures are checked with the scorer's own axonauth.Verifier, which keeps the keys it meets
// and a precomputed table for the validator's own key and for the miners that answer often. Scoring
// measured 0.18 to 0.19 of the miners' generation time per answer with 8 miners a group, 0.22 with 4
// and 0.34 to 0.40 with one, on two shared cores; as core time (one core) 0.31, 0.33 and 0.40 to
// 0.42 (BenchmarkVerifyVsGenerate).
//
// Copying: tasks of one group (package validator/tasks) give every miner its own prompt nonce and, when
// sampling, its own seed, so two honest sampled answers are the same token sequence only by a chance
// that ScoreRound bounds (at least MinCopyTokens tokens whose reference log-probabilities sum to at
// most −MinCopySurprise nats). Sampled answers of one group with the same tokens are all flagged and
// score zero with ReasonCopied: the validator cannot tell who copied whom, and only a miner that hands
// its answers to others can be copied inside the deadline.
package scoring
