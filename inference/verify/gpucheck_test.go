package verify

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/builtin"
)

// The GPU check (scripts/model/gpu_check.py) compares the built-in Go engine with Hugging Face
// transformers on a GPU. The Go side is computed here and committed as
// testdata/gpu-check-go.json, so that the GPU machine needs no Go toolchain;
// scripts/model/gpu_check.py reads it there and writes
// testdata/gpu-check.json, which the tests below hold the verifier to.

var update = flag.Bool("update", false, "rewrite testdata/gpu-check-go.json from the built-in engine")

const (
	goSidePath    = "testdata/gpu-check-go.json"
	gpuResultPath = "testdata/gpu-check.json"
	gpuMaxTokens  = 64
)

// gpuPrompts are Go code of the kinds the default subnet asks to complete:
// declarations, bodies, comments, literals and imports, short and long.
var gpuPrompts = []string{
	"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.",
	"func (b *Buffer) Write(p []byte) (n int, err error) {\n",
	"// Copyright 2009 The Go Authors. All rights reserved.\n",
	"\tfor i := 0; i < len(s); i++ {\n\t\tif s[i] == ",
	"package strings\n\nimport (\n\t\"internal/bytealg\"\n\t\"unicode/utf8\"\n)\n\n",
	"// Len returns the number of bytes of the unread portion of the buffer.\nfunc (b *Buffer) Len() int {\n",
	"func (s *Scanner) Scan() bool {\n\tif s.done {\n\t\treturn false\n\t}\n\t",
	"type Reader struct {\n\tbuf []byte\n\trd  io.Reader\n\t",
	"\tif err != nil {\n\t\treturn nil, ",
	"const (\n\tmaxInt = 1<<63 - 1\n\t",
	"// ErrShortWrite means that a write accepted fewer bytes than requested\n",
	"func Max(x, y int) int {\n\tif x > y {\n\t\treturn x\n\t}\n\t",
	"\tswitch c {\n\tcase '\\n':\n\t\t",
	"var errNegativeRead = errors.New(\"",
	"func TestParse(t *testing.T) {\n\tfor _, tt := range tests {\n\t\t",
	"// Package sort provides primitives for sorting slices and user-defined collections.\n" +
		"package sort\n\n// An implementation of Interface can be sorted by the routines in this package.\n" +
		"type Interface interface {\n\t// Len is the number of elements in the collection.\n\tLen() int\n\n\t",
}

// goSide is what the Go engine says about each prompt: its token ids (BOS
// first), its greedy continuation and those tokens' log-probabilities.
type goSide struct {
	Model     string     `json:"model"`
	Engine    string     `json:"engine"`
	MaxTokens int        `json:"max_tokens"`
	Prompts   []goPrompt `json:"prompts"`
}

type goPrompt struct {
	Text      string    `json:"text"`
	PromptIDs []int     `json:"prompt_ids"`
	GreedyIDs []int     `json:"greedy_ids"`
	Logprobs  []float64 `json:"logprobs"`
	Finish    string    `json:"finish"`
}

func computeGoSide(t *testing.T) goSide {
	t.Helper()
	m, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := goSide{Model: m.Info().Model, Engine: m.Info().Backend, MaxTokens: gpuMaxTokens}
	for _, p := range gpuPrompts {
		res, err := m.Generate(context.Background(), inference.Request{Prompt: p, MaxTokens: gpuMaxTokens})
		if err != nil {
			t.Fatal(err)
		}
		gp := goPrompt{Text: p, PromptIDs: m.EncodePrompt(p), GreedyIDs: res.TokenIDs(), Finish: string(res.Finish)}
		for _, tok := range res.Tokens {
			gp.Logprobs = append(gp.Logprobs, tok.Logprob)
		}
		out.Prompts = append(out.Prompts, gp)
	}
	return out
}

