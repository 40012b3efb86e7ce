// This file keeps the epoch as it was before it was optimised (commit eef73cd), every
// top-level name prefixed with "old", as the oracle that the optimised epoch must match
// bit for bit: oracle_equivalence_test.go runs both on the same random and edge-case
// subnets and compares every output field. Do not optimise this file; it is the
// straightforward transcription of subtensor's steps that the golden files were made from.

package yuma

import (
	"math"
	"math/bits"
	"slices"
)

// Epoch runs one Yuma consensus epoch over a subnet. It is a pure function: the same
// input gives the same output on every machine. It returns a *FieldError for malformed
// input and never panics.
func oldEpoch(in Input) (Output, error) {
	if err := oldValidate(&in); err != nil {
		return Output{}, err
	}
	n := len(in.Neurons)
	p := in.Params
	out := Output{Neurons: make([]NeuronResult, n), DustUID: -1}

	active := oldActiveMask(in.Neurons, in.Block, p.ActivityCutoff)
	stake := oldNormalizedStake(in.Neurons, p.MinValidatorStake)
	permits := oldNewValidatorPermits(stake, int(p.MaxAllowedValidators))
	oldPermits := make([]bool, n)
	for i := range in.Neurons {
		oldPermits[i] = in.Neurons[i].ValidatorPermit
	}
	activeStake := oldActiveValidatorStake(stake, active, oldPermits)

	weights := oldBuildRows(in.Neurons, false, oldU16AsInteger)
	oldMaskWeights(weights, in.Neurons)
	weights.normalizeRows()

	consensus := oldConsensusWeights(weights, activeStake, n, oldU16Fraction(p.Kappa))
	clipped := oldClipWeights(weights, consensus)
	vtrust := oldValidatorTrust(clipped)
	miners := oldScoreMiners(weights, clipped, activeStake, n)

	wfb := oldWeightsForBonds(weights, clipped, oldU16Fraction(p.BondsPenalty))
	since := oldPreviousEpochStart(&in)
	var bonds *oldSparseMatrix
	var dividends []Fixed
	if p.Yuma3 {
		old := oldBuildRows(in.Neurons, true, FixedFromU16Proportion)
		oldMaskNewcomerBonds(old, in.Neurons, since)
		bonds, dividends = oldYuma3Bonds(wfb, old, activeStake, miners.incentive, consensus, p, n)
	} else {
		old := oldBuildRows(in.Neurons, true, oldU16AsInteger)
		oldMaskNewcomerBonds(old, in.Neurons, since)
		bonds, dividends = oldClassicBonds(wfb, old, activeStake, miners.incentive, oldEmaAlpha(p.BondsMovingAverage), n)
	}

	shares := oldSplitEmission(miners.incentive, dividends, stake, activeStake)
	oldPayEmission(shares, in.Emission, &out)

	storedBonds := make([]Entry, 0, oldBondsStoredFor(bonds, permits))
	for i := range out.Neurons {
		r := &out.Neurons[i]
		r.Active = active[i]
		r.Rank = miners.rank[i]
		r.Trust = miners.trust[i]
		r.Consensus = consensus[i]
		r.Incentive = miners.incentive[i]
		r.Dividends = dividends[i]
		r.ValidatorTrust = vtrust[i]
		r.PruningScore = shares.combined[i]
		r.ValidatorPermit = permits[i]

		if !permits[i] {
			continue
		}
		cols, vals := bonds.row(i)
		start := len(storedBonds)
		for k, j := range cols {
			storedBonds = append(storedBonds, Entry{UID: j, Value: vals[k].ToU16Proportion()})
		}
		r.Bonds = storedBonds[start:len(storedBonds):len(storedBonds)]
	}
	return out, nil
}

// bondsStoredFor counts the bond entries that permitted validators keep, so that all bond
// rows of the output share one allocation.
func oldBondsStoredFor(b *oldSparseMatrix, permits []bool) int {
	total := 0
	for i, ok := range permits {
		if ok {
			total += b.rowStart[i+1] - b.rowStart[i]
		}
	}
	return total
}

