package yuma

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

// randomSubnet builds a subnet of n neurons exercising every mask: inactive neurons,
// neurons without permits, self-weights, explicit zero weights, weights older than their
// target's registration, bonds to newcomers, stake below the minimum.
func randomSubnet(rng *rand.Rand, n int) Input {
	const block = 10_000
	in := Input{
		Block:    block,
		Emission: uint64(rng.Int63n(1e12)),
		Params: Params{
			Kappa:                 32767,
			ActivityCutoff:        uint64(rng.Intn(8000)),
			MaxAllowedValidators:  uint16(1 + rng.Intn(n+4)),
			BondsMovingAverage:    uint64(rng.Intn(1_000_001)),
			Yuma3:                 rng.Intn(2) == 0,
			LiquidAlpha:           rng.Intn(2) == 0,
			AlphaSigmoidSteepness: int16(rng.Intn(4001) - 2000),
			Tempo:                 uint64(rng.Intn(500)),
		},
	}
	if rng.Intn(3) == 0 {
		in.Params.Kappa = uint16(rng.Intn(65536))
	}
	switch rng.Intn(3) {
	case 0:
		in.Params.BondsPenalty = math.MaxUint16
	case 1:
		in.Params.BondsPenalty = uint16(rng.Intn(65536))
	}
	lo, hi := uint16(rng.Intn(65536)), uint16(rng.Intn(65536))
	in.Params.AlphaLow, in.Params.AlphaHigh = min(lo, hi), max(lo, hi)
	if rng.Intn(4) == 0 {
		in.Params.MinValidatorStake = uint64(rng.Int63n(1e11))
	}
	if rng.Intn(2) == 0 {
		in.LastEpochBlock = uint64(block - rng.Intn(1000))
	}
	validators := 1 + rng.Intn(min(n, 256))
	in.Neurons = make([]Neuron, n)
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		nr.RegisteredAt = uint64(rng.Intn(block))
		nr.LastUpdate = uint64(rng.Intn(block + 1))
		if i < validators || rng.Intn(20) == 0 {
			nr.Stake = uint64(rng.Int63n(1e12))
			nr.ValidatorPermit = rng.Intn(5) != 0
		}
	}
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		if i < validators {
			nr.Weights = randomRow(rng, n, 1+rng.Intn(n), true)
		}
		if nr.ValidatorPermit && rng.Intn(3) != 0 {
			nr.Bonds = randomRow(rng, n, rng.Intn(n+1), false)
		}
	}
	return in
}

// randomRow picks k distinct UIDs in random order with random values; weight rows are
// max-upscaled so that their largest entry is 65535, as x/weights stores them.
func randomRow(rng *rand.Rand, n, k int, weights bool) []Entry {
	perm := rng.Perm(n)[:k]
	row := make([]Entry, k)
	var top uint16
	for x, j := range perm {
		v := uint16(rng.Intn(65536))
		if rng.Intn(10) == 0 {
			v = 0
		}
		row[x] = Entry{UID: uint16(j), Value: v}
		top = max(top, v)
	}
	if weights && top > 0 {
		for x := range row {
			row[x].Value = uint16(uint64(row[x].Value) * 65535 / uint64(top))
		}
	}
	return row
}

func fx(f Fixed) float64 { return float64(f) / float64(One) }

// TestEpochMatchesReference runs random subnets up to 1024 UIDs through Epoch and the
// float64 reference and compares every output.
func TestEpochMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(20240611))
	sizes := []int{1, 2, 3, 5, 8, 17, 33, 64, 100, 256}
	runs := 120
	if !testing.Short() {
		sizes = append(sizes, 1024, 1024, 1024)
		runs += 3
	}
	for run := 0; run < runs; run++ {
		n := sizes[run%len(sizes)]
		if run >= 120 {
			n = 1024
		}
		in := randomSubnet(rng, n)
		t.Run(fmt.Sprintf("run%d_n%d", run, n), func(t *testing.T) {
			out, err := Epoch(in)
			if err != nil {
				t.Fatal(err)
			}
			ref := referenceEpoch(in)
			compareWithReference(t, in, out, ref)
			checkInvariants(t, in, out, ref)
		})
	}
}

