package yuma

import (
	"math/bits"
	"slices"
)

// u16Fraction converts a stored u16 fraction (kappa, bonds penalty, alpha bounds: parts
// of 65535) to the fraction subtensor uses, the truncated quotient.
func u16Fraction(u uint16) Fixed { return FixedFromU16Proportion(u) }

// scoredStake is one validator's weight on a miner together with that validator's stake.
type scoredStake struct {
	score Fixed
	stake Fixed
}

// consensusWeights returns, for every miner j, the stake-weighted kappa-median of the
// weights that validators with active stake gave it: the largest weight that validators
// holding at least kappa of the stake gave j or more. Precisely, as subtensor's
// weighted_median_col_sparse: the validators' stakes are renormalised among those with
// stake, the minority is Σstake − kappa, and the result is the smallest weight v whose
// cumulative stake (all stake on weights ≤ v) exceeds the minority, or the largest weight
// if none does. Validators that gave j nothing count as weight 0.
//
// The columns are gathered once (O(entries)), and each column's median is found by
// selection, which is linear on average and falls back to sorting, so a column never
// costs more than O(v log v) for v validators weighting it.
func consensusWeights(w *sparseMatrix, activeStake []Fixed, n int, kappa Fixed) []Fixed {
	out := make([]Fixed, n)
	useStake := make([]Fixed, 0, len(activeStake))
	for _, s := range activeStake {
		if s > 0 {
			useStake = append(useStake, s)
		}
	}
	normalize(useStake)
	m := len(useStake)
	if m == 0 {
		return out
	}
	stakeSum := sum(useStake)
	minority := stakeSum.Sub(kappa)

	// Gather the positive weights of staked validators column by column.
	colStart := make([]int, n+1)
	for i, s := range activeStake {
		if s <= 0 {
			continue
		}
		cols, vals := w.row(i)
		for k, j := range cols {
			if vals[k] > 0 {
				colStart[j+1]++
			}
		}
	}
	for j := 0; j < n; j++ {
		colStart[j+1] += colStart[j]
	}
	entries := make([]scoredStake, colStart[n])
	fill := append([]int(nil), colStart[:n]...)
	v := 0
	for i, s := range activeStake {
		if s <= 0 {
			continue
		}
		cols, vals := w.row(i)
		for k, j := range cols {
			if vals[k] > 0 {
				entries[fill[j]] = scoredStake{score: vals[k], stake: useStake[v]}
				fill[j]++
			}
		}
		v++
	}

	for j := 0; j < n; j++ {
		col := entries[colStart[j]:colStart[j+1]]
		var weighted Fixed
		for _, e := range col {
			weighted = weighted.Add(e.stake)
		}
		zeros := m - len(col)
		zeroStake := stakeSum.Sub(weighted)
		if len(col) == 0 || (zeros > 0 && zeroStake > minority) {
			continue // the median is 0
		}
		out[j] = weightedSelect(col, minority.Sub(zeroStake))
	}
	return out
}

// weightedSelect returns the smallest score whose cumulative stake exceeds target, or the
// largest score if none does. It reorders e.
func weightedSelect(e []scoredStake, target Fixed) Fixed {
	var below Fixed // stake of everything already discarded below e
	limit := 2*bits.Len(uint(len(e))) + 8
	for round := 0; ; round++ {
		if len(e) == 1 {
			return e[0].score
		}
		if round > limit {
			return weightedSelectSorted(e, below, target)
		}
		pivot := e[len(e)/2].score
		lt, gt, lessStake, equalStake := partition3(e, pivot)
		switch {
		case lt > 0 && target < below.Add(lessStake):
			e = e[:lt]
		case gt < len(e) && below.Add(lessStake).Add(equalStake) <= target:
			below = below.Add(lessStake).Add(equalStake)
			e = e[gt:]
		default:
			return pivot
		}
	}
}

// partition3 reorders e into scores below, equal to and above pivot, returning the bounds
// [0,lt) [lt,gt) [gt,len) and the stake below and at the pivot.
func partition3(e []scoredStake, pivot Fixed) (lt, gt int, lessStake, equalStake Fixed) {
	lt, i, gt := 0, 0, len(e)
	for i < gt {
		switch s := e[i].score; {
		case s < pivot:
			lessStake = lessStake.Add(e[i].stake)
			e[lt], e[i] = e[i], e[lt]
			lt++
			i++
		case s > pivot:
			gt--
			e[gt], e[i] = e[i], e[gt]
		default:
			equalStake = equalStake.Add(e[i].stake)
			i++
		}
	}
	return lt, gt, lessStake, equalStake
}

// weightedSelectSorted is weightedSelect by sorting: the bound on selection rounds that
// keeps a column's cost O(v log v) whatever the weights.
func weightedSelectSorted(e []scoredStake, below, target Fixed) Fixed {
	slices.SortFunc(e, func(a, b scoredStake) int {
		switch {
		case a.score < b.score:
			return -1
		case a.score > b.score:
			return 1
		}
		return 0
	})
	cum := below
	for k := 0; k < len(e); k++ {
		cum = cum.Add(e[k].stake)
		last := k+1 == len(e) || e[k+1].score != e[k].score
		if last && cum > target {
			return e[k].score
		}
	}
	return e[len(e)-1].score
}

// clipWeights returns the weights with each weight on miner j cut down to consensus c_j.
// A weight above a consensus of 0 is dropped rather than kept as 0, as subtensor's
// col_clip_sparse does.
func clipWeights(w *sparseMatrix, c []Fixed) *sparseMatrix {
	out := newSparse(w.rows(), w.nnz())
	for i := 0; i < w.rows(); i++ {
		cols, vals := w.row(i)
		for k, j := range cols {
			switch v, cj := vals[k], c[j]; {
			case cj < v:
				if cj > 0 {
					out.push(j, cj)
				}
			default:
				out.push(j, v)
			}
		}
		out.endRow()
	}
	return out
}
