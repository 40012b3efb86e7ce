package types

import "fmt"

// DefaultGasPerWeight makes a full 4096-entry row cost about 4.1M gas on top of store costs: enough that
// spamming long rows is paid for, small enough that a validator's row fits a normal block.
const DefaultGasPerWeight = 1000

// MaxGasPerWeight bounds gas_per_weight so that a full row on the largest subnet still fits a block.
const MaxGasPerWeight = 100_000

// DefaultMaxPendingCommits lets a validator keep a commit in flight for each of a few tempos (subtensor
// allows several pending commits per hotkey for the same reason: one per tempo while reveals lag).
const DefaultMaxPendingCommits = 4

// MaxMaxPendingCommits bounds max_pending_commits so that the lazy expiry a commit or reveal does
// stays a small, fixed amount of work.
const MaxMaxPendingCommits = 32

// DefaultParams returns the parameters of a new chain.
func DefaultParams() Params {
	return Params{GasPerWeight: DefaultGasPerWeight, MaxPendingCommits: DefaultMaxPendingCommits}
}

// Validate checks that the params are usable.
func (p Params) Validate() error {
	if p.GasPerWeight > MaxGasPerWeight {
		return fmt.Errorf("%w: gas_per_weight %d above %d", ErrInvalidParams, p.GasPerWeight, MaxGasPerWeight)
	}
	if p.MaxPendingCommits < 1 || p.MaxPendingCommits > MaxMaxPendingCommits {
		return fmt.Errorf("%w: max_pending_commits %d outside 1..%d", ErrInvalidParams, p.MaxPendingCommits, MaxMaxPendingCommits)
	}
	return nil
}
