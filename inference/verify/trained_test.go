package verify

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/builtin"
	"github.com/mindnet/mindnet/inference/llama"
)

// The trained models: the shipped one as the reference, and a smaller one
// trained by the same script with another seed and far fewer steps (a miner
// serving a cheaper model than the subnet asks for).
func trained(t *testing.T) (ref, other *llama.Model, v Verifier) {
	t.Helper()
	ref, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	other, err = llama.LoadDir("../llama/testdata/gocode-alt")
	if err != nil {
		t.Fatal(err)
	}
	return ref, other, Verifier{Reference: ref, Tokenizer: ref.Tokenizer(), Tolerance: DefaultTolerance}
}

var goPrompts = []string{
	"package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\t",
	"// Len returns the number of bytes of the unread portion of the buffer.\nfunc (b *Buffer) Len() int {\n",
	"func (s *Scanner) Scan() bool {\n\tif s.done {\n\t\treturn false\n\t}\n\t",
}

func requests() []inference.Request {
	var out []inference.Request
	for i, p := range goPrompts {
		out = append(out,
			inference.Request{Prompt: p, MaxTokens: 32},
			inference.Request{Prompt: p, MaxTokens: 32, Temperature: 0.8, TopP: 0.95, Seed: uint64(i)},
			inference.Request{Prompt: p, MaxTokens: 32, Temperature: 1, Seed: uint64(i)})
	}
	return out
}

func TestTrainedHonestPasses(t *testing.T) {
	ref, _, v := trained(t)
	ctx := context.Background()
	for _, req := range requests() {
		res, err := ref.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		vd, err := v.Verify(ctx, req, res)
		if err != nil {
			t.Fatal(err)
		}
		if !vd.Pass || vd.Score != 1 {
			t.Errorf("honest answer failed (T=%g): %+v", req.Temperature, vd)
		}
	}
}

func TestTrainedOtherModelFails(t *testing.T) {
	_, other, v := trained(t)
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
			t.Errorf("other model passed (T=%g, score %.2f): %+v", req.Temperature, vd.Score, vd.Reasons)
		}
		t.Logf("other model, T=%g: score %.2f, drift mean %.3f max %.3f nats", req.Temperature, vd.Score, vd.MeanDrift, vd.MaxDrift)
	}
}

// TestTrainedForgeriesFail: random tokens, the honest tokens shuffled, and
// the honest answer cut short. The forger reports the log-probabilities its
// own (other) model gives its tokens, the best it can do without running
// the reference.
func TestTrainedForgeriesFail(t *testing.T) {
	ref, other, v := trained(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	vocab := ref.Config().VocabSize
	tok := ref.Tokenizer()
	for _, req := range requests() {
		honest, err := ref.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		forge := func(ids []int) inference.Result {
			scored, err := other.Score(ctx, req.Prompt, ids)
			if err != nil {
				t.Fatal(err)
			}
			r := inference.Result{Finish: inference.FinishLength}
			for i, id := range ids {
				r.Tokens = append(r.Tokens, inference.Token{ID: id, Logprob: scored[i].Logprob})
			}
			r.Text, _ = tok.Decode(ids)
			return r
		}
		random := make([]int, req.MaxTokens)
		for i := range random {
			random[i] = 2 + rng.IntN(vocab-2) // no BOS/EOS
		}
		shuffled := slices.Clone(honest.TokenIDs())
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		truncated := honest
		truncated.Tokens = honest.Tokens[:len(honest.Tokens)/2]
		truncated.Text, _ = tok.Decode(truncated.TokenIDs())
		for name, a := range map[string]inference.Result{
			"random": forge(random), "shuffled": forge(shuffled), "truncated": truncated,
		} {
			if len(a.Tokens) == len(honest.Tokens) && slices.Equal(a.TokenIDs(), honest.TokenIDs()) {
				continue // a shuffle that changed nothing
			}
			vd, err := v.Verify(ctx, req, a)
			if err != nil {
				t.Fatal(err)
			}
			if vd.Pass || vd.Score > 0.5 {
				t.Errorf("%s answer passed (T=%g, score %.2f): %+v", name, req.Temperature, vd.Score, vd.Reasons)
			}
		}
	}
}
