package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// InitGenesis writes the genesis state into the store, rebuilds the indexes (hotkey to UID, stake totals,
// stakes by coldkey) and creates the root subnet when the genesis does not list it. A subnet listed
// without a model gets params.default_model.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return fmt.Errorf("invalid x/subnet genesis: %w", err)
	}
	if err := gs.ValidateAddresses(k.addressCodec); err != nil {
		return fmt.Errorf("invalid x/subnet genesis: %w", err)
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.LockState.Set(ctx, gs.LockState); err != nil {
		return err
	}
	hasRoot := false
	for _, s := range gs.Subnets {
		hasRoot = hasRoot || s.Netuid == types.RootNetuid
		if s.Netuid != types.RootNetuid && s.Model.IsEmpty() {
			s.Model = gs.Params.DefaultModel
		}
		if err := k.Subnets.Set(ctx, s.Netuid, s); err != nil {
			return err
		}
	}
	for _, p := range gs.PendingModels {
		if err := k.PendingModels.Set(ctx, p.Netuid, p); err != nil {
			return err
		}
	}
	if !hasRoot {
		if err := k.createRootSubnet(ctx, gs.Params); err != nil {
			return fmt.Errorf("create root subnet: %w", err)
		}
	}
	for _, o := range gs.HotkeyOwners {
		hotkey, _ := k.addressCodec.StringToBytes(o.Hotkey)
		coldkey, _ := k.addressCodec.StringToBytes(o.Coldkey)
		if err := k.HotkeyOwners.Set(ctx, hotkey, coldkey); err != nil {
			return err
		}
	}
	for _, n := range gs.Neurons {
		hotkey, _ := k.addressCodec.StringToBytes(n.Hotkey)
		if err := k.setNeuron(ctx, nil, n); err != nil {
			return err
		}
		if err := k.UIDs.Set(ctx, collections.Join(n.Netuid, sdk.AccAddress(hotkey)), n.Uid); err != nil {
			return err
		}
	}
	for _, st := range gs.Stakes {
		hotkey, _ := k.addressCodec.StringToBytes(st.Hotkey)
		coldkey, _ := k.addressCodec.StringToBytes(st.Coldkey)
		total, err := k.TotalStakeOf(ctx, hotkey)
		if err != nil {
			return err
		}
		if err := k.writeStake(ctx, hotkey, coldkey, st.Amount, total.Add(st.Amount)); err != nil {
			return err
		}
	}
	for _, t := range gs.DelegateTakes {
		hotkey, _ := k.addressCodec.StringToBytes(t.Hotkey)
		if err := k.DelegateTakes.Set(ctx, hotkey, t.Take); err != nil {
			return err
		}
	}
	return k.initMarket(ctx, gs)
}

// initMarket writes the pools and alpha positions; a subnet listed without a pool (a genesis written
// before subnet markets) gets one seeded from its lock, as create-subnet would have.
func (k *Keeper) initMarket(ctx context.Context, gs *types.GenesisState) error {
	for _, p := range gs.Pools {
		if err := k.setPool(ctx, p); err != nil {
			return err
		}
	}
	for _, s := range gs.Subnets {
		if s.Netuid == types.RootNetuid {
			continue
		}
		if has, err := k.Pools.Has(ctx, s.Netuid); err != nil {
			return err
		} else if !has {
			if err := k.setPool(ctx, types.NewPool(s.Netuid, s.Lock)); err != nil {
				return err
			}
		}
	}
	for _, a := range gs.AlphaStakes {
		hotkey, _ := k.addressCodec.StringToBytes(a.Hotkey)
		coldkey, _ := k.addressCodec.StringToBytes(a.Coldkey)
		if err := k.changeAlpha(ctx, a.Netuid, hotkey, coldkey, a.Amount); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis reads the whole module state back as a genesis state, every list in store order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("read params: %w", err)
	}
	lock, err := k.LockState.Get(ctx)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return nil, fmt.Errorf("read lock state: %w", err)
	}
	if lock.LastLock.IsNil() {
		lock = types.DefaultGenesis().LockState
	}
	gs := &types.GenesisState{Params: params, LockState: lock}
	if gs.Subnets, err = values(ctx, k.Subnets); err != nil {
		return nil, fmt.Errorf("export subnets: %w", err)
	}
	if gs.PendingModels, err = values(ctx, k.PendingModels); err != nil {
		return nil, fmt.Errorf("export pending models: %w", err)
	}
	if gs.Neurons, err = values(ctx, k.Neurons); err != nil {
		return nil, fmt.Errorf("export neurons: %w", err)
	}
	err = k.HotkeyOwners.Walk(ctx, nil, func(hotkey, coldkey sdk.AccAddress) (bool, error) {
		gs.HotkeyOwners = append(gs.HotkeyOwners, types.HotkeyOwner{Hotkey: k.addrString(hotkey), Coldkey: k.addrString(coldkey)})
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export hotkey owners: %w", err)
	}
	if gs.Stakes, err = k.walkStakes(ctx, nil); err != nil {
		return nil, fmt.Errorf("export stakes: %w", err)
	}
	if gs.Pools, err = values(ctx, k.Pools); err != nil {
		return nil, fmt.Errorf("export pools: %w", err)
	}
	err = k.AlphaStakes.Walk(ctx, nil, func(key collections.Triple[uint32, sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		gs.AlphaStakes = append(gs.AlphaStakes, types.AlphaStake{Netuid: key.K1(), Hotkey: k.addrString(key.K2()), Coldkey: k.addrString(key.K3()), Amount: amount})
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export alpha stakes: %w", err)
	}
	err = k.DelegateTakes.Walk(ctx, nil, func(hotkey sdk.AccAddress, take uint32) (bool, error) {
		gs.DelegateTakes = append(gs.DelegateTakes, types.DelegateTake{Hotkey: k.addrString(hotkey), Take: take})
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export delegate takes: %w", err)
	}
	return gs, nil
}

func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	var out []V
	err := m.Walk(ctx, nil, func(_ K, v V) (bool, error) {
		out = append(out, v)
		return false, nil
	})
	return out, err
}

// walkStakes lists stake records in (hotkey, coldkey) order, within r.
func (k *Keeper) walkStakes(ctx context.Context, r collections.Ranger[collections.Pair[sdk.AccAddress, sdk.AccAddress]]) ([]types.Stake, error) {
	var out []types.Stake
	err := k.Stakes.Walk(ctx, r, func(key collections.Pair[sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		out = append(out, types.Stake{Hotkey: k.addrString(key.K1()), Coldkey: k.addrString(key.K2()), Amount: amount})
		return false, nil
	})
	return out, err
}