const tolerance = 1e-6

func compareWithReference(t *testing.T, in Input, out Output, ref refResult) {
	t.Helper()
	n := len(in.Neurons)
	validators := 0
	for _, s := range ref.activeStake {
		if s > 0 {
			validators++
		}
	}
	near := func(what string, i int, got Fixed, want, tol float64) {
		t.Helper()
		if d := math.Abs(fx(got) - want); d > tol {
			t.Errorf("%s[%d] = %.12f, reference %.12f (off by %.3g)", what, i, fx(got), want, d)
		}
	}
	for i := 0; i < n; i++ {
		r := out.Neurons[i]
		if r.Active != ref.active[i] {
			t.Errorf("active[%d] = %v, reference %v", i, r.Active, ref.active[i])
		}
		if r.ValidatorPermit != ref.permits[i] {
			t.Errorf("permit[%d] = %v, reference %v", i, r.ValidatorPermit, ref.permits[i])
		}
		near("consensus", i, r.Consensus, ref.consensus[i], tolerance)
		// Ranks are sums of one rounded product per validator, normalised by their total:
		// when that total is small (little weight survives clipping) the rounding grows
		// by as much.
		rankTol := tolerance
		if ref.rankSum > 0 {
			rankTol += float64(validators+2) / float64(One) / ref.rankSum
		}
		near("rank", i, r.Rank, ref.rank[i], rankTol)
		near("incentive", i, r.Incentive, ref.incentive[i], rankTol)
		divTol := tolerance + classicBondError(in, ref, validators)
		near("dividends", i, r.Dividends, ref.dividends[i], divTol)
		near("validator_trust", i, r.ValidatorTrust, ref.vtrust[i], tolerance)
		near("pruning_score", i, r.PruningScore, ref.pruning[i], max(rankTol, divTol))
		// Trust is a ratio of two sums of up to one rounded product per validator; its
		// error is that rounding divided by the denominator.
		trustTol := tolerance
		if ref.preranks[i] > 0 {
			trustTol += float64(validators+2) / float64(One) / ref.preranks[i]
		}
		near("trust", i, r.Trust, ref.trust[i], trustTol)
		e := float64(in.Emission)
		for _, part := range []struct {
			name  string
			got   uint64
			share float64
			tol   float64
		}{{"server_emission", r.ServerEmission, ref.server[i], rankTol}, {"validator_emission", r.ValidatorEmission, ref.validator[i], divTol}} {
			got := part.got
			if i == out.DustUID && got >= out.Dust {
				got -= out.Dust
			}
			if d := math.Abs(float64(got) - part.share*e); d > part.tol*e+1 {
				t.Errorf("%s[%d] = %d, reference %.1f", part.name, i, part.got, part.share*e)
			}
		}
		// Stored bonds are rounded down to parts of 65535.
		got := make([]float64, n)
		has := make([]bool, n)
		for _, b := range r.Bonds {
			got[b.UID], has[b.UID] = float64(b.Value)/65535, true
		}
		if !r.ValidatorPermit {
			if len(r.Bonds) != 0 {
				t.Errorf("neuron %d without permit keeps %d bonds", i, len(r.Bonds))
			}
			continue
		}
		for j := 0; j < n; j++ {
			want := ref.bonds.v[i][j]
			// Classic bond deltas are products rounded to 2^-32, normalised by their
			// column's sum and then divided by the column's largest bond: the rounding
			// grows by both.
			bondTol := tolerance
			if !in.Params.Yuma3 && ref.deltaSum[j] > 0 && ref.bondColMax[j] > 0 {
				bondTol += 4 * float64(validators+2) / float64(One) / (ref.deltaSum[j] * ref.bondColMax[j])
			}
			if has[j] != ref.bonds.present[i][j] && want > bondTol {
				t.Errorf("bond[%d][%d] present = %v, reference %v (%.9f)", i, j, has[j], ref.bonds.present[i][j], want)
			}
			if d := want - got[j]; d < -bondTol || d > 1.0/65535+bondTol {
				t.Errorf("bond[%d][%d] = %.9f, reference %.9f", i, j, got[j], want)
			}
		}
	}
}

