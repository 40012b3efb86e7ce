package keeper

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// GetSubnet returns the subnet netuid, or ErrUnknownSubnet.
func (k *Keeper) GetSubnet(ctx context.Context, netuid uint32) (types.Subnet, error) {
	s, err := k.Subnets.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Subnet{}, errorsmod.Wrapf(types.ErrUnknownSubnet, "netuid %d", netuid)
	}
	if err != nil {
		return types.Subnet{}, fmt.Errorf("read subnet %d: %w", netuid, err)
	}
	return s, nil
}

// SubnetCreationCost is what creating a subnet locks at the current height: after each creation the
// cost jumps to twice the last lock, then falls linearly over subnet_lock_reduction_interval blocks back
// to min_subnet_lock (subtensor's lock-cost rule, with the decay expressed as a share of the interval).
func (k *Keeper) SubnetCreationCost(ctx context.Context) (math.Int, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, fmt.Errorf("read params: %w", err)
	}
	state, err := k.LockState.Get(ctx)
	if err != nil {
		return math.Int{}, fmt.Errorf("read lock state: %w", err)
	}
	return creationCost(state, params.MinSubnetLock, params.SubnetLockReductionInterval, blockHeight(ctx)), nil
}

func creationCost(state types.SubnetLockState, floor math.Int, interval uint64, height int64) math.Int {
	peak := state.LastLock.MulRaw(2)
	if peak.LTE(floor) {
		return floor
	}
	elapsed := height - state.LastLockBlock
	if elapsed < 0 {
		elapsed = 0
	}
	if uint64(elapsed) >= interval {
		return floor
	}
	decay := peak.Sub(floor).Mul(math.NewInt(elapsed)).Quo(math.NewIntFromUint64(interval))
	return peak.Sub(decay)
}

// CreateSubnet locks the creation cost from owner into the lock pool and opens the lowest free netuid
// with the default hyperparameters, serving model, or params.default_model when model is nil.
func (k *Keeper) CreateSubnet(ctx context.Context, owner sdk.AccAddress, name string, model *types.SubnetModel) (uint32, math.Int, error) {
	if err := types.CheckSubnetName(name); err != nil {
		return 0, math.Int{}, err
	}
	if model != nil {
		if err := model.Validate(); err != nil {
			return 0, math.Int{}, err
		}
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, math.Int{}, fmt.Errorf("read params: %w", err)
	}
	served := params.DefaultModel
	if model != nil {
		served = *model
	}
	netuid, free, err := k.freeNetuid(ctx, params.MaxSubnets)
	if err != nil {
		return 0, math.Int{}, err
	}
	var replaced *types.Subnet
	if !free {
		if replaced, err = k.subnetToReplace(ctx, params); err != nil {
			return 0, math.Int{}, err
		}
		netuid = replaced.Netuid
	}
	cost, err := k.SubnetCreationCost(ctx)
	if err != nil {
		return 0, math.Int{}, err
	}
	if cost.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, owner, types.LockPoolName, k.coins(cost)); err != nil {
			return 0, math.Int{}, errorsmod.Wrapf(types.ErrInsufficientFundsForLock, "lock %s%s: %v", cost, k.denom, err)
		}
	}
	if replaced != nil {
		if err := k.dissolveSubnet(ctx, *replaced); err != nil {
			return 0, math.Int{}, err
		}
	}
	height := blockHeight(ctx)
	subnet := newSubnet(netuid, k.addrString(owner), name, cost, height, params.DefaultHyperparameters)
	subnet.Model = served
	if err := k.Subnets.Set(ctx, netuid, subnet); err != nil {
		return 0, math.Int{}, fmt.Errorf("write subnet %d: %w", netuid, err)
	}
	// The lock seeds the subnet's pool at price 1: it stays in the lock pool account as the pool's umind.
	if err := k.setPool(ctx, types.NewPool(netuid, cost)); err != nil {
		return 0, math.Int{}, err
	}
	if err := k.LockState.Set(ctx, types.SubnetLockState{LastLock: cost, LastLockBlock: height}); err != nil {
		return 0, math.Int{}, fmt.Errorf("write lock state: %w", err)
	}
	emit(ctx, types.EventTypeCreateSubnet,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyOwner, subnet.Owner,
		types.AttributeKeyName, name,
		types.AttributeKeyLock, cost.String(),
		types.AttributeKeyModelName, served.Name,
		types.AttributeKeyModelDigest, served.Digest)
	return netuid, cost, nil
}

func newSubnet(netuid uint32, owner, name string, lock math.Int, height int64, h types.Hyperparameters) types.Subnet {
	return types.Subnet{
		Netuid:              netuid,
		Owner:               owner,
		Name:                name,
		Lock:                lock,
		RegisteredAt:        height,
		Hyperparameters:     h,
		Burn:                h.MinBurn,
		LastAdjustmentBlock: height,
	}
}

// freeNetuid returns the lowest netuid in [1, maxSubnets) that no subnet holds, and false when all are
// taken. Netuids are walked in store order, so the answer depends on nothing but state.
func (k *Keeper) freeNetuid(ctx context.Context, maxSubnets uint32) (uint32, bool, error) {
	next := types.RootNetuid + 1
	iter, err := k.Subnets.Iterate(ctx, new(collections.Range[uint32]).StartInclusive(next))
	if err != nil {
		return 0, false, fmt.Errorf("iterate subnets: %w", err)
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		netuid, err := iter.Key()
		if err != nil {
			return 0, false, fmt.Errorf("iterate subnets: %w", err)
		}
		if netuid != next {
			break
		}
		next++
	}
	return next, next < maxSubnets, nil
}

