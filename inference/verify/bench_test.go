package verify

import (
	"context"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/builtin"
)

// BenchmarkVerifyVsGenerate times generating a 64-token answer with the
// built-in model and verifying it by prefill, and reports verification as
// a fraction of generation (the target is below 0.25). Sampled generation
// (top-p 0.95, the validator's usual request) pays for sorting the
// vocabulary at every step; greedy generation is the cheapest there is, so
// it gives the least favourable fraction.
func BenchmarkVerifyVsGenerate(b *testing.B) {
	prompt := "package main\n\nimport (\n\t\"fmt\"\n)\n\nfunc main() {\n\t"
	b.Run("sampled", func(b *testing.B) {
		benchVerifyVsGenerate(b, inference.Request{Prompt: prompt, MaxTokens: 64, Temperature: 0.8, TopP: 0.95, Seed: 1})
	})
	b.Run("greedy", func(b *testing.B) {
		benchVerifyVsGenerate(b, inference.Request{Prompt: prompt, MaxTokens: 64})
	})
}

func benchVerifyVsGenerate(b *testing.B, req inference.Request) {
	m, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	v := Verifier{Reference: m, Tokenizer: m.Tokenizer(), Tolerance: DefaultTolerance}
	ctx := context.Background()
	var gen, ver time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		res, err := m.Generate(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		vd, err := v.Verify(ctx, req, res)
		if err != nil || !vd.Pass {
			b.Fatalf("honest answer: %+v %v", vd, err)
		}
		gen += t1.Sub(t0)
		ver += time.Since(t1)
	}
	b.ReportMetric(float64(ver)/float64(gen), "verify/generate")
	b.ReportMetric(float64(gen.Microseconds())/float64(b.N), "generate-µs/op")
	b.ReportMetric(float64(ver.Microseconds())/float64(b.N), "verify-µs/op")
}
