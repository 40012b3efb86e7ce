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

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func authModuleAddress(name string) sdk.AccAddress { return authtypes.NewModuleAddress(name) }

// GetPool returns a subnet's pool: ErrUnknownSubnet for a netuid that does not exist, ErrNoPool for root.
func (k *Keeper) GetPool(ctx context.Context, netuid uint32) (types.Pool, error) {
	if netuid == types.RootNetuid {
		return types.Pool{}, types.ErrNoPool
	}
	p, err := k.Pools.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		if _, err := k.GetSubnet(ctx, netuid); err != nil {
			return types.Pool{}, err
		}
		return types.Pool{}, errorsmod.Wrapf(types.ErrNoPool, "netuid %d", netuid)
	}
	if err != nil {
		return types.Pool{}, fmt.Errorf("read pool of netuid %d: %w", netuid, err)
	}
	return p, nil
}

// AlphaStakeOf returns the alpha coldkey holds behind hotkey on netuid (zero when nothing).
func (k *Keeper) AlphaStakeOf(ctx context.Context, netuid uint32, hotkey, coldkey sdk.AccAddress) (math.Int, error) {
	return intOrZero(ctx, k.AlphaStakes, collections.Join3(netuid, hotkey, coldkey))
}

// AlphaTotalOf returns all alpha behind hotkey on netuid.
func (k *Keeper) AlphaTotalOf(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (math.Int, error) {
	return intOrZero(ctx, k.AlphaTotals, collections.Join(netuid, hotkey))
}

// VoiceOf is hotkey's stake as a subnet's Yuma epoch and validator permits count it: its alpha on the
// subnet plus root_weight of its root stake. On root itself it is the root stake.
func (k *Keeper) VoiceOf(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (math.Int, error) {
	rootWeight, err := k.RootWeight(ctx)
	if err != nil {
		return math.Int{}, err
	}
	return k.Voice(ctx, netuid, hotkey, rootWeight)
}

// Voice is VoiceOf with root_weight (basis points) given, for callers that read it once for a whole
// subnet: alpha(netuid, hotkey) + floor(root stake · rootWeight / 10000).
func (k *Keeper) Voice(ctx context.Context, netuid uint32, hotkey sdk.AccAddress, rootWeight uint32) (math.Int, error) {
	root, err := k.TotalStakeOf(ctx, hotkey)
	if err != nil || netuid == types.RootNetuid {
		return root, err
	}
	alpha, err := k.AlphaTotalOf(ctx, netuid, hotkey)
	if err != nil {
		return math.Int{}, err
	}
	return alpha.Add(root.MulRaw(int64(rootWeight)).QuoRaw(types.TakeDenominator)), nil
}

// IterateAlphaNominators calls fn for every coldkey with alpha behind hotkey on netuid, in address
// order, until fn stops.
func (k *Keeper) IterateAlphaNominators(ctx context.Context, netuid uint32, hotkey sdk.AccAddress, fn func(coldkey sdk.AccAddress, amount math.Int) (bool, error)) error {
	rng := collections.NewSuperPrefixedTripleRange[uint32, sdk.AccAddress, sdk.AccAddress](netuid, hotkey)
	err := k.AlphaStakes.Walk(ctx, rng, func(key collections.Triple[uint32, sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		return fn(key.K3(), amount)
	})
	if err != nil {
		return fmt.Errorf("iterate alpha behind %s on netuid %d: %w", k.addrString(hotkey), netuid, err)
	}
	return nil
}

// changeAlpha adds delta (which may be negative) to coldkey's alpha behind hotkey on netuid and to the
// hotkey's total there, dropping records that reach zero. It does not touch the pool: callers keep
// alpha_outstanding in step.
func (k *Keeper) changeAlpha(ctx context.Context, netuid uint32, hotkey, coldkey sdk.AccAddress, delta math.Int) error {
	stake, err := k.AlphaStakeOf(ctx, netuid, hotkey, coldkey)
	if err != nil {
		return err
	}
	total, err := k.AlphaTotalOf(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	stake, total = stake.Add(delta), total.Add(delta)
	if stake.IsNegative() {
		return errorsmod.Wrapf(types.ErrInsufficientStake, "alpha would go to %s", stake)
	}
	key := collections.Join3(netuid, hotkey, coldkey)
	index := collections.Join3(coldkey, netuid, hotkey)
	if stake.IsZero() {
		if err := k.AlphaStakes.Remove(ctx, key); err != nil {
			return fmt.Errorf("drop alpha stake: %w", err)
		}
		if err := k.AlphaByColdkey.Remove(ctx, index); err != nil {
			return fmt.Errorf("drop alpha index: %w", err)
		}
	} else {
		if err := k.AlphaStakes.Set(ctx, key, stake); err != nil {
			return fmt.Errorf("write alpha stake: %w", err)
		}
		if err := k.AlphaByColdkey.Set(ctx, index); err != nil {
			return fmt.Errorf("write alpha index: %w", err)
		}
	}
	totalKey := collections.Join(netuid, hotkey)
	if total.IsZero() {
		if err := k.AlphaTotals.Remove(ctx, totalKey); err != nil {
			return fmt.Errorf("drop alpha total: %w", err)
		}
		return nil
	}
	if err := k.AlphaTotals.Set(ctx, totalKey, total); err != nil {
		return fmt.Errorf("write alpha total: %w", err)
	}
	return nil
}

func (k *Keeper) setPool(ctx context.Context, p types.Pool) error {
	if err := k.Pools.Set(ctx, p.Netuid, p); err != nil {
		return fmt.Errorf("write pool of netuid %d: %w", p.Netuid, err)
	}
	return nil
}

func (k *Keeper) swapFee(ctx context.Context) (uint32, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, fmt.Errorf("read params: %w", err)
	}
	return params.SwapFee, nil
}

// planBuy works out a swap of mindIn umind for alpha on pool and refuses it if the price after it would
// pass limit. Nothing is written: callers move the coins and then call applySwap, so that a refusal
// leaves every balance and record as it was.
func (k *Keeper) planBuy(ctx context.Context, pool types.Pool, mindIn math.Int, limit *math.LegacyDec) (types.SwapResult, error) {
	fee, err := k.swapFee(ctx)
	if err != nil {
		return types.SwapResult{}, err
	}
	res, err := pool.Buy(mindIn, fee)
	if err != nil {
		return types.SwapResult{}, err
	}
	if err := types.CheckBuyLimit(res.Pool, limit); err != nil {
		return types.SwapResult{}, err
	}
	res.Pool.AlphaOutstanding = res.Pool.AlphaOutstanding.Add(res.Out)
	return res, nil
}

// planSell works out a sale of alphaIn of coldkey's alpha behind hotkey on pool's subnet and refuses it
// if the coldkey holds less or the price after it would fall below limit. Nothing is written.
func (k *Keeper) planSell(ctx context.Context, pool types.Pool, hotkey, coldkey sdk.AccAddress, alphaIn math.Int, limit *math.LegacyDec) (types.SwapResult, error) {
	held, err := k.AlphaStakeOf(ctx, pool.Netuid, hotkey, coldkey)
	if err != nil {
		return types.SwapResult{}, err
	}
	if held.LT(alphaIn) {
		return types.SwapResult{}, errorsmod.Wrapf(types.ErrInsufficientStake, "holds %s alpha on netuid %d, asked %s", held, pool.Netuid, alphaIn)
	}
	fee, err := k.swapFee(ctx)
	if err != nil {
		return types.SwapResult{}, err
	}
	res, err := pool.Sell(alphaIn, fee)
	if err != nil {
		return types.SwapResult{}, err
	}
	if err := types.CheckSellLimit(res.Pool, limit); err != nil {
		return types.SwapResult{}, err
	}
	res.Pool.AlphaOutstanding = res.Pool.AlphaOutstanding.Sub(alphaIn)
	return res, nil
}

// applySwap writes a planned swap: the pool after it and the position it changes by alphaDelta (the
// alpha bought, or minus the alpha sold).
func (k *Keeper) applySwap(ctx context.Context, side string, hotkey, coldkey sdk.AccAddress, in, alphaDelta math.Int, res types.SwapResult) error {
	if err := k.setPool(ctx, res.Pool); err != nil {
		return err
	}
	if err := k.changeAlpha(ctx, res.Pool.Netuid, hotkey, coldkey, alphaDelta); err != nil {
		return err
	}
	k.emitSwap(ctx, side, res.Pool.Netuid, hotkey, coldkey, in, res)
	return nil
}

func (k *Keeper) emitSwap(ctx context.Context, side string, netuid uint32, hotkey, coldkey sdk.AccAddress, in math.Int, res types.SwapResult) {
	emit(ctx, types.EventTypeSwap,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeySide, side,
		types.AttributeKeyHotkey, k.addrString(hotkey),
		types.AttributeKeyColdkey, k.addrString(coldkey),
		types.AttributeKeyAmount, in.String(),
		types.AttributeKeyAmountOut, res.Out.String(),
		types.AttributeKeyFee, res.Fee.String(),
		types.AttributeKeyPrice, res.Pool.Price().String())
}

// Quote answers what a swap would give now without making it: side "buy" spends amount umind, "sell"
// sells amount alpha.
func (k *Keeper) Quote(ctx context.Context, netuid uint32, side string, amount math.Int) (types.SwapResult, types.Pool, error) {
	pool, err := k.GetPool(ctx, netuid)
	if err != nil {
		return types.SwapResult{}, types.Pool{}, err
	}
	fee, err := k.swapFee(ctx)
	if err != nil {
		return types.SwapResult{}, types.Pool{}, err
	}
	var res types.SwapResult
	switch side {
	case "buy":
		res, err = pool.Buy(amount, fee)
	case "sell":
		res, err = pool.Sell(amount, fee)
	default:
		return types.SwapResult{}, types.Pool{}, errorsmod.Wrapf(types.ErrInvalidSwapSide, "got %q", side)
	}
	return res, pool, err
}

// UpdatePriceEMAs moves every pool's price average one block toward its spot price. x/subnet's
// begin-blocker runs it, before the block's swaps, so a swap moves the average only from the next block
// on and by at most EMAFactor(price_ema_half_life) of its price move.
func (k *Keeper) UpdatePriceEMAs(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("read params: %w", err)
	}
	factor := types.EMAFactor(params.PriceEmaHalfLife)
	var changed []types.Pool
	err = k.Pools.Walk(ctx, nil, func(_ uint32, p types.Pool) (bool, error) {
		next := types.NextEMA(p.PriceEma, p.Price(), factor)
		if !next.Equal(p.PriceEma) {
			p.PriceEma = next
			changed = append(changed, p)
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("walk pools: %w", err)
	}
	for _, p := range changed {
		if err := k.setPool(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// unwindPool pays out a dissolving subnet's pool: each alpha position gets its share of the pool's umind
// by alpha (positions and the pool's own reserve counted together, rounded down), and the owner gets the
// rest, which holds the lock that seeded the pool. Positions and the pool are deleted.
func (k *Keeper) unwindPool(ctx context.Context, s types.Subnet, owner sdk.AccAddress) (math.Int, error) {
	pool, err := k.Pools.Get(ctx, s.Netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	if err != nil {
		return math.Int{}, fmt.Errorf("read pool of netuid %d: %w", s.Netuid, err)
	}
	type payout struct {
		hotkey, coldkey sdk.AccAddress
		alpha, mind     math.Int
	}
	var payouts []payout
	alphaAll := pool.AlphaOutstanding.Add(pool.AlphaReserve)
	rng := collections.NewPrefixedTripleRange[uint32, sdk.AccAddress, sdk.AccAddress](s.Netuid)
	err = k.AlphaStakes.Walk(ctx, rng, func(key collections.Triple[uint32, sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		mind := math.ZeroInt()
		if alphaAll.IsPositive() {
			mind = pool.MindReserve.Mul(amount).Quo(alphaAll)
		}
		payouts = append(payouts, payout{hotkey: key.K2(), coldkey: key.K3(), alpha: amount, mind: mind})
		return false, nil
	})
	if err != nil {
		return math.Int{}, fmt.Errorf("list alpha of netuid %d: %w", s.Netuid, err)
	}
	rest := pool.MindReserve
	for _, p := range payouts {
		if err := k.changeAlpha(ctx, s.Netuid, p.hotkey, p.coldkey, p.alpha.Neg()); err != nil {
			return math.Int{}, err
		}
		if p.mind.IsPositive() {
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.LockPoolName, p.coldkey, k.coins(p.mind)); err != nil {
				return math.Int{}, fmt.Errorf("pay out alpha of netuid %d: %w", s.Netuid, err)
			}
			rest = rest.Sub(p.mind)
		}
	}
	if rest.IsPositive() {
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.LockPoolName, owner, k.coins(rest)); err != nil {
			return math.Int{}, fmt.Errorf("return pool of netuid %d to its owner: %w", s.Netuid, err)
		}
	}
	if err := k.Pools.Remove(ctx, s.Netuid); err != nil {
		return math.Int{}, fmt.Errorf("drop pool of netuid %d: %w", s.Netuid, err)
	}
	return rest, nil
}

// CheckPools verifies the market's bookkeeping: the lock pool account holds exactly the pools' umind
// reserves, the stake pool exactly the root stake records, and each pool's alpha_outstanding is the sum
// of the positions on its subnet. Tests and the simulation call it after every block.
func (k *Keeper) CheckPools(ctx context.Context) error {
	reserves := math.ZeroInt()
	outstanding := map[uint32]math.Int{}
	var netuids []uint32
	err := k.Pools.Walk(ctx, nil, func(netuid uint32, p types.Pool) (bool, error) {
		reserves = reserves.Add(p.MindReserve)
		outstanding[netuid] = p.AlphaOutstanding
		netuids = append(netuids, netuid)
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("walk pools: %w", err)
	}
	if held := k.bank.GetBalance(ctx, authModuleAddress(types.LockPoolName), k.denom).Amount; !held.Equal(reserves) {
		return fmt.Errorf("%w: lock pool holds %s umind, the pools' reserves sum to %s", types.ErrPoolInvariantBroken, held, reserves)
	}
	rootStake := math.ZeroInt()
	err = k.TotalStake.Walk(ctx, nil, func(_ sdk.AccAddress, v math.Int) (bool, error) {
		rootStake = rootStake.Add(v)
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("walk root stake: %w", err)
	}
	if held := k.bank.GetBalance(ctx, authModuleAddress(types.ModuleName), k.denom).Amount; !held.Equal(rootStake) {
		return fmt.Errorf("%w: stake pool holds %s umind, root stake records sum to %s", types.ErrPoolInvariantBroken, held, rootStake)
	}
	positions := map[uint32]math.Int{}
	err = k.AlphaStakes.Walk(ctx, nil, func(key collections.Triple[uint32, sdk.AccAddress, sdk.AccAddress], v math.Int) (bool, error) {
		sum, ok := positions[key.K1()]
		if !ok {
			sum = math.ZeroInt()
		}
		positions[key.K1()] = sum.Add(v)
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("walk alpha stake: %w", err)
	}
	for _, netuid := range netuids {
		sum, ok := positions[netuid]
		if !ok {
			sum = math.ZeroInt()
		}
		if !sum.Equal(outstanding[netuid]) {
			return fmt.Errorf("%w: netuid %d has %s alpha in positions, its pool counts %s outstanding",
				types.ErrPoolInvariantBroken, netuid, sum, outstanding[netuid])
		}
		delete(positions, netuid)
	}
	if len(positions) > 0 {
		return fmt.Errorf("%w: alpha positions on %d subnets without a pool", types.ErrPoolInvariantBroken, len(positions))
	}
	return nil
}

// RootWeight is the share of root stake, in basis points, that counts in every subnet's voice.
func (k *Keeper) RootWeight(ctx context.Context) (uint32, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, fmt.Errorf("read params: %w", err)
	}
	return params.RootWeight, nil
}
