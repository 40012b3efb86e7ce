package llama

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/mindnet/mindnet/inference"
)

// goldenFile is what scripts/model/golden.py writes: the PyTorch reference's
// numbers for a few prompts.
type goldenFile struct {
	Model string `json:"model"`
	Cases []struct {
		Prompt         string    `json:"prompt"`
		IDs            []int     `json:"ids"`
		LastLogits     []float64 `json:"last_logits"`
		PromptLogprobs []float64 `json:"prompt_logprobs"`
		GreedyIDs      []int     `json:"greedy_ids"`
		GreedyLogprobs []float64 `json:"greedy_logprobs"`
	} `json:"cases"`
}

// goldenTolerance is the bar for agreement with PyTorch.
const goldenTolerance = 1e-4

// checkGolden compares m with the PyTorch reference in path and returns the
// largest log-probability difference seen.
func checkGolden(t *testing.T, m *Model, path string) float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g goldenFile
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var worst float64
	for _, c := range g.Cases {
		ids := m.EncodePrompt(c.Prompt)
		if !slices.Equal(ids, c.IDs) {
			t.Fatalf("%q: Go tokens %v, Python %v", c.Prompt, ids, c.IDs)
		}
		scored, err := m.ScoreTokens(ctx, ids[:1], ids[1:])
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range scored {
			d := math.Abs(s.Logprob - c.PromptLogprobs[i])
			worst = max(worst, d)
			if d > goldenTolerance {
				t.Errorf("%q position %d: logprob %v, PyTorch %v", c.Prompt, i, s.Logprob, c.PromptLogprobs[i])
			}
		}
		st := m.getState()
		if err := m.prefill(ctx, st, ids); err != nil {
			t.Fatal(err)
		}
		for i, want := range c.LastLogits {
			if d := math.Abs(float64(st.logits[i]) - want); d > goldenTolerance {
				t.Fatalf("%q: logit %d is %v, PyTorch %v", c.Prompt, i, st.logits[i], want)
			}
		}
		m.putState(st)
		res, err := m.Generate(ctx, inference.Request{Prompt: c.Prompt, MaxTokens: len(c.GreedyIDs)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.TokenIDs(), c.GreedyIDs) {
			t.Errorf("%q: greedy %v, PyTorch %v", c.Prompt, res.TokenIDs(), c.GreedyIDs)
			continue
		}
		for i, tok := range res.Tokens {
			d := math.Abs(tok.Logprob - c.GreedyLogprobs[i])
			worst = max(worst, d)
			if d > goldenTolerance {
				t.Errorf("%q greedy %d: logprob %v, PyTorch %v", c.Prompt, i, tok.Logprob, c.GreedyLogprobs[i])
			}
		}
	}
	return worst
}

// TestGoldenShippedModel: the engine reproduces the PyTorch reference's
// log-probabilities and greedy choices for the shipped model (float32).
func TestGoldenShippedModel(t *testing.T) {
	m, err := LoadDir("../../models/gocode-tiny")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("largest |Go - PyTorch| log-probability: %.3g", checkGolden(t, m, "testdata/golden.json"))
}

// TestGoldenAltModel covers float16 checkpoints: the second model is stored
// in float16, widened on load, and must match PyTorch run on the same
// widened weights.
func TestGoldenAltModel(t *testing.T) {
	m, err := LoadDir("testdata/gocode-alt")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("largest |Go - PyTorch| log-probability: %.3g", checkGolden(t, m, "testdata/golden-alt.json"))
}
