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

// The methods in this file are what x/emission needs from x/subnet beyond the queries other modules
// share: walking subnets, neurons and nominators in store order, seating hotkeys on the root subnet
// and crediting epoch payouts as stake.

// IterateSubnets calls fn for every subnet in netuid order until fn stops.
func (k *Keeper) IterateSubnets(ctx context.Context, fn func(types.Subnet) (bool, error)) error {
	err := k.Subnets.Walk(ctx, nil, func(_ uint32, s types.Subnet) (bool, error) { return fn(s) })
	if err != nil {
		return fmt.Errorf("iterate subnets: %w", err)
	}
	return nil
}

// IterateNeurons calls fn for every neuron of netuid in UID order until fn stops.
func (k *Keeper) IterateNeurons(ctx context.Context, netuid uint32, fn func(types.Neuron) (bool, error)) error {
	err := k.Neurons.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid),
		func(_ collections.Pair[uint32, uint32], n types.Neuron) (bool, error) { return fn(n) })
	if err != nil {
		return fmt.Errorf("iterate neurons of netuid %d: %w", netuid, err)
	}
	return nil
}

// HotkeyOwner returns the coldkey that owns hotkey, and false when nobody registered it.
func (k *Keeper) HotkeyOwner(ctx context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error) {
	owner, err := k.HotkeyOwners.Get(ctx, hotkey)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read hotkey owner: %w", err)
	}
	return owner, true, nil
}

// IterateNominators calls fn for every coldkey with stake behind hotkey, in address order, until fn
// stops.
func (k *Keeper) IterateNominators(ctx context.Context, hotkey sdk.AccAddress, fn func(coldkey sdk.AccAddress, amount math.Int) (bool, error)) error {
	err := k.Stakes.Walk(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](hotkey),
		func(key collections.Pair[sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
			return fn(key.K2(), amount)
		})
	if err != nil {
		return fmt.Errorf("iterate stake behind %s: %w", k.addrString(hotkey), err)
	}
	return nil
}

// RegisterRootNeuron seats hotkey on the root subnet (netuid 0) without a burn: in the next free UID
// when replaceUID is nil, otherwise in place of the neuron at *replaceUID. Who may join and whom to
// replace is x/emission's rule (the root subnet admits the largest stakes); this method only keeps
// x/subnet's records and indexes consistent and announces the replacement through the hooks. A root
// member holds a validator permit from the moment it joins: membership is the permit.
func (k *Keeper) RegisterRootNeuron(ctx context.Context, hotkey sdk.AccAddress, replaceUID *uint32) (uint32, error) {
	root, err := k.GetSubnet(ctx, types.RootNetuid)
	if err != nil {
		return 0, err
	}
	coldkey, ok, err := k.HotkeyOwner(ctx, hotkey)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errorsmod.Wrapf(types.ErrUnknownHotkey, "%s", k.addrString(hotkey))
	}
	if has, err := k.UIDs.Has(ctx, collections.Join(types.RootNetuid, hotkey)); err != nil {
		return 0, fmt.Errorf("read uid index: %w", err)
	} else if has {
		return 0, errorsmod.Wrapf(types.ErrHotkeyAlreadyRegistered, "netuid %d", types.RootNetuid)
	}
	var replaced *types.Neuron
	uid := root.NeuronCount
	if replaceUID != nil {
		old, err := k.GetNeuron(ctx, types.RootNetuid, *replaceUID)
		if err != nil {
			return 0, err
		}
		oldHotkey, err := k.addr("stored hotkey", old.Hotkey)
		if err != nil {
			return 0, err
		}
		if err := k.UIDs.Remove(ctx, collections.Join(types.RootNetuid, oldHotkey)); err != nil {
			return 0, fmt.Errorf("drop uid index: %w", err)
		}
		replaced, uid = &old, old.Uid
	} else {
		root.NeuronCount++
	}
	height := blockHeight(ctx)
	hotkeyStr, coldkeyStr := k.addrString(hotkey), k.addrString(coldkey)
	neuron := types.Neuron{
		Netuid:       types.RootNetuid,
		Uid:          uid,
		Hotkey:       hotkeyStr,
		Coldkey:      coldkeyStr,
		RegisteredAt: height,
		LastUpdate:   height,
		Scores:       types.NeuronScores{Emission: math.ZeroInt(), ValidatorPermit: true},
	}
	if err := k.writeRegistration(ctx, root, replaced, neuron, hotkey, coldkey, false); err != nil {
		return 0, err
	}
	netuidStr, uidStr := strconv.FormatUint(uint64(types.RootNetuid), 10), strconv.FormatUint(uint64(uid), 10)
	emit(ctx, types.EventTypeRegisterNeuron,
		types.AttributeKeyNetuid, netuidStr, types.AttributeKeyUID, uidStr,
		types.AttributeKeyHotkey, hotkeyStr, types.AttributeKeyColdkey, coldkeyStr,
		types.AttributeKeyBurn, "0")
	if replaced != nil {
		emit(ctx, types.EventTypeReplaceNeuron,
			types.AttributeKeyNetuid, netuidStr, types.AttributeKeyUID, uidStr,
			types.AttributeKeyOldHotkey, replaced.Hotkey, types.AttributeKeyHotkey, hotkeyStr)
		if k.hooks != nil {
			if err := k.hooks.AfterNeuronReplaced(ctx, types.RootNetuid, uid, replaced.Hotkey, hotkeyStr); err != nil {
				return 0, fmt.Errorf("after neuron replaced hook: %w", err)
			}
		}
	}
	return uid, nil
}

