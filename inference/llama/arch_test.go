package llama

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mindnet/mindnet/inference"
)

// archGolden is what scripts/model/archs.py writes for each folder under
// testdata/arch: llama.py's numbers for token sequences given as ids.
type archGolden struct {
	Model string `json:"model"`
	DType string `json:"dtype"`
	Cases []struct {
		IDs            []int     `json:"ids"`
		LastLogits     []float64 `json:"last_logits"`
		PromptLogprobs []float64 `json:"prompt_logprobs"`
		GreedyIDs      []int     `json:"greedy_ids"`
		GreedyLogprobs []float64 `json:"greedy_logprobs"`
	} `json:"cases"`
}

// TestGoldenArchitectures: for each architecture feature, a random-weight
// checkpoint with that feature gets, from the Go engine, the logits,
// log-probabilities and greedy tokens of the PyTorch reference within 1e-4:
//
//   - llama3: rope_scaling llama3, untied lm_head, head_dim unlike
//     hidden/heads, grouped-query attention, a 131072-position config,
//     float32 sharded over two files;
//   - qwen2: q/k/v biases, tied embeddings, bfloat16;
//   - mistral: a sliding window shorter than every case, float16.
//
// Each has a 150-token case, which crosses a prefill chunk.
func TestGoldenArchitectures(t *testing.T) {
	for _, tc := range []struct {
		name, arch, dtype string
		check             func(*testing.T, *Model)
	}{
		{"llama3", "llama", "float32", func(t *testing.T, m *Model) {
			c := m.Config()
			if m.embed == nil || c.HeadDim == c.HiddenSize/c.NumAttentionHeads || c.rope.kind() != "llama3" || c.NumKeyValueHeads == c.NumAttentionHeads {
				t.Errorf("the checkpoint does not exercise what it is for: %+v", c)
			}
		}},
		{"qwen2", "qwen2", "bfloat16", func(t *testing.T, m *Model) {
			if m.embed != nil || m.layers[0].bq == nil || !m.Config().QKVBias() {
				t.Error("want tied embeddings and q/k/v biases")
			}
		}},
		{"mistral", "mistral", "float16", func(t *testing.T, m *Model) {
			if m.Config().Window() != 5 {
				t.Errorf("window %d", m.Config().Window())
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := LoadDir(filepath.Join("testdata/arch", tc.name))
			if err != nil {
				t.Fatal(err)
			}
			if m.Config().ModelType != tc.arch {
				t.Fatalf("model_type %s", m.Config().ModelType)
			}
			tc.check(t, m)
			data, err := os.ReadFile(filepath.Join("testdata/arch", tc.name+".golden.json"))
			if err != nil {
				t.Fatal(err)
			}
			var g archGolden
			if err := json.Unmarshal(data, &g); err != nil {
				t.Fatal(err)
			}
			if g.DType != tc.dtype || len(g.Cases) == 0 {
				t.Fatalf("golden file for %s in %s with %d cases", g.Model, g.DType, len(g.Cases))
			}
			worst := 0.0
			for _, c := range g.Cases {
				worst = max(worst, checkIDsGolden(t, m, c.IDs, c.LastLogits, c.PromptLogprobs, c.GreedyIDs, c.GreedyLogprobs))
			}
			t.Logf("largest |Go - PyTorch|: %.3g", worst)
		})
	}
}

// checkIDsGolden compares scoring, prefill logits and greedy decoding of ids
// with the reference's numbers and returns the largest difference.
func checkIDsGolden(t *testing.T, m *Model, ids []int, lastLogits, promptLogprobs []float64, greedy []int, greedyLogprobs []float64) float64 {
	t.Helper()
	ctx := context.Background()
	worst := 0.0
	near := func(what string, i int, got, want float64) {
		d := math.Abs(got - want)
		worst = max(worst, d)
		if d > goldenTolerance {
			t.Errorf("%d tokens, %s %d: Go %v, PyTorch %v", len(ids), what, i, got, want)
		}
	}
	scored, err := m.ScoreTokens(ctx, ids[:1], ids[1:])
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range scored {
		near("logprob", i, s.Logprob, promptLogprobs[i])
	}
	s := m.getState()
	defer m.putState(s)
	if err := m.prefill(ctx, s, ids); err != nil {
		t.Fatal(err)
	}
	for i, want := range lastLogits {
		near("last logit", i, float64(s.logits[i]), want)
	}
	pos := len(ids)
	var got []int
	for step := range greedy {
		logits := s.logits[:m.cfg.VocabSize]
		_, id, lse := logSoftmaxStats(logits)
		got = append(got, id)
		if id == greedy[step] {
			near("greedy logprob", step, float64(logits[id])-lse, greedyLogprobs[step])
		}
		s.one[0] = id
		m.forward(s, s.one[:], pos, 0)
		pos++
	}
	if !slices.Equal(got, greedy) {
		t.Errorf("%d tokens: greedy %v, PyTorch %v", len(ids), got, greedy)
	}
	return worst
}

// TestShardIndexRefusals: an index that disagrees with its shards, or
// points outside the folder, is refused rather than half loaded.
func TestShardIndexRefusals(t *testing.T) {
	dir := "testdata/arch/llama3"
	files := fstest.MapFS{}
	for _, name := range []string{"config.json", "tokenizer.json", "model.safetensors.index.json",
		"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	if _, err := Load(files, ".", "llama3"); err != nil {
		t.Fatalf("the intact folder: %v", err)
	}
	var index struct {
		WeightMap map[string]string `json:"weight_map"`
	}
	if err := json.Unmarshal(files["model.safetensors.index.json"].Data, &index); err != nil {
		t.Fatal(err)
	}
	edit := func(change func(map[string]string)) fstest.MapFS {
		m := maps.Clone(index.WeightMap)
		change(m)
		data, _ := json.Marshal(map[string]any{"weight_map": m})
		out := maps.Clone(files)
		out["model.safetensors.index.json"] = &fstest.MapFile{Data: data}
		return out
	}
	for name, fsys := range map[string]fstest.MapFS{
		"moved":   edit(func(m map[string]string) { m["model.norm.weight"] = "model-00001-of-00002.safetensors" }),
		"extra":   edit(func(m map[string]string) { m["model.layers.7.mlp.up_proj.weight"] = "model-00001-of-00002.safetensors" }),
		"missing": edit(func(m map[string]string) { delete(m, "model.norm.weight") }),
		"escape":  edit(func(m map[string]string) { m["model.norm.weight"] = "../model.safetensors" }),
		"empty":   edit(func(m map[string]string) { clear(m) }),
	} {
		if _, err := Load(fsys, ".", "bad"); !errors.Is(err, ErrWeights) {
			t.Errorf("%s: %v", name, err)
		}
	}
	none := maps.Clone(files)
	delete(none, "model.safetensors.index.json")
	if _, err := Load(none, ".", "bad"); !errors.Is(err, ErrWeights) || !strings.Contains(err.Error(), "model.safetensors.index.json") {
		t.Errorf("no weights: %v", err)
	}
}

// TestPromptStartFromTokenizer: the tokens before a prompt come from the
// tokenizer's post-processor, so a Qwen2-style tokenizer (no BOS) gets
// none, and an empty prompt with nothing before it is refused.
func TestPromptStartFromTokenizer(t *testing.T) {
	dir := "testdata/arch/qwen2"
	files := fstest.MapFS{}
	for _, name := range []string{"config.json", "model.safetensors"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	tokData, err := os.ReadFile(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(tokData, &doc); err != nil {
		t.Fatal(err)
	}
	doc["post_processor"] = map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
	files["tokenizer.json"] = &fstest.MapFile{Data: mustMarshal(t, doc)}
	m, err := Load(files, ".", "qwen2")
	if err != nil {
		t.Fatal(err)
	}
	if ids := m.EncodePrompt("ab"); !slices.Equal(ids, []int{2 + 'a', 2 + 'b'}) {
		t.Errorf("no-BOS prompt: %v", ids)
	}
	if _, err := m.Generate(context.Background(), inference.Request{Prompt: "", MaxTokens: 1}); !errors.Is(err, inference.ErrBadRequest) {
		t.Errorf("empty prompt without BOS: %v", err)
	}
	if res, err := m.Generate(context.Background(), inference.Request{Prompt: "ab", MaxTokens: 2}); err != nil || len(res.Tokens) != 2 {
		t.Errorf("%v %v", res, err)
	}
	// The same folder with its template keeps the BOS.
	m, err = LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ids := m.EncodePrompt("ab"); !slices.Equal(ids, []int{0, 2 + 'a', 2 + 'b'}) {
		t.Errorf("template prompt: %v", ids)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
