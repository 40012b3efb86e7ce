package yuma

import (
	"math"
	"math/big"
	"slices"
	"testing"
)

func f(x float64) Fixed { return Fixed(math.Round(x * float64(One))) }

func TestFixedArithmeticRoundsAsSubstrateFixed(t *testing.T) {
	tiny := Fixed(1) // 2^-32
	cases := []struct {
		name      string
		got, want Fixed
	}{
		{"mul floors positive", f(0.5).Mul(tiny), 0},
		{"mul floors negative away from zero", f(-0.5).Mul(tiny), -1},
		{"mul exact", f(1.5).Mul(f(2)), f(3)},
		{"div truncates toward zero", f(-1).Div(f(3)), -Fixed(One / 3)},
		{"div by zero is zero", f(1).Div(0), 0},
		{"div overflow is zero", FixedFromInt(1 << 30).Div(tiny), 0},
		{"satdiv overflow saturates", FixedFromInt(1 << 30).SatDiv(tiny), maxFixed},
		{"add saturates", maxFixed.Add(One), maxFixed},
		{"sub saturates", minFixed.Sub(One), minFixed},
		{"mul saturates", FixedFromInt(1 << 20).Mul(FixedFromInt(1 << 20)), maxFixed},
		{"mul saturates negative", FixedFromInt(-1 << 20).Mul(FixedFromInt(1 << 20)), minFixed},
		{"u16 proportion truncates", FixedFromU16Proportion(32767), Fixed(32767 << 32 / 65535)},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}
	if got := One.ToU16Proportion(); got != 65535 {
		t.Errorf("1 → %d, want 65535", got)
	}
	if got := FixedFromU16Proportion(16383).ToU16Proportion(); got != 16382 {
		// 16383/65535 is truncated, then ·65535 floors: the round trip loses one unit, as
		// it does in subtensor.
		t.Errorf("16383 round trip → %d, want 16382", got)
	}
}

func TestFixedStringIsExact(t *testing.T) {
	for _, c := range []struct {
		x    Fixed
		want string
	}{
		{0, "0"}, {One, "1"}, {half, "0.5"}, {-half, "-0.5"}, {1, "0.00000000023283064365386962890625"},
		{f(2.25), "2.25"},
	} {
		if got := c.x.String(); got != c.want {
			t.Errorf("%d: %q, want %q", c.x, got, c.want)
		}
		r, ok := new(big.Rat).SetString(c.x.String())
		if !ok || r.Cmp(big.NewRat(int64(c.x), 1<<32)) != 0 {
			t.Errorf("%d renders %s, not its exact value", c.x, c.x)
		}
	}
}

func TestExpMatchesSubstrateFixedSeries(t *testing.T) {
	// e truncated to 23 fractional bits, as substrate_fixed keeps it.
	e := new(big.Float).SetPrec(200)
	e.SetString("2.718281828459045235360287471352662497757")
	e.Mul(e, big.NewFloat(1<<23))
	wantE, _ := e.Int(nil)
	if Fixed(wantE.Int64()<<9) != eI9F23 {
		t.Errorf("eI9F23 = %d, want %d<<9", eI9F23, wantE)
	}
	for _, x := range []float64{-10, -3.5, -1, -0.25, 0, 0.25, 0.5, 1, 2, 7.5, 10} {
		got := fx(expSafe(f(x)))
		if want := math.Exp(x); math.Abs(got-want) > 1e-6*math.Max(1, want) {
			t.Errorf("exp(%g) = %.10g, want %.10g", x, got, want)
		}
	}
	// The series stops at x^31/31!, which is not enough terms near the clamp at 20:
	// substrate_fixed computes e^20 about 0.8% low, and so does expSafe.
	if got := fx(expSafe(f(20))); math.Abs(got/math.Exp(20)-0.992) > 1e-3 {
		t.Errorf("exp(20) = %.10g", got)
	}
	if expSafe(f(30)) != expSafe(f(20)) || expSafe(f(-30)) != expSafe(f(-20)) {
		t.Error("exp is not clamped to ±20")
	}
}

