package scoreboard

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/mindnet/mindnet/metagraph"
)

func board(t *testing.T) *Board {
	t.Helper()
	b, err := New(DefaultAlpha)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEMAProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		alpha := 0.01 + 0.99*rng.Float64()
		b, err := New(alpha)
		if err != nil {
			t.Fatal(err)
		}
		hi, _ := New(alpha)
		var prev float64
		for k := range 50 {
			s := rng.Float64()
			if rng.IntN(5) == 0 {
				s = float64(rng.IntN(2))
			}
			if err := b.Observe(7, "hk", s); err != nil {
				t.Fatal(err)
			}
			_ = hi.Observe(7, "hk", min(1, s+0.1))
			e, _ := b.Get(7)
			h, _ := hi.Get(7)
			// Bounded, moves towards the new score by exactly alpha of the gap, and dominated by a
			// board that always saw higher scores.
			if e.EMA < 0 || e.EMA > 1 {
				t.Fatalf("ema %v outside [0, 1]", e.EMA)
			}
			if want := prev + alpha*(s-prev); math.Abs(e.EMA-want) > 1e-12 {
				t.Fatalf("ema %v, want %v", e.EMA, want)
			}
			if h.EMA < e.EMA {
				t.Fatalf("higher scores gave a lower average: %v < %v", h.EMA, e.EMA)
			}
			if e.Count != uint64(k+1) {
				t.Fatalf("count %d after %d scores", e.Count, k+1)
			}
			prev = e.EMA
		}
	}
}

func TestConstantScoreConverges(t *testing.T) {
	b := board(t)
	for k := 1; k <= 60; k++ {
		_ = b.Observe(1, "hk", 0.8)
		e, _ := b.Get(1)
		if want := 0.8 * (1 - math.Pow(1-DefaultAlpha, float64(k))); math.Abs(e.EMA-want) > 1e-12 {
			t.Fatalf("after %d scores: %v, want %v", k, e.EMA, want)
		}
	}
}

func TestHotkeyChangeResets(t *testing.T) {
	b := board(t)
	for range 30 {
		_ = b.Observe(3, "old", 1)
		_ = b.Observe(4, "steady", 0.5)
		_ = b.Observe(9, "gone", 1)
	}
	// The new owner's first answer starts from zero, not from the old owner's average.
	_ = b.Observe(3, "new", 1)
	if e, _ := b.Get(3); e.Hotkey != "new" || math.Abs(e.EMA-DefaultAlpha) > 1e-12 || e.Count != 1 {
		t.Fatalf("after change of hands: %+v", e)
	}

	for range 30 {
		_ = b.Observe(3, "new", 1)
	}
	snap := metagraph.NewSnapshot(1, 10, []metagraph.Neuron{
		{UID: 3, Hotkey: "newer"}, {UID: 4, Hotkey: "steady"}, {UID: 5, Hotkey: "fresh"},
	}, time.Now())
	changed, err := b.Sync(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(changed, []uint16{3, 9}) {
		t.Fatalf("changed %v, want [3 9]", changed)
	}
	if e, _ := b.Get(3); e.Hotkey != "newer" || e.EMA != 0 || e.Count != 0 {
		t.Fatalf("UID 3 after sync: %+v", e)
	}
	if _, ok := b.Get(9); ok {
		t.Fatal("UID 9 left the subnet but is still on the board")
	}
	if e, _ := b.Get(4); e.EMA < 0.4 {
		t.Fatalf("unchanged UID lost its average: %+v", e)
	}
	if _, ok := b.Get(5); ok {
		t.Fatal("sync invented a record for an unscored UID")
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	b := board(t)
	_ = b.Observe(1, "hk", 0.5)
	before := b.Entries()
	for _, s := range []float64{-0.1, 1.1, math.NaN(), math.Inf(1)} {
		if err := b.Observe(1, "hk", s); !errors.Is(err, ErrScore) {
			t.Fatalf("score %v: %v", s, err)
		}
		if err := b.Observe(1, "other", s); !errors.Is(err, ErrScore) {
			t.Fatalf("score %v: %v", s, err)
		}
	}
	if !slices.Equal(before, b.Entries()) {
		t.Fatal("refused scores changed the board")
	}
	if _, err := b.Sync(metagraph.NewSnapshot(1, 1, []metagraph.Neuron{{UID: 70000, Hotkey: "x"}}, time.Now())); !errors.Is(err, ErrUID) {
		t.Fatalf("UID out of range: %v", err)
	}
	if !slices.Equal(before, b.Entries()) {
		t.Fatal("a refused sync changed the board")
	}
	for _, a := range []float64{0, -1, 1.5, math.NaN()} {
		if _, err := New(a); !errors.Is(err, ErrAlpha) {
			t.Fatalf("alpha %v: %v", a, err)
		}
	}
}

func TestEntriesRoundTrip(t *testing.T) {
	b := board(t)
	for _, u := range []uint16{42, 7, 1000, 3} {
		_ = b.Observe(u, "hk", float64(u%10)/10)
	}
	got := b.Entries()
	if !slices.IsSortedFunc(got, func(x, y Entry) int { return int(x.UID) - int(y.UID) }) || len(got) != 4 {
		t.Fatalf("entries %v", got)
	}
	r, err := Restore(DefaultAlpha, got)
	if err != nil || !slices.Equal(r.Entries(), got) {
		t.Fatalf("restore: %v", err)
	}
	if _, err := Restore(DefaultAlpha, append(got, got[0])); !errors.Is(err, ErrEntry) {
		t.Fatalf("duplicate entry: %v", err)
	}
	if _, err := Restore(DefaultAlpha, []Entry{{UID: 1, Hotkey: "x", EMA: 2}}); !errors.Is(err, ErrEntry) {
		t.Fatalf("bad ema: %v", err)
	}
}
