package keeper

import (
	"context"
	"fmt"
	"strconv"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// The messages that move stake through the subnets' pools. Root (netuid 0) keeps plain umind stake in
// the stake pool account (AddStake, RemoveStake); every other subnet's stake is alpha bought from and
// sold to its pool, whose umind lives in the lock pool account. Each function checks everything before
// it moves a coin or writes a record, so a refusal changes nothing.

// StakeInto stakes amount umind from coldkey behind hotkey on netuid: root stake on netuid 0, otherwise
// the alpha amount buys from the subnet's pool, refused if the price after the buy would exceed limit.
// It returns what was staked: umind on root, alpha elsewhere.
func (k *Keeper) StakeInto(ctx context.Context, coldkey, hotkey sdk.AccAddress, netuid uint32, amount math.Int, limit *math.LegacyDec) (math.Int, error) {
	if netuid == types.RootNetuid {
		if err := k.AddStake(ctx, coldkey, hotkey, amount); err != nil {
			return math.Int{}, err
		}
		return amount, nil
	}
	if err := k.requireHotkey(ctx, hotkey); err != nil {
		return math.Int{}, err
	}
	pool, err := k.GetPool(ctx, netuid)
	if err != nil {
		return math.Int{}, err
	}
	res, err := k.planBuy(ctx, pool, amount, limit)
	if err != nil {
		return math.Int{}, err
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, coldkey, types.LockPoolName, k.coins(amount)); err != nil {
		return math.Int{}, errorsmod.Wrapf(types.ErrInsufficientFundsForStake, "stake %s%s: %v", amount, k.denom, err)
	}
	if err := k.applySwap(ctx, "buy", hotkey, coldkey, amount, res.Out, res); err != nil {
		return math.Int{}, err
	}
	return res.Out, nil
}

// UnstakeFrom returns amount of coldkey's stake behind hotkey on netuid to coldkey as umind: root stake
// as it is, alpha sold to the subnet's pool, refused if the price after the sale would fall below limit.
// It returns the umind returned.
func (k *Keeper) UnstakeFrom(ctx context.Context, coldkey, hotkey sdk.AccAddress, netuid uint32, amount math.Int, limit *math.LegacyDec) (math.Int, error) {
	if netuid == types.RootNetuid {
		if err := k.RemoveStake(ctx, coldkey, hotkey, amount); err != nil {
			return math.Int{}, err
		}
		return amount, nil
	}
	pool, err := k.GetPool(ctx, netuid)
	if err != nil {
		return math.Int{}, err
	}
	res, err := k.planSell(ctx, pool, hotkey, coldkey, amount, limit)
	if err != nil {
		return math.Int{}, err
	}
	if err := k.applySwap(ctx, "sell", hotkey, coldkey, amount, amount.Neg(), res); err != nil {
		return math.Int{}, err
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.LockPoolName, coldkey, k.coins(res.Out)); err != nil {
		return math.Int{}, fmt.Errorf("pay out sold alpha: %w", err)
	}
	return res.Out, nil
}

// MoveStake moves amount of coldkey's stake from behind origin hotkey on originNetuid to behind the
// destination hotkey on destNetuid. On one subnet nothing is swapped; between subnets the origin stake
// is sold for umind (unless it is root stake) and the umind buys the destination stake (unless it is
// root), each swap paying the fee. limit, when set, is the fewest destination units per origin unit.
// It returns what arrived.
func (k *Keeper) MoveStake(ctx context.Context, coldkey, origin sdk.AccAddress, originNetuid uint32, dest sdk.AccAddress, destNetuid uint32, amount math.Int, limit *math.LegacyDec) (math.Int, error) {
	if !amount.IsPositive() {
		return math.Int{}, errorsmod.Wrapf(types.ErrInvalidAmount, "got %s", amount)
	}
	if originNetuid == destNetuid && origin.Equals(dest) {
		return math.Int{}, types.ErrSameStake
	}
	if err := k.requireHotkey(ctx, dest); err != nil {
		return math.Int{}, err
	}
	moved, err := k.planMove(ctx, coldkey, origin, originNetuid, dest, destNetuid, amount, limit)
	if err != nil {
		return math.Int{}, err
	}
	if err := moved.apply(ctx, k); err != nil {
		return math.Int{}, err
	}
	emit(ctx, types.EventTypeMoveStake,
		types.AttributeKeyColdkey, k.addrString(coldkey),
		types.AttributeKeyOldHotkey, k.addrString(origin),
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(originNetuid), 10),
		types.AttributeKeyHotkey, k.addrString(dest),
		types.AttributeKeyDestination, strconv.FormatUint(uint64(destNetuid), 10),
		types.AttributeKeyAmount, amount.String(),
		types.AttributeKeyAmountOut, moved.out.String())
	return moved.out, nil
}

// stakeMove is a planned MoveStake: every check done, nothing written.
type stakeMove struct {
	coldkey, origin, dest    sdk.AccAddress
	originNetuid, destNetuid uint32
	amount, out              math.Int
	// sell and buy are the planned swaps, nil where that side is root or the move stays on one subnet.
	sell, buy *types.SwapResult
	mind      math.Int // umind between the two sides
}

