package llama

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sampleBySortingAll is the nucleus rule the plain way: sort the whole
// vocabulary by probability, keep the shortest prefix whose mass reaches
// topP, draw from it. state.sample must pick exactly the same token.
func sampleBySortingAll(logits []float32, temperature, topP, u float64) int {
	best := slices.Max(logits)
	probs := make([]float64, len(logits))
	var total float64
	for i, v := range logits {
		probs[i] = math.Exp(float64(v-best) / temperature)
		total += probs[i]
	}
	order := make([]int32, len(logits))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, likelierFirst(probs))
	var kept float64
	n := 0
	for n < len(order) {
		kept += probs[order[n]]
		n++
		if kept >= topP*total {
			break
		}
	}
	return draw(order[:n], probs, kept, u)
}

// TestSampleMatchesFullSort: sorting only the likeliest tokens picks the
// same token as sorting the whole vocabulary, for peaked and flat
// distributions, ties, and nuclei from one token to the whole vocabulary.
func TestSampleMatchesFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const vocab = 2048
	s := &state{probs: make([]float64, vocab), order: make([]int32, vocab)}
	logits := make([]float32, vocab)
	for trial := range 3000 {
		spread := []float64{0.01, 1, 4, 20, 80}[trial%5]
		for i := range logits {
			logits[i] = float32(r.NormFloat64() * spread)
		}
		if trial%7 == 0 { // ties, and a long flat tail
			for i := range logits {
				logits[i] = float32(math.Round(float64(logits[i])))
			}
		}
		temperature := []float64{0.2, 0.7, 1, 1.5}[trial%4]
		topP := []float64{0.05, 0.5, 0.9, 0.95, 0.999999, 0.9999999999}[trial%6]
		seed := uint64(trial)
		want := sampleBySortingAll(logits, temperature, topP, newRNG(seed).float64())
		if got := s.sample(logits, temperature, topP, newRNG(seed)); got != want {
			t.Fatalf("trial %d (spread %v, T %v, top-p %v): sampled %d, full sort gives %d", trial, spread, temperature, topP, got, want)
		}
	}
}