// InjectEmission records a block's emission for a subnet's pool: mind umind (which the caller has
// already moved into the lock pool account) enters the pool with alpha alongside at the pool's price,
// rounded down, so the price stays where it was; alphaOut is the alpha the block accrues to the
// subnet's epoch, counted in alpha_emitted for its halving.
func (k *Keeper) InjectEmission(ctx context.Context, netuid uint32, mind, alphaOut math.Int) error {
	pool, err := k.GetPool(ctx, netuid)
	if err != nil {
		return err
	}
	if mind.IsPositive() {
		alphaIn := math.ZeroInt()
		if price := pool.Price(); price.IsPositive() {
			alphaIn = math.LegacyNewDecFromInt(mind).Quo(price).TruncateInt()
		} else {
			// An empty pool (a subnet created with no lock) opens at price 1.
			alphaIn = mind
		}
		pool = pool.Inject(mind, alphaIn)
	}
	if pool.AlphaEmitted.IsNil() {
		pool.AlphaEmitted = math.ZeroInt()
	}
	pool.AlphaEmitted = pool.AlphaEmitted.Add(alphaOut)
	return k.setPool(ctx, pool)
}

// CreditAlpha adds each credit to the alpha its coldkey holds behind its hotkey on netuid, as new alpha
// paid by the subnet's epoch, and counts it in the pool's alpha_outstanding. Hotkeys need no owner:
// the owner's cut is held behind the owner's own address.
func (k *Keeper) CreditAlpha(ctx context.Context, netuid uint32, credits []types.StakeCredit) error {
	pool, err := k.GetPool(ctx, netuid)
	if err != nil {
		return err
	}
	for _, c := range credits {
		if c.Amount.IsNil() || c.Amount.IsNegative() {
			return errorsmod.Wrapf(types.ErrInvalidAmount, "alpha credit of %s", c.Amount)
		}
		if c.Amount.IsZero() {
			continue
		}
		if err := k.changeAlpha(ctx, netuid, c.Hotkey, c.Coldkey, c.Amount); err != nil {
			return err
		}
		pool.AlphaOutstanding = pool.AlphaOutstanding.Add(c.Amount)
	}
	return k.setPool(ctx, pool)
}
