package keeper

import (
	"context"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/emission/yuma"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// RunEpochs runs, in netuid order, the epoch of every subnet whose epoch block this is
// (subnettypes.IsEpochBlock: staggered by netuid). Root's epoch sets the subnets' shares; every other
// subnet's pays out its pending emission. Each epoch runs in its own cached context: one that fails
// (an input the Yuma function refuses, an owner account that cannot be paid) changes nothing, keeps its
// pending emission for the next epoch and is reported as an event and in the log, and the block goes
// on, because an error here would halt the chain.
func (k *Keeper) RunEpochs(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if sdkCtx.BlockHeight() < 0 {
		return nil
	}
	height := uint64(sdkCtx.BlockHeight())
	var due []subnettypes.Subnet
	err := k.subnets.IterateSubnets(ctx, func(s subnettypes.Subnet) (bool, error) {
		if subnettypes.IsEpochBlock(s.Netuid, s.Hyperparameters.Tempo, height) {
			due = append(due, s)
		}
		return false, nil
	})
	if err != nil || len(due) == 0 {
		return err
	}
	params, err := k.params(ctx)
	if err != nil {
		return err
	}
	for _, s := range due {
		cacheCtx, write := sdkCtx.CacheContext()
		if s.Netuid == subnettypes.RootNetuid {
			err = k.runRootEpoch(cacheCtx, s, params, height)
		} else {
			err = k.runSubnetEpoch(cacheCtx, s, params, height)
		}
		if err != nil {
			k.logger(ctx).Error("epoch failed; its emission waits for the next one", "netuid", s.Netuid, "height", height, "err", err)
			emit(ctx, types.EventTypeEpochFailed,
				types.AttributeKeyNetuid, strconv.FormatUint(uint64(s.Netuid), 10),
				types.AttributeKeyError, err.Error())
			continue
		}
		write()
		sdkCtx.EventManager().EmitEvents(cacheCtx.EventManager().Events())
	}
	return nil
}

// epochNeuron is what the epoch needs of one UID besides what goes into the Yuma input.
type epochNeuron struct {
	neuron  subnettypes.Neuron
	hotkey  sdk.AccAddress
	coldkey sdk.AccAddress
}

// runSubnetEpoch pays out a subnet's pending alpha: the owner's cut first, the rest through the Yuma
// epoch over the subnet's stake (each hotkey's voice), weights and bonds. Results go back to the
// neurons, new bonds replace the old, and each UID's emission is paid as alpha stake (payEmission).
func (k *Keeper) runSubnetEpoch(ctx context.Context, s subnettypes.Subnet, params types.Params, height uint64) error {
	pending, err := k.PendingOf(ctx, s.Netuid)
	if err != nil {
		return err
	}
	cut := types.PartOf(pending, params.OwnerCut)
	rest := pending.Sub(cut)
	if !rest.IsUint64() {
		return fmt.Errorf("pending emission %s of netuid %d does not fit the epoch's 64 bits", rest, s.Netuid)
	}
	if cut.IsPositive() {
		owner, err := k.addr("subnet owner", s.Owner)
		if err != nil {
			return err
		}
		// The owner's cut is alpha held behind the owner's own address, which it may sell or move.
		credit := []subnettypes.StakeCredit{{Hotkey: owner, Coldkey: owner, Amount: cut}}
		if err := k.subnets.CreditAlpha(ctx, s.Netuid, credit); err != nil {
			return fmt.Errorf("pay owner cut of netuid %d: %w", s.Netuid, err)
		}
	}
	neurons, in, err := k.epochInput(ctx, s, height, rest.Uint64())
	if err != nil {
		return err
	}
	paid := math.ZeroInt()
	if len(neurons) > 0 {
		out, err := yuma.Epoch(in)
		if err != nil {
			return fmt.Errorf("yuma epoch of netuid %d: %w", s.Netuid, err)
		}
		if err := k.writeResults(ctx, s.Netuid, neurons, in, out); err != nil {
			return err
		}
		if paid, err = k.payEmission(ctx, s.Netuid, neurons, in, out); err != nil {
			return err
		}
	}
	carried := pending.Sub(cut).Sub(paid)
	if err := k.setPending(ctx, s.Netuid, carried); err != nil {
		return err
	}
	if err := k.LastEpoch.Set(ctx, s.Netuid, int64(height)); err != nil {
		return fmt.Errorf("write last epoch of netuid %d: %w", s.Netuid, err)
	}
	emit(ctx, types.EventTypeEpoch,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(s.Netuid), 10),
		types.AttributeKeyAmount, pending.String(),
		types.AttributeKeyOwnerCut, cut.String(),
		types.AttributeKeyPaid, paid.String(),
		types.AttributeKeyCarried, carried.String())
	return nil
}