// sparseMatrix is an n×n matrix kept row by row (compressed sparse rows). Each row's
// entries are sorted by column. Storage is proportional to the number of entries, never
// to n², so that a large subnet with few weights stays cheap.
//
// An entry may hold 0: subtensor keeps explicitly stored zero weights in its sparse rows,
// and in Yuma 3 with liquid alpha an explicit zero weight still decays the matching bond
// where an absent one drops it.
type oldSparseMatrix struct {
	rowStart []int // row i is col[rowStart[i]:rowStart[i+1]]
	col      []uint16
	val      []Fixed
}

func oldNewSparse(rows, capacity int) *oldSparseMatrix {
	m := &oldSparseMatrix{
		rowStart: make([]int, 1, rows+1),
		col:      make([]uint16, 0, capacity),
		val:      make([]Fixed, 0, capacity),
	}
	return m
}

func (m *oldSparseMatrix) rows() int { return len(m.rowStart) - 1 }

func (m *oldSparseMatrix) nnz() int { return len(m.col) }

// push appends an entry to the row being built; columns must come in ascending order.
func (m *oldSparseMatrix) push(j uint16, v Fixed) {
	m.col = append(m.col, j)
	m.val = append(m.val, v)
}

// endRow closes the row being built.
func (m *oldSparseMatrix) endRow() { m.rowStart = append(m.rowStart, len(m.col)) }

func (m *oldSparseMatrix) row(i int) ([]uint16, []Fixed) {
	a, b := m.rowStart[i], m.rowStart[i+1]
	return m.col[a:b], m.val[a:b]
}

// filter keeps, in place, the entries for which keep returns true.
func (m *oldSparseMatrix) filter(keep func(i int, j uint16) bool) {
	w := 0
	start := 0
	for i := 0; i < m.rows(); i++ {
		end := m.rowStart[i+1]
		for k := start; k < end; k++ {
			if keep(i, m.col[k]) {
				m.col[w], m.val[w] = m.col[k], m.val[k]
				w++
			}
		}
		start = end
		m.rowStart[i+1] = w
	}
	m.col, m.val = m.col[:w], m.val[:w]
}

// rowSums returns Σ_j m_ij for every row (subtensor's row_sum_sparse).
func (m *oldSparseMatrix) rowSums() []Fixed {
	out := make([]Fixed, m.rows())
	for i := range out {
		_, vals := m.row(i)
		var s Fixed
		for _, v := range vals {
			s = s.Add(v)
		}
		out[i] = s
	}
	return out
}

// normalizeRows divides each row by its sum where that sum is positive
// (inplace_row_normalize_sparse).
func (m *oldSparseMatrix) normalizeRows() {
	for i := 0; i < m.rows(); i++ {
		_, vals := m.row(i)
		var s Fixed
		for _, v := range vals {
			s = s.Add(v)
		}
		if s <= 0 {
			continue
		}
		for k := range vals {
			vals[k] = vals[k].Div(s)
		}
	}
}

// normalizeColumns divides each entry by its column's sum where that sum is not zero
// (inplace_col_normalize_sparse).
func (m *oldSparseMatrix) normalizeColumns(n int) {
	sums := make([]Fixed, n)
	for k, j := range m.col {
		sums[j] = sums[j].Add(m.val[k])
	}
	for k, j := range m.col {
		if s := sums[j]; s != 0 {
			m.val[k] = m.val[k].Div(s)
		}
	}
}

// maxUpscaleColumns divides each entry by its column's largest entry, so that every
// column's maximum becomes 1 (inplace_col_max_upscale_sparse).
func (m *oldSparseMatrix) maxUpscaleColumns(n int) {
	maxes := make([]Fixed, n)
	for k, j := range m.col {
		if m.val[k] > maxes[j] {
			maxes[j] = m.val[k]
		}
	}
	for k, j := range m.col {
		if mx := maxes[j]; mx != 0 {
			m.val[k] = m.val[k].Div(mx)
		}
	}
}

