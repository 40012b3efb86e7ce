// Package round runs one validator round: it samples serving miners from the metagraph, sends each
// of them tasks (package validator/tasks) over the axon protocol, all at once but never more than a
// bound in flight, each call under its own timeout, and scores the answers (package
// validator/scoring), copies included.
//
// A round's seed comes from crypto/rand, so that no miner can know its task before it arrives; the
// sample and every task follow from that seed, so that a round can be replayed from its logged seed.
// Each miner of a round answers the same task groups (index 0 to TasksPerMiner-1): miners of a group
// share a prompt body, which is what lets copy detection compare their sampled answers, and the
// scorer verifies each group's answers together.
//
// The call timeout is the task's deadline plus a grace period: an answer that arrives within the
// grace is scored "late" (the miner answered, too slowly), one that does not is a "timeout".
package round
