package scoring

import (
	"fmt"
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
// the task mix a round sends (16 task groups, greedy and sampled, 32 and 48 tokens), with miners=M
// honest miners answering each group, scored as a round scores them (ScoreRound, which verifies a
// group's answers together, in batches on every core for larger groups). The generation side is
// the engine alone, one answer at a time as each miner makes its own on its own machine; the scoring
// side is everything the validator does per answer, signature checks included, as wall time on the
// same cores, since that is what bounds how many answers it can score. With one core (-cpu 1) both
// sides are core time, and the ratio is what verification costs against generation; with more, the
// scoring spreads over the cores while a lone generation's decode holds one, so the ratio says how
// much faster a validator scores than one miner answers, which flatters verification. It reports the
// ratio (target below 0.25), each cost per answer, and
// from the scoring cost how many miners one validator can score per tempo with one task each (tempo ×
// block time / cost per answer), on this machine's cores. A round samples up to 32 miners
// (validator/round), each answering every group, so a group has as many answers as the subnet has
// serving miners, up to 32.
func BenchmarkVerifyVsGenerate(b *testing.B) {
	for _, m := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("miners=%d", m), func(b *testing.B) { benchRound(b, m) })
	}
}

func benchRound(b *testing.B, perGroup int) {
	n := newNetwork(b)
	names := make([]string, perGroup)
	engines := map[string]inference.Engine{}
	for i := range names {
		names[i] = fmt.Sprintf("honest%d", i)
		engines[names[i]] = n.ref
	}
	miners := n.serve(b, names, engines)
	const groupsPerRound = 16
	var rounds [][]Outcome // one per group
	for g := range uint32(groupsPerRound) {
		var group []Outcome
		for _, name := range names {
			m := miners[name]
			o := n.ask(b, m, n.gen.Task(roundSeed, g, m.signer.Address()), 10*time.Second)
			if o.Err != nil {
				b.Fatal(o.Err)
			}
			group = append(group, o)
		}
		rounds = append(rounds, group)
	}
	// A validator scores the same miners round after round: its verifier has their keys, and those of
	// busy miners prepared (see prepareAfter). Enough passes over the round for every miner to pass
	// prepareAfter, and one more while the tables build in the background, bring the scorer there
	// before anything is timed.
	for range prepareAfter/groupsPerRound + 1 {
		for _, group := range rounds {
			if _, err := n.scorer.ScoreRound(b.Context(), group); err != nil {
				b.Fatal(err)
			}
		}
	}
	// Each iteration generates a group's answers again (what its miners spent) and then scores the
	// group, so that the load of a shared machine weighs on both alike.
	var gen, score time.Duration
	var scored int
	for i := 0; b.Loop(); i++ {
		group := rounds[i%len(rounds)]
		t0 := time.Now()
		for _, o := range group {
			if _, err := n.ref.Generate(b.Context(), o.Task.Request); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		rs, err := n.scorer.ScoreRound(b.Context(), group)
		if err != nil {
			b.Fatal(err)
		}
		score += time.Since(t1)
		gen += t1.Sub(t0)
		for _, r := range rs {
			if r.Reason != ReasonOK {
				b.Fatalf("%s", r)
			}
		}
		scored += len(rs)
	}
	perAnswer := score / time.Duration(scored)
	b.ReportMetric(float64(score)/float64(gen), "verify/generate")
	b.ReportMetric(float64(gen.Microseconds())/float64(scored), "generate-µs/answer")
	b.ReportMetric(float64(perAnswer.Microseconds()), "score-µs/answer")
	b.ReportMetric(float64(benchTempoBlocks*benchBlockTime)/float64(perAnswer), "miners/tempo")
}
