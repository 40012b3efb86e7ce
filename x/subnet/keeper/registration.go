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

// advanceBurn applies every burn adjustment due by height. Each adjustment_interval the burn is scaled
// by (registrations + target) / (2 * target), as subtensor does, and kept within [min_burn, max_burn].
// Adjustments are applied when the subnet is next read rather than in a block hook, so idle subnets cost
// nothing; the loop stops as soon as an empty interval leaves the burn unchanged, and an empty interval
// halves it, so it runs at most a few hundred times however long the subnet slept.
func advanceBurn(s *types.Subnet, height int64) bool {
	h := s.Hyperparameters
	interval := int64(h.AdjustmentInterval)
	if interval <= 0 || h.TargetRegistrationsPerInterval == 0 {
		return false
	}
	changed := false
	target := math.NewIntFromUint64(uint64(h.TargetRegistrationsPerInterval))
	for height >= s.LastAdjustmentBlock+interval {
		regs := math.NewIntFromUint64(uint64(s.RegistrationsThisInterval))
		next := clampBurn(s.Burn.Mul(regs.Add(target)).Quo(target.MulRaw(2)), h)
		s.LastAdjustmentBlock += interval
		s.RegistrationsThisInterval = 0
		if next.Equal(s.Burn) && regs.IsZero() {
			s.LastAdjustmentBlock += (height - s.LastAdjustmentBlock) / interval * interval
			break
		}
		s.Burn = next
		changed = true
	}
	return changed
}

func clampBurn(burn math.Int, h types.Hyperparameters) math.Int {
	if burn.LT(h.MinBurn) {
		return h.MinBurn
	}
	if burn.GT(h.MaxBurn) {
		return h.MaxBurn
	}
	return burn
}

// RegistrationCost is what registering on netuid burns at the current height.
func (k *Keeper) RegistrationCost(ctx context.Context, netuid uint32) (math.Int, error) {
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return math.Int{}, err
	}
	advanceBurn(&subnet, blockHeight(ctx))
	return subnet.Burn, nil
}

