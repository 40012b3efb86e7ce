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
		t.Fatalf("a group of %d answers makes %d batches, want 2", len(names), got)
	}
	miners := n.serve(t, names, engines)
	greedy, sampled := groups(t, n.gen, roundSeed)
	var outcomes []Outcome
	for _, g := range []uint32{greedy, sampled} {
		for _, name := range names {
			m := miners[name]
			outcomes = append(outcomes, n.ask(t, m, n.gen.Task(roundSeed, g, m.signer.Address()), 10*time.Second))
		}
	}
	results, err := n.scorer.ScoreRound(t.Context(), outcomes)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(outcomes) {
		t.Fatalf("%d results for %d outcomes", len(results), len(outcomes))
	}
	for i, o := range outcomes {
		want, err := n.scorer.Score(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		got := results[i]
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