// scaleRows multiplies row i by s_i (row_hadamard_sparse).
func (m *oldSparseMatrix) scaleRows(s []Fixed) {
	for i := 0; i < m.rows(); i++ {
		_, vals := m.row(i)
		for k := range vals {
			vals[k] = vals[k].Mul(s[i])
		}
	}
}

// weightedColumnSums returns r_j = Σ_i s_i·m_ij (matmul_sparse: the vector times the matrix).
func (m *oldSparseMatrix) weightedColumnSums(s []Fixed, n int) []Fixed {
	out := make([]Fixed, n)
	for i := 0; i < m.rows(); i++ {
		cols, vals := m.row(i)
		for k, j := range cols {
			out[j] = out[j].Add(s[i].Mul(vals[k]))
		}
	}
	return out
}

// weightedRowSums returns d_i = Σ_j v_j·m_ij (matmul_transpose_sparse: the matrix times
// the vector).
func (m *oldSparseMatrix) weightedRowSums(v []Fixed) []Fixed {
	out := make([]Fixed, m.rows())
	for i := range out {
		cols, vals := m.row(i)
		var s Fixed
		for k, j := range cols {
			s = s.Add(v[j].Mul(vals[k]))
		}
		out[i] = s
	}
	return out
}

// normalize divides every element by the sum where the sum is not zero
// (inplace_normalize).
func oldNormalize(x []Fixed) {
	s := oldSum(x)
	if s == 0 {
		return
	}
	for i := range x {
		x[i] = x[i].Div(s)
	}
}

// sum adds x up. Saturation cannot change a result here: every vector summed in the epoch
// is made of non-negative fractions of a whole.
func oldSum(x []Fixed) Fixed {
	var s Fixed
	for _, v := range x {
		s = s.Add(v)
	}
	return s
}

// maskWeights removes, in place, the weights that Yuma does not count:
//   - every weight set by a neuron without a validator permit from the previous epoch;
//   - self-weights (i = j);
//   - weights set before their target's current holder registered
//     (last_update_i ≤ registered_at_j, as subtensor compares): they were meant for a
//     neuron that has since been replaced.
//
// Commit-reveal subnets mask one more set in subtensor, weights whose commit predates the
// target's registration. The caller applies that by leaving those entries out of the
// rows it passes in: masks commute with each other and all come before normalisation.
func oldMaskWeights(w *oldSparseMatrix, neurons []Neuron) {
	w.filter(func(i int, j uint16) bool {
		if !neurons[i].ValidatorPermit || int(j) == i {
			return false
		}
		return neurons[i].LastUpdate > neurons[j].RegisteredAt
	})
}

// previousEpochStart is the block subtensor compares registrations with to find bonds
// to neurons that registered since the previous epoch: the block after that epoch, or,
// for a subnet that never ran one, one tempo ago.
func oldPreviousEpochStart(in *Input) uint64 {
	if in.LastEpochBlock == 0 {
		if in.Params.Tempo > in.Block {
			return 0
		}
		return in.Block - in.Params.Tempo
	}
	if in.LastEpochBlock == ^uint64(0) {
		return in.LastEpochBlock
	}
	return in.LastEpochBlock + 1
}

// maskNewcomerBonds removes, in place, bonds held in neurons that registered at or after
// the start of the previous epoch: a new holder of a UID inherits none of the bonds that
// validators built with the old one.
func oldMaskNewcomerBonds(b *oldSparseMatrix, neurons []Neuron, since uint64) {
	b.filter(func(_ int, j uint16) bool {
		return since > neurons[j].RegisteredAt
	})
}

// u16Fraction converts a stored u16 fraction (kappa, bonds penalty, alpha bounds: parts
// of 65535) to the fraction subtensor uses, the truncated quotient.
func oldU16Fraction(u uint16) Fixed { return FixedFromU16Proportion(u) }