func TestLiquidAlpha(t *testing.T) {
	la := newLiquidAlpha(Params{AlphaLow: 6553, AlphaHigh: 19660, AlphaSigmoidSteepness: 1000})
	low, high := fx(la.low), fx(la.high)
	want := func(gap float64) float64 { return low + (high-low)/(1+math.Exp(-10*(gap-0.5))) }
	// Buying far above consensus moves fast; agreeing with consensus moves slowly.
	if a := fx(la.alpha(0, One, 0)); math.Abs(a-want(1)) > 1e-6 || a < 0.29 {
		t.Errorf("buying a gap of 1: alpha %.6f, want %.6f", a, want(1))
	}
	if a := fx(la.alpha(f(0.5), f(0.5), 0)); math.Abs(a-want(0)) > 1e-6 || a > 0.11 {
		t.Errorf("weight at consensus: alpha %.6f, want %.6f", a, want(0))
	}
	// Selling (weight below the bond) reads the gap between bond and weight.
	if a := fx(la.alpha(f(0.9), 0, f(0.8))); math.Abs(a-want(0.8)) > 1e-6 {
		t.Errorf("selling a bond of 0.8: alpha %.6f, want %.6f", a, want(0.8))
	}
	// At a gap of exactly ½ the sigmoid is ½.
	if a, want := fx(la.alpha(0, half, 0)), (low+high)/2; math.Abs(a-want) > 1e-6 {
		t.Errorf("gap ½: alpha %.9f, want %.9f", a, want)
	}
}

func TestActiveMask(t *testing.T) {
	ns := []Neuron{{LastUpdate: 0}, {LastUpdate: 5}, {LastUpdate: 6}, {LastUpdate: math.MaxUint64}}
	got := activeMask(ns, 15, 10)
	if want := []bool{false, true, true, true}; !slices.Equal(got, want) {
		t.Errorf("active = %v, want %v (inactive only when last_update + cutoff < block)", got, want)
	}
}

func TestNormalizedStakeAndPermits(t *testing.T) {
	ns := []Neuron{{Stake: 10}, {Stake: 30}, {Stake: 30}, {Stake: 5}, {Stake: 0}}
	s := normalizedStake(ns, 6) // 5 is below the minimum and counts as 0
	want := []Fixed{Fixed(10 << 32 / 70), Fixed(30 << 32 / 70), Fixed(30 << 32 / 70), 0, 0}
	if !slices.Equal(s, want) {
		t.Fatalf("stake = %v, want %v", s, want)
	}
	if got := newValidatorPermits(s, 1); !slices.Equal(got, []bool{false, false, true, false, false}) {
		t.Errorf("top-1 permits = %v: a tie at the cut goes to the higher UID", got)
	}
	if got := newValidatorPermits(s, 4); !slices.Equal(got, []bool{true, true, true, false, false}) {
		t.Errorf("top-4 permits = %v: zero stake never gets a permit", got)
	}
	if got := newValidatorPermits(s, 9); !slices.Equal(got, []bool{true, true, true, false, false}) {
		t.Errorf("permits with room for all = %v", got)
	}
	as := activeValidatorStake(s, []bool{true, false, true, true, true}, []bool{true, true, false, true, true})
	if as[0] != One || as[1] != 0 || as[2] != 0 {
		t.Errorf("active stake = %v: only uid 0 is active and permitted", as)
	}
}

func TestMaskWeights(t *testing.T) {
	ns := []Neuron{
		{ValidatorPermit: true, LastUpdate: 10, RegisteredAt: 0, Weights: []Entry{{0, 9}, {1, 9}, {2, 9}}},
		{ValidatorPermit: false, LastUpdate: 10, Weights: []Entry{{0, 9}, {2, 9}}},
		{ValidatorPermit: true, LastUpdate: 10, RegisteredAt: 10, Weights: []Entry{{0, 9}}},
	}
	w := buildWeights(ns, registrations(ns))
	// Row 0 loses its self-weight and the weight on uid 2 (registered at 10, not before
	// the weights were set at 10); row 1 has no permit; row 2 keeps its weight on uid 0.
	rows := [][]uint16{}
	for i := 0; i < w.rows(); i++ {
		c, _ := w.row(i)
		rows = append(rows, append([]uint16{}, c...))
	}
	want := [][]uint16{{1}, {}, {0}}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d columns = %v, want %v", i, rows[i], want[i])
		}
	}
}

