package scoring

import (
	"reflect"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
)

// TestScoreRoundMatchesScore: verifying a round's answers group by group, with the shared prompt
// prefilled once per group, gives every outcome the result Score gives it alone.
func TestScoreRoundMatchesScore(t *testing.T) {
	n := newNetwork(t)
	names := []string{"honest1", "honest2", "honest3", "other"}
	engines := map[string]inference.Engine{"honest1": n.ref, "honest2": n.ref, "honest3": n.ref, "other": n.alt}
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
