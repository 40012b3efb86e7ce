package yuma

import (
	"math"
	"sort"
)

// This file is a float64 reference implementation of the epoch, written independently of
// the fixed-point code (dense matrices, sorting for the median) and used by the property
// tests. It follows the same rules, including subtensor's sparse-matrix behaviour: an
// absent entry and an explicit 0 differ only in Yuma 3 with liquid alpha.

type refMatrix struct {
	v       [][]float64
	present [][]bool
}

func newRefMatrix(n int) refMatrix {
	m := refMatrix{v: make([][]float64, n), present: make([][]bool, n)}
	for i := range m.v {
		m.v[i] = make([]float64, n)
		m.present[i] = make([]bool, n)
	}
	return m
}

func (m refMatrix) set(i, j int, v float64) { m.v[i][j], m.present[i][j] = v, true }

func (m refMatrix) normalizeColumns() {
	n := len(m.v)
	for j := 0; j < n; j++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += m.v[i][j]
		}
		if s != 0 {
			for i := 0; i < n; i++ {
				m.v[i][j] /= s
			}
		}
	}
}

func refNormalize(x []float64) {
	s := 0.0
	for _, v := range x {
		s += v
	}
	if s != 0 {
		for i := range x {
			x[i] /= s
		}
	}
}

type refResult struct {
	active, permits                       []bool
	stake, activeStake                    []float64
	consensus, rank, trust, preranks      []float64
	incentive, dividends, vtrust, pruning []float64
	server, validator                     []float64 // shares of the emission
	bonds                                 refMatrix // as stored, in [0,1]
	// Conditioning, for the tolerance of the fixed-point comparison: the sum that ranks
	// are normalised by, and per miner the sum of bond deltas (classic) and the largest
	// normalised bond that stored bonds are divided by.
	rankSum              float64
	deltaSum, bondColMax []float64
}

