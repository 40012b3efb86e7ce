package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// Migrator runs x/subnet's store migrations during a software upgrade.
type Migrator struct{ k *Keeper }

// NewMigrator returns the migrations over k.
func NewMigrator(k *Keeper) Migrator { return Migrator{k: k} }

// Migrate1to2 introduces subnet models: params gain default_model (the built-in model) and every
// subnet but root, which serves none, is recorded as serving it, which is what its miners and
// validators ran before models were recorded. Nothing waits in PendingModels yet.
func (m Migrator) Migrate1to2(ctx context.Context) error {
	params, err := m.k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("read params: %w", err)
	}
	if params.DefaultModel.IsEmpty() {
		params.DefaultModel = types.DefaultModel()
		if err := m.k.Params.Set(ctx, params); err != nil {
			return fmt.Errorf("write params: %w", err)
		}
	}
	var update []types.Subnet
	err = m.k.Subnets.Walk(ctx, new(collections.Range[uint32]).StartExclusive(types.RootNetuid), func(_ uint32, s types.Subnet) (bool, error) {
		if s.Model.IsEmpty() {
			s.Model = params.DefaultModel
			update = append(update, s)
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("walk subnets: %w", err)
	}
	for _, s := range update {
		if err := m.k.Subnets.Set(ctx, s.Netuid, s); err != nil {
			return fmt.Errorf("write subnet %d: %w", s.Netuid, err)
		}
	}
	return nil
}

// Migrate2to3 introduces subnet markets: params gain swap_fee, price_ema_half_life and root_weight (the
// defaults), and every subnet but root gets a pool seeded from its lock at price 1, which is the umind
// the lock pool account already holds for it. Existing stake stays root stake.
func (m Migrator) Migrate2to3(ctx context.Context) error {
	params, err := m.k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("read params: %w", err)
	}
	if params.PriceEmaHalfLife == 0 {
		params.SwapFee = types.DefaultSwapFee
		params.PriceEmaHalfLife = types.DefaultPriceEMAHalfLife
		params.RootWeight = types.DefaultRootWeight
		if err := m.k.Params.Set(ctx, params); err != nil {
			return fmt.Errorf("write params: %w", err)
		}
	}
	var seed []types.Pool
	err = m.k.Subnets.Walk(ctx, new(collections.Range[uint32]).StartExclusive(types.RootNetuid), func(netuid uint32, s types.Subnet) (bool, error) {
		has, err := m.k.Pools.Has(ctx, netuid)
		if err == nil && !has {
			seed = append(seed, types.NewPool(netuid, s.Lock))
		}
		return false, err
	})
	if err != nil {
		return fmt.Errorf("walk subnets: %w", err)
	}
	for _, p := range seed {
		if err := m.k.setPool(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
