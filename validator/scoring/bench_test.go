package scoring

import (
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
)

// BenchmarkScoreAnswer is the validator's cost to score one real, signed 32- or 48-token honest
// answer: signature checks plus the reference prefill. Its inverse bounds how many answers one
// validator core can score per second.
func BenchmarkScoreAnswer(b *testing.B) {
	n := newNetwork(b)
	miners := n.serve(b, []string{"honest"}, map[string]inference.Engine{"honest": n.ref})
	greedy, _ := groups(b, n.gen, roundSeed)
	o := n.ask(b, miners["honest"], n.gen.Task(roundSeed, greedy, miners["honest"].signer.Address()), 10*time.Second)
	if o.Err != nil {
		b.Fatal(o.Err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := n.scorer.Score(b.Context(), o)
		if err != nil || r.Reason != ReasonOK {
			b.Fatalf("%s %v", r, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}
