package keeper

import (
	"context"
	"fmt"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// InitGenesis writes the genesis state into the store.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return fmt.Errorf("invalid x/subnet genesis: %w", err)
	}
	return k.Params.Set(ctx, gs.Params)
}

// ExportGenesis reads the whole module state back as a genesis state.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("read params: %w", err)
	}
	return &types.GenesisState{Params: params}, nil
}