// RegisterNeuron burns the registration cost from coldkey and gives hotkey a UID on netuid: the next
// free one, or when the subnet is full the UID of the non-immune neuron with the lowest pruning score
// (ties: the oldest registration, then the lowest UID). A hotkey belongs to the first coldkey that
// registers it and holds at most one UID per subnet.
//
// The root subnet is refused: its seats go to the largest stakes through x/emission's MsgRootRegister
// (RegisterRootNeuron), and a burn must not buy one.
func (k *Keeper) RegisterNeuron(ctx context.Context, coldkey, hotkey sdk.AccAddress, netuid uint32) (uint32, math.Int, error) {
	if netuid == types.RootNetuid {
		return 0, math.Int{}, errorsmod.Wrap(types.ErrRootSubnet, "no registration by burn on netuid 0: join root with `mindnetd tx emission root-register HOTKEY`")
	}
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return 0, math.Int{}, err
	}
	owner, err := k.HotkeyOwners.Get(ctx, hotkey)
	switch {
	case errors.Is(err, collections.ErrNotFound):
		owner = nil
	case err != nil:
		return 0, math.Int{}, fmt.Errorf("read hotkey owner: %w", err)
	case !owner.Equals(coldkey):
		return 0, math.Int{}, errorsmod.Wrapf(types.ErrHotkeyOwnedByOtherColdkey, "hotkey %s belongs to %s", k.addrString(hotkey), k.addrString(owner))
	}
	if has, err := k.UIDs.Has(ctx, collections.Join(netuid, hotkey)); err != nil {
		return 0, math.Int{}, fmt.Errorf("read uid index: %w", err)
	} else if has {
		return 0, math.Int{}, errorsmod.Wrapf(types.ErrHotkeyAlreadyRegistered, "netuid %d", netuid)
	}

	height := blockHeight(ctx)
	burnChanged := advanceBurn(&subnet, height)
	if subnet.LastRegistrationBlock != height {
		subnet.LastRegistrationBlock, subnet.RegistrationsThisBlock = height, 0
	}
	if subnet.RegistrationsThisBlock >= subnet.Hyperparameters.MaxRegistrationsPerBlock {
		return 0, math.Int{}, errorsmod.Wrapf(types.ErrTooManyRegistrationsInBlock, "netuid %d allows %d", netuid, subnet.Hyperparameters.MaxRegistrationsPerBlock)
	}

	uid, replaced, err := k.pickUID(ctx, subnet, height)
	if err != nil {
		return 0, math.Int{}, err
	}

	burn := subnet.Burn
	if burn.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, coldkey, types.ModuleName, k.coins(burn)); err != nil {
			return 0, math.Int{}, errorsmod.Wrapf(types.ErrInsufficientFundsForBurn, "burn %s%s: %v", burn, k.denom, err)
		}
		if err := k.bank.BurnCoins(ctx, types.ModuleName, k.coins(burn)); err != nil {
			return 0, math.Int{}, fmt.Errorf("burn registration cost: %w", err)
		}
	}

	hotkeyStr, coldkeyStr := k.addrString(hotkey), k.addrString(coldkey)
	if replaced != nil {
		old, err := k.addr("stored hotkey", replaced.Hotkey)
		if err != nil {
			return 0, math.Int{}, err
		}
		if err := k.UIDs.Remove(ctx, collections.Join(netuid, old)); err != nil {
			return 0, math.Int{}, fmt.Errorf("drop uid index: %w", err)
		}
	} else {
		subnet.NeuronCount++
	}
	neuron := types.Neuron{
		Netuid:       netuid,
		Uid:          uid,
		Hotkey:       hotkeyStr,
		Coldkey:      coldkeyStr,
		RegisteredAt: height,
		LastUpdate:   height,
		Scores:       types.NeuronScores{Emission: math.ZeroInt()},
	}
	subnet.RegistrationsThisBlock++
	subnet.RegistrationsThisInterval++
	if err := k.writeRegistration(ctx, subnet, replaced, neuron, hotkey, coldkey, owner == nil); err != nil {
		return 0, math.Int{}, err
	}

	netuidStr, uidStr := strconv.FormatUint(uint64(netuid), 10), strconv.FormatUint(uint64(uid), 10)
	if burnChanged {
		emit(ctx, types.EventTypeBurnAdjusted, types.AttributeKeyNetuid, netuidStr, types.AttributeKeyBurn, burn.String())
	}
	emit(ctx, types.EventTypeRegisterNeuron,
		types.AttributeKeyNetuid, netuidStr, types.AttributeKeyUID, uidStr,
		types.AttributeKeyHotkey, hotkeyStr, types.AttributeKeyColdkey, coldkeyStr,
		types.AttributeKeyBurn, burn.String())
	if replaced != nil {
		emit(ctx, types.EventTypeReplaceNeuron,
			types.AttributeKeyNetuid, netuidStr, types.AttributeKeyUID, uidStr,
			types.AttributeKeyOldHotkey, replaced.Hotkey, types.AttributeKeyHotkey, hotkeyStr)
		if k.hooks != nil {
			if err := k.hooks.AfterNeuronReplaced(ctx, netuid, uid, replaced.Hotkey, hotkeyStr); err != nil {
				return 0, math.Int{}, fmt.Errorf("after neuron replaced hook: %w", err)
			}
		}
	}
	return uid, burn, nil
}

func (k *Keeper) writeRegistration(ctx context.Context, subnet types.Subnet, replaced *types.Neuron, n types.Neuron, hotkey, coldkey sdk.AccAddress, newOwner bool) error {
	if err := k.setNeuron(ctx, replaced, n); err != nil {
		return err
	}
	if err := k.UIDs.Set(ctx, collections.Join(n.Netuid, hotkey), n.Uid); err != nil {
		return fmt.Errorf("write uid index: %w", err)
	}
	if newOwner {
		if err := k.HotkeyOwners.Set(ctx, hotkey, coldkey); err != nil {
			return fmt.Errorf("write hotkey owner: %w", err)
		}
	}
	if err := k.Subnets.Set(ctx, subnet.Netuid, subnet); err != nil {
		return fmt.Errorf("write subnet %d: %w", subnet.Netuid, err)
	}
	return nil
}

// pickUID returns the next free UID, or when the subnet is full the neuron to replace.
func (k *Keeper) pickUID(ctx context.Context, subnet types.Subnet, height int64) (uint32, *types.Neuron, error) {
	if subnet.NeuronCount < subnet.Hyperparameters.MaxAllowedUids {
		return subnet.NeuronCount, nil, nil
	}
	victim, err := k.pruneTarget(ctx, subnet.Netuid, subnet.Hyperparameters.ImmunityPeriod, height)
	if err != nil {
		return 0, nil, err
	}
	return victim.Uid, victim, nil
}

