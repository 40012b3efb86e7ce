package yuma

import (
	"math"
	"math/bits"
	"strconv"
)

// Fixed is a signed fixed-point number with 32 integer bits and 32 fractional bits, the
// I32F32 type that subtensor's epoch computes in. The raw int64 holds value·2^32.
//
// Every operation rounds exactly as substrate_fixed does, so that the epoch agrees with
// subtensor bit for bit: multiplication floors (rounds toward −∞), division truncates
// toward zero, addition and subtraction saturate.
type Fixed int64

const (
	fracBits = 32
	fracMask = 1<<fracBits - 1

	// One is 1.0.
	One Fixed = 1 << fracBits
	// half is 0.5.
	half Fixed = 1 << (fracBits - 1)

	maxFixed Fixed = math.MaxInt64
	minFixed Fixed = math.MinInt64

	// u16Max is 65535.0: u16 fractions on chain are parts of 65535, not of 65536.
	u16Max Fixed = 65535 << fracBits
)

// FixedFromInt returns i as a Fixed, saturating outside the I32F32 range.
func FixedFromInt(i int64) Fixed {
	switch {
	case i > math.MaxInt32:
		return maxFixed
	case i < math.MinInt32:
		return minFixed
	}
	return Fixed(i << fracBits)
}

// FixedFromRaw returns the Fixed whose raw representation is raw (value = raw/2^32).
func FixedFromRaw(raw int64) Fixed { return Fixed(raw) }

// FixedFromU16Proportion returns u/65535 as subtensor converts stored u16 fractions
// (u16_proportion_to_fixed): the quotient is truncated.
func FixedFromU16Proportion(u uint16) Fixed {
	return FixedFromInt(int64(u)).Div(u16Max)
}

// Raw returns value·2^32.
func (a Fixed) Raw() int64 { return int64(a) }

// Add returns a+b, saturating.
func (a Fixed) Add(b Fixed) Fixed {
	s := a + b
	// Overflow happened iff both operands share a sign that the sum does not.
	if (a^s)&(b^s) < 0 {
		if a >= 0 {
			return maxFixed
		}
		return minFixed
	}
	return s
}

// Sub returns a−b, saturating.
func (a Fixed) Sub(b Fixed) Fixed {
	d := a - b
	if (a >= 0) != (b >= 0) && (d >= 0) != (a >= 0) {
		if a >= 0 {
			return maxFixed
		}
		return minFixed
	}
	return d
}

// abs64 returns |x| as a uint64; it is exact for math.MinInt64 too.
func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-x) // -MinInt64 wraps to MinInt64, whose uint64 is 2^63: correct.
	}
	return uint64(x)
}

// Mul returns a·b rounded toward −∞ (substrate_fixed shifts the double-width product
// arithmetically), saturating.
func (a Fixed) Mul(b Fixed) Fixed {
	if a >= 0 && b >= 0 {
		// The epoch's common case, fractions times fractions: no sign to correct.
		hi, lo := bits.Mul64(uint64(a), uint64(b))
		if hi>>(fracBits-1) == 0 {
			return Fixed(hi<<fracBits | lo>>fracBits)
		}
		return maxFixed
	}
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs64(int64(a)), abs64(int64(b)))
	overflow := hi>>fracBits != 0
	q := hi<<fracBits | lo>>fracBits
	if neg {
		if lo&fracMask != 0 {
			// floor of a negative non-integer is one further from zero.
			q++
			if q == 0 {
				overflow = true
			}
		}
		if overflow || q > 1<<63 {
			return minFixed
		}
		return Fixed(-int64(q))
	}
	if overflow || q > math.MaxInt64 {
		return maxFixed
	}
	return Fixed(q)
}

// divide returns a/b truncated toward zero, and whether it fits (b ≠ 0 and no overflow).
func (a Fixed) divide(b Fixed) (Fixed, bool) {
	if a >= 0 && b > 0 {
		// The epoch's common case: no signs to handle.
		hi, lo := uint64(a)>>(64-fracBits), uint64(a)<<fracBits
		if hi >= uint64(b) {
			return 0, false
		}
		q, _ := bits.Div64(hi, lo, uint64(b))
		return Fixed(q), q <= math.MaxInt64
	}
	if b == 0 {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(int64(a)), abs64(int64(b))
	hi, lo := ua>>(64-fracBits), ua<<fracBits
	if hi >= ub {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, ub)
	if neg {
		if q > 1<<63 {
			return 0, false
		}
		return Fixed(-int64(q)), true
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return Fixed(q), true
}

// Div returns a/b truncated toward zero, or 0 when b is 0 or the quotient overflows:
// subtensor's safe_div, which every normalisation in the epoch uses.
func (a Fixed) Div(b Fixed) Fixed {
	q, _ := a.divide(b)
	return q
}

// SatDiv returns a/b truncated toward zero, saturating on overflow (and on b = 0, which
// substrate_fixed would panic on and the epoch never reaches).
func (a Fixed) SatDiv(b Fixed) Fixed {
	if q, ok := a.divide(b); ok {
		return q
	}
	if (a < 0) != (b < 0) {
		return minFixed
	}
	return maxFixed
}

// Min returns the smaller of a and b.
func (a Fixed) Min(b Fixed) Fixed {
	if b < a {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a Fixed) Max(b Fixed) Fixed {
	if b > a {
		return b
	}
	return a
}

// clamp returns a limited to [low, high], testing high first as subtensor's clamp_value does.
func (a Fixed) clamp(low, high Fixed) Fixed { return a.Min(high).Max(low) }

// ToU16Proportion returns ⌊a·65535⌋ limited to [0, 65535]: how subtensor stores a
// fraction in a u16 (fixed_proportion_to_u16).
func (a Fixed) ToU16Proportion() uint16 {
	p := a.Mul(u16Max)
	if p <= 0 {
		return 0
	}
	i := int64(p) >> fracBits
	if i > math.MaxUint16 {
		return math.MaxUint16
	}
	return uint16(i)
}

// String renders the exact decimal value of a (a binary fraction of 32 bits has at most
// 32 decimal places), so that output can be compared with other implementations without
// passing through a float.
func (a Fixed) String() string {
	return string(a.AppendDecimal(nil))
}

// AppendDecimal appends the exact decimal value of a to dst.
func (a Fixed) AppendDecimal(dst []byte) []byte {
	if a < 0 {
		dst = append(dst, '-')
	}
	u := abs64(int64(a))
	dst = strconv.AppendUint(dst, u>>fracBits, 10)
	frac := u & fracMask
	if frac == 0 {
		return dst
	}
	dst = append(dst, '.')
	for frac != 0 {
		frac *= 10
		dst = append(dst, byte('0'+frac>>fracBits))
		frac &= fracMask
	}
	return dst
}

// mulUnit is Mul for operands known to lie in [0, 1] (0 ≤ raw ≤ 2^32), as stake shares,
// normalised weights and bonds do: their product is at most 1, so Mul's rounding is the
// plain floor of the double-width product, without signs or saturation. Unlike Mul it is
// small enough to be inlined into the epoch's per-entry loops.
func mulUnit(a, b Fixed) Fixed {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	return Fixed(hi<<fracBits | lo>>fracBits)
}

// toU16Unit is ToU16Proportion for a in [0, 1]: ⌊a·65535⌋, whose raw product a·65535·2^32
// shifted down 32 bits is (raw a)·65535 >> 32, below 2^48 before the shift.
func toU16Unit(a Fixed) uint16 {
	if uint64(a) <= uint64(One) {
		return uint16(uint64(a) * 65535 >> fracBits)
	}
	return a.ToU16Proportion()
}