// subnetToReplace picks, when max_subnets is reached, the subnet past subnet_immunity_period with the
// lowest emission share; ties go to the oldest, then to the lowest netuid. The root subnet is never
// replaced.
func (k *Keeper) subnetToReplace(ctx context.Context, params types.Params) (*types.Subnet, error) {
	height := blockHeight(ctx)
	var best *types.Subnet
	err := k.Subnets.Walk(ctx, new(collections.Range[uint32]).StartExclusive(types.RootNetuid), func(_ uint32, s types.Subnet) (bool, error) {
		if height-s.RegisteredAt < int64(params.SubnetImmunityPeriod) {
			return false, nil
		}
		if best == nil || s.EmissionShare < best.EmissionShare ||
			(s.EmissionShare == best.EmissionShare && s.RegisteredAt < best.RegisteredAt) {
			best = &s
		}
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("iterate subnets: %w", err)
	}
	if best == nil {
		return nil, errorsmod.Wrapf(types.ErrMaxSubnets, "max_subnets is %d, subnet_immunity_period %d blocks", params.MaxSubnets, params.SubnetImmunityPeriod)
	}
	return best, nil
}

// dissolveSubnet pays out the subnet's pool (each alpha position its share of the pool's umind, the
// owner the rest, which holds the lock) and deletes the subnet with every neuron on it, so that its
// netuid can be reused. Hotkeys keep their owners and their root stake.
func (k *Keeper) dissolveSubnet(ctx context.Context, s types.Subnet) error {
	owner, err := k.addr("subnet owner", s.Owner)
	if err != nil {
		return err
	}
	if _, err := k.unwindPool(ctx, s, owner); err != nil {
		return err
	}
	var neurons []types.Neuron
	err = k.Neurons.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](s.Netuid), func(_ collections.Pair[uint32, uint32], n types.Neuron) (bool, error) {
		neurons = append(neurons, n)
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("list neurons of subnet %d: %w", s.Netuid, err)
	}
	for _, n := range neurons {
		hotkey, err := k.addr("stored hotkey", n.Hotkey)
		if err != nil {
			return err
		}
		if err := k.Neurons.Remove(ctx, collections.Join(n.Netuid, n.Uid)); err != nil {
			return fmt.Errorf("drop neuron: %w", err)
		}
		if err := k.UIDs.Remove(ctx, collections.Join(n.Netuid, hotkey)); err != nil {
			return fmt.Errorf("drop uid index: %w", err)
		}
		if err := k.PruneOrder.Remove(ctx, pruneKey(n)); err != nil {
			return fmt.Errorf("drop prune index: %w", err)
		}
	}
	if err := k.PendingModels.Remove(ctx, s.Netuid); err != nil {
		return fmt.Errorf("drop pending model of subnet %d: %w", s.Netuid, err)
	}
	if err := k.Subnets.Remove(ctx, s.Netuid); err != nil {
		return fmt.Errorf("drop subnet %d: %w", s.Netuid, err)
	}
	emit(ctx, types.EventTypeDissolveSubnet,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(s.Netuid), 10),
		types.AttributeKeyOwner, s.Owner,
		types.AttributeKeyLock, s.Lock.String())
	if k.hooks != nil {
		if err := k.hooks.AfterSubnetDissolved(ctx, s.Netuid); err != nil {
			return fmt.Errorf("after subnet dissolved hook: %w", err)
		}
	}
	return nil
}

// SetSubnetEmissionShare records a subnet's share of emission; x/emission calls it after the root epoch.
func (k *Keeper) SetSubnetEmissionShare(ctx context.Context, netuid, share uint32) error {
	s, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	s.EmissionShare = share
	return k.Subnets.Set(ctx, netuid, s)
}

// TransferSubnetOwnership hands netuid from owner to newOwner. The root subnet belongs to governance.
func (k *Keeper) TransferSubnetOwnership(ctx context.Context, owner string, netuid uint32, newOwner string) error {
	if _, err := k.addr("new_owner", newOwner); err != nil {
		return err
	}
	if netuid == types.RootNetuid {
		return errorsmod.Wrap(types.ErrRootSubnet, "its owner cannot change")
	}
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	if subnet.Owner != owner {
		return errorsmod.Wrapf(types.ErrNotSubnetOwner, "subnet %d is owned by %s", netuid, subnet.Owner)
	}
	subnet.Owner = newOwner
	if err := k.Subnets.Set(ctx, netuid, subnet); err != nil {
		return fmt.Errorf("write subnet %d: %w", netuid, err)
	}
	emit(ctx, types.EventTypeTransferSubnetOwnership,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyOwner, owner,
		types.AttributeKeyNewOwner, newOwner)
	return nil
}

// createRootSubnet opens netuid 0, owned by the authority, with nothing locked and no model: the root
// subnet's work is setting the other subnets' shares.
func (k *Keeper) createRootSubnet(ctx context.Context, params types.Params) error {
	root := newSubnet(types.RootNetuid, k.authority, "root", math.ZeroInt(), blockHeight(ctx), params.DefaultHyperparameters)
	return k.Subnets.Set(ctx, types.RootNetuid, root)
}