func TestRowsAreSortedAndNormalised(t *testing.T) {
	ns := []Neuron{{ValidatorPermit: true, LastUpdate: 1, Weights: []Entry{{2, 3}, {1, 1}}}, {}, {}}
	w := buildWeights(ns, registrations(ns))
	c, v := w.row(0)
	if !slices.Equal(c, []uint16{1, 2}) || v[0] != One/4 || v[1] != 3*One/4 {
		t.Errorf("row 0 = %v %v", c, v)
	}
}

func TestConsensusIsStakeWeightedMedian(t *testing.T) {
	// Three validators with stake 0.5, 0.3, 0.2 weight miner 3 with 0.2, 0.6, 0.9.
	w := sparseFromRows([][]sparseEntry{{{3, f(0.2)}}, {{3, f(0.6)}}, {{3, f(0.9)}}, {}})
	stake := []Fixed{f(0.5), f(0.3), f(0.2), 0}
	for _, c := range []struct {
		kappa float64
		want  Fixed
	}{
		{0.5, f(0.6)},  // 0.5 of stake gave ≥ 0.6; only 0.2 gave more
		{0.55, f(0.2)}, // only 0.5 < 0.55 gave ≥ 0.6
		{0.25, f(0.6)},
		{0.15, f(0.9)},
		{1, f(0.2)},
		{0, f(0.9)},
	} {
		got := consensusWeights(w, stake, 4, f(c.kappa))
		if got[3] != c.want {
			t.Errorf("kappa %.2f: consensus %.4f, want %.4f", c.kappa, fx(got[3]), fx(c.want))
		}
	}
	// A validator giving nothing counts as weight 0.
	got := consensusWeights(w, []Fixed{f(0.6), 0, 0, f(0.4)}, 4, f(0.5))
	if got[3] != f(0.2) {
		t.Errorf("with 0.4 of stake silent: consensus %.4f, want 0.2", fx(got[3]))
	}
	got = consensusWeights(w, []Fixed{f(0.4), 0, 0, f(0.6)}, 4, f(0.5))
	if got[3] != 0 {
		t.Errorf("with 0.6 of stake silent: consensus %.4f, want 0", fx(got[3]))
	}
}

func TestWeightedSelectSortFallbackAgrees(t *testing.T) {
	stake := make([]Fixed, 300)
	keys := make([]uint64, 300)
	for i := range keys {
		keys[i] = uint64((i*7919)%101)<<16 | uint64(i)
		stake[i] = Fixed(1 + i%13)
	}
	var total Fixed
	for _, s := range stake {
		total += s
	}
	var sel radixSelector
	for target := Fixed(-1); target <= total+1; target += 37 {
		a := sel.selectWeighted(slices.Clone(keys), stake, target)
		b := selectSorted(slices.Clone(keys), stake, 0, target)
		if a != b {
			t.Fatalf("target %d: selection %d, sorting %d", target, a, b)
		}
	}
}

func TestClipDropsWeightAboveZeroConsensus(t *testing.T) {
	w := sparseFromRows([][]sparseEntry{{{0, f(0.5)}, {1, f(0.3)}, {2, 0}}})
	clipAndScore(w, []Fixed{f(0.4), 0, 0}, []Fixed{One}, One, 3)
	cols, vals := w.row(0)
	// 0.5 is cut to 0.4; 0.3 above a consensus of 0 is dropped; the explicit 0 stays.
	if !slices.Equal(cols, []uint16{0, 2}) || vals[0] != f(0.4) || vals[1] != 0 {
		t.Errorf("clipped = %v %v", cols, vals)
	}
}

