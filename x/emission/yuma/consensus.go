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
// The columns are gathered once (O(entries)), a band of columns at a time, and each
// column's median is found by a radix selection over the weights' bits (selectWeighted),
// linear in the column, while the band is still in cache.
//
// Every normalised stake is non-negative and they sum to at most 1, so the stake sums
// below are exact integer additions: no partial sum can saturate, and the order of
// addition cannot matter.
func consensusWeights(w *sparseMatrix, activeStake []Fixed, n int, kappa Fixed) []Fixed {
	return countedConsensusWeights(w, activeStake, n, kappa, nil)
}

// countedConsensusWeights is consensusWeights given colStart[j+1], the number of
// positive weights on miner j from validators with active stake, as buildCountedWeights
// counts them; with colStart nil it counts them itself.
func countedConsensusWeights(w *sparseMatrix, activeStake []Fixed, n int, kappa Fixed, colStart []int) []Fixed {
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
	counted := colStart != nil
	if !counted {
		colStart = make([]int, n+1)
	}
	staked := make([]int, 0, m) // the rows of staked validators, in UID order
	for i, s := range activeStake {
		if s <= 0 {
			continue
		}
		staked = append(staked, i)
		if counted {
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
	// Columns are gathered and settled a band at a time, a band being consecutive
	// columns holding about bandKeys keys (or one larger column): in a dense matrix every
	// row touches every column, so gathering all columns at once would write to every
	// memory page of the keys for each row, and read them back from main memory for the
	// selection. A band's keys stay in cache from gathering to selection, and one buffer
	// the size of the largest band serves all of them. Each staked row keeps a cursor to
	// where its next band starts.
	const bandKeys = 1 << 15
	bandEnds := []int{}
	largest := 0
	for j0 := 0; j0 < n; {
		j1 := j0 + 1
		for j1 < n && colStart[j1+1]-colStart[j0] <= bandKeys {
			j1++
		}
		bandEnds = append(bandEnds, j1)
		largest = max(largest, colStart[j1]-colStart[j0])
		j0 = j1
	}
	keys := make([]uint64, largest)
	fill := make([]int, n)
	cursor := make([]int, len(staked))
	for v, i := range staked {
		cursor[v] = w.rowStart[i]
	}
	var sel radixSelector
	bandStart := 0
	for _, bandEnd := range bandEnds {
		base := colStart[bandStart]
		for j := bandStart; j < bandEnd; j++ {
			fill[j] = colStart[j] - base
		}
		for v, i := range staked {
			k, end := cursor[v], w.rowStart[i+1]
			for ; k < end && int(w.col[k]) < bandEnd; k++ {
				if val := w.val[k]; val > 0 {
					j := w.col[k]
					keys[fill[j]] = uint64(val)<<16 | uint64(v)
					fill[j]++
				}
			}
			cursor[v] = k
		}
		for j := bandStart; j < bandEnd; j++ {
			out[j] = sel.columnConsensus(keys[colStart[j]-base:colStart[j+1]-base], useStake, m, stakeSum, minority)
		}
		bandStart = bandEnd
	}
	return out
}

// columnConsensus returns the consensus of one miner whose positive weights from the m
// staked validators are col (keys as selectWeighted takes them).
func (r *radixSelector) columnConsensus(col []uint64, useStake []Fixed, m int, stakeSum, minority Fixed) Fixed {
	if len(col) == 0 {
		return 0 // the median is 0
	}
	// One pass finds the stake on the column and the range of its weights, which the
	// selection's first round would otherwise read the column again for.
	var weighted Fixed
	lo, hi := col[0]>>16, col[0]>>16
	for _, key := range col {
		weighted += useStake[key&0xffff]
		lo = min(lo, key>>16)
		hi = max(hi, key>>16)
	}
	zeroStake := stakeSum.Sub(weighted)
	if len(col) < m && zeroStake > minority {
		return 0 // the validators that gave nothing hold more than the minority
	}
	target := minority.Sub(zeroStake)
	if len(col) <= 16 {
		return selectSorted(col, useStake, 0, target)
	}
	return r.selectIn(col, useStake, target, lo, hi)
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
	if len(keys) <= 16 {
		return selectSorted(keys, stake, 0, target)
	}
	lo, hi := keyRange(keys)
	return r.selectIn(keys, stake, target, lo, hi)
}

// keyRange returns the smallest and the largest weight among keys (not empty).
func keyRange(keys []uint64) (lo, hi uint64) {
	lo, hi = keys[0]>>16, keys[0]>>16
	for _, key := range keys[1:] {
		s := key >> 16
		lo = min(lo, s)
		hi = max(hi, s)
	}
	return lo, hi
}

// selectIn is selectWeighted for more than 16 keys whose weights range over [lo, hi].
func (r *radixSelector) selectIn(keys []uint64, stake []Fixed, target Fixed, lo, hi uint64) Fixed {
	var below Fixed // stake of every key already known to lie below the candidates
	for {
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
		if len(keys) <= 16 {
			return selectSorted(keys, stake, below, target)
		}
		lo, hi = keyRange(keys)
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
// so its saturating result does not depend on the order of the terms. Stakes and weights
// lie in [0, 1] (mulUnit).
func clipAndScore(w *sparseMatrix, c, activeStake []Fixed, penalty Fixed, n int) (minerScores, []Fixed) {
	miners, vtrust, _ := clipAndScale(w, c, activeStake, penalty, n, false)
	return miners, vtrust
}

// clipAndScale is clipAndScore that, when scale is set, goes on to what classic bonds do
// first with the weights for bonds: each is multiplied by its validator's active stake
// (the bond delta), which w then holds, and deltaSums receives each column's sum.
func clipAndScale(w *sparseMatrix, c, activeStake []Fixed, penalty Fixed, n int, scale bool) (
	miners minerScores, vtrust, deltaSums []Fixed) {
	// What the pass reads and adds up per miner sits together, one cache line for two
	// miners, as each row sweeps across the miners it weights.
	type minerColumn struct{ consensus, prerank, rank, delta Fixed }
	cols := make([]minerColumn, n)
	for j := range cols {
		cols[j].consensus = c[j]
	}
	vtrust = make([]Fixed, w.rows())
	out := 0
	start := 0
	for i := range vtrust {
		end := w.rowStart[i+1]
		s := activeStake[i]
		var vt Fixed
		for k := start; k < end; k++ {
			j, v := w.col[k], w.val[k]
			col := &cols[j]
			// About half the weights on a miner lie above its consensus, so the clip is
			// computed without a branch. A weight cut to a consensus of 0 is dropped; the
			// sums may still add its 0.
			cv := min(v, col.consensus)
			kept := cv > 0 || cv == v
			if s != 0 {
				col.prerank = col.prerank.Add(mulUnit(s, v))
				col.rank = col.rank.Add(mulUnit(s, cv))
			}
			vt = vt.Add(cv)
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
			if scale {
				v = mulUnit(v, s)
				col.delta = col.delta.Add(v)
			}
			w.col[out], w.val[out] = j, v
			out++
		}
		vtrust[i] = vt
		w.rowStart[i+1] = out
		start = end
	}
	w.truncate()
	ranks := make([]Fixed, n)
	trust := make([]Fixed, n)
	if scale {
		deltaSums = make([]Fixed, n)
	}
	for j, col := range cols {
		ranks[j] = col.rank
		trust[j] = col.rank.Div(col.prerank)
		if scale {
			deltaSums[j] = col.delta
		}
	}
	normalize(ranks)
	incentive := append([]Fixed(nil), ranks...)
	return minerScores{rank: ranks, trust: trust, incentive: incentive}, vtrust, deltaSums
}
