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

// StakeOf returns what coldkey has staked behind hotkey (zero when nothing).
func (k *Keeper) StakeOf(ctx context.Context, hotkey, coldkey sdk.AccAddress) (math.Int, error) {
	return intOrZero(ctx, k.Stakes, collections.Join(hotkey, coldkey))
}

// TotalStakeOf returns all stake behind hotkey, the hotkey's voice in every subnet it holds a UID in.
func (k *Keeper) TotalStakeOf(ctx context.Context, hotkey sdk.AccAddress) (math.Int, error) {
	return intOrZero(ctx, k.TotalStake, hotkey)
}

func intOrZero[K any](ctx context.Context, m collections.Map[K, math.Int], key K) (math.Int, error) {
	v, err := m.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	if err != nil {
		return math.Int{}, fmt.Errorf("read stake: %w", err)
	}
	return v, nil
}

// AddStake moves amount from coldkey into the module account as stake behind hotkey. The hotkey must
// have been registered (so that it has an owner who can set its take); any coldkey may nominate it.
func (k *Keeper) AddStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) error {
	if !amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "got %s", amount)
	}
	if has, err := k.HotkeyOwners.Has(ctx, hotkey); err != nil {
		return fmt.Errorf("read hotkey owner: %w", err)
	} else if !has {
		return errorsmod.Wrapf(types.ErrUnknownHotkey, "%s", k.addrString(hotkey))
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, coldkey, types.ModuleName, k.coins(amount)); err != nil {
		return errorsmod.Wrapf(types.ErrInsufficientFundsForStake, "stake %s%s: %v", amount, k.denom, err)
	}
	total, err := k.creditRootStake(ctx, coldkey, hotkey, amount)
	if err != nil {
		return err
	}
	k.emitStake(ctx, types.EventTypeAddStake, hotkey, coldkey, amount, total)
	return nil
}

// RemoveStake returns amount of coldkey's stake behind hotkey to coldkey, in the same block.
func (k *Keeper) RemoveStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) error {
	if !amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "got %s", amount)
	}
	// debitRootStake checks the holding before it writes; the coins follow, from the stake pool that
	// holds exactly the records.
	total, err := k.debitRootStake(ctx, coldkey, hotkey, amount)
	if err != nil {
		return err
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, coldkey, k.coins(amount)); err != nil {
		return fmt.Errorf("return stake to coldkey: %w", err)
	}
	k.emitStake(ctx, types.EventTypeRemoveStake, hotkey, coldkey, amount, total)
	return nil
}

// writeStake stores one stake record and its hotkey's total, dropping records that reach zero so that
// the store holds only live stake.
func (k *Keeper) writeStake(ctx context.Context, hotkey, coldkey sdk.AccAddress, stake, total math.Int) error {
	key := collections.Join(hotkey, coldkey)
	if stake.IsZero() {
		if err := k.Stakes.Remove(ctx, key); err != nil {
			return fmt.Errorf("drop stake: %w", err)
		}
		if err := k.StakesByColdkey.Remove(ctx, collections.Join(coldkey, hotkey)); err != nil {
			return fmt.Errorf("drop stake index: %w", err)
		}
	} else {
		if err := k.Stakes.Set(ctx, key, stake); err != nil {
			return fmt.Errorf("write stake: %w", err)
		}
		if err := k.StakesByColdkey.Set(ctx, collections.Join(coldkey, hotkey)); err != nil {
			return fmt.Errorf("write stake index: %w", err)
		}
	}
	if total.IsZero() {
		if err := k.TotalStake.Remove(ctx, hotkey); err != nil {
			return fmt.Errorf("drop total stake: %w", err)
		}
		return nil
	}
	if err := k.TotalStake.Set(ctx, hotkey, total); err != nil {
		return fmt.Errorf("write total stake: %w", err)
	}
	return nil
}

func (k *Keeper) emitStake(ctx context.Context, eventType string, hotkey, coldkey sdk.AccAddress, amount, total math.Int) {
	emit(ctx, eventType,
		types.AttributeKeyHotkey, k.addrString(hotkey),
		types.AttributeKeyColdkey, k.addrString(coldkey),
		types.AttributeKeyAmount, amount.String(),
		types.AttributeKeyTotal, total.String())
}

// DelegateTake returns hotkey's take in basis points: the one it set, or the default.
func (k *Keeper) DelegateTake(ctx context.Context, hotkey sdk.AccAddress) (uint32, error) {
	take, err := k.DelegateTakes.Get(ctx, hotkey)
	if err == nil {
		return take, nil
	}
	if !errors.Is(err, collections.ErrNotFound) {
		return 0, fmt.Errorf("read delegate take: %w", err)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, fmt.Errorf("read params: %w", err)
	}
	return params.DefaultDelegateTake, nil
}

// SetDelegateTake sets the share of dividends hotkey keeps before paying its nominators, within the
// governance bounds.
func (k *Keeper) SetDelegateTake(ctx context.Context, hotkey sdk.AccAddress, take uint32) error {
	if has, err := k.HotkeyOwners.Has(ctx, hotkey); err != nil {
		return fmt.Errorf("read hotkey owner: %w", err)
	} else if !has {
		return errorsmod.Wrapf(types.ErrUnknownHotkey, "%s", k.addrString(hotkey))
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("read params: %w", err)
	}
	if take < params.MinDelegateTake || take > params.MaxDelegateTake {
		return errorsmod.Wrapf(types.ErrTakeOutOfBounds, "%d basis points, allowed [%d, %d]", take, params.MinDelegateTake, params.MaxDelegateTake)
	}
	if err := k.DelegateTakes.Set(ctx, hotkey, take); err != nil {
		return fmt.Errorf("write delegate take: %w", err)
	}
	emit(ctx, types.EventTypeSetDelegateTake,
		types.AttributeKeyHotkey, k.addrString(hotkey),
		types.AttributeKeyTake, strconv.FormatUint(uint64(take), 10))
	return nil
}