// scoredStake is one validator's weight on a miner together with that validator's stake.
type oldScoredStake struct {
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
func oldConsensusWeights(w *oldSparseMatrix, activeStake []Fixed, n int, kappa Fixed) []Fixed {
	out := make([]Fixed, n)
	useStake := make([]Fixed, 0, len(activeStake))
	for _, s := range activeStake {
		if s > 0 {
			useStake = append(useStake, s)
		}
	}
	oldNormalize(useStake)
	m := len(useStake)
	if m == 0 {
		return out
	}
	stakeSum := oldSum(useStake)
	minority := stakeSum.Sub(kappa)

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
	entries := make([]oldScoredStake, colStart[n])
	fill := append([]int(nil), colStart[:n]...)
	v := 0
	for i, s := range activeStake {
		if s <= 0 {
			continue
		}
		cols, vals := w.row(i)
		for k, j := range cols {
			if vals[k] > 0 {
				entries[fill[j]] = oldScoredStake{score: vals[k], stake: useStake[v]}
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
			continue
		}
		out[j] = oldWeightedSelect(col, minority.Sub(zeroStake))
	}
	return out
}

// weightedSelect returns the smallest score whose cumulative stake exceeds target, or the
// largest score if none does. It reorders e.
func oldWeightedSelect(e []oldScoredStake, target Fixed) Fixed {
	var below Fixed // stake of everything already discarded below e
	limit := 2*bits.Len(uint(len(e))) + 8
	for round := 0; ; round++ {
		if len(e) == 1 {
			return e[0].score
		}
		if round > limit {
			return oldWeightedSelectSorted(e, below, target)
		}
		pivot := e[len(e)/2].score
		lt, gt, lessStake, equalStake := oldPartition3(e, pivot)
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
func oldPartition3(e []oldScoredStake, pivot Fixed) (lt, gt int, lessStake, equalStake Fixed) {
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
func oldWeightedSelectSorted(e []oldScoredStake, below, target Fixed) Fixed {
	slices.SortFunc(e, func(a, b oldScoredStake) int {
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
func oldClipWeights(w *oldSparseMatrix, c []Fixed) *oldSparseMatrix {
	out := oldNewSparse(w.rows(), w.nnz())
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

// minerScores holds what the epoch learns about miners from the clipped weights.
type oldMinerScores struct {
	rank      []Fixed // normalised Σ_i s_i·clipped_ij; also the incentive
	trust     []Fixed // Σ_i s_i·clipped_ij / Σ_i s_i·w_ij, before normalisation
	incentive []Fixed
}

// scoreMiners computes rank, trust and incentive. Rank is the active stake-weighted sum
// of clipped weights each miner received, normalised to sum to 1; incentive equals rank.
// Trust is the fraction of a miner's stake-weighted weight that clipping kept.
func oldScoreMiners(w, clipped *oldSparseMatrix, activeStake []Fixed, n int) oldMinerScores {
	preranks := w.weightedColumnSums(activeStake, n)
	ranks := clipped.weightedColumnSums(activeStake, n)
	trust := make([]Fixed, n)
	for j := range trust {
		trust[j] = ranks[j].Div(preranks[j])
	}
	oldNormalize(ranks)
	incentive := append([]Fixed(nil), ranks...)
	return oldMinerScores{rank: ranks, trust: trust, incentive: incentive}
}

// validatorTrust is, for each validator, the sum of its normalised weights that survived
// clipping: 1 for a validator that agreed with consensus everywhere.
func oldValidatorTrust(clipped *oldSparseMatrix) []Fixed { return clipped.rowSums() }

// weightsForBonds applies the bonds penalty: bonds are built from weights moved a
// fraction penalty of the way from the raw weights toward the clipped ones (0: raw
// weights, 1: clipped weights). In between, entries that come out 0 are dropped, as
// subtensor's interpolate_sparse does.
func oldWeightsForBonds(w, clipped *oldSparseMatrix, penalty Fixed) *oldSparseMatrix {
	switch penalty {
	case 0:
		return w
	case One:
		return clipped
	}
	out := oldNewSparse(w.rows(), w.nnz())
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
func oldEmaAlpha(bondsMovingAverage uint64) Fixed {
	hi, lo := bits.Mul64(bondsMovingAverage, 1<<fracBits)
	q, _ := bits.Div64(hi, lo, 1_000_000)
	return One.Sub(Fixed(q))
}

// emaBonds returns α·new + (1−α)·old entry by entry over the union of both matrices'
// entries, keeping only positive results (mat_ema_sparse).
func oldEmaBonds(newer, older *oldSparseMatrix, alpha Fixed) *oldSparseMatrix {
	keep := One.Sub(alpha)
	out := oldNewSparse(newer.rows(), oldUnionSize(newer, older))
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
func oldUnionSize(a, b *oldSparseMatrix) int {
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
func oldClassicBonds(wfb, oldBonds *oldSparseMatrix, activeStake, incentive []Fixed, alpha Fixed, n int) (*oldSparseMatrix, []Fixed) {
	oldBonds.normalizeColumns(n)
	delta := wfb
	delta.scaleRows(activeStake)
	delta.normalizeColumns(n)
	ema := oldEmaBonds(delta, oldBonds, alpha)
	ema.normalizeColumns(n)
	dividends := ema.weightedRowSums(incentive)
	oldNormalize(dividends)
	ema.maxUpscaleColumns(n)
	return ema, dividends
}

// yuma3Bonds computes Yuma 3 bonds and dividends. Each bond is its own EMA of the weight
// behind it, in [0,1], at rate α or, with liquid alpha, at a rate chosen per bond. A
// validator's dividends are its active stake times Σ_j (bond_ij / Σ_k bond_kj)·incentive_j,
// normalised. Bonds are stored as fractions of 65535.
func oldYuma3Bonds(wfb, oldBonds *oldSparseMatrix, activeStake, incentive, consensus []Fixed, p Params, n int) (*oldSparseMatrix, []Fixed) {
	var ema *oldSparseMatrix
	if p.LiquidAlpha && oldAnyNonZero(consensus) {
		ema = oldLiquidEMABonds(wfb, oldBonds, consensus, oldNewLiquidAlpha(p))
	} else {
		ema = oldEmaBonds(wfb, oldBonds, oldEmaAlpha(p.BondsMovingAverage))
	}

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
	oldNormalize(dividends)
	return ema, dividends
}

func oldAnyNonZero(x []Fixed) bool {
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
func oldLiquidEMABonds(wfb, oldBonds *oldSparseMatrix, consensus []Fixed, la oldLiquidAlpha) *oldSparseMatrix {
	out := oldNewSparse(wfb.rows(), wfb.nnz())
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

// liquidAlpha picks a bond's EMA rate from how far its validator's weight is from
// consensus (Yuma 3 with liquid alpha). A validator buying into a miner above consensus,
// or selling a bond it holds above its weight, moves at a rate near alpha_high when the
// gap is large and near alpha_low when it is small:
//
//	gap   = w − c            when w ≥ b (buying),  clamped to [0,1]
//	      = b − w            otherwise (selling),  clamped to [0,1]
//	sig   = 1 / (1 + e^(−(steepness/100)·(gap − ½)))
//	alpha = alpha_low + sig·(alpha_high − alpha_low), clamped to [alpha_low, alpha_high]
type oldLiquidAlpha struct {
	low, high Fixed
	// slope is −steepness/100, truncated as subtensor divides it.
	slope Fixed
}

func oldNewLiquidAlpha(p Params) oldLiquidAlpha {
	return oldLiquidAlpha{
		low:   oldU16Fraction(p.AlphaLow),
		high:  oldU16Fraction(p.AlphaHigh),
		slope: FixedFromInt(int64(p.AlphaSigmoidSteepness)).SatDiv(FixedFromInt(-100)),
	}
}

// alpha is subtensor's alpha_sigmoid for consensus c, weight w and old bond b.
func (la oldLiquidAlpha) alpha(c, w, b Fixed) Fixed {
	gap := b.Sub(w).clamp(0, One)
	if w >= b {
		gap = w.Sub(c).clamp(0, One)
	}
	sig := One.SatDiv(One.Add(oldExpSafe(la.slope.Mul(gap.Sub(half)))))
	a := la.low.Add(sig.Mul(la.high.Sub(la.low)))
	return a.clamp(la.low, la.high)
}

// expLimit bounds the exponent as subtensor's exp_safe does: e^20 still fits in I32F32.
const oldExpLimit Fixed = 20 << fracBits

// eI9F23 is e as substrate_fixed stores it for exp(1): e with 23 fractional bits,
// truncated, widened to 32 fractional bits.
const oldEI9F23 Fixed = 22802600 << (fracBits - 23)

// expSafe returns e^x for x clamped to [−20, 20], computed exactly as substrate_fixed's
// exp: the Taylor series 1 + x + x²/2! + … to the x^31 term, each term rounded as I32F32
// arithmetic rounds it, and 1/e^|x| for negative x.
func oldExpSafe(x Fixed) Fixed {
	x = x.clamp(-oldExpLimit, oldExpLimit)
	switch x {
	case 0:
		return One
	case One:
		return oldEI9F23
	}
	neg := x < 0
	if neg {
		x = -x
	}

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

// emissionShares are the normalised shares of the epoch's emission.
type oldEmissionShares struct {
	server    []Fixed // incentive / Σ(incentive + dividends)
	validator []Fixed // dividends / Σ(incentive + dividends)
	combined  []Fixed // (incentive + dividends) normalised; also the pruning score
}

// splitEmission divides the emission between miners and validators. Incentive and
// dividends each sum to 1 (or 0), so when both exist miners get half by incentive and
// validators half by dividends. When neither exists (no weights, only self-weights,
// only outdated weights) the validators' share follows active stake, or all stake if no
// stake is active, and miners get nothing, as in subtensor.
func oldSplitEmission(incentive, dividends, stake, activeStake []Fixed) oldEmissionShares {
	n := len(incentive)
	sh := oldEmissionShares{
		server:    make([]Fixed, n),
		validator: make([]Fixed, n),
		combined:  make([]Fixed, n),
	}
	for i := 0; i < n; i++ {
		sh.combined[i] = incentive[i].Add(dividends[i])
	}
	total := oldSum(sh.combined)
	if total == 0 {
		fallback := activeStake
		if oldSum(activeStake) == 0 {
			fallback = stake
		}
		copy(sh.server, incentive)
		copy(sh.validator, fallback)
		copy(sh.combined, fallback)
		return sh
	}
	for i := 0; i < n; i++ {
		sh.server[i] = incentive[i].Div(total)
		sh.validator[i] = dividends[i].Div(total)
		sh.combined[i] = sh.combined[i].Div(total)
	}
	return sh
}

// shareOf returns ⌊share·emission⌋ in umind, as subtensor computes it in I96F32.
func oldShareOf(share Fixed, emission uint64) uint64 {
	if share <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(share), emission)
	if hi>>fracBits != 0 {
		return math.MaxUint64
	}
	return hi<<(64-fracBits) | lo>>fracBits
}

// payEmission turns shares into umind. Each part is rounded down as subtensor rounds it;
// what rounding leaves over (the dust, a few umind per neuron at most) goes whole to the
// single largest part: the neuron holding it (lowest UID on a tie, miner part before
// validator part) gets it added to that part. If every part is 0 nobody earned anything,
// and the dust, then the whole emission, is reported undistributed (DustUID = −1).
func oldPayEmission(sh oldEmissionShares, emission uint64, out *Output) {
	var paid uint64
	best, bestValidator := -1, false
	var bestAmount uint64
	for i := range out.Neurons {
		r := &out.Neurons[i]
		r.ServerEmission = oldShareOf(sh.server[i], emission)
		r.ValidatorEmission = oldShareOf(sh.validator[i], emission)
		paid += r.ServerEmission + r.ValidatorEmission
		if r.ServerEmission > bestAmount {
			best, bestValidator, bestAmount = i, false, r.ServerEmission
		}
		if r.ValidatorEmission > bestAmount {
			best, bestValidator, bestAmount = i, true, r.ValidatorEmission
		}
	}
	for i := range out.Neurons {
		r := &out.Neurons[i]
		r.Emission = r.ServerEmission + r.ValidatorEmission
	}

	if paid > emission {
		paid = emission
	}
	out.Dust = emission - paid
	out.DustUID = best
	if best < 0 || out.Dust == 0 {
		return
	}
	r := &out.Neurons[best]
	if bestValidator {
		r.ValidatorEmission += out.Dust
	} else {
		r.ServerEmission += out.Dust
	}
	r.Emission += out.Dust
}

// activeMask reports which neurons are active: those that set weights within
// activity_cutoff blocks (subtensor: inactive when last_update + cutoff < block).
func oldActiveMask(neurons []Neuron, block, cutoff uint64) []bool {
	active := make([]bool, len(neurons))
	for i := range neurons {
		last := neurons[i].LastUpdate
		limit := last + cutoff
		if limit < last {
			limit = ^uint64(0)
		}
		active[i] = limit >= block
	}
	return active
}

// normalizedStake returns every neuron's share of the total stake, counting stake below
// minStake as zero. subtensor divides in I64F64 and then drops 32 fractional bits; that is
// ⌊s_i·2^32 / Σs⌋ exactly, which is what is computed here. validate has bounded Σs by
// 2^63−1.
func oldNormalizedStake(neurons []Neuron, minStake uint64) []Fixed {
	out := make([]Fixed, len(neurons))
	var total uint64
	for i := range neurons {
		if s := neurons[i].Stake; s >= minStake {
			total += s
		}
	}
	if total == 0 {
		return out
	}
	for i := range neurons {
		s := neurons[i].Stake
		if s < minStake || s == 0 {
			continue
		}

		q, _ := bits.Div64(s>>(64-fracBits), s<<fracBits, total)
		out[i] = Fixed(q)
	}
	return out
}

// newValidatorPermits grants permits to the k neurons with the most (normalised) stake,
// never to one with zero stake. Ties at the cut go to the higher UID: subtensor sorts
// UIDs by stake with a stable ascending sort and withdraws the first n−k, so among equal
// stakes the lower UIDs are withdrawn first (is_topk_nonzero).
func oldNewValidatorPermits(stake []Fixed, k int) []bool {
	n := len(stake)
	permit := make([]bool, n)
	for i, s := range stake {
		permit[i] = s != 0
	}
	if n < k {
		return permit
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case stake[a] < stake[b]:
			return -1
		case stake[a] > stake[b]:
			return 1
		}
		return a - b
	})
	for _, i := range order[:n-k] {
		permit[i] = false
	}
	return permit
}

// activeValidatorStake returns stake masked to active neurons that held a permit from
// the previous epoch, normalised to sum to 1: the voting power in consensus and bonds.
func oldActiveValidatorStake(stake []Fixed, active, permit []bool) []Fixed {
	out := make([]Fixed, len(stake))
	for i, s := range stake {
		if active[i] && permit[i] {
			out[i] = s
		}
	}
	oldNormalize(out)
	return out
}

// validate checks everything about the input that the epoch relies on, so that the
// steps after it cannot fail or panic.
func oldValidate(in *Input) error {
	n := len(in.Neurons)
	if n > MaxNeurons {
		return fieldErr("neurons", ErrTooManyNeurons, "%d neurons, at most %d fit in u16 UIDs", n, MaxNeurons)
	}
	p := in.Params
	if p.BondsMovingAverage > 1_000_000 {
		return fieldErr("params.bonds_moving_average", ErrBadParam,
			"%d is above 1000000 (it is in parts per million)", p.BondsMovingAverage)
	}
	if p.AlphaLow > p.AlphaHigh {
		return fieldErr("params.alpha_low", ErrBadParam,
			"alpha_low %d is above alpha_high %d", p.AlphaLow, p.AlphaHigh)
	}
	var total uint64
	for i := range in.Neurons {
		s := in.Neurons[i].Stake
		if s > math.MaxInt64-total {
			return fieldErr(oldIndexed("neurons", i, "stake"), ErrStakeOverflow,
				"total stake exceeds %d umind", uint64(math.MaxInt64))
		}
		total += s
	}

	seen := make([]int32, n)
	for kind, name := range []string{"weights", "bonds"} {
		for i := range in.Neurons {
			row := in.Neurons[i].Weights
			if kind == 1 {
				row = in.Neurons[i].Bonds
			}
			stamp := int32(2*i + kind + 1)
			for k, e := range row {
				if int(e.UID) >= n {
					return fieldErr(oldIndexedEntry(i, name, k), ErrUIDOutOfRange,
						"uid %d out of range (subnet has %d neurons)", e.UID, n)
				}
				if seen[e.UID] == stamp {
					return fieldErr(oldIndexedEntry(i, name, k), ErrDuplicateUID,
						"uid %d appears twice in the row", e.UID)
				}
				seen[e.UID] = stamp
			}
		}
	}
	return nil
}

func oldIndexed(list string, i int, field string) string {
	return list + "[" + oldItoa(i) + "]." + field
}

func oldIndexedEntry(i int, row string, k int) string {
	return "neurons[" + oldItoa(i) + "]." + row + "[" + oldItoa(k) + "]"
}

func oldItoa(i int) string {
	var b [20]byte
	pos := len(b)
	if i == 0 {
		return "0"
	}
	for i > 0 {
		pos--
		b[pos] = byte('0' + i%10)
		i /= 10
	}
	return string(b[pos:])
}

// buildRows turns stored rows into a sparse matrix with rows sorted by UID, converting
// each u16 with conv. The input is assumed validated.
func oldBuildRows(neurons []Neuron, bonds bool, conv func(uint16) Fixed) *oldSparseMatrix {
	total := 0
	for i := range neurons {
		if bonds {
			total += len(neurons[i].Bonds)
		} else {
			total += len(neurons[i].Weights)
		}
	}
	m := oldNewSparse(len(neurons), total)
	for i := range neurons {
		row := neurons[i].Weights
		if bonds {
			row = neurons[i].Bonds
		}
		start := len(m.col)
		for _, e := range row {
			m.push(e.UID, conv(e.Value))
		}
		oldSortRow(m.col[start:], m.val[start:])
		m.endRow()
	}
	return m
}

// sortRow sorts one row's entries by column. Rows normally arrive sorted (x/weights keeps
// them so), in which case this only checks.
func oldSortRow(cols []uint16, vals []Fixed) {
	if slices.IsSorted(cols) {
		return
	}
	type pair struct {
		j uint16
		v Fixed
	}
	ps := make([]pair, len(cols))
	for k := range cols {
		ps[k] = pair{cols[k], vals[k]}
	}
	slices.SortFunc(ps, func(a, b pair) int { return int(a.j) - int(b.j) })
	for k, p := range ps {
		cols[k], vals[k] = p.j, p.v
	}
}

// u16AsInteger converts a stored weight or classic bond to the fixed-point integer it
// stands for; subtensor normalises these afterwards.
func oldU16AsInteger(u uint16) Fixed { return FixedFromInt(int64(u)) }
