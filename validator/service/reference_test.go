package service

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/testutil/openaitest"
	"github.com/mindnet/mindnet/validator/config"
	"github.com/mindnet/mindnet/validator/tasks"
)

// A validator whose reference is mindnet-serve (engine.kind openai) reaches the same verdicts and
// scores as one with the built-in reference, on honest answers and on answers of every dishonest kind,
// with tokens named as text or as ids.
func TestOpenAIReferenceAgreesWithBuiltin(t *testing.T) {
	tiny, err := folder.Open("")
	if err != nil {
		t.Fatal(err)
	}
	model, _ := tiny.Load()
	url := openaitest.URL(t, "", "gocode-tiny", nil)
	altFolder, _ := folder.Open("../../inference/llama/testdata/gocode-alt")
	alt, err := altFolder.Load()
	if err != nil {
		t.Fatal(err)
	}

	var builtinCfg config.Config
	builtinCfg.Engine.Kind, builtinCfg.Engine.Precision = "builtin", "float32"
	_, builtinV, err := NewReference(builtinCfg)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := tasks.Default()
	gen, _ := tasks.NewGenerator(set, tasks.DefaultConfig())
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	type item struct {
		kind   string
		req    inference.Request
		answer inference.Result
	}
	var items []item
	for i := uint32(0); i < 12; i++ {
		task := gen.Task(42, i, "miner")
		req := task.Request
		honest, err := model.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := alt.Generate(ctx, req)
		random := honest
		random.Tokens = append([]inference.Token(nil), honest.Tokens...)
		for j := range random.Tokens {
			random.Tokens[j].ID = rng.IntN(tiny.Tokenizer.VocabSize())
			random.Tokens[j].Logprob = -0.01
		}
		short := honest
		short.Tokens = honest.Tokens[:max(1, len(honest.Tokens)/4)]
		short.Finish = inference.FinishLength
		items = append(items, item{"honest", req, honest}, item{"other model", req, other}, item{"random", req, random}, item{"short", req, short})
	}
	passed := 0
	for _, ids := range []bool{false, true} {
		var cfg config.Config
		cfg.Engine.Kind, cfg.Engine.Precision, cfg.Engine.Model, cfg.Engine.OpenAIURL, cfg.Engine.TokenIDs = "openai", "float32", "gocode-tiny", url, ids
		_, openaiV, err := NewReference(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i, it := range items {
			want, err := builtinV.Verify(ctx, it.req, it.answer)
			if err != nil {
				t.Fatal(err)
			}
			got, err := openaiV.Verify(ctx, it.req, it.answer)
			if err != nil {
				t.Fatalf("item %d (%s): %v", i, it.kind, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("item %d (%s), token ids %v: openai reference %+v, built-in %+v", i, it.kind, ids, got, want)
			}
			if want.Pass {
				passed++
			}
			if it.kind != "honest" && want.Pass {
				t.Errorf("item %d (%s) passed", i, it.kind)
			}
		}
	}
	if passed == 0 {
		t.Fatal("no honest answer passed: the comparison shows nothing")
	}
}
