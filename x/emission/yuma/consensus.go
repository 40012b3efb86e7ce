package yuma

import "math/bits"

// u16Fraction converts a stored u16 fraction (kappa, bonds penalty, alpha bounds: parts
// of 65535) to the fraction subtensor uses, the truncated quotient.
func u16Fraction(u uint16) Fixed { return FixedFromU16Proportion(u) }

// consensusWeights returns, for every miner j, the stake-weighted kappa-median of the
// weights that validators with active stake gave it: the largest weight that validators
// holding at least kappa of the stake gave j or more. Precisely, as subtensor's
// weighted_median_col_sparse: the validators' stakes are renormalised among those with
// stake, the minority is Σstake − kappa, and the result is the smallest weight v whose
// cumulative stake (all stake on weights ≤ v) exceeds the minority, or the largest weight
// if none does. Validators that gave j nothing count as weight 0.
//
// The columns are gathered once (O(entries)), and each column's median is found by a
// radix selection over the weights' bits (weightedRadixSelect), linear in the column.
//
// Every normalised stake is non-negative and they sum to at most 1, so the stake sums
// below are exact integer additions: no partial sum can saturate, and the order of
// addition cannot matter.
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

	// Gather the positive weights of staked validators column by column, each packed
	// with the validator's index among the staked ones (below 2^16, as UIDs are):
	// weight<<16 | index. Row-normalised weights are at most 1 (2^32 raw), so the packed
	// key fits in 49 bits and orders entries by weight.
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
	keys := make([]uint64, colStart[n])
	fill := append([]int(nil), colStart[:n]...)
	v := uint64(0)
	for i, s := range activeStake {
		if s <= 0 {
			continue
		}
		cols, vals := w.row(i)
		for k, j := range cols {
			if vals[k] > 0 {
				keys[fill[j]] = uint64(vals[k])<<16 | v
				fill[j]++
			}
		}
		v++
	}

	var sel radixSelector
	for j := 0; j < n; j++ {
		col := keys[colStart[j]:colStart[j+1]]
		if len(col) == 0 {
			continue // the median is 0
		}
		var weighted Fixed
		for _, key := range col {
			weighted += useStake[key&0xffff]
		}
		zeroStake := stakeSum.Sub(weighted)
		if len(col) < m && zeroStake > minority {
			continue // the validators that gave nothing hold more than the minority: 0
		}
		out[j] = sel.selectWeighted(col, useStake, minority.Sub(zeroStake))
	}
	return out
}

// radixSelector keeps the stake histogram that weighted selection reuses column after
// column.
type radixSelector struct {
	hist [256]Fixed
}

// selectWeighted returns the smallest weight whose cumulative stake (the stake of every
// key at or below it) exceeds target, or the largest weight if none does. keys are
// weight<<16 | stake index; they are reordered.
//
// It narrows the candidates eight bits at a time: the weights still in play share every
// bit above their highest differing bit, so the eight bits below it sort them into 256
// ordered buckets; the first bucket whose cumulative stake exceeds target holds the
// answer, and the stake of the buckets below it is carried along. Each round is one pass
// and there are at most five (weights have 33 bits).
func (r *radixSelector) selectWeighted(keys []uint64, stake []Fixed, target Fixed) Fixed {
	var below Fixed // stake of every key already known to lie below the candidates
	for {
		if len(keys) <= 16 {
			return selectSorted(keys, stake, below, target)
		}
		lo, hi := keys[0]>>16, keys[0]>>16
		for _, key := range keys[1:] {
			s := key >> 16
			lo = min(lo, s)
			hi = max(hi, s)
		}
		if lo == hi {
			return Fixed(lo)
		}
		shift := max(bits.Len64(lo^hi)-8, 0) + 16
		first, last := int(lo<<16>>shift&255), int(hi<<16>>shift&255)
		hist := r.hist[first : last+1]
		clear(hist)
		for _, key := range keys {
			r.hist[key>>shift&255] += stake[key&0xffff]
		}
		cum := below
		bucket := -1
		for b, h := range hist {
			if cum+h > target {
				bucket = first + b
				break
			}
			cum += h
		}
		if bucket < 0 {
			return Fixed(hi)
		}
		below = cum
		kept := 0
		for _, key := range keys {
			if int(key>>shift&255) == bucket {
				keys[kept] = key
				kept++
			}
		}
		keys = keys[:kept]
	}
}

