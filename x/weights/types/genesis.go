package types

import "fmt"

// DefaultGenesis returns the x/weights genesis of a new chain: default params, no weights.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
}

// Validate checks params, that every row is a well-formed stored row, at most one per (netuid, uid),
// in (netuid, uid) order, and that every commit queue is well formed, at most one per (netuid, uid), in
// (netuid, uid) order.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidGenesis, err)
	}
	for i, r := range gs.Rows {
		if i > 0 {
			prev := gs.Rows[i-1]
			if prev.Netuid > r.Netuid || (prev.Netuid == r.Netuid && prev.Uid >= r.Uid) {
				return fmt.Errorf("%w: row %d/%d not after row %d/%d", ErrInvalidGenesis, r.Netuid, r.Uid, prev.Netuid, prev.Uid)
			}
		}
		if err := r.ValidateStored(); err != nil {
			return fmt.Errorf("%w: row %d/%d: %w", ErrInvalidGenesis, r.Netuid, r.Uid, err)
		}
	}
	for i, q := range gs.Commits {
		if i > 0 {
			prev := gs.Commits[i-1]
			if prev.Netuid > q.Netuid || (prev.Netuid == q.Netuid && prev.Uid >= q.Uid) {
				return fmt.Errorf("%w: commits of %d/%d not after those of %d/%d", ErrInvalidGenesis, q.Netuid, q.Uid, prev.Netuid, prev.Uid)
			}
		}
		if err := q.Validate(); err != nil {
			return fmt.Errorf("%w: commits of %d/%d: %w", ErrInvalidGenesis, q.Netuid, q.Uid, err)
		}
	}
	return nil
}

// Validate checks a stored commit queue: a hotkey, and commits with 32-byte hashes, no hash twice, a
// window after the commit's block, and a reveal block (if any) inside the window.
func (q CommitQueue) Validate() error {
	if q.Hotkey == "" {
		return fmt.Errorf("no hotkey")
	}
	for i, c := range q.Commits {
		if err := CheckCommitHash(c.Hash); err != nil {
			return fmt.Errorf("commit %d: %w", i, err)
		}
		for _, prev := range q.Commits[:i] {
			if string(prev.Hash) == string(c.Hash) {
				return fmt.Errorf("commit %d: %w", i, ErrDuplicateCommit)
			}
		}
		if c.CommittedAt >= c.RevealStart || c.RevealStart > c.RevealEnd {
			return fmt.Errorf("commit %d: committed at %d with reveal window [%d, %d]", i, c.CommittedAt, c.RevealStart, c.RevealEnd)
		}
		if c.RevealedAt != 0 && (c.RevealedAt < c.RevealStart || c.RevealedAt > c.RevealEnd) {
			return fmt.Errorf("commit %d: revealed at %d outside its window [%d, %d]", i, c.RevealedAt, c.RevealStart, c.RevealEnd)
		}
		if c.CommittedAt > q.LastCommitAt {
			return fmt.Errorf("commit %d: committed at %d, after last_commit_at %d", i, c.CommittedAt, q.LastCommitAt)
		}
	}
	return nil
}

// ValidateStored checks the shape every stored row has: equal lengths, uids strictly increasing,
// weights in 1..MaxWeight with the largest exactly MaxWeight.
func (r WeightRow) ValidateStored() error {
	if len(r.Uids) != len(r.Weights) {
		return fmt.Errorf("%w: %d uids, %d weights", ErrLengthMismatch, len(r.Uids), len(r.Weights))
	}
	var top uint32
	for i, u := range r.Uids {
		if i > 0 && r.Uids[i-1] >= u {
			return fmt.Errorf("uids not strictly increasing at %d", u)
		}
		w := r.Weights[i]
		if w == 0 || w > MaxWeight {
			return fmt.Errorf("stored weight %d for uid %d outside 1..%d", w, u, MaxWeight)
		}
		top = max(top, w)
	}
	if len(r.Weights) > 0 && top != MaxWeight {
		return fmt.Errorf("largest stored weight is %d, not %d", top, MaxWeight)
	}
	return nil
}
