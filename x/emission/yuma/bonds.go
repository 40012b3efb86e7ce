package yuma

import "math/bits"

// emaAlpha is the bonds EMA rate 1 − bonds_moving_average/10^6. subtensor divides in
// I64F64 and drops 32 fractional bits, which is ⌊bma·2^32/10^6⌋.
func emaAlpha(bondsMovingAverage uint64) Fixed {
	hi, lo := bits.Mul64(bondsMovingAverage, 1<<fracBits)
	q, _ := bits.Div64(hi, lo, 1_000_000) // bma ≤ 10^6, so hi < 10^6
	return One.Sub(Fixed(q))
}

// unionSize counts the distinct (i, j) positions of the weights for bonds and the old
// bonds, so that their EMA is allocated once at its final size.
func unionSize(a *sparseMatrix, b storedBonds) int {
	total := 0
	for i := 0; i < a.rows(); i++ {
		ac, _ := a.row(i)
		bc, _ := b.row(i)
		x, y := 0, 0
		for x < len(ac) && y < len(bc) {
			switch {
			case ac[x] < bc[y]:
				x++
			case bc[y] < ac[x]:
				y++
			default:
				x++
				y++
			}
			total++
		}
		total += len(ac) - x + len(bc) - y
	}
	return total
}

// emaBonds returns α·new + (1−α)·old entry by entry over the union of both matrices'
// entries, keeping only positive results (mat_ema_sparse). newVal and oldVal give the
// value of the k-th entry of each; colSums receives each column's (saturating) sum.
func emaBonds(newer *sparseMatrix, older storedBonds, alpha Fixed, newVal func(k int) Fixed,
	oldVal func(k int) Fixed, colSums []Fixed) *sparseMatrix {
	keep := One.Sub(alpha)
	out := newSparseSized(newer.rows(), unionSize(newer, older))
	w := 0
	for i := 0; i < newer.rows(); i++ {
		a, aEnd := newer.rowStart[i], newer.rowStart[i+1]
		b, bEnd := older.rowStart[i], older.rowStart[i+1]
		for a < aEnd || b < bEnd {
			var j uint16
			var v Fixed
			switch {
			case b == bEnd || (a < aEnd && newer.col[a] < older.col[b]):
				j, v = newer.col[a], alpha.Mul(newVal(a))
				a++
			case a == aEnd || older.col[b] < newer.col[a]:
				j, v = older.col[b], keep.Mul(oldVal(b))
				b++
			default:
				j, v = newer.col[a], alpha.Mul(newVal(a)).Add(keep.Mul(oldVal(b)))
				a++
				b++
			}
			if v > 0 {
				out.col[w], out.val[w] = j, v
				colSums[j] = colSums[j].Add(v)
				w++
			}
		}
		out.rowStart[i+1] = w
	}
	out.truncate()
	return out
}

// classicBonds computes classic Yuma bonds and dividends. Old bonds (stored max-upscaled
// per column) are column-normalised; the new bond delta is each validator's weights
// scaled by its active stake, column-normalised; the EMA of the two is column-normalised
// again. A validator's dividends are Σ_j bond_ij·incentive_j, normalised. Bonds are then
// stored with each column scaled so that its largest entry is 65535: the rows of
// validators holding a new permit are upscaled here, the others are left normalised, as
// nobody stores them. wfb is overwritten: it becomes the bond delta.
//
// subtensor makes a pass per operation (inplace_col_normalize_sparse, mat_ema_sparse,
// matmul_transpose_sparse, inplace_col_max_upscale_sparse); here each column
// normalisation happens as its result is first read, with the same roundings per entry.
func classicBonds(wfb *sparseMatrix, old storedBonds, activeStake, incentive []Fixed, alpha Fixed,
	permits []bool, n int) (*sparseMatrix, []Fixed) {
	// Old bonds are u16 integers: Σ_i u_ij per column, divided as integerSumDivisor does.
	oldSums := make([]uint64, n)
	for k, j := range old.col {
		oldSums[j] += uint64(old.value[k])
	}
	oldDiv := make([]integerSumDivisor, n)
	for j, s := range oldSums {
		if s > 0 {
			oldDiv[j] = newIntegerSumDivisor(s)
		}
	}
	// The delta: each row scaled by its validator's active stake.
	deltaSums := make([]Fixed, n)
	for i := 0; i < wfb.rows(); i++ {
		s := activeStake[i]
		for k := wfb.rowStart[i]; k < wfb.rowStart[i+1]; k++ {
			d := wfb.val[k].Mul(s)
			wfb.val[k] = d
			deltaSums[wfb.col[k]] = deltaSums[wfb.col[k]].Add(d)
		}
	}
	deltaDiv := divisorsFor(deltaSums)
	emaSums := make([]Fixed, n)
	ema := emaBonds(wfb, old, alpha,
		func(k int) Fixed {
			v := wfb.val[k]
			if j := wfb.col[k]; deltaSums[j] != 0 {
				v = deltaDiv[j].div(v)
			}
			return v
		},
		func(k int) Fixed {
			u := old.value[k]
			if j := old.col[k]; oldSums[j] != 0 {
				return oldDiv[j].div(u)
			}
			return u16AsInteger(u) // only 0 can sit in a column summing to 0
		},
		emaSums)
	// Normalise the EMA by column; dividends and each column's largest bond follow.
	emaDiv := divisorsFor(emaSums)
	maxes := make([]Fixed, n)
	dividends := make([]Fixed, ema.rows())
	for i := range dividends {
		var d Fixed
		for k := ema.rowStart[i]; k < ema.rowStart[i+1]; k++ {
			j, v := ema.col[k], ema.val[k]
			if emaSums[j] != 0 {
				v = emaDiv[j].div(v)
			}
			ema.val[k] = v
			d = d.Add(incentive[j].Mul(v))
			if v > maxes[j] {
				maxes[j] = v
			}
		}
		dividends[i] = d
	}
	normalize(dividends)
	maxDiv := divisorsFor(maxes)
	for i, ok := range permits {
		if !ok {
			continue
		}
		for k := ema.rowStart[i]; k < ema.rowStart[i+1]; k++ {
			if j := ema.col[k]; maxes[j] != 0 {
				ema.val[k] = maxDiv[j].div(ema.val[k])
			}
		}
	}
	return ema, dividends
}

