package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
)

// CheckLedger verifies that no umind was created or lost by this module: everything it minted equals
// what it paid to the fee collector, to stake and to subnet owners, plus what it burned, plus the
// subnets' pending emission; and its module account holds exactly the pending emission. Tests call it
// after every block; `RegisterInvariants`-style tooling may call it too.
func (k *Keeper) CheckLedger(ctx context.Context) error {
	ledger, err := k.ledger(ctx)
	if err != nil {
		return err
	}
	pending := math.ZeroInt()
	err = k.Pending.Walk(ctx, nil, func(_ uint32, amount math.Int) (bool, error) {
		pending = pending.Add(amount)
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("read pending emission: %w", err)
	}
	if want := ledger.Outflows().Add(pending); !ledger.TotalIssued.Equal(want) {
		return fmt.Errorf("%w: total issued %s, but fee collector %s + stake %s + owners %s + burned %s + pending %s = %s",
			types.ErrIssuanceInvariantBroken, ledger.TotalIssued, ledger.ToFeeCollector, ledger.ToStake, ledger.ToOwners,
			ledger.Burned, pending, want)
	}
	balance := k.bank.GetBalance(ctx, moduleAddress, k.denom)
	if !balance.Amount.Equal(pending) {
		return fmt.Errorf("%w: module account holds %s, pending emission is %s",
			types.ErrIssuanceInvariantBroken, balance.Amount, pending)
	}
	return nil
}