// pruneTarget finds the non-immune neuron with the lowest pruning score; ties go to the oldest
// registration, then to the lowest UID. PruneOrder is sorted by exactly that rule, so the walk stops at
// the first neuron past its immunity; it only steps over neurons still immune.
func (k *Keeper) pruneTarget(ctx context.Context, netuid uint32, immunity uint64, height int64) (*types.Neuron, error) {
	iter, err := k.PruneOrder.Iterate(ctx, collections.NewPrefixedQuadRange[uint32, uint32, uint64, uint32](netuid))
	if err != nil {
		return nil, fmt.Errorf("iterate prune order: %w", err)
	}
	defer iter.Close()
	for ; iter.Valid(); iter.Next() {
		key, err := iter.Key()
		if err != nil {
			return nil, fmt.Errorf("iterate prune order: %w", err)
		}
		if isImmune(int64(key.K3()), immunity, height) {
			continue
		}
		n, err := k.GetNeuron(ctx, netuid, key.K4())
		if err != nil {
			return nil, err
		}
		return &n, nil
	}
	return nil, errorsmod.Wrapf(types.ErrSubnetFullAllImmune, "netuid %d, immunity_period %d blocks", netuid, immunity)
}

func pruneKey(n types.Neuron) collections.Quad[uint32, uint32, uint64, uint32] {
	return collections.Join4(n.Netuid, n.Scores.PruningScore, uint64(n.RegisteredAt), n.Uid)
}

// setNeuron writes a neuron and keeps PruneOrder in step; old is the record it replaces, if any.
func (k *Keeper) setNeuron(ctx context.Context, old *types.Neuron, n types.Neuron) error {
	if old != nil {
		if err := k.PruneOrder.Remove(ctx, pruneKey(*old)); err != nil {
			return fmt.Errorf("drop prune index: %w", err)
		}
	}
	if err := k.PruneOrder.Set(ctx, pruneKey(n)); err != nil {
		return fmt.Errorf("write prune index: %w", err)
	}
	if err := k.Neurons.Set(ctx, collections.Join(n.Netuid, n.Uid), n); err != nil {
		return fmt.Errorf("write neuron %d/%d: %w", n.Netuid, n.Uid, err)
	}
	return nil
}

// isImmune is subtensor's rule: a neuron cannot be pruned for immunity_period blocks after it registered.
func isImmune(registeredAt int64, immunity uint64, height int64) bool {
	return height-registeredAt < int64(immunity)
}

// GetNeuron returns the neuron at (netuid, uid), or ErrUnknownNeuron.
func (k *Keeper) GetNeuron(ctx context.Context, netuid, uid uint32) (types.Neuron, error) {
	n, err := k.Neurons.Get(ctx, collections.Join(netuid, uid))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Neuron{}, errorsmod.Wrapf(types.ErrUnknownNeuron, "netuid %d uid %d", netuid, uid)
	}
	if err != nil {
		return types.Neuron{}, fmt.Errorf("read neuron %d/%d: %w", netuid, uid, err)
	}
	return n, nil
}

// UIDOf returns the UID hotkey holds on netuid, or ErrHotkeyNotRegistered.
func (k *Keeper) UIDOf(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error) {
	uid, err := k.UIDs.Get(ctx, collections.Join(netuid, hotkey))
	if errors.Is(err, collections.ErrNotFound) {
		return 0, errorsmod.Wrapf(types.ErrHotkeyNotRegistered, "netuid %d hotkey %s", netuid, k.addrString(hotkey))
	}
	if err != nil {
		return 0, fmt.Errorf("read uid index: %w", err)
	}
	return uid, nil
}

// SetNeuronScores records the results of a neuron's epoch; x/emission calls it.
func (k *Keeper) SetNeuronScores(ctx context.Context, netuid, uid uint32, scores types.NeuronScores) error {
	if scores.Emission.IsNil() || scores.Emission.IsNegative() {
		return fmt.Errorf("neuron %d/%d: emission must be a non-negative amount", netuid, uid)
	}
	n, err := k.GetNeuron(ctx, netuid, uid)
	if err != nil {
		return err
	}
	next := n
	next.Scores = scores
	return k.setNeuron(ctx, &n, next)
}

// SetNeuronLastUpdate records the block of a neuron's latest weights; x/weights calls it.
func (k *Keeper) SetNeuronLastUpdate(ctx context.Context, netuid, uid uint32, height int64) error {
	n, err := k.GetNeuron(ctx, netuid, uid)
	if err != nil {
		return err
	}
	n.LastUpdate = height
	// The PruneOrder key does not involve last_update.
	return k.Neurons.Set(ctx, collections.Join(netuid, uid), n)
}
