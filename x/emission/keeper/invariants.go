package keeper

import (
	"context"
	"fmt"

	"github.com/mindnet/mindnet/x/emission/types"
)

// CheckLedger verifies that no umind was created or lost by this module: everything it minted equals
// what it paid to the fee collector, to stake and to subnet owners (before subnet markets), what it
// burned and what it injected into the subnets' pools; and its module account holds nothing, since
// every block's umind leaves it in that block. Tests and the simulation call it after every block.
func (k *Keeper) CheckLedger(ctx context.Context) error {
	ledger, err := k.ledger(ctx)
	if err != nil {
		return err
	}
	if want := ledger.Outflows(); !ledger.TotalIssued.Equal(want) {
		return fmt.Errorf("%w: total issued %s, but fee collector %s + stake %s + owners %s + burned %s + pools %s = %s",
			types.ErrIssuanceInvariantBroken, ledger.TotalIssued, ledger.ToFeeCollector, ledger.ToStake, ledger.ToOwners,
			ledger.Burned, ledger.ToPools, want)
	}
	balance := k.bank.GetBalance(ctx, moduleAddress, k.denom)
	if !balance.Amount.IsZero() {
		return fmt.Errorf("%w: module account holds %s umind, which should all have left it",
			types.ErrIssuanceInvariantBroken, balance.Amount)
	}
	return nil
}
