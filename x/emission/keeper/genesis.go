package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/emission/types"
)

// InitGenesis loads the module's state. Pending emission is alpha; the module account holds no umind.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return fmt.Errorf("write params: %w", err)
	}
	if err := k.Ledger.Set(ctx, gs.Ledger); err != nil {
		return fmt.Errorf("write issuance ledger: %w", err)
	}
	for _, p := range gs.Pending {
		if err := k.Pending.Set(ctx, p.Netuid, p.Amount); err != nil {
			return fmt.Errorf("write pending emission of netuid %d: %w", p.Netuid, err)
		}
	}
	for _, b := range gs.Bonds {
		if err := k.Bonds.Set(ctx, collections.Join(b.Netuid, b.Uid), b); err != nil {
			return fmt.Errorf("write bonds of %d/%d: %w", b.Netuid, b.Uid, err)
		}
	}
	for _, e := range gs.LastEpochs {
		if err := k.LastEpoch.Set(ctx, e.Netuid, e.Block); err != nil {
			return fmt.Errorf("write last epoch of netuid %d: %w", e.Netuid, err)
		}
	}
	return k.CheckLedger(ctx)
}

// ExportGenesis writes the module's whole state, in store order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.params(ctx)
	if err != nil {
		return nil, err
	}
	ledger, err := k.ledger(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params, Ledger: ledger}
	err = k.Pending.Walk(ctx, nil, func(netuid uint32, amount math.Int) (bool, error) {
		gs.Pending = append(gs.Pending, types.PendingEmission{Netuid: netuid, Amount: amount})
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export pending emission: %w", err)
	}
	err = k.Bonds.Walk(ctx, nil, func(_ collections.Pair[uint32, uint32], row types.BondRow) (bool, error) {
		gs.Bonds = append(gs.Bonds, row)
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export bonds: %w", err)
	}
	err = k.LastEpoch.Walk(ctx, nil, func(netuid uint32, block int64) (bool, error) {
		gs.LastEpochs = append(gs.LastEpochs, types.LastEpoch{Netuid: netuid, Block: block})
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export last epochs: %w", err)
	}
	return gs, nil
}

// moduleAddress is the module account that mints and holds pending emission.
var moduleAddress = authtypes.NewModuleAddress(types.ModuleName)
