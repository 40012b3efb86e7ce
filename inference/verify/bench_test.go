package verify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/builtin"
)

// Prompts for BenchmarkVerifyVsGenerate: a short one, and one of the length
// of a validator task (72 tokens with the shipped tokenizer; validator/tasks'
// prompts average about 75) answered with 40 tokens (tasks ask 32 or 48).
const (
	shortPrompt = "package main\n\nimport (\n\t\"fmt\"\n)\n\nfunc main() {\n\t"
	taskPrompt  = "package queue\n\ntype Queue struct {\n\titems []int\n\tlimit int\n}\n\n" +
		"// Push appends v, dropping the oldest item when the queue is full.\nfunc (q *Queue) Push(v int) {\n\t"
)

// BenchmarkVerifyVsGenerate times generating answers with the built-in
// model and verifying them by prefill, and reports verification as a
// fraction of generation per answer (the target is below 0.25). Sampled
// generation (top-p 0.95) pays for ordering the nucleus at every step;
// greedy generation is the cheapest there is, so it gives the least
// favourable fraction. answers=k verifies k answers to one prompt with
// VerifyMany, which prefills the prompt once for all of them, as a
// validator does when several miners answer one task; answers=1 is plain
// Verify. Both sides run one request at a time: with -cpu 1 the ratio is
// core time against core time; with more cores the prefill spreads over
// them while a decode step holds one.
func BenchmarkVerifyVsGenerate(b *testing.B) {
	prompts := []struct {
		name   string
		prompt string
		tokens int
	}{{"short", shortPrompt, 64}, {"task", taskPrompt, 40}}
	for _, mode := range []string{"sampled", "greedy"} {
		for _, p := range prompts {
			for _, k := range []int{1, 4, 8} {
				req := inference.Request{Prompt: p.prompt, MaxTokens: p.tokens}
				if mode == "sampled" {
					req.Temperature, req.TopP = 0.8, 0.95
				}
				b.Run(fmt.Sprintf("%s/prompt=%s/answers=%d", mode, p.name, k), func(b *testing.B) {
					benchVerifyVsGenerate(b, req, k)
				})
			}
		}
	}
}

func benchVerifyVsGenerate(b *testing.B, req inference.Request, answers int) {
	m, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	v := Verifier{Reference: m, Tokenizer: m.Tokenizer(), Tolerance: DefaultTolerance}
	ctx := context.Background()
	items := make([]Item, answers)
	var gen, ver time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		for i := range items {
			r := req
			r.Seed = uint64(i + 1) // each miner of a group samples with its own seed
			res, err := m.Generate(ctx, r)
			if err != nil {
				b.Fatal(err)
			}
			items[i] = Item{Request: r, Answer: res}
		}
		t1 := time.Now()
		if answers == 1 {
			vd, err := v.Verify(ctx, items[0].Request, items[0].Answer)
			if err != nil || !vd.Pass {
				b.Fatalf("honest answer: %+v %v", vd, err)
			}
		} else {
			vds, errs := v.VerifyMany(ctx, items)
			for i := range vds {
				if errs[i] != nil || !vds[i].Pass {
					b.Fatalf("honest answer %d: %+v %v", i, vds[i], errs[i])
				}
			}
		}
		gen += t1.Sub(t0)
		ver += time.Since(t1)
	}
	n := float64(b.N * answers)
	b.ReportMetric(float64(ver)/float64(gen), "verify/generate")
	b.ReportMetric(float64(gen.Microseconds())/n, "generate-µs/answer")
	b.ReportMetric(float64(ver.Microseconds())/n, "verify-µs/answer")
}
