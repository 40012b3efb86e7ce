package types

import "fmt"

// DefaultGenesis returns the x/weights genesis of a new chain: default params, no weights.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
}

// Validate checks params and that every row is a well-formed stored row, at most one per (netuid, uid),
// in (netuid, uid) order.
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
