package keeper

import (
	"context"
	"fmt"
	mathbits "math/bits"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/emission/yuma"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// takeScale is the scale of delegate takes: basis points, 10000 = 100%.
const takeScale = 10_000

// payEmission adds each UID's epoch emission to stake behind its hotkey, as subtensor does:
//   - the miner part (ServerEmission) and the epoch's rounding dust go to the hotkey's owner;
//   - of the validator part (ValidatorEmission), the delegate keeps its take (x/subnet's delegate
//     take, in basis points) and the rest is shared among everyone with stake behind the hotkey, the
//     owner included, in proportion to that stake;
//   - each nominator's share is rounded down and what the rounding leaves goes to the owner too, so
//     every umind of the epoch's emission is paid.
//
// The coins move once, from this module into the x/subnet stake pool, and the stake records follow.
// It returns the amount paid.
func (k *Keeper) payEmission(ctx context.Context, neurons []epochNeuron, in yuma.Input, out yuma.Output) (math.Int, error) {
	credits := make([]subnettypes.StakeCredit, 0, len(neurons))
	var total uint64
	for i, r := range out.Neurons {
		if r.Emission == 0 {
			continue
		}
		n := neurons[i]
		owed := r.Emission - r.ValidatorEmission
		if v := r.ValidatorEmission; v > 0 {
			take, err := k.subnets.DelegateTake(ctx, n.hotkey)
			if err != nil {
				return math.Int{}, err
			}
			kept := mulDiv(v, uint64(min(take, takeScale)), takeScale)
			shared := v - kept
			owed += kept
			// The stake yuma saw is the hotkey's total; the nominators' records sum to it.
			stake := in.Neurons[i].Stake
			distributed := uint64(0)
			if stake > 0 && shared > 0 {
				err := k.subnets.IterateNominators(ctx, n.hotkey, func(coldkey sdk.AccAddress, amount math.Int) (bool, error) {
					a := amount.Uint64()
					if !amount.IsUint64() || a > stake {
						a = stake
					}
					share := mulDiv(shared, a, stake)
					if share == 0 {
						return false, nil
					}
					distributed += share
					if coldkey.Equals(n.coldkey) {
						owed += share
						return false, nil
					}
					credits = append(credits, subnettypes.StakeCredit{Hotkey: n.hotkey, Coldkey: coldkey, Amount: math.NewIntFromUint64(share)})
					return false, nil
				})
				if err != nil {
					return math.Int{}, err
				}
			}
			owed += shared - distributed
		}
		credits = append(credits, subnettypes.StakeCredit{Hotkey: n.hotkey, Coldkey: n.coldkey, Amount: math.NewIntFromUint64(owed)})
		total += r.Emission
	}
	if total == 0 {
		return math.ZeroInt(), nil
	}
	paid := math.NewIntFromUint64(total)
	if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.stakePool, k.coins(paid)); err != nil {
		return math.Int{}, fmt.Errorf("move epoch emission into the stake pool: %w", err)
	}
	if err := k.subnets.CreditStake(ctx, credits); err != nil {
		return math.Int{}, fmt.Errorf("credit epoch emission as stake: %w", err)
	}
	return paid, nil
}

// mulDiv returns floor(a*b/c) for b ≤ c, in 128 bits so that nothing overflows.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := mathbits.Mul64(a, b)
	q, _ := mathbits.Div64(hi, lo, c)
	return q
}
