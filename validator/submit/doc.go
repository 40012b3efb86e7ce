// Package submit puts a validator's weights on chain, once per tempo of its subnet.
//
// With commit-reveal off, it sends MsgSetWeights in every tempo, no sooner than weights_rate_limit
// blocks after its last row. With commit-reveal on, it sends MsgCommitWeights carrying only a hash of
// the row and a fresh 32-byte salt from crypto/rand, and reveals the row and salt with
// MsgRevealWeights during the tempo that the chain opens for it: a commit made in tempo index e may be
// revealed only in tempo index e + commit_reveal_period (indices as x/subnet/types.EpochIndex counts
// them). Each tempo it first reveals what is due, then commits anew.
//
// A commit is written to the state file (package validator/state) with its salt before it is
// broadcast: if the process dies after the chain took the commit but before it heard so, the restarted
// validator still holds what it needs to reveal. A commit never confirmed in a block is revealed in
// the window of the tempo it was sent in or of the next (it may have landed a block later), and
// forgotten once both have passed.
//
// Transactions that fail for a reason other than the chain's refusal (node unreachable, no block in
// time) are retried with exponential backoff; a refusal (ErrRefused: a rule of x/weights said no) is
// not retried in the same tempo. Every attempt is logged and counted.
package submit
