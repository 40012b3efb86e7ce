package yuma

import (
	"math"
	"math/bits"
)

// reciprocal divides many numerators by one divisor d ≥ 1 without a hardware division
// each time. m = ⌊(2^64−1)/d⌋ satisfies 2^64/d − 1 ≤ m < 2^64/d, so for any n < 2^64 the
// estimate ⌊n·m/2^64⌋ lies in (n/d − 1, n/d]: it is the quotient or one below it, and one
// comparison of the remainder settles which. The result is ⌊n/d⌋ exactly.
type reciprocal struct {
	d, m uint64
}

func newReciprocal(d uint64) reciprocal { return reciprocal{d: d, m: math.MaxUint64 / d} }

// quo returns ⌊n/d⌋.
func (r reciprocal) quo(n uint64) uint64 {
	q, _ := bits.Mul64(n, r.m)
	if n-q*r.d >= r.d {
		q++
	}
	return q
}

// fixedDivisor divides many Fixed numerators by one positive Fixed divisor, giving
// exactly what Fixed.Div gives. The epoch's normalisations divide fractions below 1 by a
// sum, and for a numerator a in [0, 1) the I32F32 quotient ⌊a·2^32/b⌋ has a numerator
// below 2^64, which the reciprocal handles; any other numerator takes Fixed.Div.
//
// The divisor b is recip.d; a zero fixedDivisor stands for none (the epoch never divides
// by a zero sum). Keeping it to two words keeps the per-miner divisor tables small.
type fixedDivisor struct {
	recip reciprocal
}

func newFixedDivisor(b Fixed) fixedDivisor {
	return fixedDivisor{recip: newReciprocal(uint64(b))}
}

// set reports whether f was made by newFixedDivisor.
func (f fixedDivisor) set() bool { return f.recip.d != 0 }

// div returns a.Div(b).
func (f fixedDivisor) div(a Fixed) Fixed {
	if uint64(a) < 1<<fracBits {
		// Fixed.Div's own fast path returns this quotient as it is, even when it
		// exceeds MaxInt64; normalisations never get there, but the result is the same.
		return Fixed(f.recip.quo(uint64(a) << fracBits))
	}
	return a.Div(Fixed(f.recip.d))
}

// quick is div's common case, numerators below 1, in a body small enough for the
// compiler to inline into the epoch's per-entry loops (div itself is not); ok is false
// for any other numerator, which the caller then passes to div.
func (f fixedDivisor) quick(a Fixed) (q Fixed, ok bool) {
	if uint64(a) < 1<<fracBits {
		return Fixed(f.recip.quo(uint64(a) << fracBits)), true
	}
	return 0, false
}

// integerSumDivisor divides u16 integers (stored weights, classic bonds) by their sum
// the way the epoch divides them as I32F32 numbers. As Fixed values they are u·2^32 and a
// saturating sum min(Σu·2^32, max); below saturation Fixed.Div of u·2^32 by Σu·2^32 is
// ⌊u·2^32/Σu⌋, whose numerator fits in 64 bits. A saturated sum, the Fixed maximum, is
// marked by a zero reciprocal (total > 0 always, so an unsaturated one is never zero).
type integerSumDivisor struct {
	recip reciprocal
}

// newIntegerSumDivisor returns the divisor for integers summing to total (total > 0).
func newIntegerSumDivisor(total uint64) integerSumDivisor {
	if total >= 1<<(63-fracBits) {
		return integerSumDivisor{}
	}
	return integerSumDivisor{recip: newReciprocal(total)}
}

// div returns FixedFromInt(u).Div(the saturating Fixed sum).
func (d integerSumDivisor) div(u uint16) Fixed {
	if d.recip.d == 0 {
		return u16AsInteger(u).Div(maxFixed)
	}
	return Fixed(d.recip.quo(uint64(u) << fracBits))
}

// quick is div's unsaturated case in a body small enough to be inlined; ok is false
// when the sum saturated, and the caller then uses div.
func (d integerSumDivisor) quick(u uint16) (q Fixed, ok bool) {
	if d.recip.d != 0 {
		return Fixed(d.recip.quo(uint64(u) << fracBits)), true
	}
	return 0, false
}