// epochInput gathers a subnet's neurons (in UID order), their total stake, permits, last updates and
// registrations from x/subnet, weight rows from x/weights and bond rows from this module, into the Yuma
// input. Entries aimed at UIDs the subnet does not have are left out.
func (k *Keeper) epochInput(ctx context.Context, s subnettypes.Subnet, height, emission uint64) ([]epochNeuron, yuma.Input, error) {
	neurons, in, err := k.neuronInputs(ctx, s.Netuid)
	if err != nil {
		return nil, yuma.Input{}, err
	}
	n := len(neurons)
	err = k.weights.IterateRows(ctx, s.Netuid, func(uid uint32, row weightstypes.WeightRow) (bool, error) {
		if int(uid) < n {
			in[uid].Weights = sparseEntries(row.Uids, row.Weights, func(j uint32) (uint32, bool) { return j, int(j) < n })
		}
		return false, nil
	})
	if err != nil {
		return nil, yuma.Input{}, fmt.Errorf("read weights of netuid %d: %w", s.Netuid, err)
	}
	err = k.Bonds.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](s.Netuid),
		func(key collections.Pair[uint32, uint32], row types.BondRow) (bool, error) {
			if int(key.K2()) < n {
				in[key.K2()].Bonds = sparseEntries(row.Uids, row.Values, func(j uint32) (uint32, bool) { return j, int(j) < n })
			}
			return false, nil
		})
	if err != nil {
		return nil, yuma.Input{}, fmt.Errorf("read bonds of netuid %d: %w", s.Netuid, err)
	}
	last, err := k.lastEpoch(ctx, s.Netuid)
	if err != nil {
		return nil, yuma.Input{}, err
	}
	return neurons, yuma.Input{
		Block:          height,
		LastEpochBlock: last,
		Emission:       emission,
		Params:         yumaParams(s.Hyperparameters),
		Neurons:        in,
	}, nil
}

// neuronInputs reads a subnet's neurons in UID order with their total stake.
func (k *Keeper) neuronInputs(ctx context.Context, netuid uint32) ([]epochNeuron, []yuma.Neuron, error) {
	rootWeight, err := k.subnets.RootWeight(ctx)
	if err != nil {
		return nil, nil, err
	}
	var neurons []epochNeuron
	var in []yuma.Neuron
	err = k.subnets.IterateNeurons(ctx, netuid, func(n subnettypes.Neuron) (bool, error) {
		if int(n.Uid) != len(neurons) {
			return true, fmt.Errorf("netuid %d: UIDs are not dense at %d", netuid, n.Uid)
		}
		hotkey, err := k.storedAddr("stored hotkey", n.Hotkey)
		if err != nil {
			return true, err
		}
		coldkey, err := k.storedAddr("stored coldkey", n.Coldkey)
		if err != nil {
			return true, err
		}
		// A hotkey's voice: its alpha on the subnet plus root_weight of its root stake.
		stake, err := k.subnets.Voice(ctx, netuid, hotkey, rootWeight)
		if err != nil {
			return true, err
		}
		if !stake.IsUint64() {
			return true, fmt.Errorf("stake %s of %s does not fit the epoch's 64 bits", stake, n.Hotkey)
		}
		neurons = append(neurons, epochNeuron{neuron: n, hotkey: hotkey, coldkey: coldkey})
		in = append(in, yuma.Neuron{
			Stake:           stake.Uint64(),
			ValidatorPermit: n.Scores.ValidatorPermit,
			LastUpdate:      nonNegative(n.LastUpdate),
			RegisteredAt:    nonNegative(n.RegisteredAt),
		})
		return false, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read neurons of netuid %d: %w", netuid, err)
	}
	return neurons, in, nil
}

func (k *Keeper) lastEpoch(ctx context.Context, netuid uint32) (uint64, error) {
	last, err := k.LastEpoch.Get(ctx, netuid)
	if errorsIsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read last epoch of netuid %d: %w", netuid, err)
	}
	return nonNegative(last), nil
}