// divisorsFor prepares a divisor for every positive sum; zero sums are never divided by.
func divisorsFor(sums []Fixed) []fixedDivisor {
	out := make([]fixedDivisor, len(sums))
	for j, s := range sums {
		if s > 0 {
			out[j] = newFixedDivisor(s)
		}
	}
	return out
}

// yuma3Bonds computes Yuma 3 bonds and dividends. Each bond is its own EMA of the weight
// behind it, in [0,1], at rate α or, with liquid alpha, at a rate chosen per bond. A
// validator's dividends are its active stake times Σ_j (bond_ij / Σ_k bond_kj)·incentive_j,
// normalised. Bonds are stored as fractions of 65535.
func yuma3Bonds(wfb *sparseMatrix, old storedBonds, activeStake, incentive, consensus []Fixed, p Params, n int) (*sparseMatrix, []Fixed) {
	colSums := make([]Fixed, n)
	var ema *sparseMatrix
	if p.LiquidAlpha && anyNonZero(consensus) {
		ema = liquidEMABonds(wfb, old, consensus, newLiquidAlpha(p), colSums)
	} else {
		ema = emaBonds(wfb, old, emaAlpha(p.BondsMovingAverage),
			func(k int) Fixed { return wfb.val[k] },
			func(k int) Fixed { return u16ProportionToFixed(old.value[k]) },
			colSums)
	}
	// Σ_j (b_ij / Σ_k b_kj)·incentive_j, normalising each bond on the fly rather than
	// copying the matrix: the same operations in the same order as normalising first.
	colDiv := divisorsFor(colSums)
	dividends := make([]Fixed, ema.rows())
	for i := range dividends {
		var s Fixed
		for k := ema.rowStart[i]; k < ema.rowStart[i+1]; k++ {
			j, b := ema.col[k], ema.val[k]
			if colSums[j] != 0 {
				b = colDiv[j].div(b)
			}
			s = s.Add(incentive[j].Mul(b))
		}
		dividends[i] = s.Mul(activeStake[i])
	}
	normalize(dividends)
	return ema, dividends
}

// u16ProportionToFixed is FixedFromU16Proportion: (u·2^32)/(65535·2^32) truncated is
// ⌊u·2^32/65535⌋, a division by a constant.
func u16ProportionToFixed(u uint16) Fixed { return Fixed(uint64(u) << fracBits / 65535) }

func anyNonZero(x []Fixed) bool {
	for _, v := range x {
		if v != 0 {
			return true
		}
	}
	return false
}

// liquidEMABonds updates each bond at its own rate α_ij: b_ij ← min((1−α_ij)·b_ij +
// max(α_ij·w_ij, 0), 1). Like subtensor's mat_ema_alpha_sparse it visits only the
// entries present in the weights for bonds, so a bond whose validator no longer has an
// entry for that miner (not even an explicit 0) is dropped rather than decayed.
// colSums receives each column's sum.
//
// A row's exponentials are evaluated together (expSafeBatch), and the common case of a
// weight at or below consensus (a gap of 0, hence one fixed exponent) reuses one value.
func liquidEMABonds(wfb *sparseMatrix, old storedBonds, consensus []Fixed, la liquidAlpha, colSums []Fixed) *sparseMatrix {
	out := newSparseSized(wfb.rows(), wfb.nnz())
	zeroGapExponent := la.slope.Mul(-half)
	zeroGapExp := expSafe(zeroGapExponent)
	var bonds, exps, pending []Fixed
	var pendingAt []int
	w := 0
	for i := 0; i < wfb.rows(); i++ {
		wc, wv := wfb.row(i)
		bc, bv := old.row(i)
		bonds, exps = bonds[:0], exps[:0]
		pending, pendingAt = pending[:0], pendingAt[:0]
		b := 0
		for k, j := range wc {
			for b < len(bc) && bc[b] < j {
				b++
			}
			var bond Fixed
			if b < len(bc) && bc[b] == j {
				bond = u16ProportionToFixed(bv[b])
			}
			bonds = append(bonds, bond)
			x := la.exponent(consensus[j], wv[k], bond)
			if x == zeroGapExponent {
				exps = append(exps, zeroGapExp)
				continue
			}
			exps = append(exps, 0)
			pending = append(pending, x)
			pendingAt = append(pendingAt, k)
		}
		expSafeBatch(pending)
		for p, k := range pendingAt {
			exps[k] = pending[p]
		}
		for k, j := range wc {
			a := la.alphaFromExp(exps[k])
			bond := bonds[k]
			decayed := One.Sub(a).Mul(bond)
			inc := a.Mul(wv[k]).Max(0)
			if v := decayed.Add(inc).Min(One); v > 0 {
				out.col[w], out.val[w] = j, v
				colSums[j] = colSums[j].Add(v)
				w++
			}
		}
		out.rowStart[i+1] = w
	}
	out.truncate()
	return out
}
