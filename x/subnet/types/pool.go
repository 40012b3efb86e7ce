package types

import (
	"fmt"
	"strings"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Pool arithmetic. A pool is a constant-product market (x·y = k) between umind and the subnet's alpha.
// Every function here is pure and works on integers and the SDK's 18-decimal fixed point, so that every
// validator computes the same numbers. Rounding always favours the pool: the fee is rounded up and
// what a swap gives is rounded down, which is why a swap never lowers the product mind·alpha and a
// round trip never returns more than went in.

// ln2 is the natural logarithm of 2 in 18 decimals, for the moving average's per-block factor.
var ln2 = math.LegacyMustNewDecFromStr("0.693147180559945309")

// SwapResult is what one swap does to a pool.
type SwapResult struct {
	// Out is what the swapper receives: alpha for a buy, umind for a sell.
	Out math.Int
	// Fee is the part of the input that stays in the pool without being swapped.
	Fee math.Int
	// Pool is the pool after the swap.
	Pool Pool
}

// NewPool seeds a subnet's pool with lock umind and as much alpha, so that its price starts at 1.
func NewPool(netuid uint32, lock math.Int) Pool {
	return Pool{
		Netuid:           netuid,
		MindReserve:      lock,
		AlphaReserve:     lock,
		AlphaOutstanding: math.ZeroInt(),
		PriceEma:         math.LegacyOneDec(),
		AlphaEmitted:     math.ZeroInt(),
	}
}

// Price is the pool's spot price, umind per alpha unit: mind_reserve / alpha_reserve, zero for an
// empty pool.
func (p Pool) Price() math.LegacyDec {
	if !p.AlphaReserve.IsPositive() {
		return math.LegacyZeroDec()
	}
	return math.LegacyNewDecFromInt(p.MindReserve).QuoInt(p.AlphaReserve)
}

// MindValue is what amount alpha is worth at the pool's spot price, rounded down.
func (p Pool) MindValue(amount math.Int) math.Int {
	return p.Price().MulInt(amount).TruncateInt()
}

// SwapFee is the fee on amount at feeBps basis points, rounded up so that the pool never loses to
// rounding.
func SwapFee(amount math.Int, feeBps uint32) math.Int {
	if feeBps == 0 {
		return math.ZeroInt()
	}
	num := amount.MulRaw(int64(feeBps))
	fee := num.QuoRaw(TakeDenominator)
	if !num.ModRaw(TakeDenominator).IsZero() {
		fee = fee.AddRaw(1)
	}
	return fee
}

// Buy swaps mindIn umind for alpha: out = floor(alpha·net / (mind + net)) where net is mindIn less the
// fee; the whole of mindIn enters the pool.
func (p Pool) Buy(mindIn math.Int, feeBps uint32) (SwapResult, error) {
	out, fee, err := swapOut(p.MindReserve, p.AlphaReserve, mindIn, feeBps)
	if err != nil {
		return SwapResult{}, err
	}
	next := p
	next.MindReserve = p.MindReserve.Add(mindIn)
	next.AlphaReserve = p.AlphaReserve.Sub(out)
	return SwapResult{Out: out, Fee: fee, Pool: next}, nil
}

// Sell swaps alphaIn alpha for umind: out = floor(mind·net / (alpha + net)) where net is alphaIn less
// the fee; the whole of alphaIn enters the pool.
func (p Pool) Sell(alphaIn math.Int, feeBps uint32) (SwapResult, error) {
	out, fee, err := swapOut(p.AlphaReserve, p.MindReserve, alphaIn, feeBps)
	if err != nil {
		return SwapResult{}, err
	}
	next := p
	next.AlphaReserve = p.AlphaReserve.Add(alphaIn)
	next.MindReserve = p.MindReserve.Sub(out)
	return SwapResult{Out: out, Fee: fee, Pool: next}, nil
}

func swapOut(reserveIn, reserveOut, in math.Int, feeBps uint32) (out, fee math.Int, err error) {
	if in.IsNil() || !in.IsPositive() {
		return math.Int{}, math.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "got %s", in)
	}
	if !reserveIn.IsPositive() || !reserveOut.IsPositive() {
		return math.Int{}, math.Int{}, ErrPoolEmpty
	}
	fee = SwapFee(in, feeBps)
	net := in.Sub(fee)
	if !net.IsPositive() {
		return math.Int{}, math.Int{}, errorsmod.Wrapf(ErrSwapTooSmall, "%s is all fee", in)
	}
	out = reserveOut.Mul(net).Quo(reserveIn.Add(net))
	if !out.IsPositive() {
		return math.Int{}, math.Int{}, errorsmod.Wrapf(ErrSwapTooSmall, "%s gives 0", in)
	}
	return out, fee, nil
}

