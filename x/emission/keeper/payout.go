package keeper

import (
	"context"
	"fmt"
	mathbits "math/bits"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/emission/yuma"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// takeScale is the scale of delegate takes: basis points, 10000 = 100%.
const takeScale = 10_000

// payEmission pays each UID's epoch emission as alpha stake on the subnet, as subtensor does:
//   - the miner part (ServerEmission) and the epoch's rounding dust go to the hotkey's owner;
//   - of the validator part (ValidatorEmission), the delegate keeps its take (x/subnet's delegate
//     take, in basis points) and the rest is shared among everyone whose stake makes up the hotkey's
//     voice, in proportion to their part of it: alpha nominators by their alpha on the subnet, root
//     nominators by root_weight of their root stake. So root stakers earn from every subnet they back
//     validators on, in that subnet's alpha;
//   - each share is rounded down and what the rounding leaves goes to the owner too, so every unit of
//     the epoch's emission is paid.
//
// No coin moves: alpha is not a coin. x/subnet records the positions and the pool's outstanding alpha.
// It returns the amount paid.
func (k *Keeper) payEmission(ctx context.Context, netuid uint32, neurons []epochNeuron, in yuma.Input, out yuma.Output) (math.Int, error) {
	rootWeight, err := k.subnets.RootWeight(ctx)
	if err != nil {
		return math.Int{}, err
	}
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
			// The voice yuma saw is the hotkey's alpha plus root_weight of its root stake; the
			// nominators' parts sum to it (up to the rounding of the root part).
			voice := in.Neurons[i].Stake
			distributed := uint64(0)
			pay := func(coldkey sdk.AccAddress, part uint64) {
				share := mulDiv(shared, min(part, voice), voice)
				if share == 0 {
					return
				}
				distributed += share
				if coldkey.Equals(n.coldkey) {
					owed += share
					return
				}
				credits = append(credits, subnettypes.StakeCredit{Hotkey: n.hotkey, Coldkey: coldkey, Amount: math.NewIntFromUint64(share)})
			}
			if voice > 0 && shared > 0 {
				err := k.subnets.IterateAlphaNominators(ctx, netuid, n.hotkey, func(coldkey sdk.AccAddress, amount math.Int) (bool, error) {
					pay(coldkey, clampU64(amount))
					return false, nil
				})
				if err != nil {
					return math.Int{}, err
				}
				if rootWeight > 0 {
					err = k.subnets.IterateNominators(ctx, n.hotkey, func(coldkey sdk.AccAddress, amount math.Int) (bool, error) {
						pay(coldkey, clampU64(amount.MulRaw(int64(rootWeight)).QuoRaw(takeScale)))
						return false, nil
					})
					if err != nil {
						return math.Int{}, err
					}
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
	if err := k.subnets.CreditAlpha(ctx, netuid, mergeCredits(credits)); err != nil {
		return math.Int{}, fmt.Errorf("credit epoch emission as alpha stake: %w", err)
	}
	return math.NewIntFromUint64(total), nil
}

// mergeCredits sums credits to the same (hotkey, coldkey), keeping first-seen order, so a coldkey that
// is both an alpha and a root nominator gets one credit.
func mergeCredits(credits []subnettypes.StakeCredit) []subnettypes.StakeCredit {
	out := make([]subnettypes.StakeCredit, 0, len(credits))
	at := make(map[string]int, len(credits)) // lookups only, never iterated
	for _, c := range credits {
		key := string(c.Hotkey) + "/" + string(c.Coldkey)
		if i, ok := at[key]; ok {
			out[i].Amount = out[i].Amount.Add(c.Amount)
			continue
		}
		at[key] = len(out)
		out = append(out, c)
	}
	return out
}

func clampU64(v math.Int) uint64 {
	if !v.IsUint64() {
		if v.IsNegative() {
			return 0
		}
		return ^uint64(0)
	}
	return v.Uint64()
}

// mulDiv returns floor(a*b/c) for b ≤ c, in 128 bits so that nothing overflows.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := mathbits.Mul64(a, b)
	q, _ := mathbits.Div64(hi, lo, c)
	return q
}