func referenceEpoch(in Input) refResult {
	n := len(in.Neurons)
	p := in.Params
	r := refResult{}
	r.active = make([]bool, n)
	r.stake = make([]float64, n)
	for i, nr := range in.Neurons {
		r.active[i] = float64(nr.LastUpdate)+float64(p.ActivityCutoff) >= float64(in.Block)
		if nr.Stake >= p.MinValidatorStake {
			r.stake[i] = float64(nr.Stake)
		}
	}
	refNormalize(r.stake)

	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Most stake first; among equals the higher UID first.
	sort.Slice(order, func(a, b int) bool {
		if r.stake[order[a]] != r.stake[order[b]] {
			return r.stake[order[a]] > r.stake[order[b]]
		}
		return order[a] > order[b]
	})
	r.permits = make([]bool, n)
	for rank, i := range order {
		r.permits[i] = r.stake[i] > 0 && (n < int(p.MaxAllowedValidators) || rank < int(p.MaxAllowedValidators))
	}

	r.activeStake = make([]float64, n)
	for i := range r.activeStake {
		if r.active[i] && in.Neurons[i].ValidatorPermit {
			r.activeStake[i] = r.stake[i]
		}
	}
	refNormalize(r.activeStake)

	w := newRefMatrix(n)
	for i, nr := range in.Neurons {
		if !nr.ValidatorPermit {
			continue
		}
		s := 0.0
		for _, e := range nr.Weights {
			if int(e.UID) != i && nr.LastUpdate > in.Neurons[e.UID].RegisteredAt {
				s += float64(e.Value)
			}
		}
		for _, e := range nr.Weights {
			if int(e.UID) != i && nr.LastUpdate > in.Neurons[e.UID].RegisteredAt {
				v := float64(e.Value)
				if s > 0 {
					v /= s
				}
				w.set(i, int(e.UID), v)
			}
		}
	}

	kappa := float64(p.Kappa) / 65535
	r.consensus = make([]float64, n)
	for j := 0; j < n; j++ {
		type vs struct{ v, s float64 }
		var col []vs
		for i := 0; i < n; i++ {
			if r.activeStake[i] > 0 {
				col = append(col, vs{w.v[i][j], r.activeStake[i]})
			}
		}
		if len(col) == 0 {
			continue
		}
		sort.Slice(col, func(a, b int) bool { return col[a].v < col[b].v })
		total := 0.0
		for _, c := range col {
			total += c.s
		}
		minority := total - kappa
		cum := 0.0
		r.consensus[j] = col[len(col)-1].v
		for k, c := range col {
			cum += c.s
			if (k+1 == len(col) || col[k+1].v != c.v) && cum > minority {
				r.consensus[j] = c.v
				break
			}
		}
	}

	clipped := newRefMatrix(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if !w.present[i][j] {
				continue
			}
			c := r.consensus[j]
			if c < w.v[i][j] {
				if c > 0 {
					clipped.set(i, j, c)
				}
			} else {
				clipped.set(i, j, w.v[i][j])
			}
		}
	}
	r.vtrust = make([]float64, n)
	r.preranks = make([]float64, n)
	r.rank = make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			r.vtrust[i] += clipped.v[i][j]
			r.preranks[j] += r.activeStake[i] * w.v[i][j]
			r.rank[j] += r.activeStake[i] * clipped.v[i][j]
		}
	}
	r.trust = make([]float64, n)
	for j := range r.trust {
		if r.preranks[j] != 0 {
			r.trust[j] = r.rank[j] / r.preranks[j]
		}
	}
	for _, v := range r.rank {
		r.rankSum += v
	}
	refNormalize(r.rank)
	r.incentive = append([]float64(nil), r.rank...)

	penalty := float64(p.BondsPenalty) / 65535
	wfb := newRefMatrix(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			switch {
			case p.BondsPenalty == 0:
				if w.present[i][j] {
					wfb.set(i, j, w.v[i][j])
				}
			case p.BondsPenalty == math.MaxUint16:
				if clipped.present[i][j] {
					wfb.set(i, j, clipped.v[i][j])
				}
			default:
				if v := w.v[i][j] + penalty*(clipped.v[i][j]-w.v[i][j]); v > 0 {
					wfb.set(i, j, v)
				}
			}
		}
	}

	since := previousEpochStart(&in)
	old := newRefMatrix(n)
	for i, nr := range in.Neurons {
		for _, e := range nr.Bonds {
			if since > in.Neurons[e.UID].RegisteredAt {
				v := float64(e.Value)
				if p.Yuma3 {
					v /= 65535
				}
				old.set(i, int(e.UID), v)
			}
		}
	}
	alpha := 1 - float64(p.BondsMovingAverage)/1e6
	ema := func(newer refMatrix) refMatrix {
		out := newRefMatrix(n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if v := alpha*newer.v[i][j] + (1-alpha)*old.v[i][j]; v > 0 {
					out.set(i, j, v)
				}
			}
		}
		return out
	}
	r.dividends = make([]float64, n)
	if p.Yuma3 {
		var bonds refMatrix
		anyConsensus := false
		for _, c := range r.consensus {
			anyConsensus = anyConsensus || c != 0
		}
		if p.LiquidAlpha && anyConsensus {
			low, high := float64(p.AlphaLow)/65535, float64(p.AlphaHigh)/65535
			bonds = newRefMatrix(n)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if !wfb.present[i][j] {
						continue
					}
					wv, b := wfb.v[i][j], old.v[i][j]
					gap := math.Min(math.Max(b-wv, 0), 1)
					if wv >= b {
						gap = math.Min(math.Max(wv-r.consensus[j], 0), 1)
					}
					sig := 1 / (1 + math.Exp(-float64(p.AlphaSigmoidSteepness)/100*(gap-0.5)))
					a := math.Min(math.Max(low+sig*(high-low), low), high)
					if v := math.Min((1-a)*b+math.Max(a*wv, 0), 1); v > 0 {
						bonds.set(i, j, v)
					}
				}
			}
		} else {
			bonds = ema(wfb)
		}
		norm := newRefMatrix(n)
		for i := 0; i < n; i++ {
			copy(norm.v[i], bonds.v[i])
		}
		norm.normalizeColumns()
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				r.dividends[i] += norm.v[i][j] * r.incentive[j]
			}
			r.dividends[i] *= r.activeStake[i]
		}
		r.bonds = bonds
	} else {
		old.normalizeColumns()
		delta := newRefMatrix(n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if wfb.present[i][j] {
					delta.set(i, j, wfb.v[i][j]*r.activeStake[i])
				}
			}
		}
		r.deltaSum = make([]float64, n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				r.deltaSum[j] += delta.v[i][j]
			}
		}
		delta.normalizeColumns()
		bonds := ema(delta)
		bonds.normalizeColumns()
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				r.dividends[i] += bonds.v[i][j] * r.incentive[j]
			}
		}
		r.bondColMax = make([]float64, n)
		for j := 0; j < n; j++ {
			mx := 0.0
			for i := 0; i < n; i++ {
				mx = math.Max(mx, bonds.v[i][j])
			}
			r.bondColMax[j] = mx
			if mx > 0 {
				for i := 0; i < n; i++ {
					bonds.v[i][j] /= mx
				}
			}
		}
		r.bonds = bonds
	}
	refNormalize(r.dividends)

	r.server = make([]float64, n)
	r.validator = make([]float64, n)
	r.pruning = make([]float64, n)
	total := 0.0
	for i := 0; i < n; i++ {
		total += r.incentive[i] + r.dividends[i]
	}
	if total == 0 {
		fallback := r.activeStake
		s := 0.0
		for _, v := range fallback {
			s += v
		}
		if s == 0 {
			fallback = r.stake
		}
		copy(r.validator, fallback)
		copy(r.pruning, fallback)
	} else {
		for i := 0; i < n; i++ {
			r.server[i] = r.incentive[i] / total
			r.validator[i] = r.dividends[i] / total
			r.pruning[i] = (r.incentive[i] + r.dividends[i]) / total
		}
	}
	return r
}
