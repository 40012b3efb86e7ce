package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Migrator runs x/emission's store migrations during a software upgrade.
type Migrator struct{ k *Keeper }

// NewMigrator returns the migrations over k.
func NewMigrator(k *Keeper) Migrator { return Migrator{k: k} }

// Migrate1to2 moves x/emission onto subnet markets (x/subnet's migration to version 3, which opens the
// pools, runs first). Params gain the alpha emission schedule (the defaults); the ledger gains
// to_pools. Each subnet's pending umind, which the module account held, is injected into its pool with
// alpha alongside at the pool's price, and becomes as much pending alpha, so the next epoch pays the
// same numbers it would have paid in umind, now as alpha stake.
func (m Migrator) Migrate1to2(ctx context.Context) error {
	k := m.k
	params, err := k.params(ctx)
	if err != nil {
		return err
	}
	if params.AlphaBlockEmission.IsNil() || params.AlphaIssuanceCap.IsNil() || params.AlphaIssuanceCap.IsZero() {
		defaults := types.DefaultParams()
		params.AlphaBlockEmission, params.AlphaIssuanceCap = defaults.AlphaBlockEmission, defaults.AlphaIssuanceCap
		if err := k.Params.Set(ctx, params); err != nil {
			return fmt.Errorf("write params: %w", err)
		}
	}
	ledger, err := k.ledger(ctx)
	if err != nil {
		return err
	}
	ledger.ToPools = nonNil(ledger.ToPools)
	var pending []types.PendingEmission
	err = k.Pending.Walk(ctx, nil, func(netuid uint32, amount math.Int) (bool, error) {
		pending = append(pending, types.PendingEmission{Netuid: netuid, Amount: amount})
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("read pending emission: %w", err)
	}
	for _, p := range pending {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, subnettypes.LockPoolName, k.coins(p.Amount)); err != nil {
			return fmt.Errorf("move pending umind of netuid %d into its pool: %w", p.Netuid, err)
		}
		if err := k.subnets.InjectEmission(ctx, p.Netuid, p.Amount, p.Amount); err != nil {
			return fmt.Errorf("inject pending umind of netuid %d: %w", p.Netuid, err)
		}
		ledger.ToPools = ledger.ToPools.Add(p.Amount)
	}
	if err := k.Ledger.Set(ctx, ledger); err != nil {
		return fmt.Errorf("write issuance ledger: %w", err)
	}
	return k.CheckLedger(ctx)
}
