package scoring

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
)

// TestScoreRoundMatchesScore: verifying a round's answers group by group, with the shared prompt
// prefilled once per batch, and the batches of a group of 2·minBatch or more answers verified at
// the same time, gives every outcome the result Score gives it alone.
func TestScoreRoundMatchesScore(t *testing.T) {
	n := newNetwork(t)
	n.scorer.workers = 2 // split the groups below into batches whatever this machine's cores
	names := []string{"other"}
	engines := map[string]inference.Engine{"other": n.alt}
	for i := range 2 * minBatch {
		name := fmt.Sprintf("honest%d", i)
		names, engines[name] = append(names, name), n.ref
	}
	if got := len(n.scorer.batches([][]pending{make([]pending, len(names))})); got != 2 {
		t.Fatalf("a group of %d answers alone makes %d batches, want 2", len(names), got)
	}
	if got := len(n.scorer.batches([][]pending{make([]pending, len(names)), make([]pending, len(names))})); got != 2 {
		t.Fatalf("two groups of %d answers on two cores make %d batches, want them whole", len(names), got)
	}
	miners := n.serve(t, names, engines)
	greedy, sampled := groups(t, n.gen, roundSeed)
	var outcomes []Outcome
	var got []Result
	// Each group as a round of its own (the default: one task per miner), so that it is cut into
	// batches, then both groups as one round, where each stays whole.
	var rounds [][]Outcome
	for _, g := range []uint32{greedy, sampled} {
		var round []Outcome
		for _, name := range names {
			m := miners[name]
			round = append(round, n.ask(t, m, n.gen.Task(roundSeed, g, m.signer.Address()), 10*time.Second))
		}
		rounds = append(rounds, round)
		outcomes = append(outcomes, round...)
	}
	for _, round := range append(rounds, outcomes) {
		rs, err := n.scorer.ScoreRound(t.Context(), round)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != len(round) {
			t.Fatalf("%d results for %d outcomes", len(rs), len(round))
		}
		got = append(got, rs...)
	}
	outcomes = append(outcomes, outcomes...) // the results of the rounds above, in order
	for i, o := range outcomes {
		want, err := n.scorer.Score(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		got := got[i]
		if got.VerifyTime <= 0 {
			t.Errorf("outcome %d: no verification time", i)
		}
		got.VerifyTime, want.VerifyTime = 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("outcome %d: round scored %+v, alone %+v", i, got, want)
		}
		if honest := o.UID != miners["other"].uid; (got.Reason == ReasonOK) != honest {
			t.Errorf("outcome %d (UID %d): %s", i, o.UID, got)
		}
	}
}

func TestBatches(t *testing.T) {
	for _, c := range []struct {
		workers int
		group   int
		want    []int
	}{
		{1, 32, []int{32}},
		{2, 1, []int{1}},
		{2, 2*minBatch - 1, []int{2*minBatch - 1}},
		{2, 2 * minBatch, []int{minBatch, minBatch}},
		{2, 2*minBatch + 1, []int{minBatch + 1, minBatch}},
		{4, 32, []int{8, 8, 8, 8}},
		{16, 3 * minBatch, []int{minBatch, minBatch, minBatch}},
	} {
		s := &Scorer{workers: c.workers}
		pend := make([]pending, c.group)
		for i := range pend {
			pend[i].at = i
		}
		var got []int
		next := 0
		for _, b := range s.batches([][]pending{pend}) {
			got = append(got, len(b))
			for _, p := range b {
				if p.at != next {
					t.Fatalf("workers %d group %d: answer %d out of order", c.workers, c.group, p.at)
				}
				next++
			}
		}
		if !reflect.DeepEqual(got, c.want) || next != c.group {
			t.Errorf("workers %d group %d: batches %v, want %v", c.workers, c.group, got, c.want)
		}
	}
}

// TestBatchesShareCoresAmongGroups: a round with a group for every core verifies each group whole,
// since cutting one would prefill its shared head again for no core that is idle; with fewer groups
// than cores, each group gets its share of them.
func TestBatchesShareCoresAmongGroups(t *testing.T) {
	for _, c := range []struct {
		workers, groups, group int
		want                   int // batches in all
	}{
		{2, 2, 8, 2},
		{2, 16, 8, 16},
		{4, 2, 8, 4},
		{8, 3, 8, 6},
		{4, 1, 8, 4},
	} {
		s := &Scorer{workers: c.workers}
		groups := make([][]pending, c.groups)
		for g := range groups {
			groups[g] = make([]pending, c.group)
		}
		if got := len(s.batches(groups)); got != c.want {
			t.Errorf("%d workers, %d groups of %d: %d batches, want %d", c.workers, c.groups, c.group, got, c.want)
		}
	}
}
