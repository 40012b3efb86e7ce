package yuma

import "math/bits"

// weightsForBonds applies the bonds penalty: bonds are built from weights moved a
// fraction penalty of the way from the raw weights toward the clipped ones (0: raw
// weights, 1: clipped weights). In between, entries that come out 0 are dropped, as
// subtensor's interpolate_sparse does.
func weightsForBonds(w, clipped *sparseMatrix, penalty Fixed) *sparseMatrix {
	switch penalty {
	case 0:
		return w
	case One:
		return clipped
	}
	out := newSparse(w.rows(), w.nnz())
	for i := 0; i < w.rows(); i++ {
		cols, vals := w.row(i)
		ccols, cvals := clipped.row(i)
		c := 0
		for k, j := range cols {
			// clipped's columns are a subset of w's, in the same order.
			var v2 Fixed
			if c < len(ccols) && ccols[c] == j {
				v2 = cvals[c]
				c++
			}
			v1 := vals[k]
			if v := v1.Add(penalty.Mul(v2.Sub(v1))); v > 0 {
				out.push(j, v)
			}
		}
		out.endRow()
	}
	return out
}

// emaAlpha is the bonds EMA rate 1 − bonds_moving_average/10^6. subtensor divides in
// I64F64 and drops 32 fractional bits, which is ⌊bma·2^32/10^6⌋.
func emaAlpha(bondsMovingAverage uint64) Fixed {
	hi, lo := bits.Mul64(bondsMovingAverage, 1<<fracBits)
	q, _ := bits.Div64(hi, lo, 1_000_000) // bma ≤ 10^6, so hi < 10^6
	return One.Sub(Fixed(q))
}

// emaBonds returns α·new + (1−α)·old entry by entry over the union of both matrices'
// entries, keeping only positive results (mat_ema_sparse).
func emaBonds(newer, older *sparseMatrix, alpha Fixed) *sparseMatrix {
	keep := One.Sub(alpha)
	out := newSparse(newer.rows(), unionSize(newer, older))
	for i := 0; i < newer.rows(); i++ {
		nc, nv := newer.row(i)
		oc, ov := older.row(i)
		a, b := 0, 0
		for a < len(nc) || b < len(oc) {
			var j uint16
			var v Fixed
			switch {
			case b == len(oc) || (a < len(nc) && nc[a] < oc[b]):
				j, v = nc[a], alpha.Mul(nv[a])
				a++
			case a == len(nc) || oc[b] < nc[a]:
				j, v = oc[b], keep.Mul(ov[b])
				b++
			default:
				j, v = nc[a], alpha.Mul(nv[a]).Add(keep.Mul(ov[b]))
				a++
				b++
			}
			if v > 0 {
				out.push(j, v)
			}
		}
		out.endRow()
	}
	return out
}

// unionSize counts the distinct (i, j) positions of two matrices, so that their EMA is
// allocated once at its final size.
func unionSize(a, b *sparseMatrix) int {
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

// classicBonds computes classic Yuma bonds and dividends. Old bonds (stored max-upscaled
// per column) are column-normalised; the new bond delta is each validator's weights
// scaled by its active stake, column-normalised; the EMA of the two is column-normalised
// again. A validator's dividends are Σ_j bond_ij·incentive_j, normalised. Bonds are then
// stored with each column scaled so that its largest entry is 65535. wfb is overwritten:
// it becomes the bond delta.
func classicBonds(wfb, oldBonds *sparseMatrix, activeStake, incentive []Fixed, alpha Fixed, n int) (*sparseMatrix, []Fixed) {
	oldBonds.normalizeColumns(n)
	delta := wfb
	delta.scaleRows(activeStake)
	delta.normalizeColumns(n)
	ema := emaBonds(delta, oldBonds, alpha)
	ema.normalizeColumns(n)
	dividends := ema.weightedRowSums(incentive)
	normalize(dividends)
	ema.maxUpscaleColumns(n)
	return ema, dividends
}

// yuma3Bonds computes Yuma 3 bonds and dividends. Each bond is its own EMA of the weight
// behind it, in [0,1], at rate α or, with liquid alpha, at a rate chosen per bond. A
// validator's dividends are its active stake times Σ_j (bond_ij / Σ_k bond_kj)·incentive_j,
// normalised. Bonds are stored as fractions of 65535.
func yuma3Bonds(wfb, oldBonds *sparseMatrix, activeStake, incentive, consensus []Fixed, p Params, n int) (*sparseMatrix, []Fixed) {
	var ema *sparseMatrix
	if p.LiquidAlpha && anyNonZero(consensus) {
		ema = liquidEMABonds(wfb, oldBonds, consensus, newLiquidAlpha(p))
	} else {
		ema = emaBonds(wfb, oldBonds, emaAlpha(p.BondsMovingAverage))
	}
	// Σ_j (b_ij / Σ_k b_kj)·incentive_j, normalising each bond on the fly rather than
	// copying the matrix: the same operations in the same order as normalising first.
	colSums := make([]Fixed, n)
	for k, j := range ema.col {
		colSums[j] = colSums[j].Add(ema.val[k])
	}
	dividends := make([]Fixed, ema.rows())
	for i := range dividends {
		cols, vals := ema.row(i)
		var s Fixed
		for k, j := range cols {
			b := vals[k]
			if cs := colSums[j]; cs != 0 {
				b = b.Div(cs)
			}
			s = s.Add(incentive[j].Mul(b))
		}
		dividends[i] = s.Mul(activeStake[i])
	}
	normalize(dividends)
	return ema, dividends
}

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
func liquidEMABonds(wfb, oldBonds *sparseMatrix, consensus []Fixed, la liquidAlpha) *sparseMatrix {
	out := newSparse(wfb.rows(), wfb.nnz())
	for i := 0; i < wfb.rows(); i++ {
		wc, wv := wfb.row(i)
		bc, bv := oldBonds.row(i)
		b := 0
		for k, j := range wc {
			for b < len(bc) && bc[b] < j {
				b++
			}
			var bond Fixed
			if b < len(bc) && bc[b] == j {
				bond = bv[b]
			}
			a := la.alpha(consensus[j], wv[k], bond)
			decayed := One.Sub(a).Mul(bond)
			inc := a.Mul(wv[k]).Max(0)
			if v := decayed.Add(inc).Min(One); v > 0 {
				out.push(j, v)
			}
		}
		out.endRow()
	}
	return out
}
