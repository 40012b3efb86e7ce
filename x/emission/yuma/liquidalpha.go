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
	return la.alphaFromExp(expSafe(la.exponent(c, w, b)))
}

// exponent is the argument of the sigmoid's exponential for consensus c, weight w and
// old bond b: −(steepness/100)·(gap − ½).
func (la liquidAlpha) exponent(c, w, b Fixed) Fixed {
	return la.slope.Mul(liquidGap(c, w, b).Sub(half))
}

// liquidGap is how far a validator's weight w is from consensus c (buying, w ≥ b) or
// from its old bond b (selling), clamped to [0, 1].
func liquidGap(c, w, b Fixed) Fixed {
	from, to := c, w
	if w < b {
		from, to = w, b
	}
	return to.Sub(from).clamp(0, One)
}

// alphaFromExp finishes alpha from e = expSafe(exponent).
func (la liquidAlpha) alphaFromExp(e Fixed) Fixed {
	sig := One.SatDiv(One.Add(e))
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
	var one [1]Fixed
	one[0] = x
	expSafeBatch(one[:])
	return one[0]
}

// expSafeBatch replaces every x in xs with expSafe(x). The series is a chain of about
// thirty dependent multiplications per argument; evaluating four arguments side by side
// lets the processor overlap their chains, which is most of liquid alpha's cost.
func expSafeBatch(xs []Fixed) {
	var pending [4]int // positions in xs whose series is being evaluated together
	var args [4]uint64
	np := 0
	flush := func() {
		for k := np; k < 4; k++ {
			args[k] = 0 // idle lanes: a zero series stays zero
		}
		sums := expSeries4(args)
		for k := range np {
			r := Fixed(sums[k])
			if xs[pending[k]] < 0 {
				r = One.Div(r)
			}
			xs[pending[k]] = r
		}
		np = 0
	}
	for i, x := range xs {
		x = x.clamp(-expLimit, expLimit)
		switch x {
		case 0:
			xs[i] = One
			continue
		case One:
			xs[i] = eI9F23
			continue
		}
		xs[i] = x // keeps the sign for flush
		if x < 0 {
			x = -x
		}
		pending[np], args[np] = i, uint64(x)
		np++
		if np == 4 {
			flush()
		}
	}
	if np > 0 {
		flush()
	}
}

// expDivisor divides by the series index k as ⌊n·m/2^64⌋ >> s, exact for every n < 2^63
// (Granlund and Montgomery, "Division by invariant integers using multiplication",
// theorem 4.2, with N = 63 and ℓ = ⌈log2 k⌉: m = ⌈2^(63+ℓ)/k⌉ < 2^64, s = ℓ − 1).
// The series' products stay below 2^62: the largest, t_{k−1}·x at k = 20 and x = 20, is
// 20^20/19! ≈ 8.6·10^8 < 2^30 as a number, below 2^62 raw.
type expDivisor struct {
	m uint64
	s uint
}

var expDivisors = func() (d [32]expDivisor) {
	for k := uint64(2); k < 32; k++ {
		l := uint(bits.Len64(k - 1))
		q, r := bits.Div64(1<<(l-1), 0, k) // 2^(63+l) / k, whose high word 2^(l−1) < k
		if r != 0 {
			q++
		}
		d[k] = expDivisor{m: q, s: l - 1}
	}
	return d
}()

// expSeries4 sums 1 + x + … + x^31/31! for four raw I32F32 arguments in [0, 20] at once,
// each term ⌊⌊t·x/2^32⌋/k⌋ as substrate_fixed rounds it. Within ±20 no term and no
// partial sum exceeds 2^31, so nothing saturates; once a term rounds to 0 every later one
// is 0 too, so the loop may stop when all four are 0.
func expSeries4(x [4]uint64) [4]uint64 {
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	t0, t1, t2, t3 := x0, x1, x2, x3
	r0, r1, r2, r3 := x0+uint64(One), x1+uint64(One), x2+uint64(One), x3+uint64(One)
	for k := 2; k < 32; k++ {
		d := expDivisors[k]
		t0 = expDivide(expProduct(t0, x0), d)
		t1 = expDivide(expProduct(t1, x1), d)
		t2 = expDivide(expProduct(t2, x2), d)
		t3 = expDivide(expProduct(t3, x3), d)
		r0 += t0
		r1 += t1
		r2 += t2
		r3 += t3
		if t0|t1|t2|t3 == 0 {
			break
		}
	}
	return [4]uint64{r0, r1, r2, r3}
}

// expProduct is ⌊t·x/2^32⌋, the floored I32F32 product of non-negative operands.
func expProduct(t, x uint64) uint64 {
	hi, lo := bits.Mul64(t, x)
	return hi<<fracBits | lo>>fracBits
}

func expDivide(n uint64, d expDivisor) uint64 {
	hi, _ := bits.Mul64(n, d.m)
	return hi >> d.s
}
