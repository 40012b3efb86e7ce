package yuma

import "math/bits"

// liquidAlpha picks a bond's EMA rate from how far its validator's weight is from
// consensus (Yuma 3 with liquid alpha). A validator buying into a miner above consensus,
// or selling a bond it holds above its weight, moves at a rate near alpha_high when the
// gap is large and near alpha_low when it is small:
//
//	gap   = w − c            when w ≥ b (buying),  clamped to [0,1]
//	      = b − w            otherwise (selling),  clamped to [0,1]
//	sig   = 1 / (1 + e^(−(steepness/100)·(gap − ½)))
//	alpha = alpha_low + sig·(alpha_high − alpha_low), clamped to [alpha_low, alpha_high]
type liquidAlpha struct {
	low, high Fixed
	// slope is −steepness/100, truncated as subtensor divides it.
	slope Fixed
}

func newLiquidAlpha(p Params) liquidAlpha {
	return liquidAlpha{
		low:   u16Fraction(p.AlphaLow),
		high:  u16Fraction(p.AlphaHigh),
		slope: FixedFromInt(int64(p.AlphaSigmoidSteepness)).SatDiv(FixedFromInt(-100)),
	}
}

// alpha is subtensor's alpha_sigmoid for consensus c, weight w and old bond b.
func (la liquidAlpha) alpha(c, w, b Fixed) Fixed {
	gap := b.Sub(w).clamp(0, One)
	if w >= b {
		gap = w.Sub(c).clamp(0, One)
	}
	sig := One.SatDiv(One.Add(expSafe(la.slope.Mul(gap.Sub(half)))))
	a := la.low.Add(sig.Mul(la.high.Sub(la.low)))
	return a.clamp(la.low, la.high)
}

// expLimit bounds the exponent as subtensor's exp_safe does: e^20 still fits in I32F32.
const expLimit Fixed = 20 << fracBits

// eI9F23 is e as substrate_fixed stores it for exp(1): e with 23 fractional bits,
// truncated, widened to 32 fractional bits.
const eI9F23 Fixed = 22802600 << (fracBits - 23)

// expSafe returns e^x for x clamped to [−20, 20], computed exactly as substrate_fixed's
// exp: the Taylor series 1 + x + x²/2! + … to the x^31 term, each term rounded as I32F32
// arithmetic rounds it, and 1/e^|x| for negative x.
func expSafe(x Fixed) Fixed {
	x = x.clamp(-expLimit, expLimit)
	switch x {
	case 0:
		return One
	case One:
		return eI9F23
	}
	neg := x < 0
	if neg {
		x = -x
	}
	// Within ±20 no term and no partial sum exceeds 2^31, so nothing here saturates, and
	// all operands are non-negative: the fixed-point multiply is a floored 64×64 product
	// and dividing by the integer i truncates as I32F32 division by i does. Once a term
	// rounds to 0 every later one is 0 too.
	ux := uint64(x)
	result := ux + uint64(One)
	term := ux
	for i := uint64(2); i < fracBits && term != 0; i++ {
		hi, lo := bits.Mul64(term, ux)
		term = (hi<<fracBits | lo>>fracBits) / i
		result += term
	}
	if neg {
		return One.Div(Fixed(result))
	}
	return Fixed(result)
}