// selectSorted is selectWeighted for a few keys: sort, then scan.
func selectSorted(keys []uint64, stake []Fixed, below, target Fixed) Fixed {
	for a := 1; a < len(keys); a++ {
		for b := a; b > 0 && keys[b] < keys[b-1]; b-- {
			keys[b], keys[b-1] = keys[b-1], keys[b]
		}
	}
	cum := below
	for k, key := range keys {
		cum += stake[key&0xffff]
		last := k+1 == len(keys) || keys[k+1]>>16 != key>>16
		if last && cum > target {
			return Fixed(key >> 16)
		}
	}
	return Fixed(keys[len(keys)-1] >> 16)
}

// minerScores holds what the epoch learns about miners from the clipped weights.
type minerScores struct {
	rank      []Fixed // normalised Σ_i s_i·clipped_ij; also the incentive
	trust     []Fixed // Σ_i s_i·clipped_ij / Σ_i s_i·w_ij, before normalisation
	incentive []Fixed
}

// clipAndScore clips the weights at consensus and computes what depends on the clipped
// weights, in one pass over the weights:
//
//   - Clipping: every weight on miner j is cut down to consensus c_j; a weight above a
//     consensus of 0 is dropped rather than kept as 0, as subtensor's col_clip_sparse does.
//   - Rank, trust, incentive: rank_j = Σ_i s_i·clipped_ij normalised to sum to 1;
//     incentive equals rank; trust_j = Σ_i s_i·clipped_ij / Σ_i s_i·w_ij, the fraction
//     of a miner's stake-weighted weight that clipping kept.
//   - Validator trust: vtrust_i = Σ_j clipped_ij, 1 for a validator that agreed with
//     consensus everywhere.
//   - The bonds penalty: bonds are built from weights moved a fraction penalty of the way
//     from the raw weights toward the clipped ones (0: raw weights, 1: clipped weights).
//     In between, entries that come out 0 are dropped, as subtensor's interpolate_sparse
//     does.
//
// w is overwritten with the weights for bonds. Every sum here adds non-negative terms,
// so its saturating result does not depend on the order of the terms.
func clipAndScore(w *sparseMatrix, c, activeStake []Fixed, penalty Fixed, n int) (minerScores, []Fixed) {
	preranks := make([]Fixed, n)
	ranks := make([]Fixed, n)
	vtrust := make([]Fixed, w.rows())
	out := 0
	start := 0
	for i := range vtrust {
		end := w.rowStart[i+1]
		s := activeStake[i]
		var vt Fixed
		for k := start; k < end; k++ {
			j, v := w.col[k], w.val[k]
			cv, kept := v, true
			if cj := c[j]; cj < v {
				cv, kept = cj, cj > 0
			}
			if s != 0 {
				preranks[j] = preranks[j].Add(s.Mul(v))
				if kept {
					ranks[j] = ranks[j].Add(s.Mul(cv))
				}
			}
			if kept {
				vt = vt.Add(cv)
			}
			switch penalty {
			case 0:
			case One:
				if !kept {
					continue
				}
				v = cv
			default:
				if !kept {
					cv = 0
				}
				if v = v.Add(penalty.Mul(cv.Sub(v))); v <= 0 {
					continue
				}
			}
			w.col[out], w.val[out] = j, v
			out++
		}
		vtrust[i] = vt
		w.rowStart[i+1] = out
		start = end
	}
	w.truncate()
	trust := make([]Fixed, n)
	for j := range trust {
		trust[j] = ranks[j].Div(preranks[j])
	}
	normalize(ranks)
	incentive := append([]Fixed(nil), ranks...)
	return minerScores{rank: ranks, trust: trust, incentive: incentive}, vtrust
}
