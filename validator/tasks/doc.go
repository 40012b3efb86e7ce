// Package tasks makes the questions a Mindnet validator sends to the miners of the code-completion
// subnet. A task is a prompt drawn from the prompt set that ships with the project (prompts/, Go code
// openings dedicated to the public domain) and varied from a seed: identifiers are renamed, integer
// literals changed and a comment line with a per-task nonce put before its last line, so that no two tasks share a
// prompt and a miner cannot answer from a table computed in advance. Each task also fixes its decoding
// settings (greedy for most, seeded sampling for some), its max tokens and the deadline by which the
// answer must arrive.
//
// Everything follows from the round seed, the task's index in the round and the miner's hotkey, so
// that a validator can recreate any task it sent from its logs. The round seed must be unpredictable to
// miners (draw it from crypto/rand each round): a miner that knew it could compute its tasks ahead.
//
// Tasks with the same round seed and index form a group: every miner of the group gets the same
// prompt body and settings, but its own nonce line and, when sampling, its own sampling seed. Honest
// sampled answers within a group therefore differ, and byte-identical ones point to copying (package
// validator/scoring flags them); greedy answers are expected to agree, and each miner's unique nonce
// line still forces it to run the model on its own prompt. The nonce line stands before the body's last
// line rather than first so that the miners of a group share everything before it: the validator
// prefills that shared head once per group and scores each answer from it, which is most of what makes
// verification cheap, while the continuation still follows each miner's own nonce.
package tasks
