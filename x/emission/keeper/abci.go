package keeper

import (
	"context"
	"fmt"
)

// BeginBlock mints the block's emission, before x/distribution's begin-blocker pays out the fee
// collector.
func (k *Keeper) BeginBlock(ctx context.Context) error {
	if err := k.MintBlockEmission(ctx); err != nil {
		return fmt.Errorf("mint block emission: %w", err)
	}
	return nil
}

// EndBlock runs the epochs due at this block, after the block's transactions have set weights and
// stake.
func (k *Keeper) EndBlock(ctx context.Context) error {
	if err := k.RunEpochs(ctx); err != nil {
		return fmt.Errorf("run epochs: %w", err)
	}
	return nil
}
