package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// NewLedger returns a ledger with nothing minted.
func NewLedger() Ledger {
	z := math.ZeroInt()
	return Ledger{TotalIssued: z, ToFeeCollector: z, ToStake: z, ToOwners: z, Burned: z, ToPools: z}
}

// Outflows is everything that left the module account for good: fee collector, stake, owners, burns
// and the subnets' pools.
func (l Ledger) Outflows() math.Int {
	return l.ToFeeCollector.Add(l.ToStake).Add(l.ToOwners).Add(l.Burned).Add(l.ToPools)
}

// Validate checks that every counter is a non-negative amount.
func (l Ledger) Validate() error {
	for _, c := range []struct {
		name string
		v    math.Int
	}{
		{"total_issued", l.TotalIssued}, {"to_fee_collector", l.ToFeeCollector}, {"to_stake", l.ToStake},
		{"to_owners", l.ToOwners}, {"burned", l.Burned}, {"to_pools", l.ToPools},
	} {
		if c.v.IsNil() || c.v.IsNegative() {
			return fmt.Errorf("%w: ledger.%s must be a non-negative amount", ErrInvalidGenesis, c.name)
		}
	}
	return nil
}

// DefaultGenesis returns the module's state on a new chain: nothing minted yet.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), Ledger: NewLedger()}
}

// Validate checks the genesis state without touching any store. The ledger must balance: what was
// minted equals what went out (pending emission is alpha, not umind).
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return fmt.Errorf("params: %w", err)
	}
	if err := gs.Ledger.Validate(); err != nil {
		return err
	}
	for i, p := range gs.Pending {
		if i > 0 && p.Netuid <= gs.Pending[i-1].Netuid {
			return fmt.Errorf("%w: pending must be sorted by netuid without repeats (netuid %d)", ErrInvalidGenesis, p.Netuid)
		}
		if p.Amount.IsNil() || !p.Amount.IsPositive() {
			return fmt.Errorf("%w: pending emission of netuid %d must be positive", ErrInvalidGenesis, p.Netuid)
		}
	}
	if !gs.Ledger.TotalIssued.Equal(gs.Ledger.Outflows()) {
		return fmt.Errorf("%w: ledger total_issued %s differs from its outflows %s",
			ErrInvalidGenesis, gs.Ledger.TotalIssued, gs.Ledger.Outflows())
	}
	if gs.Ledger.TotalIssued.GT(gs.Params.IssuanceCap) {
		return fmt.Errorf("%w: total_issued %s is above issuance_cap %s", ErrInvalidGenesis, gs.Ledger.TotalIssued, gs.Params.IssuanceCap)
	}
	for i, b := range gs.Bonds {
		if i > 0 {
			prev := gs.Bonds[i-1]
			if b.Netuid < prev.Netuid || (b.Netuid == prev.Netuid && b.Uid <= prev.Uid) {
				return fmt.Errorf("%w: bonds must be sorted by (netuid, uid) without repeats (%d/%d)", ErrInvalidGenesis, b.Netuid, b.Uid)
			}
		}
		if err := CheckBondRow(b); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidGenesis, err)
		}
	}
	for i, e := range gs.LastEpochs {
		if i > 0 && e.Netuid <= gs.LastEpochs[i-1].Netuid {
			return fmt.Errorf("%w: last_epochs must be sorted by netuid without repeats (netuid %d)", ErrInvalidGenesis, e.Netuid)
		}
		if e.Block < 0 {
			return fmt.Errorf("%w: last epoch of netuid %d is negative", ErrInvalidGenesis, e.Netuid)
		}
	}
	return nil
}

// CheckBondRow accepts a non-empty sparse row with strictly increasing u16 UIDs and u16 values.
func CheckBondRow(b BondRow) error {
	if len(b.Uids) != len(b.Values) || len(b.Uids) == 0 {
		return fmt.Errorf("bond row %d/%d: need as many values as uids, and at least one", b.Netuid, b.Uid)
	}
	for i, u := range b.Uids {
		if u > 0xFFFF || b.Values[i] > 0xFFFF {
			return fmt.Errorf("bond row %d/%d: entry %d is not a u16 uid and value", b.Netuid, b.Uid, i)
		}
		if i > 0 && u <= b.Uids[i-1] {
			return fmt.Errorf("bond row %d/%d: uids must strictly increase", b.Netuid, b.Uid)
		}
	}
	return nil
}
