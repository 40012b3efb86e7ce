package builtin

import (
	"context"
	"runtime"
	"testing"

	"github.com/mindnet/mindnet/inference"
)

const benchPrompt = "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\t"

// BenchmarkGenerate is decode speed: 64 greedy tokens after a short prompt.
func BenchmarkGenerate(b *testing.B) {
	m := load(b)
	req := inference.Request{Prompt: benchPrompt, MaxTokens: 64}
	b.ReportAllocs()
	var tokens int
	for b.Loop() {
		res, err := m.Generate(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		tokens += len(res.Tokens)
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkPrefill is scoring speed: 192 tokens of Go scored in one pass.
func BenchmarkPrefill(b *testing.B) {
	m := load(b)
	ids := m.Tokenizer().Encode(benchPrompt + "fmt.Println(\"hello\")\n\tif len(os.Args) > 1 {\n\t\tfmt.Println(os.Args[1])\n\t}\n}\n")
	for len(ids) < 192 {
		ids = append(ids, ids...)
	}
	ids = ids[:192]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Score(context.Background(), "", ids); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkTimeToFirstToken is prompt prefill plus one sampled token.
func BenchmarkTimeToFirstToken(b *testing.B) {
	m := load(b)
	req := inference.Request{Prompt: benchPrompt + "// The quick brown fox jumps over the lazy dog, again and again.\n\t", MaxTokens: 1, Temperature: 0.8, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Generate(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad is decoding the embedded model, and its resident size.
func BenchmarkLoad(b *testing.B) {
	m := load(b)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	keep, err := loadFresh()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadFresh(); err != nil {
			b.Fatal(err)
		}
	}
	// Reported after the loop, which resets custom metrics when it starts.
	b.ReportMetric(float64(m.WeightBytes()), "weight-bytes")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc), "resident-bytes")
}