// Inject adds mind umind and alpha alpha to the pool's reserves, as emission does.
func (p Pool) Inject(mind, alpha math.Int) Pool {
	p.MindReserve = p.MindReserve.Add(mind)
	p.AlphaReserve = p.AlphaReserve.Add(alpha)
	return p
}

// EMAFactor is the share of the gap between price and average that one block closes for a half-life
// of halfLife blocks: ln 2 / halfLife (the first-order form of 1 − 2^(−1/halfLife), within 0.4% of it
// for half-lives of 100 blocks and more), at most 1.
func EMAFactor(halfLife uint64) math.LegacyDec {
	if halfLife <= 1 {
		return math.LegacyOneDec()
	}
	f := ln2.QuoInt64(int64(min(halfLife, uint64(1)<<62)))
	if f.GT(math.LegacyOneDec()) {
		return math.LegacyOneDec()
	}
	return f
}

// NextEMA moves ema toward price by factor: ema + (price − ema)·factor.
func NextEMA(ema, price, factor math.LegacyDec) math.LegacyDec {
	return ema.Add(price.Sub(ema).Mul(factor))
}

// CheckBuyLimit refuses a buy whose price after the swap would exceed limit (nil: no limit).
func CheckBuyLimit(after Pool, limit *math.LegacyDec) error {
	if limit != nil && after.Price().GT(*limit) {
		return errorsmod.Wrapf(ErrPriceLimit, "price after the buy %s > limit %s", after.Price(), *limit)
	}
	return nil
}

// CheckSellLimit refuses a sell whose price after the swap would fall below limit (nil: no limit).
func CheckSellLimit(after Pool, limit *math.LegacyDec) error {
	if limit != nil && after.Price().LT(*limit) {
		return errorsmod.Wrapf(ErrPriceLimit, "price after the sell %s < limit %s", after.Price(), *limit)
	}
	return nil
}

// ValidateLimitPrice checks an optional limit price from a message.
func ValidateLimitPrice(limit *math.LegacyDec) error {
	if limit == nil {
		return nil
	}
	if limit.IsNil() || !limit.IsPositive() {
		return ErrInvalidLimitPrice
	}
	return nil
}

// Validate checks a pool record from genesis.
func (p Pool) Validate() error {
	for _, f := range []struct {
		name string
		v    math.Int
	}{{"mind_reserve", p.MindReserve}, {"alpha_reserve", p.AlphaReserve}, {"alpha_outstanding", p.AlphaOutstanding}, {"alpha_emitted", p.AlphaEmitted}} {
		if f.v.IsNil() || f.v.IsNegative() {
			return fmt.Errorf("pool of netuid %d: %s must be a non-negative integer", p.Netuid, f.name)
		}
	}
	if p.PriceEma.IsNil() || p.PriceEma.IsNegative() {
		return fmt.Errorf("pool of netuid %d: price_ema must be a non-negative decimal", p.Netuid)
	}
	if p.MindReserve.IsPositive() != p.AlphaReserve.IsPositive() {
		return fmt.Errorf("pool of netuid %d: one reserve is empty and the other is not", p.Netuid)
	}
	return nil
}

// ParseAmount reads an amount as a plain integer ("1000000") or, when denom is not empty, with it
// ("1000000umind"), and refuses anything else, zero and negatives with ErrInvalidAmount.
func ParseAmount(s, denom string) (math.Int, error) {
	s = strings.TrimSpace(s)
	if denom != "" {
		s = strings.TrimSuffix(s, denom)
	}
	// math.NewIntFromString reads Go literals ("0x10", "010" in octal, "1_000", "+5"): only decimal
	// digits are an amount here, leading zeros dropped.
	digits := s != "" && strings.Trim(s, "0123456789") == ""
	v, ok := math.NewIntFromString(strings.TrimLeft(s, "0"))
	if !digits || !ok || !v.IsPositive() {
		return math.Int{}, errorsmod.Wrapf(ErrInvalidAmount, "%q: give a positive integer, optionally followed by %s", s, denom)
	}
	return v, nil
}
