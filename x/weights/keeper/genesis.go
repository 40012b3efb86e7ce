package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/mindnet/mindnet/x/weights/types"
)

// InitGenesis loads gs, which must be valid.
func (k *Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return fmt.Errorf("store params: %w", err)
	}
	for _, r := range gs.Rows {
		if err := k.Weights.Set(ctx, collections.Join(r.Netuid, r.Uid), r); err != nil {
			return fmt.Errorf("store weights of %d/%d: %w", r.Netuid, r.Uid, err)
		}
	}
	for _, q := range gs.Commits {
		if err := k.Commits.Set(ctx, collections.Join(q.Netuid, q.Uid), q); err != nil {
			return fmt.Errorf("store commits of %d/%d: %w", q.Netuid, q.Uid, err)
		}
	}
	return nil
}

// ExportGenesis writes the whole module state, rows and commit queues in (netuid, uid) order.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("read params: %w", err)
	}
	gs := &types.GenesisState{Params: params}
	err = k.Weights.Walk(ctx, nil, func(_ collections.Pair[uint32, uint32], r types.WeightRow) (bool, error) {
		gs.Rows = append(gs.Rows, r)
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk weights: %w", err)
	}
	err = k.Commits.Walk(ctx, nil, func(_ collections.Pair[uint32, uint32], q types.CommitQueue) (bool, error) {
		gs.Commits = append(gs.Commits, q)
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk commits: %w", err)
	}
	return gs, nil
}
