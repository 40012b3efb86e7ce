package keeper

import (
	"context"
	"fmt"
	"strconv"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// subnetWeight is a subnet's weight in the split of the subnets' emission: its pool's price moving
// average, as an integer count of 10^-18 umind per alpha.
type subnetWeight struct {
	netuid uint32
	weight math.Int
	share  uint32 // the subnet's stored emission_share, to rewrite only when it changes
}

// MintBlockEmission mints this block's emission (types.BlockEmissionAt: block_emission halved by the
// issuance crossed so far, never past the cap) into the module account. fee_collector_share of it goes
// to the fee collector, which x/distribution pays to chain validators and delegators; the rest is split
// among the subnets by their pools' price moving averages (SplitAmongSubnets) and injected into each
// pool, with alpha alongside so that its price stays put. Each subnet also accrues its alpha block
// emission (its own halving) to its next epoch. With no subnet but root, the subnets' part is not
// minted at all: nothing would earn it.
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
	fee := types.PartOf(emission, params.FeeCollectorShare)
	weights, total, err := k.subnetWeights(ctx)
	if err != nil {
		return err
	}
	split := splitByWeight(emission.Sub(fee), weights, total)
	minted := fee
	toPools := math.ZeroInt()
	for _, s := range split {
		minted = minted.Add(s.Amount)
		toPools = toPools.Add(s.Amount)
	}
	if minted.IsPositive() {
		if err := k.bank.MintCoins(ctx, types.ModuleName, k.coins(minted)); err != nil {
			return fmt.Errorf("mint block emission: %w", err)
		}
	}
	if fee.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.feeCollector, k.coins(fee)); err != nil {
			return fmt.Errorf("pay fee collector: %w", err)
		}
	}
	if toPools.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, subnettypes.LockPoolName, k.coins(toPools)); err != nil {
			return fmt.Errorf("inject emission into the pools: %w", err)
		}
	}
	for i, s := range split {
		if err := k.accrueSubnet(ctx, params, s, weights[i], total); err != nil {
			return err
		}
	}
	if !minted.IsPositive() {
		return nil
	}
	ledger.TotalIssued = ledger.TotalIssued.Add(minted)
	ledger.ToFeeCollector = ledger.ToFeeCollector.Add(fee)
	ledger.ToPools = nonNil(ledger.ToPools).Add(toPools)
	if err := k.Ledger.Set(ctx, ledger); err != nil {
		return fmt.Errorf("write issuance ledger: %w", err)
	}
	emit(ctx, types.EventTypeMint,
		types.AttributeKeyAmount, minted.String(),
		types.AttributeKeyFeeCollector, fee.String(),
		types.AttributeKeySubnets, strconv.Itoa(len(split)))
	return nil
}

// accrueSubnet injects one subnet's umind into its pool, accrues its alpha block emission to its next
// epoch and records its emission share (1/65535ths) where it changed.
func (k *Keeper) accrueSubnet(ctx context.Context, params types.Params, s types.PendingEmission, w subnetWeight, total math.Int) error {
	pool, err := k.subnets.GetPool(ctx, s.Netuid)
	if err != nil {
		return err
	}
	alphaOut := types.AlphaBlockEmissionAt(params, nonNil(pool.AlphaEmitted))
	if err := k.subnets.InjectEmission(ctx, s.Netuid, s.Amount, alphaOut); err != nil {
		return fmt.Errorf("inject emission into the pool of netuid %d: %w", s.Netuid, err)
	}
	if alphaOut.IsPositive() {
		pending, err := k.PendingOf(ctx, s.Netuid)
		if err != nil {
			return err
		}
		if err := k.setPending(ctx, s.Netuid, pending.Add(alphaOut)); err != nil {
			return err
		}
	}
	share := uint32(w.weight.MulRaw(65_535).Quo(total).Int64())
	if share != w.share {
		if err := k.subnets.SetSubnetEmissionShare(ctx, s.Netuid, share); err != nil {
			return fmt.Errorf("write emission share of netuid %d: %w", s.Netuid, err)
		}
	}
	return nil
}

func nonNil(v math.Int) math.Int {
	if v.IsNil() {
		return math.ZeroInt()
	}
	return v
}

// SplitAmongSubnets divides amount among every subnet but root in proportion to its pool's price
// moving average. It returns nothing when root is the only subnet.
func (k *Keeper) SplitAmongSubnets(ctx context.Context, amount math.Int) ([]types.PendingEmission, error) {
	weights, total, err := k.subnetWeights(ctx)
	if err != nil {
		return nil, err
	}
	return splitByWeight(amount, weights, total), nil
}

// splitByWeight gives each subnet floor(amount·weight/total) and the remainder to the subnet with the
// largest weight (the lowest netuid on a tie), so the parts sum to amount exactly.
func splitByWeight(amount math.Int, weights []subnetWeight, total math.Int) []types.PendingEmission {
	if len(weights) == 0 {
		return nil
	}
	out := make([]types.PendingEmission, len(weights))
	rest := amount
	top := 0
	for i, w := range weights {
		part := amount.Mul(w.weight).Quo(total)
		out[i] = types.PendingEmission{Netuid: w.netuid, Amount: part}
		rest = rest.Sub(part)
		if w.weight.GT(weights[top].weight) {
			top = i
		}
	}
	out[top].Amount = out[top].Amount.Add(rest)
	return out
}

// subnetWeights returns every subnet but root in netuid order with its weight in the split (its pool's
// price moving average, in 10^-18 units), and the weights' sum; 1 each when they are all zero (pools
// with nothing in them).
func (k *Keeper) subnetWeights(ctx context.Context) ([]subnetWeight, math.Int, error) {
	var weights []subnetWeight
	total := math.ZeroInt()
	err := k.subnets.IterateSubnets(ctx, func(s subnettypes.Subnet) (bool, error) {
		if s.Netuid == subnettypes.RootNetuid {
			return false, nil
		}
		pool, err := k.subnets.GetPool(ctx, s.Netuid)
		if err != nil {
			return true, err
		}
		w := math.ZeroInt()
		if !pool.PriceEma.IsNil() && pool.PriceEma.IsPositive() {
			w = math.NewIntFromBigInt(pool.PriceEma.BigInt()) // LegacyDec holds 18 decimals as an integer
		}
		weights = append(weights, subnetWeight{netuid: s.Netuid, weight: w, share: s.EmissionShare})
		total = total.Add(w)
		return false, nil
	})
	if err != nil {
		return nil, math.Int{}, err
	}
	if total.IsZero() {
		for i := range weights {
			weights[i].weight = math.OneInt()
		}
		total = math.NewInt(int64(len(weights)))
	}
	return weights, total, nil
}
