package yuma

import (
	"math"
	"math/rand"
	"slices"
	"testing"
)

// TestExpMatchesOracle compares the unrolled exponential with the original loop on the
// whole clamp range: random arguments, every argument near the integers and the clamp
// bounds, and the arguments liquid alpha produces for gaps of 0, ½ and 1.
func TestExpMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	check := func(x Fixed) {
		if got, want := expSafe(x), oldExpSafe(x); got != want {
			t.Fatalf("exp(%d raw) = %d, oracle %d", x, got, want)
		}
	}
	for range 300_000 {
		check(Fixed(rng.Int63n(int64(50)<<fracBits)) - 25<<fracBits)
		check(Fixed(rng.Int63n(1 << 20)))
		check(-Fixed(rng.Int63n(1 << 20)))
	}
	for k := int64(-21); k <= 21; k++ {
		for d := int64(-300); d <= 300; d++ {
			check(Fixed(k<<fracBits + d))
			check(Fixed(k<<fracBits/2 + d))
		}
	}
	for _, x := range []Fixed{0, 1, -1, One, -One, maxFixed, minFixed, expLimit, -expLimit} {
		check(x)
	}
}

// TestReciprocalDivision checks the division helpers against the hardware division and
// Fixed.Div, at random and at the edges of their ranges.
func TestReciprocalDivision(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	divisors := []uint64{1, 2, 3, 7, 65535, 1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32, 1<<32 + 1,
		1<<63 - 1, 1 << 63, math.MaxUint64}
	for range 2000 {
		divisors = append(divisors, 1+uint64(rng.Int63n(1<<uint(1+rng.Intn(62)))))
	}
	for _, d := range divisors {
		r := newReciprocal(d)
		for _, n := range []uint64{0, 1, d - 1, d, d + 1, 2*d - 1, 2 * d, math.MaxUint64, math.MaxUint64 - 1,
			rng.Uint64(), rng.Uint64() >> uint(rng.Intn(64))} {
			if got := r.quo(n); got != n/d {
				t.Fatalf("%d / %d = %d, want %d", n, d, got, n/d)
			}
		}
		if d > math.MaxInt64 {
			continue
		}
		fd := newFixedDivisor(Fixed(d))
		for _, a := range []Fixed{0, 1, One - 1, One, One + 1, Fixed(d), Fixed(d) - 1, maxFixed,
			Fixed(rng.Int63n(int64(One))), Fixed(rng.Int63())} {
			if got, want := fd.div(a), a.Div(Fixed(d)); got != want {
				t.Fatalf("%d.Div(%d) = %d, want %d", a, d, got, want)
			}
		}
	}
	for _, total := range []uint64{1, 2, 65535, 1<<31 - 1, 1 << 31, 1<<31 + 1, 1 << 40, uint64(rng.Int63n(1 << 31))} {
		if total == 0 {
			continue
		}
		d := newIntegerSumDivisor(total)
		sum := u16AsInteger(0)
		for left := total; left > 0; {
			step := min(left, 1<<30)
			sum = sum.Add(FixedFromInt(int64(step)))
			left -= step
		}
		for _, u := range []uint16{0, 1, 2, 65534, 65535, uint16(rng.Intn(65536))} {
			if got, want := d.div(u), u16AsInteger(u).Div(sum); got != want {
				t.Fatalf("%d / Σ%d = %d, want %d", u, total, got, want)
			}
		}
	}
}

// BenchmarkExp measures the liquid-alpha exponential per argument, in batches as
// liquid alpha evaluates it, at the arguments a steepness of 1000 gives for small gaps
// (the common case, about 27 series terms).
func BenchmarkExp(b *testing.B) {
	xs := make([]Fixed, 1024)
	for i := 0; i < b.N; i += len(xs) {
		for k := range xs {
			xs[k] = Fixed(5<<fracBits - 12345 + k)
		}
		expSafeBatch(xs)
	}
}

func BenchmarkExpOracle(b *testing.B) {
	xs := make([]Fixed, 1024)
	for i := 0; i < b.N; i += len(xs) {
		for k := range xs {
			xs[k] = oldExpSafe(Fixed(5<<fracBits - 12345 + k))
		}
	}
}

// TestWeightedSelectMatchesOracle compares the radix selection with the original
// quickselect on columns full of ties and on every target where the answer changes:
// each cumulative stake, one below and one above it.
func TestWeightedSelectMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var sel radixSelector
	for round := range 400 {
		size := 1 + rng.Intn(300)
		levels := 1 + rng.Intn(40)
		scale := uint64(1) << uint(rng.Intn(33))
		stake := make([]Fixed, size)
		keys := make([]uint64, size)
		entries := make([]oldScoredStake, size)
		for i := range keys {
			score := uint64(rng.Intn(levels)+1) * scale
			if rng.Intn(4) == 0 {
				score = 1 + uint64(rng.Int63n(int64(One)))
			}
			score = min(score, uint64(One))
			stake[i] = Fixed(1 + rng.Intn(5))
			if rng.Intn(3) == 0 {
				stake[i] = Fixed(1) << uint(20+rng.Intn(8))
			}
			keys[i] = score<<16 | uint64(i)
			entries[i] = oldScoredStake{score: Fixed(score), stake: stake[i]}
		}
		sorted := slices.Clone(entries)
		slices.SortFunc(sorted, func(a, b oldScoredStake) int { return int(a.score - b.score) })
		targets := []Fixed{-1, 0, math.MaxInt64 / 2}
		var cum Fixed
		for _, e := range sorted {
			cum += e.stake
			targets = append(targets, cum-1, cum, cum+1)
		}
		for _, target := range targets {
			got := sel.selectWeighted(slices.Clone(keys), stake, target)
			want := oldWeightedSelect(slices.Clone(entries), target)
			if got != want {
				t.Fatalf("round %d, target %d: %d, oracle %d", round, target, got, want)
			}
		}
	}
}

// TestConsensusMatchesOracle compares consensusWeights with the original on matrices
// whose stakes are powers of two, so that cumulative stakes meet the minority exactly.
func TestConsensusMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for round := range 300 {
		n := 2 + rng.Intn(80)
		rows := make([][]sparseEntry, n)
		stake := make([]Fixed, n)
		levels := []Fixed{0, One / 8, One / 4, One / 2, One, 1, One - 1}
		for i := range rows {
			if rng.Intn(3) != 0 {
				stake[i] = One >> uint(rng.Intn(8))
			}
			for j := range n {
				if rng.Intn(3) != 0 {
					v := levels[rng.Intn(len(levels))]
					if rng.Intn(4) == 0 {
						v = Fixed(rng.Int63n(int64(One) + 1))
					}
					rows[i] = append(rows[i], sparseEntry{uint16(j), v})
				}
			}
		}
		w := sparseFromRows(rows)
		old := &oldSparseMatrix{rowStart: w.rowStart, col: w.col, val: w.val}
		kappa := []Fixed{0, One, half, One / 4, 3 * One / 4, Fixed(rng.Int63n(int64(One) + 1))}[rng.Intn(6)]
		got := consensusWeights(w, stake, n, kappa)
		want := oldConsensusWeights(old, stake, n, kappa)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: consensus %v, oracle %v", round, got, want)
		}
	}
}
