package keeper

import (
	"context"
	"fmt"
	"strconv"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// subnetWeight is a subnet's weight in the split of the subnets' emission.
type subnetWeight struct {
	netuid uint32
	weight uint64
}

// MintBlockEmission mints this block's emission (types.BlockEmissionAt: block_emission halved by the
// issuance crossed so far, never past the cap) into the module account. fee_collector_share of it goes
// to the fee collector, which x/distribution pays to chain validators and delegators; the rest accrues
// to the subnets as pending emission by their shares (SplitAmongSubnets). With no subnet but root, the
// subnets' part is not minted at all: nothing would earn it.
func (k *Keeper) MintBlockEmission(ctx context.Context) error {
	params, err := k.params(ctx)
	if err != nil {
		return err
	}
	ledger, err := k.ledger(ctx)
	if err != nil {
		return err
	}
	emission := types.BlockEmissionAt(params, ledger.TotalIssued)
	if !emission.IsPositive() {
		return nil
	}
	fee := types.PartOf(emission, params.FeeCollectorShare)
	split, err := k.SplitAmongSubnets(ctx, emission.Sub(fee))
	if err != nil {
		return err
	}
	minted := fee
	for _, s := range split {
		minted = minted.Add(s.Amount)
	}
	if !minted.IsPositive() {
		return nil
	}
	if err := k.bank.MintCoins(ctx, types.ModuleName, k.coins(minted)); err != nil {
		return fmt.Errorf("mint block emission: %w", err)
	}
	if fee.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.feeCollector, k.coins(fee)); err != nil {
			return fmt.Errorf("pay fee collector: %w", err)
		}
	}
	for _, s := range split {
		if s.Amount.IsZero() {
			continue
		}
		pending, err := k.PendingOf(ctx, s.Netuid)
		if err != nil {
			return err
		}
		if err := k.setPending(ctx, s.Netuid, pending.Add(s.Amount)); err != nil {
			return err
		}
	}
	ledger.TotalIssued = ledger.TotalIssued.Add(minted)
	ledger.ToFeeCollector = ledger.ToFeeCollector.Add(fee)
	if err := k.Ledger.Set(ctx, ledger); err != nil {
		return fmt.Errorf("write issuance ledger: %w", err)
	}
	emit(ctx, types.EventTypeMint,
		types.AttributeKeyAmount, minted.String(),
		types.AttributeKeyFeeCollector, fee.String(),
		types.AttributeKeySubnets, strconv.Itoa(len(split)))
	return nil
}

// SplitAmongSubnets divides amount among every subnet but root in proportion to its emission_share
// (set by the root epoch), or evenly while no subnet has a share (a fresh chain, or root members that
// weighted nothing that still exists). Each part is rounded down and the remainder goes to the subnet
// with the largest weight (the lowest netuid on a tie), so the parts sum to amount exactly. It returns
// nothing when root is the only subnet.
func (k *Keeper) SplitAmongSubnets(ctx context.Context, amount math.Int) ([]types.PendingEmission, error) {
	weights, total, err := k.subnetWeights(ctx)
	if err != nil || len(weights) == 0 {
		return nil, err
	}
	out := make([]types.PendingEmission, len(weights))
	rest := amount
	top := 0
	for i, w := range weights {
		part := amount.Mul(math.NewIntFromUint64(w.weight)).Quo(math.NewIntFromUint64(total))
		out[i] = types.PendingEmission{Netuid: w.netuid, Amount: part}
		rest = rest.Sub(part)
		if w.weight > weights[top].weight {
			top = i
		}
	}
	out[top].Amount = out[top].Amount.Add(rest)
	return out, nil
}

// subnetWeights returns every subnet but root in netuid order with its weight in the split, and the
// weights' sum: the stored shares, or 1 each when they are all zero.
func (k *Keeper) subnetWeights(ctx context.Context) ([]subnetWeight, uint64, error) {
	var weights []subnetWeight
	var total uint64
	err := k.subnets.IterateSubnets(ctx, func(s subnettypes.Subnet) (bool, error) {
		if s.Netuid == subnettypes.RootNetuid {
			return false, nil
		}
		weights = append(weights, subnetWeight{netuid: s.Netuid, weight: uint64(s.EmissionShare)})
		total += uint64(s.EmissionShare)
		return false, nil
	})
	if err != nil {
		return nil, 0, err
	}
	if total == 0 {
		for i := range weights {
			weights[i].weight = 1
		}
		total = uint64(len(weights))
	}
	return weights, total, nil
}