func (k *Keeper) planMove(ctx context.Context, coldkey, origin sdk.AccAddress, originNetuid uint32, dest sdk.AccAddress, destNetuid uint32, amount math.Int, limit *math.LegacyDec) (stakeMove, error) {
	m := stakeMove{coldkey: coldkey, origin: origin, dest: dest, originNetuid: originNetuid, destNetuid: destNetuid, amount: amount}
	if originNetuid == types.RootNetuid {
		held, err := k.StakeOf(ctx, origin, coldkey)
		if err != nil {
			return m, err
		}
		if held.LT(amount) {
			return m, errorsmod.Wrapf(types.ErrInsufficientStake, "staked %s, asked %s", held, amount)
		}
		m.mind = amount
	} else {
		pool, err := k.GetPool(ctx, originNetuid)
		if err != nil {
			return m, err
		}
		if originNetuid == destNetuid {
			held, err := k.AlphaStakeOf(ctx, originNetuid, origin, coldkey)
			if err != nil {
				return m, err
			}
			if held.LT(amount) {
				return m, errorsmod.Wrapf(types.ErrInsufficientStake, "holds %s alpha on netuid %d, asked %s", held, originNetuid, amount)
			}
			m.out = amount
			return m, k.checkMoveLimit(m, limit)
		}
		res, err := k.planSell(ctx, pool, origin, coldkey, amount, nil)
		if err != nil {
			return m, err
		}
		m.sell, m.mind = &res, res.Out
	}
	switch {
	case destNetuid == types.RootNetuid:
		m.out = m.mind
	case originNetuid == destNetuid: // root to root
		m.out = amount
	default:
		pool, err := k.GetPool(ctx, destNetuid)
		if err != nil {
			return m, err
		}
		res, err := k.planBuy(ctx, pool, m.mind, nil)
		if err != nil {
			return m, err
		}
		m.buy, m.out = &res, res.Out
	}
	return m, k.checkMoveLimit(m, limit)
}

func (k *Keeper) checkMoveLimit(m stakeMove, limit *math.LegacyDec) error {
	if limit == nil {
		return nil
	}
	rate := math.LegacyNewDecFromInt(m.out).QuoInt(m.amount)
	if rate.LT(*limit) {
		return errorsmod.Wrapf(types.ErrPriceLimit, "the move gives %s per unit moved, limit %s", rate, *limit)
	}
	return nil
}

// apply writes a planned move and moves its umind between the stake pool and the lock pool.
func (m stakeMove) apply(ctx context.Context, k *Keeper) error {
	if m.originNetuid == m.destNetuid {
		if m.originNetuid == types.RootNetuid {
			if err := k.moveRootStake(ctx, m.coldkey, m.origin, m.dest, m.amount); err != nil {
				return err
			}
			return nil
		}
		if err := k.changeAlpha(ctx, m.originNetuid, m.origin, m.coldkey, m.amount.Neg()); err != nil {
			return err
		}
		return k.changeAlpha(ctx, m.destNetuid, m.dest, m.coldkey, m.amount)
	}
	if m.sell != nil {
		if err := k.applySwap(ctx, "sell", m.origin, m.coldkey, m.amount, m.amount.Neg(), *m.sell); err != nil {
			return err
		}
	} else if _, err := k.debitRootStake(ctx, m.coldkey, m.origin, m.amount); err != nil {
		return err
	}
	// The umind in between sits in the lock pool after a sale and in the stake pool for root stake.
	from, to := types.LockPoolName, types.LockPoolName
	if m.originNetuid == types.RootNetuid {
		from = types.ModuleName
	}
	if m.destNetuid == types.RootNetuid {
		to = types.ModuleName
	}
	if from != to && m.mind.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToModule(ctx, from, to, k.coins(m.mind)); err != nil {
			return fmt.Errorf("move %s%s between pools: %w", m.mind, k.denom, err)
		}
	}
	if m.buy != nil {
		return k.applySwap(ctx, "buy", m.dest, m.coldkey, m.mind, m.buy.Out, *m.buy)
	}
	_, err := k.creditRootStake(ctx, m.coldkey, m.dest, m.mind)
	return err
}

func (k *Keeper) requireHotkey(ctx context.Context, hotkey sdk.AccAddress) error {
	if has, err := k.HotkeyOwners.Has(ctx, hotkey); err != nil {
		return fmt.Errorf("read hotkey owner: %w", err)
	} else if !has {
		return errorsmod.Wrapf(types.ErrUnknownHotkey, "%s", k.addrString(hotkey))
	}
	return nil
}

// moveRootStake moves root stake between two hotkeys of one coldkey's; the umind stays in the stake pool.
func (k *Keeper) moveRootStake(ctx context.Context, coldkey, from, to sdk.AccAddress, amount math.Int) error {
	if _, err := k.debitRootStake(ctx, coldkey, from, amount); err != nil {
		return err
	}
	_, err := k.creditRootStake(ctx, coldkey, to, amount)
	return err
}

// debitRootStake takes amount off coldkey's root stake behind hotkey, refusing more than it holds, and
// returns the hotkey's new total. It moves no coin.
func (k *Keeper) debitRootStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) (math.Int, error) {
	stake, err := k.StakeOf(ctx, hotkey, coldkey)
	if err != nil {
		return math.Int{}, err
	}
	if stake.LT(amount) {
		return math.Int{}, errorsmod.Wrapf(types.ErrInsufficientStake, "staked %s, asked %s", stake, amount)
	}
	total, err := k.TotalStakeOf(ctx, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	return total.Sub(amount), k.writeStake(ctx, hotkey, coldkey, stake.Sub(amount), total.Sub(amount))
}

// creditRootStake adds amount to coldkey's root stake behind hotkey and returns the hotkey's new total.
// It moves no coin.
func (k *Keeper) creditRootStake(ctx context.Context, coldkey, hotkey sdk.AccAddress, amount math.Int) (math.Int, error) {
	stake, err := k.StakeOf(ctx, hotkey, coldkey)
	if err != nil {
		return math.Int{}, err
	}
	total, err := k.TotalStakeOf(ctx, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	return total.Add(amount), k.writeStake(ctx, hotkey, coldkey, stake.Add(amount), total.Add(amount))
}
