package types

import (
	"fmt"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"
)

// DefaultGenesis returns the module's state on a new chain. It lists no subnets: init creates the root
// subnet (netuid 0), owned by the authority.
func DefaultGenesis() *GenesisState {
	return &GenesisState{
		Params:    DefaultParams(),
		LockState: SubnetLockState{LastLock: math.ZeroInt()},
	}
}

// Validate checks the genesis state without touching any store (and so without an address codec:
// addresses are checked again when init decodes them).
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return fmt.Errorf("params: %w", err)
	}
	if gs.LockState.LastLock.IsNil() || gs.LockState.LastLock.IsNegative() {
		return fmt.Errorf("%w: lock_state.last_lock must be a non-negative amount", ErrInvalidGenesis)
	}
	subnets := make(map[uint32]Subnet, len(gs.Subnets))
	for _, s := range gs.Subnets {
		if _, dup := subnets[s.Netuid]; dup {
			return fmt.Errorf("%w: netuid %d listed twice", ErrInvalidGenesis, s.Netuid)
		}
		if s.Netuid >= gs.Params.MaxSubnets {
			return fmt.Errorf("%w: netuid %d not below max_subnets %d", ErrInvalidGenesis, s.Netuid, gs.Params.MaxSubnets)
		}
		if s.Lock.IsNil() || s.Lock.IsNegative() || s.Burn.IsNil() || s.Burn.IsNegative() {
			return fmt.Errorf("%w: subnet %d: lock and burn must be non-negative amounts", ErrInvalidGenesis, s.Netuid)
		}
		if err := gs.Params.CheckHyperparameters(s.Hyperparameters); err != nil {
			return fmt.Errorf("%w: subnet %d: %w", ErrInvalidGenesis, s.Netuid, err)
		}
		// An unset model is allowed: init gives the subnet params.default_model (the root subnet
		// serves no model and keeps none).
		if !s.Model.IsEmpty() {
			if err := s.Model.Validate(); err != nil {
				return fmt.Errorf("%w: subnet %d: model: %w", ErrInvalidGenesis, s.Netuid, err)
			}
		}
		subnets[s.Netuid] = s
	}
	pending := make(map[uint32]bool, len(gs.PendingModels))
	for _, p := range gs.PendingModels {
		if _, ok := subnets[p.Netuid]; !ok || p.Netuid == RootNetuid {
			return fmt.Errorf("%w: pending model for netuid %d, which is not a listed subnet other than root", ErrInvalidGenesis, p.Netuid)
		}
		if pending[p.Netuid] {
			return fmt.Errorf("%w: pending model of netuid %d listed twice", ErrInvalidGenesis, p.Netuid)
		}
		if err := p.Model.Validate(); err != nil {
			return fmt.Errorf("%w: pending model of netuid %d: %w", ErrInvalidGenesis, p.Netuid, err)
		}
		if p.RequestedAt < 0 {
			return fmt.Errorf("%w: pending model of netuid %d: requested_at %d is negative", ErrInvalidGenesis, p.Netuid, p.RequestedAt)
		}
		pending[p.Netuid] = true
	}
	owners := make(map[string]string, len(gs.HotkeyOwners))
	for _, o := range gs.HotkeyOwners {
		if _, dup := owners[o.Hotkey]; dup {
			return fmt.Errorf("%w: hotkey %s owned twice", ErrInvalidGenesis, o.Hotkey)
		}
		owners[o.Hotkey] = o.Coldkey
	}
	type slot struct{ netuid, uid uint32 }
	uids := make(map[slot]bool, len(gs.Neurons))
	hotkeys := make(map[string]bool, len(gs.Neurons))
	counts := make(map[uint32]uint32, len(gs.Subnets))
	for _, n := range gs.Neurons {
		if _, ok := subnets[n.Netuid]; !ok {
			return fmt.Errorf("%w: neuron %d/%d on unknown subnet", ErrInvalidGenesis, n.Netuid, n.Uid)
		}
		key := slot{n.Netuid, n.Uid}
		hk := fmt.Sprintf("%d/%s", n.Netuid, n.Hotkey)
		if uids[key] || hotkeys[hk] {
			return fmt.Errorf("%w: neuron %d/%d or its hotkey listed twice", ErrInvalidGenesis, n.Netuid, n.Uid)
		}
		if owners[n.Hotkey] != n.Coldkey {
			return fmt.Errorf("%w: neuron %d/%d: coldkey does not own hotkey %s", ErrInvalidGenesis, n.Netuid, n.Uid, n.Hotkey)
		}
		if n.Scores.Emission.IsNil() || n.Scores.Emission.IsNegative() {
			return fmt.Errorf("%w: neuron %d/%d: emission must be a non-negative amount", ErrInvalidGenesis, n.Netuid, n.Uid)
		}
		uids[key], hotkeys[hk] = true, true
		counts[n.Netuid]++
	}
	for _, s := range gs.Subnets {
		if counts[s.Netuid] != s.NeuronCount {
			return fmt.Errorf("%w: subnet %d: neuron_count %d but %d neurons listed", ErrInvalidGenesis, s.Netuid, s.NeuronCount, counts[s.Netuid])
		}
	}
	stakes := make(map[string]bool, len(gs.Stakes))
	for _, st := range gs.Stakes {
		if _, ok := owners[st.Hotkey]; !ok {
			return fmt.Errorf("%w: stake behind unowned hotkey %s", ErrInvalidGenesis, st.Hotkey)
		}
		if st.Amount.IsNil() || !st.Amount.IsPositive() {
			return fmt.Errorf("%w: stake %s/%s must be positive", ErrInvalidGenesis, st.Hotkey, st.Coldkey)
		}
		key := st.Hotkey + "/" + st.Coldkey
		if stakes[key] {
			return fmt.Errorf("%w: stake %s listed twice", ErrInvalidGenesis, key)
		}
		stakes[key] = true
	}
	if err := gs.validateMarket(subnets, owners); err != nil {
		return err
	}
	takes := make(map[string]bool, len(gs.DelegateTakes))
	for _, t := range gs.DelegateTakes {
		if takes[t.Hotkey] {
			return fmt.Errorf("%w: delegate take of %s listed twice", ErrInvalidGenesis, t.Hotkey)
		}
		if t.Take < gs.Params.MinDelegateTake || t.Take > gs.Params.MaxDelegateTake {
			return fmt.Errorf("%w: delegate take of %s: %w", ErrInvalidGenesis, t.Hotkey, ErrTakeOutOfBounds)
		}
		takes[t.Hotkey] = true
	}
	return nil
}

