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
// of them. Each miner's prompt begins with its own nonce line (package validator/tasks), so today
// they share only that line's fixed opening (7 of about 75 tokens); the results are the same as
// scoring each answer alone. Verification measured 0.44 to 0.51 of the miners' generation cost per
// answer over the task mix with 4 or 8 miners a group (BenchmarkVerifyVsGenerate, two shared cores),
// most of the gain coming from the engine's cheaper prefill rather than from sharing.
//
// Copying: tasks of one group (package validator/tasks) give every miner its own prompt nonce and, when
// sampling, its own seed, so two honest sampled answers are the same token sequence only by a chance
// that ScoreRound bounds (at least MinCopyTokens tokens whose reference log-probabilities sum to at
// most −MinCopySurprise nats). Sampled answers of one group with the same tokens are all flagged and
// score zero with ReasonCopied: the validator cannot tell who copied whom, and only a miner that hands
// its answers to others can be copied inside the deadline.
package scoring