// classicBondError bounds the rounding error of classic (column-normalised) bonds, and
// so of the dividends they yield: bond deltas are products rounded to 2^-32 and then
// divided by their column's sum.
func classicBondError(in Input, ref refResult, validators int) float64 {
	if in.Params.Yuma3 {
		return 0
	}
	worst := 0.0
	for j, s := range ref.deltaSum {
		if s > 0 && ref.incentive[j] > 0 {
			worst = max(worst, 4*float64(validators+2)/float64(One)/s)
		}
	}
	return worst
}

// checkInvariants checks what must hold of every epoch whatever its input.
func checkInvariants(t *testing.T, in Input, out Output, ref refResult) {
	t.Helper()
	n := len(in.Neurons)
	sumOf := func(get func(NeuronResult) Fixed) float64 {
		s := 0.0
		for _, r := range out.Neurons {
			s += fx(get(r))
		}
		return s
	}
	for _, v := range []struct {
		name string
		sum  float64
	}{
		{"incentive", sumOf(func(r NeuronResult) Fixed { return r.Incentive })},
		{"dividends", sumOf(func(r NeuronResult) Fixed { return r.Dividends })},
	} {
		if v.sum != 0 && math.Abs(v.sum-1) > tolerance {
			t.Errorf("%s sums to %.12f, want 0 or 1", v.name, v.sum)
		}
	}
	var paid uint64
	for _, r := range out.Neurons {
		if r.Emission != r.ServerEmission+r.ValidatorEmission {
			t.Errorf("emission %d is not server %d + validator %d", r.Emission, r.ServerEmission, r.ValidatorEmission)
		}
		paid += r.Emission
	}
	if out.DustUID < 0 {
		paid += out.Dust
	}
	if paid != in.Emission {
		t.Errorf("emission pays %d (dust %d to uid %d), input %d", paid, out.Dust, out.DustUID, in.Emission)
	}

	// Consensus is what a kappa-majority of active stake supports and no more: validators
	// holding at least kappa of the stake gave each miner at least its consensus, and
	// validators holding less than kappa gave it more.
	w := newRefMatrix(n)
	kappa := float64(in.Params.Kappa) / 65535
	norm := buildWeights(in.Neurons, registrations(in.Neurons))
	for i := 0; i < n; i++ {
		cols, vals := norm.row(i)
		for k, j := range cols {
			w.set(i, int(j), fx(vals[k]))
		}
	}
	for j := 0; j < n; j++ {
		c := fx(out.Neurons[j].Consensus)
		atLeast, above, total := 0.0, 0.0, 0.0
		for i := 0; i < n; i++ {
			s := ref.activeStake[i]
			if s == 0 {
				continue
			}
			total += s
			wij := w.v[i][j]
			if wij >= c {
				atLeast += s
			}
			if wij > c {
				above += s
			}
		}
		if total == 0 {
			continue
		}
		slack := 1e-9 * float64(n)
		if c > 0 && atLeast/total < kappa-slack {
			t.Errorf("consensus[%d] = %.9f is backed by %.9f of stake, below kappa %.9f", j, c, atLeast/total, kappa)
		}
		if above/total >= kappa+slack && kappa > 0 {
			t.Errorf("consensus[%d] = %.9f but %.9f of stake (≥ kappa) gave more", j, c, above/total)
		}
	}
}
