package keeper

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/emission/yuma"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// RootRegister seats hotkey on the root subnet (netuid 0) for coldkey, which must own it. While root
// has fewer than max_root_members members the hotkey takes the next UID; once it is full, it takes
// the UID of the member with the least total stake (the lowest UID on a tie), and only if its own
// total stake is strictly larger. It returns the UID and the hotkey it replaced ("" when none).
func (k *Keeper) RootRegister(ctx context.Context, coldkey, hotkey sdk.AccAddress) (uint32, string, error) {
	owner, ok, err := k.subnets.HotkeyOwner(ctx, hotkey)
	if err != nil {
		return 0, "", err
	}
	if !ok {
		return 0, "", errorsmod.Wrapf(types.ErrUnknownHotkey, "%s", k.addrString(hotkey))
	}
	if !owner.Equals(coldkey) {
		return 0, "", errorsmod.Wrapf(types.ErrNotHotkeyOwner, "hotkey %s belongs to %s", k.addrString(hotkey), k.addrString(owner))
	}
	if _, err := k.subnets.UIDOf(ctx, subnettypes.RootNetuid, hotkey); err == nil {
		return 0, "", errorsmod.Wrapf(types.ErrAlreadyRootMember, "%s", k.addrString(hotkey))
	} else if !errors.Is(err, subnettypes.ErrHotkeyNotRegistered) {
		return 0, "", err
	}
	params, err := k.params(ctx)
	if err != nil {
		return 0, "", err
	}
	members, err := k.RootMembers(ctx)
	if err != nil {
		return 0, "", err
	}
	var replace *uint32
	replaced := ""
	if uint32(len(members)) >= params.MaxRootMembers {
		stake, err := k.subnets.TotalStakeOf(ctx, hotkey)
		if err != nil {
			return 0, "", err
		}
		lowest := members[0]
		for _, m := range members[1:] {
			if m.TotalStake.LT(lowest.TotalStake) {
				lowest = m
			}
		}
		if !stake.GT(lowest.TotalStake) {
			return 0, "", errorsmod.Wrapf(types.ErrRootFullStakeTooLow, "%s umind staked, the lowest of %d members has %s",
				stake, len(members), lowest.TotalStake)
		}
		replace, replaced = &lowest.Uid, lowest.Hotkey
	}
	uid, err := k.subnets.RegisterRootNeuron(ctx, hotkey, replace)
	if err != nil {
		return 0, "", err
	}
	emit(ctx, types.EventTypeRootRegister,
		types.AttributeKeyUID, strconv.FormatUint(uint64(uid), 10),
		types.AttributeKeyHotkey, k.addrString(hotkey),
		types.AttributeKeyReplaced, replaced)
	return uid, replaced, nil
}

// RootMembers lists the root subnet's members in UID order with their total stake.
func (k *Keeper) RootMembers(ctx context.Context) ([]types.RootMember, error) {
	var members []types.RootMember
	err := k.subnets.IterateNeurons(ctx, subnettypes.RootNetuid, func(n subnettypes.Neuron) (bool, error) {
		hotkey, err := k.storedAddr("stored hotkey", n.Hotkey)
		if err != nil {
			return true, err
		}
		stake, err := k.subnets.TotalStakeOf(ctx, hotkey)
		if err != nil {
			return true, err
		}
		members = append(members, types.RootMember{Uid: n.Uid, Hotkey: n.Hotkey, TotalStake: stake})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return members, nil
}

// runRootEpoch scores the root members' weights over netuids. It runs the Yuma epoch over one matrix
// whose first rows are the members (stake: their total stake; permit: membership) and whose last
// columns are the subnets other than root, in netuid order, each with the block it was created at as
// its registration, so that weights set before a netuid was reused do not count for the new subnet.
// The members get their trust and consensus scores. Since subnet markets these weights no longer set
// the subnets' emission shares (their pools' prices do, see MintBlockEmission): they remain the root
// members' public signal about the subnets. Root pays no emission and keeps no bonds.
func (k *Keeper) runRootEpoch(ctx context.Context, root subnettypes.Subnet, params types.Params, height uint64) error {
	neurons, in, err := k.neuronInputs(ctx, subnettypes.RootNetuid)
	if err != nil {
		return err
	}
	var subnets []subnettypes.Subnet
	err = k.subnets.IterateSubnets(ctx, func(s subnettypes.Subnet) (bool, error) {
		if s.Netuid != subnettypes.RootNetuid {
			subnets = append(subnets, s)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	members := len(neurons)
	if members+len(subnets) > yuma.MaxNeurons {
		return fmt.Errorf("root epoch: %d members and %d subnets do not fit u16 UIDs", members, len(subnets))
	}
	// column maps a netuid to its column; lookups only, never iterated.
	column := make(map[uint32]uint32, len(subnets))
	for j, s := range subnets {
		column[s.Netuid] = uint32(members + j)
		in = append(in, yuma.Neuron{RegisteredAt: nonNegative(s.RegisteredAt)})
	}
	err = k.weights.IterateRows(ctx, subnettypes.RootNetuid, func(uid uint32, row weightstypes.WeightRow) (bool, error) {
		if int(uid) < members {
			in[uid].Weights = sparseEntries(row.Uids, row.Weights, func(netuid uint32) (uint32, bool) {
				j, ok := column[netuid]
				return j, ok
			})
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("read root weights: %w", err)
	}
	last, err := k.lastEpoch(ctx, subnettypes.RootNetuid)
	if err != nil {
		return err
	}
	p := yumaParams(root.Hyperparameters)
	p.MaxAllowedValidators = u16(params.MaxRootMembers)
	out, err := yuma.Epoch(yuma.Input{Block: height, LastEpochBlock: last, Params: p, Neurons: in})
	if err != nil {
		return fmt.Errorf("root yuma epoch: %w", err)
	}
	for i := range neurons {
		scores := scoresFrom(out.Neurons[i], math.ZeroInt())
		if !scores.Equal(&neurons[i].neuron.Scores) {
			if err := k.subnets.SetNeuronScores(ctx, subnettypes.RootNetuid, uint32(i), scores); err != nil {
				return fmt.Errorf("write scores of root uid %d: %w", i, err)
			}
		}
	}
	if err := k.LastEpoch.Set(ctx, subnettypes.RootNetuid, int64(height)); err != nil {
		return fmt.Errorf("write last root epoch: %w", err)
	}
	emit(ctx, types.EventTypeRootEpoch,
		types.AttributeKeyHeight, strconv.FormatUint(height, 10),
		types.AttributeKeySubnets, strconv.Itoa(len(subnets)))
	return nil
}
