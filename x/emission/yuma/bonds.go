package yuma

import "math/bits"

// emaAlpha is the bonds EMA rate 1 − bonds_moving_average/10^6. subtensor divides in
// I64F64 and drops 32 fractional bits, which is ⌊bma·2^32/10^6⌋.
func emaAlpha(bondsMovingAverage uint64) Fixed {
	hi, lo := bits.Mul64(bondsMovingAverage, 1<<fracBits)
	q, _ := bits.Div64(hi, lo, 1_000_000) // bma ≤ 10^6, so hi < 10^6
	return One.Sub(Fixed(q))
}

// unionEnds counts the distinct (i, j) positions of the weights for bonds and the old
// bonds row by row: ends[i+1] counts those in rows 0..i, so that their EMA is laid out
// once at its final size.
func unionEnds(a *sparseMatrix, b storedBonds) []int {
	ends := make([]int, a.rows()+1)
	total := 0
	for i := 0; i < a.rows(); i++ {
		ac, _ := a.row(i)
		bc := b.rows[i]
		x, y := 0, 0
		for x < len(ac) && y < len(bc) {
			switch {
			case ac[x] < bc[y].UID:
				x++
			case bc[y].UID < ac[x]:
				y++
			default:
				x++
				y++
			}
			total++
		}
		total += len(ac) - x + len(bc) - y
		ends[i+1] = total
	}
	return ends
}

// emaMatrix is the bonds EMA, row i being col[start[i]:end[i]], sorted by column. Rows
// may leave slots unused between them: the EMA is merged backwards over the memory of
// the weights for bonds (emaLayout).
type emaMatrix struct {
	col        []uint16
	val        []Fixed
	start, end []int
}

// storedEntries counts the EMA entries of the rows of permitted neurons, the ones stored.
func (m *emaMatrix) storedEntries(permits []bool) int {
	total := 0
	for i, ok := range permits {
		if ok {
			total += m.end[i] - m.start[i]
		}
	}
	return total
}

// emaLayout prepares the storage of the EMA of the weights for bonds w and the old bonds
// over the union of their entries. Row i gets the slots up to ends[i+1], its share of
// the union, and is to be merged from its end backwards; the caller records where each
// row starts. The slots are w's own arrays when they have room (they were sized for
// every stored weight, and in a steady subnet bonds sit where weights are), so that
// nothing is allocated: a position is written only after the entry of w there has been
// read, as up to the end of any row there are never fewer slots than entries of w.
func emaLayout(w *sparseMatrix, old storedBonds) (m emaMatrix, ends []int) {
	ends = unionEnds(w, old)
	rows := w.rows()
	total := ends[rows]
	m.col, m.val = w.col[:cap(w.col)], w.val[:cap(w.val)]
	if len(m.col) < total || len(m.val) < total {
		m.col, m.val = make([]uint16, total), make([]Fixed, total)
	}
	m.start, m.end = make([]int, rows), ends[1:]
	return m, ends
}

// bondRows holds the bond rows that the output stores, one per neuron: nil for a neuron
// without a new permit (subtensor empties those rows), a non-nil row, possibly empty,
// for every neuron with one. All rows share one allocation.
type bondRows [][]Entry

// newBondRows allocates the stored rows, total entries for the rows of permitted neurons.
func newBondRows(permits []bool, total int) (bondRows, []Entry) {
	return make(bondRows, len(permits)), make([]Entry, total)
}