// sparseEntries converts a stored sparse row into Yuma entries, mapping each column through col and
// leaving out the columns col rejects and values that are not u16.
func sparseEntries(uids, values []uint32, col func(uint32) (uint32, bool)) []yuma.Entry {
	if len(uids) != len(values) {
		return nil
	}
	out := make([]yuma.Entry, 0, len(uids))
	for i, u := range uids {
		j, ok := col(u)
		if !ok || j > 0xFFFF || values[i] > 0xFFFF {
			continue
		}
		out = append(out, yuma.Entry{UID: uint16(j), Value: uint16(values[i])})
	}
	return out
}

// yumaParams maps a subnet's hyperparameters onto the epoch's parameters. x/subnet keeps every bound
// within these types; the clamps only guard against a governance bound set wider than them.
func yumaParams(h subnettypes.Hyperparameters) yuma.Params {
	minStake := uint64(0)
	if !h.MinValidatorStake.IsNil() {
		if h.MinValidatorStake.IsUint64() {
			minStake = h.MinValidatorStake.Uint64()
		} else if h.MinValidatorStake.IsPositive() {
			minStake = ^uint64(0)
		}
	}
	return yuma.Params{
		Kappa:                 u16(h.Kappa),
		ActivityCutoff:        h.ActivityCutoff,
		MaxAllowedValidators:  u16(h.MaxAllowedValidators),
		BondsMovingAverage:    min(h.BondsMovingAverage, 1_000_000),
		BondsPenalty:          u16(h.BondsPenalty),
		Yuma3:                 h.Yuma3,
		LiquidAlpha:           h.LiquidAlphaEnabled,
		AlphaLow:              u16(h.AlphaLow),
		AlphaHigh:             u16(h.AlphaHigh),
		AlphaSigmoidSteepness: int16(min(h.AlphaSigmoidSteepness, 32767)),
		MinValidatorStake:     minStake,
		Tempo:                 h.Tempo,
	}
}

func u16(v uint32) uint16 { return uint16(min(v, 0xFFFF)) }

func nonNegative(v int64) uint64 {
	if v < 0 {
		return 0
	}
	return uint64(v)
}

// writeResults records the epoch's scores on every neuron and stores the new bond rows: a UID without
// a new validator permit keeps no bonds.
func (k *Keeper) writeResults(ctx context.Context, netuid uint32, neurons []epochNeuron, in yuma.Input, out yuma.Output) error {
	for i, r := range out.Neurons {
		uid := uint32(i)
		scores := scoresFrom(r, math.NewIntFromUint64(r.Emission))
		if !scores.Equal(&neurons[i].neuron.Scores) {
			if err := k.subnets.SetNeuronScores(ctx, netuid, uid, scores); err != nil {
				return fmt.Errorf("write scores of %d/%d: %w", netuid, uid, err)
			}
		}
		key := collections.Join(netuid, uid)
		if len(r.Bonds) == 0 {
			if in.Neurons[i].Bonds != nil { // a stored row, possibly emptied by filtering
				if err := k.Bonds.Remove(ctx, key); err != nil {
					return fmt.Errorf("drop bonds of %d/%d: %w", netuid, uid, err)
				}
			}
			continue
		}
		row := types.BondRow{Netuid: netuid, Uid: uid, Uids: make([]uint32, len(r.Bonds)), Values: make([]uint32, len(r.Bonds))}
		for j, e := range r.Bonds {
			row.Uids[j], row.Values[j] = uint32(e.UID), uint32(e.Value)
		}
		if err := k.Bonds.Set(ctx, key, row); err != nil {
			return fmt.Errorf("write bonds of %d/%d: %w", netuid, uid, err)
		}
	}
	return nil
}

// scoresFrom converts an epoch result into the scores x/subnet stores: fractions in 1/65535ths,
// emission in umind.
func scoresFrom(r yuma.NeuronResult, emission math.Int) subnettypes.NeuronScores {
	return subnettypes.NeuronScores{
		Rank:            uint32(r.Rank.ToU16Proportion()),
		Trust:           uint32(r.Trust.ToU16Proportion()),
		Consensus:       uint32(r.Consensus.ToU16Proportion()),
		Incentive:       uint32(r.Incentive.ToU16Proportion()),
		Dividends:       uint32(r.Dividends.ToU16Proportion()),
		Emission:        emission,
		ValidatorTrust:  uint32(r.ValidatorTrust.ToU16Proportion()),
		ValidatorPermit: r.ValidatorPermit,
		PruningScore:    uint32(r.PruningScore.ToU16Proportion()),
	}
}
