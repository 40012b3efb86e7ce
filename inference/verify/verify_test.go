package verify

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/inference/llama/llamatest"
)

var shape = llamatest.Shape{Vocab: 261, Hidden: 48, Intermediate: 96, Layers: 2, Heads: 4, KVHeads: 2, MaxPos: 128}

func randomModel(t testing.TB, seed uint64, std float64) *llama.Model {
	t.Helper()
	fsys, err := llamatest.Folder(shape, seed, std, llamatest.ByteTokenizerJSON([][2]string{{" ", "f"}, {"u", "n"}, {"i", "n"}}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := llama.Load(fsys, ".", "random")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func hasReason(v Verdict, code string) bool {
	return slices.ContainsFunc(v.Reasons, func(r Reason) bool { return r.Code == code })
}

type fixture struct {
	ref   *llama.Model
	other *llama.Model
	v     Verifier
}

func newFixture(t *testing.T) fixture {
	ref := randomModel(t, 1, 0.5)
	return fixture{ref: ref, other: randomModel(t, 2, 0.5),
		v: Verifier{Reference: ref, Tokenizer: ref.Tokenizer(), Tolerance: DefaultTolerance}}
}

func (f fixture) verify(t *testing.T, req inference.Request, a inference.Result) Verdict {
	t.Helper()
	vd, err := f.v.Verify(context.Background(), req, a)
	if err != nil {
		t.Fatal(err)
	}
	return vd
}

var greedyReq = inference.Request{Prompt: "fun in", MaxTokens: 24}
var sampledReq = inference.Request{Prompt: "fun in", MaxTokens: 24, Temperature: 0.8, TopP: 0.95, Seed: 3}

func TestHonestAnswersPass(t *testing.T) {
	f := newFixture(t)
	for _, req := range []inference.Request{greedyReq, sampledReq, {Prompt: "x", MaxTokens: 16, Temperature: 1.3, Seed: 8}} {
		res, err := f.ref.Generate(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if vd := f.verify(t, req, res); !vd.Pass || vd.Score != 1 {
			t.Errorf("honest answer to %+v failed: %+v", req, vd)
		}
	}
}

func TestOtherModelFails(t *testing.T) {
	f := newFixture(t)
	for _, req := range []inference.Request{greedyReq, sampledReq} {
		res, _ := f.other.Generate(context.Background(), req)
		vd := f.verify(t, req, res)
		if vd.Pass || vd.Score > 0.5 || !hasReason(vd, ReasonDrift) {
			t.Errorf("other model's answer to %+v passed: %+v", req, vd)
		}
		if req.Greedy() && !hasReason(vd, ReasonNotGreedy) {
			t.Errorf("other model's greedy answer not flagged: %+v", vd.Reasons)
		}
	}
}

func TestForgedAnswersFail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	honest, _ := f.ref.Generate(ctx, greedyReq)
	rng := rand.New(rand.NewPCG(1, 1))
	cases := map[string]func(inference.Result) inference.Result{
		"random tokens": func(r inference.Result) inference.Result {
			for i := range r.Tokens {
				r.Tokens[i].ID = 2 + rng.IntN(shape.Vocab-2)
			}
			return withText(f, r)
		},
		"shuffled": func(r inference.Result) inference.Result {
			rng.Shuffle(len(r.Tokens), func(i, j int) { r.Tokens[i], r.Tokens[j] = r.Tokens[j], r.Tokens[i] })
			return withText(f, r)
		},
		"reversed": func(r inference.Result) inference.Result {
			slices.Reverse(r.Tokens)
			return withText(f, r)
		},
		"inflated logprobs": func(r inference.Result) inference.Result {
			for i := range r.Tokens {
				r.Tokens[i].Logprob = r.Tokens[i].Logprob/2 - 0.01
			}
			return r
		},
	}
	for name, forge := range cases {
		a := forge(clone(honest))
		if vd := f.verify(t, greedyReq, a); vd.Pass {
			t.Errorf("%s passed: %+v", name, vd)
		}
	}
}

func TestShapeChecks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	honest, _ := f.ref.Generate(ctx, greedyReq)
	if honest.Finish != inference.FinishLength || len(honest.Tokens) < 8 {
		t.Fatalf("fixture answer ended early: %s after %d tokens", honest.Finish, len(honest.Tokens))
	}
	truncated := clone(honest)
	truncated.Tokens = truncated.Tokens[:len(truncated.Tokens)/2]
	truncated = withText(f, truncated)
	tooLong := clone(honest)
	tooLong.Tokens = append(tooLong.Tokens, tooLong.Tokens...)
	tooLong = withText(f, tooLong)
	falseStop := clone(truncated)
	falseStop.Finish = inference.FinishStop
	badText := clone(honest)
	badText.Text += "!"
	falseEOS := clone(honest)
	falseEOS.Finish = inference.FinishEOS
	badID := clone(honest)
	badID.Tokens[0].ID = 10000
	cases := map[string]struct {
		a    inference.Result
		code string
	}{
		"empty":      {inference.Result{Finish: inference.FinishEOS}, ReasonEmpty},
		"truncated":  {truncated, ReasonShort},
		"too long":   {tooLong, ReasonTooLong},
		"false stop": {falseStop, ReasonFalseStop},
		"bad text":   {badText, ReasonTextMismatch},
		"false eos":  {falseEOS, ReasonFalseEOS},
		"bad id":     {badID, ReasonBadToken},
	}
	for name, c := range cases {
		vd := f.verify(t, greedyReq, c.a)
		if vd.Pass || vd.Score != 0 || !hasReason(vd, c.code) {
			t.Errorf("%s: %+v", name, vd)
		}
	}
}

func TestStopSequences(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	free, _ := f.ref.Generate(ctx, greedyReq)
	if len(free.Text) < 6 {
		t.Skip("answer too short")
	}
	req := greedyReq
	req.Stop = []string{free.Text[3:5]}
	stopped, _ := f.ref.Generate(ctx, req)
	if stopped.Finish != inference.FinishStop {
		t.Fatalf("expected a stop, got %s", stopped.Finish)
	}
	if vd := f.verify(t, req, stopped); !vd.Pass {
		t.Fatalf("honest stopped answer failed: %+v", vd)
	}
	// Ignoring the stop sequence and running on is caught.
	if vd := f.verify(t, req, free); vd.Pass || !hasReason(vd, ReasonPastStop) {
		t.Fatalf("answer past its stop sequence: %+v", vd)
	}
}

func TestVerifierNeedsParts(t *testing.T) {
	if _, err := (Verifier{}).Verify(context.Background(), greedyReq, inference.Result{}); err == nil {
		t.Fatal("empty verifier ran")
	}
}

func clone(r inference.Result) inference.Result {
	r.Tokens = slices.Clone(r.Tokens)
	return r
}

// withText recomputes the text of forged tokens, as a forger would, so
// that the forgery is caught by the model checks and not the text check.
func withText(f fixture, r inference.Result) inference.Result {
	text, _ := f.ref.Tokenizer().Decode(r.TokenIDs())
	r.Text = text
	return r
}