// validateMarket checks pools and alpha positions: one pool at most per subnet but root (init seeds a
// missing one from the subnet's lock), positions only on subnets with a listed pool, behind owned
// hotkeys, each listed once, and summing to the pool's alpha_outstanding.
func (gs GenesisState) validateMarket(subnets map[uint32]Subnet, owners map[string]string) error {
	outstanding := make(map[uint32]math.Int, len(gs.Pools))
	for _, p := range gs.Pools {
		if _, ok := subnets[p.Netuid]; !ok || p.Netuid == RootNetuid {
			return fmt.Errorf("%w: pool for netuid %d, which is not a listed subnet other than root", ErrInvalidGenesis, p.Netuid)
		}
		if _, dup := outstanding[p.Netuid]; dup {
			return fmt.Errorf("%w: pool of netuid %d listed twice", ErrInvalidGenesis, p.Netuid)
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidGenesis, err)
		}
		outstanding[p.Netuid] = p.AlphaOutstanding
	}
	seen := make(map[string]bool, len(gs.AlphaStakes))
	for _, a := range gs.AlphaStakes {
		left, ok := outstanding[a.Netuid]
		if !ok {
			return fmt.Errorf("%w: alpha stake on netuid %d, which lists no pool", ErrInvalidGenesis, a.Netuid)
		}
		// Alpha sits behind a registered hotkey, or behind the holder's own address (an owner's cut).
		if _, ok := owners[a.Hotkey]; !ok && a.Hotkey != a.Coldkey {
			return fmt.Errorf("%w: alpha stake behind unowned hotkey %s", ErrInvalidGenesis, a.Hotkey)
		}
		if a.Amount.IsNil() || !a.Amount.IsPositive() {
			return fmt.Errorf("%w: alpha stake %d/%s/%s must be positive", ErrInvalidGenesis, a.Netuid, a.Hotkey, a.Coldkey)
		}
		key := fmt.Sprintf("%d/%s/%s", a.Netuid, a.Hotkey, a.Coldkey)
		if seen[key] {
			return fmt.Errorf("%w: alpha stake %s listed twice", ErrInvalidGenesis, key)
		}
		seen[key] = true
		outstanding[a.Netuid] = left.Sub(a.Amount)
	}
	for _, p := range gs.Pools {
		if !outstanding[p.Netuid].IsZero() {
			return fmt.Errorf("%w: pool of netuid %d: alpha_outstanding %s is not the sum of its positions",
				ErrInvalidGenesis, p.Netuid, p.AlphaOutstanding)
		}
	}
	return nil
}

// ValidateAddresses checks every address in the genesis state with the chain's codec.
func (gs GenesisState) ValidateAddresses(ac address.Codec) error {
	for _, s := range gs.Subnets {
		if err := checkAddress(ac, "subnet owner", s.Owner); err != nil {
			return err
		}
	}
	for _, o := range gs.HotkeyOwners {
		if err := checkAddress(ac, "hotkey", o.Hotkey); err != nil {
			return err
		}
		if err := checkAddress(ac, "coldkey", o.Coldkey); err != nil {
			return err
		}
	}
	for _, st := range gs.Stakes {
		if err := checkAddress(ac, "stake coldkey", st.Coldkey); err != nil {
			return err
		}
	}
	for _, t := range gs.DelegateTakes {
		if err := checkAddress(ac, "delegate hotkey", t.Hotkey); err != nil {
			return err
		}
	}
	for _, a := range gs.AlphaStakes {
		if err := checkAddress(ac, "alpha stake coldkey", a.Coldkey); err != nil {
			return err
		}
	}
	return nil
}
