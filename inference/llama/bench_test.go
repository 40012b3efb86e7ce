package llama

import (
	"context"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama/llamatest"
)

// benchShape is the shipped model's shape, with random weights, so that
// the engine's speed can be measured on its own (package builtin measures
// the shipped model itself).
var benchShape = llamatest.Shape{Vocab: 2048, Hidden: 128, Intermediate: 384, Layers: 4, Heads: 4, KVHeads: 2, MaxPos: 256, Tied: true}

func BenchmarkDecodeStep(b *testing.B) {
	m := randomModel(b, benchShape, 1)
	s := m.getState()
	prompt := make([]int, 64)
	for i := range prompt {
		prompt[i] = 2 + i
	}
	m.prefill(context.Background(), s, prompt)
	b.ReportAllocs()
	pos := len(prompt)
	for b.Loop() {
		if pos == benchShape.MaxPos {
			pos = len(prompt)
		}
		s.one[0] = 7
		m.forward(s, s.one[:], pos, 0)
		pos++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkGenerateRandomWeights(b *testing.B) {
	m := randomModel(b, benchShape, 1)
	req := inference.Request{Prompt: "func main() {\n\t", MaxTokens: 64, Temperature: 0.8, TopP: 0.9, Seed: 1}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		res, err := m.Generate(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		n += len(res.Tokens)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkPrefillRandomWeights(b *testing.B) {
	m := randomModel(b, benchShape, 1)
	ids := make([]int, 192)
	for i := range ids {
		ids[i] = 2 + (i*37)%2000
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ScoreTokens(context.Background(), ids[:1], ids[1:]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkScoreTask is a validator's verification of one answer: a prompt
// of a task's length (72 tokens) and a 40-token answer, scored by prefill.
func BenchmarkScoreTask(b *testing.B) {
	m := randomModel(b, benchShape, 1)
	ids := make([]int, 112)
	for i := range ids {
		ids[i] = 2 + (i*37)%2000
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ScoreTokens(context.Background(), ids[:72], ids[72:]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "tokens/s")
}
