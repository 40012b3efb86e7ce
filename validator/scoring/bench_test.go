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

// Figures the capacity benchmark assumes: the default tempo (x/subnet DefaultHyperparameters) and
// the localnet's block time (scripts/localnet.sh sets timeout_commit to 1 s).
const (
	benchTempoBlocks = 360
	benchBlockTime   = time.Second
)

// BenchmarkVerifyVsGenerate is the validator's cost to score one honest answer (signature checks and
// the reference prefill) against the miner's cost to generate it, both on the built-in engine, over
// the task mix a round sends (greedy and sampled, 32 and 48 tokens). It reports the ratio (target
// below 0.25), each cost per answer, and from the scoring cost how many miners one validator can score
// per tempo with one task each (tempo × block time / cost per answer), on this machine's cores.
func BenchmarkVerifyVsGenerate(b *testing.B) {
	n := newNetwork(b)
	miners := n.serve(b, []string{"honest"}, map[string]inference.Engine{"honest": n.ref})
	m := miners["honest"]
	var outcomes []Outcome
	var gen time.Duration
	for i := range uint32(16) {
		task := n.gen.Task(roundSeed, i, m.signer.Address())
		start := time.Now()
		if _, err := n.ref.Generate(b.Context(), task.Request); err != nil {
			b.Fatal(err)
		}
		gen += time.Since(start)
		o := n.ask(b, m, task, 10*time.Second)
		if o.Err != nil {
			b.Fatal(o.Err)
		}
		outcomes = append(outcomes, o)
	}
	genPerAnswer := gen / time.Duration(len(outcomes))
	b.ResetTimer()
	var scored int
	for b.Loop() {
		o := outcomes[scored%len(outcomes)]
		r, err := n.scorer.Score(b.Context(), o)
		if err != nil || r.Reason != ReasonOK {
			b.Fatalf("%s %v", r, err)
		}
		scored++
	}
	perAnswer := b.Elapsed() / time.Duration(scored)
	b.ReportMetric(float64(perAnswer)/float64(genPerAnswer), "verify/generate")
	b.ReportMetric(float64(genPerAnswer.Microseconds()), "generate-µs/answer")
	b.ReportMetric(float64(perAnswer.Microseconds()), "score-µs/answer")
	b.ReportMetric(float64(benchTempoBlocks*benchBlockTime)/float64(perAnswer), "miners/tempo")
}
