package weights

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomCase draws a subnet, limits and scores that exercise every regime: few or many candidates,
// tight or no cap, many zero scores, ties and extreme ratios.
func randomCase(rng *rand.Rand) ([]Score, Limits) {
	n := 1 + rng.IntN(64)
	if rng.IntN(8) == 0 {
		n = 1 + rng.IntN(1024)
	}
	uids := rng.Perm(n) // the candidates are the whole subnet, in random order
	scores := make([]Score, n)
	zeroShare := rng.Float64()
	for i, u := range uids {
		var v float64
		switch r := rng.Float64(); {
		case r < zeroShare:
			v = 0
		case r < zeroShare+0.05:
			v = 1e-12 * rng.Float64()
		default:
			v = rng.Float64()
		}
		scores[i] = Score{UID: uint16(u), Value: v}
	}
	lim := Limits{MinAllowedWeights: uint16(rng.IntN(n + 4)), MaxWeightLimit: MaxWeight}
	if rng.IntN(4) != 0 {
		lim.MaxWeightLimit = uint16(1 + rng.IntN(MaxWeight))
	}
	return scores, lim
}

func TestFromScoresProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	infeasible := 0
	for iter := range 3000 {
		scores, lim := randomCase(rng)
		v, err := FromScores(scores, lim)
		if errors.Is(err, ErrCapInfeasible) {
			if capFeasible(len(scores), lim.MaxWeightLimit) {
				t.Fatalf("case %d: cap refused for %d candidates at limit %d", iter, len(scores), lim.MaxWeightLimit)
			}
			infeasible++
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", iter, err)
		}
		// The chain's own rules, with the candidates as the subnet.
		if err := Check(v, lim, len(scores)); err != nil {
			t.Fatalf("case %d: %v", iter, err)
		}
		if need := min(int(lim.MinAllowedWeights), len(scores)); len(v.UIDs) < need {
			t.Fatalf("case %d: %d weights, need %d", iter, len(v.UIDs), need)
		}
		if slices.Max(v.Weights) != MaxWeight || slices.Contains(v.Weights, 0) {
			t.Fatalf("case %d: weights %v not scaled to 65535 or not sparse", iter, v.Weights)
		}
		byUID := map[uint16]float64{}
		for _, s := range scores {
			byUID[s.UID] = s.Value
		}
		for _, u := range v.UIDs {
			if _, ok := byUID[u]; !ok {
				t.Fatalf("case %d: weight for UID %d that was not a candidate", iter, u)
			}
		}
		// Order of input does not matter, and the same input gives the same output.
		shuffled := slices.Clone(scores)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		v2, err := FromScores(shuffled, lim)
		if err != nil || !slices.Equal(v.UIDs, v2.UIDs) || !slices.Equal(v.Weights, v2.Weights) {
			t.Fatalf("case %d: depends on input order", iter)
		}
		// A higher score never gets a clearly lower weight: walk the weighted UIDs by increasing
		// score, keeping the largest weight seen at a strictly lower score.
		order := make([]int, len(v.UIDs))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmpFloat(byUID[v.UIDs[a]], byUID[v.UIDs[b]]) })
		lowerMax, runMax := -1, -1
		for k, i := range order {
			if k > 0 && byUID[v.UIDs[order[k-1]]] < byUID[v.UIDs[i]] {
				lowerMax = runMax
			}
			if int(v.Weights[i]) < lowerMax-2 {
				t.Fatalf("case %d: UID %d weighs %d, less than a lower-scored UID's %d", iter, v.UIDs[i], v.Weights[i], lowerMax)
			}
			runMax = max(runMax, int(v.Weights[i]))
		}
	}
	if infeasible == 0 || infeasible > 1500 {
		t.Fatalf("%d infeasible cases: the generator does not cover both regimes", infeasible)
	}
}

// TestUncappedIsProportional: with no binding cap and enough scored UIDs, weights are the scores
// scaled to 65535, within rounding.
func TestUncappedIsProportional(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		n := 1 + rng.IntN(50)
		scores := make([]Score, n)
		for i := range scores {
			scores[i] = Score{UID: uint16(i), Value: 0.01 + rng.Float64()}
		}
		v, err := FromScores(scores, Limits{MinAllowedWeights: uint16(n), MaxWeightLimit: MaxWeight})
		if err != nil {
			t.Fatal(err)
		}
		top := 0.0
		for _, s := range scores {
			top = max(top, s.Value)
		}
		for i, s := range scores {
			if want := s.Value / top * MaxWeight; math.Abs(float64(v.Weights[i])-want) > 0.5 {
				t.Fatalf("UID %d: weight %d, want %.1f", s.UID, v.Weights[i], want)
			}
		}
	}
}