// TestGPUCheckGoSide keeps the committed Go side in step with the engine:
// the same greedy tokens, log-probabilities within 1e-4 (kernels may be
// retuned; the engine's golden tests hold it to PyTorch at that level).
// Run with -update to rewrite it.
func TestGPUCheckGoSide(t *testing.T) {
	got := computeGoSide(t)
	if *update {
		data, err := json.MarshalIndent(got, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goSidePath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	var want goSide
	readJSON(t, goSidePath, &want)
	if len(want.Prompts) != len(got.Prompts) {
		t.Fatalf("%d prompts committed, %d computed; run with -update", len(want.Prompts), len(got.Prompts))
	}
	for i, w := range want.Prompts {
		g := got.Prompts[i]
		if w.Text != g.Text || !slices.Equal(w.PromptIDs, g.PromptIDs) || !slices.Equal(w.GreedyIDs, g.GreedyIDs) {
			t.Fatalf("prompt %d: tokens differ from the committed Go side; run with -update and redo the GPU check", i)
		}
		for j := range w.Logprobs {
			if d := math.Abs(w.Logprobs[j] - g.Logprobs[j]); d > 1e-4 {
				t.Errorf("prompt %d token %d: logprob %v, committed %v", i, j, g.Logprobs[j], w.Logprobs[j])
			}
		}
	}
}

// gpuCheck is the part of scripts/model/gpu_check.py's output these tests
// read: per dtype, transformers' greedy continuation of each prompt with
// the log-probabilities it reported while decoding.
type gpuCheck struct {
	Runs map[string]struct {
		Prompts []struct {
			GreedyIDs      []int     `json:"greedy_ids"`
			GreedyLogprobs []float64 `json:"greedy_logprobs"`
			Finish         string    `json:"finish"`
		} `json:"prompts"`
	} `json:"runs"`
}

// TestGPUAnswersPassVerifier replays the answers transformers generated on
// the GPU, as a GPU miner would report them, through the verifier with the
// built-in engine as the reference: float32 serving passes under
// DefaultTolerance and half-precision serving under HalfPrecisionTolerance.
// This is the measurement the tolerances rest on (see doc.go).
func TestGPUAnswersPassVerifier(t *testing.T) {
	var side goSide
	readJSON(t, goSidePath, &side)
	var gc gpuCheck
	readJSON(t, gpuResultPath, &gc)
	ref, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		dtype string
		tol   Tolerance
	}{
		{"float32", DefaultTolerance},
		{"float32-tf32", DefaultTolerance},
		{"bfloat16", HalfPrecisionTolerance},
		{"float16", HalfPrecisionTolerance},
	}
	ctx := context.Background()
	for _, c := range cases {
		run, ok := gc.Runs[c.dtype]
		if !ok {
			t.Errorf("%s: no run recorded in %s", c.dtype, gpuResultPath)
			continue
		}
		if len(run.Prompts) != len(side.Prompts) {
			t.Fatalf("%s: %d prompts, Go side has %d", c.dtype, len(run.Prompts), len(side.Prompts))
		}
		v := Verifier{Reference: ref, Tokenizer: ref.Tokenizer(), Tolerance: c.tol}
		var worst, worstGap float64
		for i, p := range run.Prompts {
			req := inference.Request{Prompt: side.Prompts[i].Text, MaxTokens: side.MaxTokens}
			answer, err := asResult(ref.Tokenizer().Decode, ref.Info().EOSID, p.GreedyIDs, p.GreedyLogprobs, p.Finish)
			if err != nil {
				t.Fatalf("%s prompt %d: %v", c.dtype, i, err)
			}
			vd, err := v.Verify(ctx, req, answer)
			if err != nil {
				t.Fatal(err)
			}
			worst = max(worst, vd.MaxDrift)
			scored, err := ref.Score(ctx, req.Prompt, p.GreedyIDs)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range scored {
				worstGap = max(worstGap, s.TopLogprob-s.Logprob)
			}
			if !vd.Pass {
				t.Errorf("%s prompt %d: honest GPU answer failed: %+v", c.dtype, i, vd.Reasons)
			}
		}
		t.Logf("%s: largest drift against the Go engine %.3g nats (tolerance %.3g), largest greedy gap %.3g nats (margin %.3g)",
			c.dtype, worst, c.tol.LogprobTolerance, worstGap, c.tol.GreedyMargin)
		// The rule the tolerances were set by (doc.go): at least twice what
		// honest GPU serving was measured to need.
		if c.tol.LogprobTolerance < 2*worst || c.tol.GreedyMargin < 2*worstGap {
			t.Errorf("%s: tolerance %+v leaves less than a factor 2 over the measured drift %.3g and gap %.3g",
				c.dtype, c.tol, worst, worstGap)
		}
	}
}

// asResult is a miner's answer made of a GPU run's tokens; its text, like
// the engines', leaves out the end-of-sequence token.
func asResult(decode func([]int) (string, error), eos int, ids []int, logprobs []float64, finish string) (inference.Result, error) {
	if len(ids) != len(logprobs) {
		return inference.Result{}, fmt.Errorf("%d ids, %d logprobs", len(ids), len(logprobs))
	}
	r := inference.Result{Finish: inference.FinishReason(finish)}
	for i, id := range ids {
		r.Tokens = append(r.Tokens, inference.Token{ID: id, Logprob: logprobs[i]})
	}
	if n := len(ids); n > 0 && ids[n-1] == eos {
		ids = ids[:n-1]
	}
	text, err := decode(ids)
	if err != nil {
		return inference.Result{}, err
	}
	r.Text = text
	return r, nil
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestHalfPrecisionToleranceRejectsOtherModel: the looser tolerance still
// tells the shipped model from another one trained the same way.
func TestHalfPrecisionToleranceRejectsOtherModel(t *testing.T) {
	_, other, v := trained(t)
	v.Tolerance = HalfPrecisionTolerance
	ctx := context.Background()
	for _, req := range requests() {
		res, err := other.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		vd, err := v.Verify(ctx, req, res)
		if err != nil {
			t.Fatal(err)
		}
		if vd.Pass || vd.Score > 0.5 {
			t.Errorf("other model passed the half-precision tolerance (T=%g, score %.2f)", req.Temperature, vd.Score)
		}
	}
}