// classicBonds computes classic Yuma bonds and dividends. Old bonds (stored max-upscaled
// per column) are column-normalised; the new bond delta, each validator's weights for
// bonds scaled by its active stake (clipAndScale has computed it with its column sums),
// is column-normalised; their EMA, α·delta + (1−α)·old over the union of both
// matrices' entries keeping only positive results, is column-normalised again. A
// validator's dividends are Σ_j bond_ij·incentive_j, normalised. Bonds are stored with
// each column scaled so that its largest entry is 65535; only the rows of validators
// holding a new permit are, as nobody stores the others.
//
// subtensor makes a pass per operation (inplace_col_normalize_sparse, mat_ema_sparse,
// matmul_transpose_sparse, inplace_col_max_upscale_sparse, fixed_proportion_to_u16);
// here there are two: the EMA, which normalises its inputs as it reads them, and one
// that normalises, pays dividends, upscales and encodes each entry, with the same
// roundings per entry. Every operand multiplied is in [0, 1] (mulUnit).
//
// A column's largest normalised bond is the normalisation of its largest bond, since
// truncated division by a common positive sum never reverses an order; so the EMA pass
// finds the maxima that the upscale divides by before anything is normalised.
func classicBonds(delta *sparseMatrix, deltaSums []Fixed, old storedBonds, incentive []Fixed, alpha Fixed,
	permits []bool, n int) (bondRows, []Fixed) {
	oldDiv := make([]integerSumDivisor, n)
	for j, s := range old.colSums {
		if s > 0 {
			oldDiv[j] = newIntegerSumDivisor(s)
		}
	}
	deltaDiv := divisorsFor(deltaSums)
	keep := One.Sub(alpha)
	// The EMA is written over the delta, in place, when the delta's arrays have room
	// for it (they were sized for every stored weight; in a steady subnet bonds sit where
	// weights are). Each row is merged from its end backwards into the slots that end at
	// ends[i+1], a row's share of the union; a position is written only after the delta
	// entry there has been read, as there are never fewer slots up to the end of a row
	// than delta entries. Entries that come out 0 leave the row's first slots unused.
	ema, ends := emaLayout(delta, old)
	emaCol, emaVal := ema.col, ema.val
	rowsN := delta.rows()
	emaSums := make([]Fixed, n)
	emaMax := make([]Fixed, n)
	for i := rowsN - 1; i >= 0; i-- {
		aStart, a := delta.rowStart[i], delta.rowStart[i+1]-1
		bonds := old.rows[i]
		b := len(bonds) - 1
		w := ends[i+1]
		for a >= aStart || b >= 0 {
			// A zero numerator stays 0 whether or not its column sums to 0 (then every
			// entry of the column is 0), so only positive ones are divided.
			var j uint16
			var v Fixed
			switch {
			case b < 0 || (a >= aStart && delta.col[a] > bonds[b].UID):
				j = delta.col[a]
				if d := delta.val[a]; d > 0 {
					dn, ok := deltaDiv[j].quick(d)
					if !ok {
						dn = deltaDiv[j].div(d)
					}
					v = mulUnit(alpha, dn)
				}
				a--
			case a < aStart || bonds[b].UID > delta.col[a]:
				j = bonds[b].UID
				if u := bonds[b].Value; u > 0 {
					on, ok := oldDiv[j].quick(u)
					if !ok {
						on = oldDiv[j].div(u)
					}
					v = mulUnit(keep, on)
				}
				b--
			default:
				j = delta.col[a]
				var dn, on Fixed
				if d := delta.val[a]; d > 0 {
					var ok bool
					if dn, ok = deltaDiv[j].quick(d); !ok {
						dn = deltaDiv[j].div(d)
					}
				}
				if u := bonds[b].Value; u > 0 {
					var ok bool
					if on, ok = oldDiv[j].quick(u); !ok {
						on = oldDiv[j].div(u)
					}
				}
				v = mulUnit(alpha, dn).Add(mulUnit(keep, on))
				a--
				b--
			}
			if v > 0 {
				w--
				emaCol[w], emaVal[w] = j, v
				emaSums[j] = emaSums[j].Add(v)
				emaMax[j] = max(emaMax[j], v)
			}
		}
		ema.start[i] = w
	}

	// Every column with an entry has a positive sum, so every entry is divided.
	emaDiv := divisorsFor(emaSums)
	maxDiv := make([]fixedDivisor, n)
	for j, m := range emaMax {
		if m > 0 {
			if m = emaDiv[j].div(m); m > 0 {
				maxDiv[j] = newFixedDivisor(m)
			}
		}
	}
	rows, storage := newBondRows(permits, ema.storedEntries(permits))
	dividends := make([]Fixed, rowsN)
	w := 0
	for i := range dividends {
		var d Fixed
		start, end := ema.start[i], ema.end[i]
		if !permits[i] {
			for k := start; k < end; k++ {
				j := emaCol[k]
				v, ok := emaDiv[j].quick(emaVal[k])
				if !ok {
					v = emaDiv[j].div(emaVal[k])
				}
				d = d.Add(mulUnit(incentive[j], v))
			}
			dividends[i] = d
			continue
		}
		first := w
		for k := start; k < end; k++ {
			j := emaCol[k]
			v, ok := emaDiv[j].quick(emaVal[k])
			if !ok {
				v = emaDiv[j].div(emaVal[k])
			}
			d = d.Add(mulUnit(incentive[j], v))
			// A column whose largest normalised bond is 0 holds only zeros: kept as they are.
			if maxDiv[j].set() {
				u := v
				if v, ok = maxDiv[j].quick(u); !ok {
					v = maxDiv[j].div(u)
				}
			}
			storage[w] = Entry{UID: j, Value: toU16Unit(v)}
			w++
		}
		dividends[i] = d
		rows[i] = storage[first:w:w]
	}
	normalize(dividends)
	return rows, dividends
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
// normalised. Bonds are stored as fractions of 65535 (fixed_proportion_to_u16), encoded
// in the dividends pass.
func yuma3Bonds(wfb *sparseMatrix, old storedBonds, activeStake, incentive, consensus []Fixed, p Params,
	permits []bool, n int) (bondRows, []Fixed) {
	colSums := make([]Fixed, n)
	var ema emaMatrix
	if p.LiquidAlpha && anyNonZero(consensus) {
		ema = liquidEMABonds(wfb, old, consensus, newLiquidAlpha(p), colSums)
	} else {
		ema = yuma3EMABonds(wfb, old, emaAlpha(p.BondsMovingAverage), colSums)
	}
	// Σ_j (b_ij / Σ_k b_kj)·incentive_j, normalising each bond on the fly rather than
	// copying the matrix: the same operations in the same order as normalising first.
	// Every bond is positive, so its column's sum is too.
	colDiv := divisorsFor(colSums)
	rows, stored := newBondRows(permits, ema.storedEntries(permits))
	dividends := make([]Fixed, len(ema.start))
	w := 0
	for i := range dividends {
		var s Fixed
		start, end := ema.start[i], ema.end[i]
		for k := start; k < end; k++ {
			j := ema.col[k]
			b, ok := colDiv[j].quick(ema.val[k])
			if !ok {
				b = colDiv[j].div(ema.val[k])
			}
			s = s.Add(mulUnit(incentive[j], b))
		}
		dividends[i] = s.Mul(activeStake[i])
		if permits[i] {
			first := w
			for k := start; k < end; k++ {
				stored[w] = Entry{UID: ema.col[k], Value: toU16Unit(ema.val[k])}
				w++
			}
			rows[i] = stored[first:w:w]
		}
	}
	normalize(dividends)
	return rows, dividends
}

// yuma3EMABonds returns α·w + (1−α)·b entry by entry over the union of the weights for
// bonds and the old bonds (as fractions of 65535), keeping only positive results
// (mat_ema_sparse). colSums receives each column's sum. Both operands and α lie in
// [0, 1] (mulUnit). wfb's memory may hold the result (emaLayout).
func yuma3EMABonds(wfb *sparseMatrix, old storedBonds, alpha Fixed, colSums []Fixed) emaMatrix {
	keep := One.Sub(alpha)
	ema, ends := emaLayout(wfb, old)
	for i := wfb.rows() - 1; i >= 0; i-- {
		aStart, a := wfb.rowStart[i], wfb.rowStart[i+1]-1
		bonds := old.rows[i]
		b := len(bonds) - 1
		w := ends[i+1]
		for a >= aStart || b >= 0 {
			var j uint16
			var v Fixed
			switch {
			case b < 0 || (a >= aStart && wfb.col[a] > bonds[b].UID):
				j, v = wfb.col[a], mulUnit(alpha, wfb.val[a])
				a--
			case a < aStart || bonds[b].UID > wfb.col[a]:
				j, v = bonds[b].UID, mulUnit(keep, u16ProportionToFixed(bonds[b].Value))
				b--
			default:
				j = wfb.col[a]
				v = mulUnit(alpha, wfb.val[a]).Add(mulUnit(keep, u16ProportionToFixed(bonds[b].Value)))
				a--
				b--
			}
			if v > 0 {
				w--
				ema.col[w], ema.val[w] = j, v
				colSums[j] = colSums[j].Add(v)
			}
		}
		ema.start[i] = w
	}
	return ema
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
//
// The result overwrites wfb's memory: an entry is written only at or before the
// position it was read from.
func liquidEMABonds(wfb *sparseMatrix, old storedBonds, consensus []Fixed, la liquidAlpha, colSums []Fixed) emaMatrix {
	rows := wfb.rows()
	out := emaMatrix{col: wfb.col, val: wfb.val, start: make([]int, rows), end: make([]int, rows)}
	zeroGapExponent := la.slope.Mul(-half)
	zeroGapExp := expSafe(zeroGapExponent)
	zeroGapAlpha := la.alphaFromExp(zeroGapExp) // alpha is a function of the exponential alone
	var bonds, exps, pending []Fixed
	var pendingAt []int
	w := 0
	for i := range rows {
		wc, wv := wfb.row(i)
		bc := old.rows[i]
		out.start[i] = w
		bonds, exps = bonds[:0], exps[:0]
		pending, pendingAt = pending[:0], pendingAt[:0]
		b := 0
		for k, j := range wc {
			for b < len(bc) && bc[b].UID < j {
				b++
			}
			var bond Fixed
			if b < len(bc) && bc[b].UID == j {
				bond = u16ProportionToFixed(bc[b].Value)
			}
			bonds = append(bonds, bond)
			// A gap of 0, a weight at or below consensus, is the common case: its
			// exponent is known without the multiplication.
			x := zeroGapExponent
			if gap := liquidGap(consensus[j], wv[k], bond); gap != 0 {
				x = la.slope.Mul(gap.Sub(half))
			}
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
			a := zeroGapAlpha
			if e := exps[k]; e != zeroGapExp {
				a = la.alphaFromExp(e)
			}
			// α lies in [alpha_low, alpha_high] ⊆ [0, 1], as do bonds and weights for
			// bonds (mulUnit); the product is never negative.
			bond := bonds[k]
			decayed := mulUnit(One.Sub(a), bond)
			inc := mulUnit(a, wv[k])
			if v := decayed.Add(inc).Min(One); v > 0 {
				out.col[w], out.val[w] = j, v
				colSums[j] = colSums[j].Add(v)
				w++
			}
		}
		out.end[i] = w
	}
	return out
}