func TestCapRedistributes(t *testing.T) {
	// One dominant miner, cap at a quarter: it is cut to 25% and the others share the rest in
	// proportion to their scores.
	scores := []Score{{0, 100}, {1, 1}, {2, 2}, {3, 3}, {4, 4}}
	lim := Limits{MinAllowedWeights: 1, MaxWeightLimit: MaxWeight / 4}
	v, err := FromScores(scores, lim)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, w := range v.Weights {
		sum += float64(w)
	}
	// After the first cut UID 4 would take 30%, above the cap: it is capped too, and UIDs 1-3
	// share the remaining 50% as 1:2:3.
	want := []float64{0.25, 0.5 / 6, 1.0 / 6, 0.25, 0.25}
	for i, w := range v.Weights {
		if got := float64(w) / sum; math.Abs(got-want[i]) > 1e-4 {
			t.Fatalf("UID %d: share %.5f, want %.5f (weights %v)", v.UIDs[i], got, want[i], v.Weights)
		}
	}
	if err := Check(v, lim, 5); err != nil {
		t.Fatal(err)
	}
}

func TestFloorWhenTooFewScored(t *testing.T) {
	scores := []Score{{0, 0}, {1, 0.9}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0}}
	v, err := FromScores(scores, Limits{MinAllowedWeights: 4, MaxWeightLimit: MaxWeight})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.UIDs) != 8 {
		t.Fatalf("floor not spread over all candidates: %v", v.UIDs)
	}
	// The scored UID keeps the top weight; the floor is a small fraction of it.
	if v.Weights[1] != MaxWeight {
		t.Fatalf("weights %v", v.Weights)
	}
	for i, w := range v.Weights {
		if i != 1 && w > MaxWeight/50 {
			t.Fatalf("floor weight %d of UID %d is not small", w, v.UIDs[i])
		}
	}
	// No score at all: uniform.
	v, err = FromScores([]Score{{3, 0}, {5, 0}, {9, 0}}, Limits{MinAllowedWeights: 1, MaxWeightLimit: MaxWeight})
	if err != nil || !slices.Equal(v.Weights, []uint16{MaxWeight, MaxWeight, MaxWeight}) {
		t.Fatalf("all-zero scores: %v %v", v, err)
	}
}

func TestBadInput(t *testing.T) {
	ok := Limits{MinAllowedWeights: 1, MaxWeightLimit: MaxWeight}
	cases := []struct {
		scores []Score
		lim    Limits
		want   error
	}{
		{nil, ok, ErrNoCandidates},
		{[]Score{{1, 1}, {1, 2}}, ok, ErrDuplicateUID},
		{[]Score{{1, math.NaN()}}, ok, ErrBadScore},
		{[]Score{{1, -1}}, ok, ErrBadScore},
		{[]Score{{1, math.Inf(1)}}, ok, ErrBadScore},
		{[]Score{{1, 1}}, Limits{MaxWeightLimit: 0}, ErrBadLimits},
		{[]Score{{1, 1}, {2, 1}}, Limits{MaxWeightLimit: MaxWeight / 3}, ErrCapInfeasible},
	}
	for i, c := range cases {
		if _, err := FromScores(c.scores, c.lim); !errors.Is(err, c.want) {
			t.Errorf("case %d: got %v, want %v", i, err, c.want)
		}
	}
}

func TestCheckRefuses(t *testing.T) {
	lim := Limits{MinAllowedWeights: 2, MaxWeightLimit: MaxWeight / 2}
	bad := []Vector{
		{UIDs: []uint16{1, 2}, Weights: []uint16{1}},
		{UIDs: []uint16{2, 1}, Weights: []uint16{1, 1}},
		{UIDs: []uint16{1, 9}, Weights: []uint16{1, 1}},
		{UIDs: []uint16{1}, Weights: []uint16{1}},
		{UIDs: []uint16{1, 2, 3}, Weights: []uint16{MaxWeight, 1, 1}},
	}
	for i, v := range bad {
		if err := Check(v, lim, 5); !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if err := Check(Vector{UIDs: []uint16{1, 2}, Weights: []uint16{MaxWeight, MaxWeight}}, lim, 5); err != nil {
		t.Fatal(err)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
