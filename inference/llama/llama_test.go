package llama

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama/llamatest"
	"github.com/mindnet/mindnet/inference/safetensors"
)

var testMerges = [][2]string{{" ", "f"}, {"u", "n"}, {" f", "un"}, {"i", "n"}, {"in", "t"}, {"\n", "\t"}}

// testShape has GQA (4 heads over 2 kv heads), an untied head, and room for
// prompts longer than one prefill chunk.
var testShape = llamatest.Shape{Vocab: 270, Hidden: 32, Intermediate: 48, Layers: 2, Heads: 4, KVHeads: 2, MaxPos: 320}

// longTestPrompt is longer than one prefill chunk with the test tokenizer.
const longTestPrompt = "func fun(x int) {\n\treturn x\n}\nfunc main() { fun(1) }\nfunc two(y int) int {\n\treturn y + y\n}\n" +
	"func three(z int) int {\n\treturn z + z + z\n}\nfunc four(w int) int {\n\treturn two(w) + two(w)\n}\n"

func randomModel(t testing.TB, s llamatest.Shape, seed uint64) *Model {
	t.Helper()
	fsys, err := llamatest.Folder(s, seed, 0.3, llamatest.ByteTokenizerJSON(testMerges))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(fsys, ".", "test")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestForwardMatchesReference(t *testing.T) {
	for _, shape := range []llamatest.Shape{testShape, {Vocab: 266, Hidden: 24, Intermediate: 40, Layers: 1, Heads: 3, KVHeads: 3, MaxPos: 256, Tied: true, RopeTheta: 500}} {
		m := randomModel(t, shape, 3)
		prompt := longTestPrompt
		ids := m.EncodePrompt(prompt)
		if len(ids) <= chunk {
			t.Fatalf("prompt of %d tokens does not cross a chunk", len(ids))
		}
		cont := []int{5, 100, 2, 7, 1, 260}
		scored, err := m.ScoreTokens(context.Background(), ids, cont)
		if err != nil {
			t.Fatal(err)
		}
		ref := referenceLogits(m, append(slices.Clone(ids), cont...))
		for i, s := range scored {
			lp := logSoftmax64(ref[len(ids)-1+i])
			if d := math.Abs(lp[cont[i]] - s.Logprob); d > 1e-4 {
				t.Errorf("shape %+v token %d: logprob %v, reference %v", shape, i, s.Logprob, lp[cont[i]])
			}
			best := 0
			for j := range lp {
				if lp[j] > lp[best] {
					best = j
				}
			}
			if s.TopID != best || math.Abs(s.TopLogprob-lp[best]) > 1e-4 {
				t.Errorf("token %d: top %d (%v), reference %d (%v)", i, s.TopID, s.TopLogprob, best, lp[best])
			}
		}
	}
}

// TestGreedyMatchesScore: prefill reproduces decoding bit for bit.
func TestGreedyMatchesScore(t *testing.T) {
	m := randomModel(t, testShape, 5)
	ctx := context.Background()
	res, err := m.Generate(ctx, inference.Request{Prompt: "func main() {", MaxTokens: 20, TopK: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tokens) == 0 {
		t.Fatal("no tokens")
	}
	scored, err := m.Score(ctx, "func main() {", res.TokenIDs())
	if err != nil {
		t.Fatal(err)
	}
	for i, tok := range res.Tokens {
		if scored[i].TopID != tok.ID || scored[i].Logprob != tok.Logprob {
			t.Fatalf("token %d: generated %d (%v), prefill says top %d, logprob %v", i, tok.ID, tok.Logprob, scored[i].TopID, scored[i].Logprob)
		}
		if tok.Top[0].ID != tok.ID || tok.Top[0].Logprob < tok.Top[1].Logprob || tok.Top[1].Logprob < tok.Top[2].Logprob {
			t.Fatalf("token %d: alternatives %+v", i, tok.Top)
		}
	}
}

func TestSeededSamplingIsDeterministic(t *testing.T) {
	m := randomModel(t, testShape, 6)
	ctx := context.Background()
	req := inference.Request{Prompt: "x", MaxTokens: 30, Temperature: 1.2, TopP: 0.9, Seed: 42}
	a, err := m.Generate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.Generate(ctx, req)
	if !slices.Equal(a.TokenIDs(), b.TokenIDs()) {
		t.Fatal("same seed, different output")
	}
	req.Seed = 43
	c, _ := m.Generate(ctx, req)
	if slices.Equal(a.TokenIDs(), c.TokenIDs()) {
		t.Fatal("different seeds gave identical 30-token samples")
	}
}

func TestTopPOneKeepsOnlyMode(t *testing.T) {
	m := randomModel(t, testShape, 6)
	ctx := context.Background()
	greedy, _ := m.Generate(ctx, inference.Request{Prompt: "ab", MaxTokens: 10})
	// A nucleus smaller than any probability keeps only the most likely token.
	tiny, _ := m.Generate(ctx, inference.Request{Prompt: "ab", MaxTokens: 10, Temperature: 1, TopP: 1e-9, Seed: 9})
	if !slices.Equal(greedy.TokenIDs(), tiny.TokenIDs()) {
		t.Fatalf("top-p 1e-9 %v differs from greedy %v", tiny.TokenIDs(), greedy.TokenIDs())
	}
}

func TestStreamAndStop(t *testing.T) {
	m := randomModel(t, testShape, 7)
	ctx := context.Background()
	full, _ := m.Generate(ctx, inference.Request{Prompt: "x", MaxTokens: 40})
	if len(full.Text) < 4 {
		t.Skipf("model output too short to cut: %q", full.Text)
	}
	stop := full.Text[2:4]
	var streamed []int
	res, err := m.GenerateStream(ctx, inference.Request{Prompt: "x", MaxTokens: 40, Stop: []string{stop}},
		func(tok inference.Token) error { streamed = append(streamed, tok.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(full.Text, stop)
	if res.Finish != inference.FinishStop || res.Text != full.Text[:at] {
		t.Fatalf("finish %s text %q, want text %q", res.Finish, res.Text, full.Text[:at])
	}
	if !slices.Equal(streamed, res.TokenIDs()) {
		t.Fatal("streamed tokens differ from result")
	}
	// The kept tokens' text covers the stop sequence, and no earlier prefix does.
	var sb strings.Builder
	for i, tok := range res.Tokens {
		sb.WriteString(tok.Text)
		if strings.Contains(sb.String(), stop) != (i == len(res.Tokens)-1) {
			t.Fatalf("stop sequence completes at token %d of %d", i, len(res.Tokens))
		}
	}
	stopErr := errors.New("enough")
	_, err = m.GenerateStream(ctx, inference.Request{Prompt: "x", MaxTokens: 5},
		func(inference.Token) error { return stopErr })
	if !errors.Is(err, stopErr) {
		t.Fatalf("consumer error: %v", err)
	}
}

func TestRequestErrors(t *testing.T) {
	m := randomModel(t, testShape, 8)
	ctx := context.Background()
	if _, err := m.Generate(ctx, inference.Request{Prompt: "x", MaxTokens: 500}); !errors.Is(err, ErrContextLength) {
		t.Fatalf("long request: %v", err)
	}
	if _, err := m.Generate(ctx, inference.Request{Prompt: "x"}); !errors.Is(err, inference.ErrBadRequest) {
		t.Fatalf("zero max tokens: %v", err)
	}
	if _, err := m.Score(ctx, "x", []int{testShape.Vocab}); !errors.Is(err, ErrTokenID) {
		t.Fatalf("bad id: %v", err)
	}
	if _, err := m.Score(ctx, "x", make([]int, testShape.MaxPos)); !errors.Is(err, ErrContextLength) {
		t.Fatalf("long score: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Generate(cancelled, inference.Request{Prompt: "x", MaxTokens: 3}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestLoadRejectsMismatchedWeights(t *testing.T) {
	tokJSON := llamatest.ByteTokenizerJSON(nil)
	base, err := llamatest.Folder(testShape, 1, 0.1, tokJSON)
	if err != nil {
		t.Fatal(err)
	}
	withTensors := func(ts []safetensors.Tensor) fstest.MapFS {
		data, err := safetensors.Encode(ts, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := fstest.MapFS{}
		for k, v := range base {
			f[k] = v
		}
		f["model.safetensors"] = &fstest.MapFile{Data: data}
		return f
	}
	ts := testShape.Tensors(1, 0.1)
	extra := append(slices.Clone(ts), safetensors.Float32Tensor("model.layers.9.mlp.up_proj.weight", []int{1}, []float32{1}))
	wrong := slices.Clone(ts)
	wrong[1] = safetensors.Float32Tensor(wrong[1].Name, []int{2}, []float32{1, 1})
	nan := slices.Clone(ts)
	nan[1] = safetensors.Float32Tensor(nan[1].Name, []int{testShape.Hidden}, append([]float32{float32(math.NaN())}, make([]float32, testShape.Hidden-1)...))
	for name, fsys := range map[string]fstest.MapFS{
		"missing": withTensors(ts[:len(ts)-1]), "extra": withTensors(extra),
		"wrong shape": withTensors(wrong), "nan": withTensors(nan),
	} {
		if _, err := Load(fsys, ".", "bad"); !errors.Is(err, ErrWeights) {
			t.Errorf("%s: %v", name, err)
		}
	}
	noConfig := fstest.MapFS{"tokenizer.json": base["tokenizer.json"], "model.safetensors": base["model.safetensors"]}
	if _, err := Load(noConfig, ".", "bad"); err == nil {
		t.Error("loaded without config.json")
	}
}

func TestConfigValidation(t *testing.T) {
	good := `{"model_type":"llama","vocab_size":10,"hidden_size":8,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":1,"max_position_embeddings":8,"rms_norm_eps":1e-5,"bos_token_id":0,"eos_token_id":[1,2]}`
	c, err := ParseConfig([]byte(good))
	if err != nil || c.HeadDim != 4 || c.RopeTheta != 10000 || len(c.EOSTokenID) != 2 || c.Window() != 0 || c.QKVBias() {
		t.Fatalf("%+v %v", c, err)
	}
	with := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in the good config", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	field := func(extra string) string { return with(`"model_type"`, extra+`,"model_type"`) }
	// Each refusal names the field and the value it cannot run.
	for _, bad := range []struct{ config, want string }{
		{with(`"llama"`, `"gpt2"`), `model_type "gpt2"`},
		{field(`"architectures":["MistralForCausalLM"]`), `architectures ["MistralForCausalLM"]`},
		{with(`"num_key_value_heads":1`, `"num_key_value_heads":3`), "num_key_value_heads 3"},
		{with(`"eos_token_id":[1,2]`, `"eos_token_id":99`), "special token id 99"},
		{with(`"vocab_size":10`, `"vocab_size":-1`), "vocab_size -1"},
		{with(`"hidden_size":8`, `"hidden_size":0`), "hidden_size 0"},
		{with(`"intermediate_size":8`, `"intermediate_size":0`), "intermediate_size 0"},
		{with(`"num_hidden_layers":1`, `"num_hidden_layers":0`), "num_hidden_layers 0"},
		{with(`"max_position_embeddings":8`, `"max_position_embeddings":1`), "max_position_embeddings 1"},
		{with(`"rms_norm_eps":1e-5`, `"rms_norm_eps":0`), "rms_norm_eps 0"},
		{with(`"bos_token_id":0`, `"bos_token_id":[0,1]`), "bos_token_id [0 1]"},
		{field(`"head_dim":3`), "head_dim 3"},
		{field(`"rope_theta":-1`), "rope_theta -1"},
		{field(`"hidden_act":"gelu"`), `hidden_act "gelu"`},
		{field(`"attention_bias":true`), "attention_bias true"},
		{field(`"mlp_bias":true`), "mlp_bias true"},
		{field(`"pretraining_tp":2`), "pretraining_tp 2"},
		{field(`"rope_scaling":{"type":"linear"}`), "rope_scaling factor 0"},
		{field(`"rope_scaling":{"rope_type":"yarn","factor":4}`), `rope_scaling type "yarn"`},
		{field(`"rope_scaling":{"rope_type":"llama3","factor":8,"low_freq_factor":4,"high_freq_factor":1,"original_max_position_embeddings":8192}`), "low_freq_factor 4"},
		{field(`"rope_scaling":{"rope_type":"llama3","factor":8,"low_freq_factor":1,"high_freq_factor":4}`), "original_max_position_embeddings 0"},
		{field(`"rope_scaling":[1]`), "rope_scaling [1]"},
		{strings.Replace(field(`"sliding_window":0`), `"llama"`, `"mistral"`, 1), "sliding_window 0"},
		{strings.Replace(field(`"use_sliding_window":true,"sliding_window":4`), `"llama"`, `"qwen2"`, 1), "use_sliding_window true"},
		{`[]`, "cannot unmarshal"},
	} {
		_, err := ParseConfig([]byte(bad.config))
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v (want an error naming %s)", bad.config, err, bad.want)
		}
	}
	// What the three architectures need to run is accepted and derived.
	for _, ok := range []struct {
		config       string
		window       int
		bias         bool
		architecture string
	}{
		{strings.Replace(field(`"sliding_window":4,"architectures":["MistralForCausalLM"]`), `"llama"`, `"mistral"`, 1), 4, false, "MistralForCausalLM"},
		{strings.Replace(field(`"sliding_window":null,"head_dim":null`), `"llama"`, `"mistral"`, 1), 0, false, ""},
		{strings.Replace(field(`"use_sliding_window":false,"sliding_window":4`), `"llama"`, `"qwen2"`, 1), 0, true, ""},
		{field(`"rope_scaling":{"rope_type":"llama3","factor":8,"low_freq_factor":1,"high_freq_factor":4,"original_max_position_embeddings":8192},"max_position_embeddings":131072,"head_dim":6`), 0, false, ""},
		{field(`"rope_scaling":{"type":"default"}`), 0, false, ""},
	} {
		c, err := ParseConfig([]byte(ok.config))
		if err != nil || c.Window() != ok.window || c.QKVBias() != ok.bias {
			t.Errorf("%s: window %d bias %v, %v", ok.config, c.Window(), c.QKVBias(), err)
		}
	}
}

func TestDecodeStepDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	m := randomModel(t, testShape, 9)
	s := m.getState()
	m.forward(s, []int{0, 5, 6}, 0, 2)
	pos := 3
	allocs := testing.AllocsPerRun(20, func() {
		s.one[0] = 7
		m.forward(s, s.one[:], pos, 0)
		logSoftmaxStats(s.logits[:m.cfg.VocabSize])
		s.sample(s.logits[:m.cfg.VocabSize], 0.8, 0.9, newRNG(1))
		pos++
	})
	// newRNG's one small object is the only allocation allowed.
	if allocs > 1 {
		t.Fatalf("decode step allocates %v times", allocs)
	}
}

// TestGenerateAllocationsDoNotGrowWithLength: a request allocates its
// result and scratch once; more tokens must not mean more allocations.
func TestGenerateAllocationsDoNotGrowWithLength(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	m := randomModel(t, testShape, 10)
	ctx := context.Background()
	count := func(n int) float64 {
		req := inference.Request{Prompt: "fun", MaxTokens: n, Temperature: 0.9, TopP: 0.8, Seed: 1, TopK: 2,
			Stop: []string{"a stop sequence longer than thirty-two bytes, never produced"}}
		return testing.AllocsPerRun(5, func() {
			res, err := m.Generate(ctx, req)
			if err != nil || len(res.Tokens) != n {
				t.Fatalf("%v, %d tokens", err, len(res.Tokens))
			}
		})
	}
	short, long := count(4), count(40)
	if long > short {
		t.Fatalf("%v allocations for 4 tokens, %v for 40", short, long)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"model_type":"llama","vocab_size":10,"hidden_size":8,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":1,"max_position_embeddings":8,"rms_norm_eps":1e-5,"bos_token_id":0,"eos_token_id":[1,2]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err == nil && (c.qDim() <= 0 || c.kvDim() <= 0 || c.NumAttentionHeads%c.NumKeyValueHeads != 0) {
			t.Fatalf("accepted inconsistent config %+v", c)
		}
	})
}

// TestConcurrentRequests: one model serves many requests at once (the
// miner does), each getting what it would get alone.
func TestConcurrentRequests(t *testing.T) {
	m := randomModel(t, testShape, 12)
	ctx := context.Background()
	reqs := make([]inference.Request, 6)
	want := make([][]int, len(reqs))
	for i := range reqs {
		reqs[i] = inference.Request{Prompt: strings.Repeat("fun ", i+1), MaxTokens: 20, Temperature: 0.7, Seed: uint64(i)}
		res, err := m.Generate(ctx, reqs[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = res.TokenIDs()
	}
	errs := make(chan error, len(reqs))
	for i := range reqs {
		go func() {
			res, err := m.Generate(ctx, reqs[i])
			if err == nil && !slices.Equal(res.TokenIDs(), want[i]) {
				err = errors.New("concurrent result differs from serial one")
			}
			errs <- err
		}()
	}
	for range reqs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