func TestWeightsForBondsPenalty(t *testing.T) {
	rows := [][]sparseEntry{{{0, f(0.6)}, {1, f(0.4)}}, {{0, f(0.5)}, {1, f(0.5)}}}
	consensus := []Fixed{f(0.5), 0}
	stake := []Fixed{half, half}
	for _, c := range []struct {
		penalty Fixed
		cols    []uint16
		vals    []float64
	}{
		{0, []uint16{0, 1}, []float64{0.6, 0.4}}, // raw weights
		{One, []uint16{0}, []float64{0.5}},       // clipped weights
		{half, []uint16{0, 1}, []float64{0.55, 0.2}},
	} {
		w := sparseFromRows(rows)
		clipAndScore(w, consensus, stake, c.penalty, 2)
		cols, vals := w.row(0)
		if !slices.Equal(cols, c.cols) {
			t.Fatalf("penalty %v: columns %v, want %v", c.penalty, cols, c.cols)
		}
		for k := range vals {
			if math.Abs(fx(vals[k])-c.vals[k]) > 1e-9 {
				t.Errorf("penalty %v: weights for bonds %v, want %v", c.penalty, vals, c.vals)
			}
		}
	}
}

func TestEMAAlpha(t *testing.T) {
	if a := emaAlpha(900_000); math.Abs(fx(a)-0.1) > 1e-9 {
		t.Errorf("alpha(0.9) = %.10f", fx(a))
	}
	if emaAlpha(0) != One || emaAlpha(1_000_000) != 0 {
		t.Error("alpha at the ends of the range")
	}
}

func TestSplitEmissionFallsBackToStake(t *testing.T) {
	zero := make([]Fixed, 3)
	stake := []Fixed{f(0.25), f(0.75), 0}
	sh := splitEmission(zero, zero, stake, []Fixed{0, One, 0})
	if !slices.Equal(sh.validator, []Fixed{0, One, 0}) {
		t.Errorf("no incentive: validator shares %v should follow active stake", sh.validator)
	}
	sh = splitEmission(zero, zero, stake, zero)
	if !slices.Equal(sh.validator, stake) {
		t.Errorf("no active stake: validator shares %v should follow stake", sh.validator)
	}
}

func TestPayEmissionGivesDustToLargestPart(t *testing.T) {
	sh := emissionShares{
		server:    []Fixed{f(0.2), f(0.3), 0},
		validator: []Fixed{0, 0, f(0.3)},
	}
	out := Output{Neurons: make([]NeuronResult, 3)}
	payEmission(sh, 1001, &out)
	var total uint64
	for _, r := range out.Neurons {
		total += r.Emission
	}
	if total != 1001 {
		t.Errorf("paid %d of 1001", total)
	}
	// 0.3 of 1001 is 300.3 for uid 1 (miner) and uid 2 (validator): the tie goes to the
	// lower UID.
	if out.DustUID != 1 || out.Neurons[1].ServerEmission != 300+out.Dust {
		t.Errorf("dust %d went to uid %d", out.Dust, out.DustUID)
	}
	out = Output{Neurons: make([]NeuronResult, 2)}
	payEmission(emissionShares{server: make([]Fixed, 2), validator: make([]Fixed, 2)}, 7, &out)
	if out.DustUID != -1 || out.Dust != 7 {
		t.Errorf("nobody earned: dust %d to %d, want 7 undistributed", out.Dust, out.DustUID)
	}
}

// sparseEntry is one entry of a test matrix.
type sparseEntry struct {
	j uint16
	v Fixed
}

// sparseFromRows builds a sparseMatrix from rows of (column, value) in column order.
func sparseFromRows(rows [][]sparseEntry) *sparseMatrix {
	total := 0
	for _, r := range rows {
		total += len(r)
	}
	m := newSparseSized(len(rows), total)
	k := 0
	for i, r := range rows {
		for _, e := range r {
			m.col[k], m.val[k] = e.j, e.v
			k++
		}
		m.rowStart[i+1] = k
	}
	return m
}
