package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/inference/llama/llamatest"
	"github.com/mindnet/mindnet/inference/safetensors"
)

// smolLM2 is SmolLM2-135M's config.json shape: 30 layers of width 576, 9
// query and 3 key/value heads of 64, tied embeddings, 49152 tokens.
var smolLM2 = llamatest.Shape{Vocab: 49152, Hidden: 576, Intermediate: 1536, Layers: 30,
	Heads: 9, KVHeads: 3, MaxPos: 8192, Tied: true, RopeTheta: 100000}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: llamacpp write -out DIR | bench -dir DIR/hf")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "write":
		fs := flag.NewFlagSet("write", flag.ExitOnError)
		out := fs.String("out", "", "folder to write hf/ and model.gguf into")
		seed := fs.Uint64("seed", 1, "weight seed")
		fs.Parse(os.Args[2:])
		err = write(*out, *seed)
	case "bench":
		fs := flag.NewFlagSet("bench", flag.ExitOnError)
		dir := fs.String("dir", "", "the hf/ folder that write made")
		prompt := fs.Int("prompt", 128, "prompt tokens, BOS included")
		gen := fs.Int("gen", 64, "tokens to generate")
		runs := fs.Int("runs", 3, "runs; the best is reported")
		fs.Parse(os.Args[2:])
		err = bench(*dir, *prompt, *gen, *runs)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "llamacpp:", err)
		os.Exit(1)
	}
}

func write(out string, seed uint64) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	hf := filepath.Join(out, "hf")
	if err := os.MkdirAll(hf, 0o755); err != nil {
		return err
	}
	tensors := smolLM2.Tensors(seed, 0.05)
	cfg, err := json.MarshalIndent(smolLM2.Config(), "", "  ")
	if err != nil {
		return err
	}
	weights, err := safetensors.Encode(tensors, map[string]string{"format": "pt"})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"config.json": cfg, "model.safetensors": weights,
		"tokenizer.json": llamatest.ByteTokenizerJSON(nil),
	} {
		if err := os.WriteFile(filepath.Join(hf, name), data, 0o644); err != nil {
			return err
		}
	}
	weights = nil
	kvs, gts, err := toGGUF(tensors)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(out, "model.gguf"))
	if err != nil {
		return err
	}
	if err := writeGGUF(f, kvs, gts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// toGGUF renames the Hugging Face tensors to llama.cpp's and writes the
// config as its metadata. The vocabulary is SentencePiece-shaped: <s> (the
// BOS, id 0), </s> (id 1), the 256 byte tokens (ids 2 to 257, the same ids
// as the byte tokens of the safetensors side's tokenizer), then filler.
func toGGUF(tensors []safetensors.Tensor) ([]ggufKV, []ggufTensor, error) {
	s := smolLM2
	hd := s.Hidden / s.Heads
	names := strings.NewReplacer(
		"model.embed_tokens.weight", "token_embd.weight",
		"model.norm.weight", "output_norm.weight",
		"model.layers.", "blk.",
		".input_layernorm.", ".attn_norm.",
		".post_attention_layernorm.", ".ffn_norm.",
		".self_attn.q_proj.", ".attn_q.", ".self_attn.k_proj.", ".attn_k.",
		".self_attn.v_proj.", ".attn_v.", ".self_attn.o_proj.", ".attn_output.",
		".mlp.gate_proj.", ".ffn_gate.", ".mlp.up_proj.", ".ffn_up.", ".mlp.down_proj.", ".ffn_down.",
	)
	var out []ggufTensor
	for _, t := range tensors {
		v, err := t.Float32s()
		if err != nil {
			return nil, nil, err
		}
		// llama.cpp rotates adjacent pairs where transformers rotates the
		// two halves of a head, so its converter interleaves the halves of
		// each head's rows of q and k; the model computed is the same.
		switch {
		case strings.HasSuffix(t.Name, "q_proj.weight"):
			v = interleaveHalves(v, s.Heads, hd, s.Hidden)
		case strings.HasSuffix(t.Name, "k_proj.weight"):
			v = interleaveHalves(v, s.KVHeads, hd, s.Hidden)
		}
		ne := make([]uint64, len(t.Shape))
		for i, d := range t.Shape {
			ne[len(t.Shape)-1-i] = uint64(d)
		}
		out = append(out, ggufTensor{name: names.Replace(t.Name), ne: ne, data: v})
	}
	tokens := make([]string, s.Vocab)
	scores := make([]float32, s.Vocab)
	types := make([]int32, s.Vocab)
	tokens[0], tokens[1], types[0], types[1] = "<s>", "</s>", 3, 3 // control
	for b := 0; b < 256; b++ {
		tokens[2+b], types[2+b] = fmt.Sprintf("<0x%02X>", b), 6 // byte
	}
	for id := 258; id < s.Vocab; id++ {
		tokens[id], types[id], scores[id] = fmt.Sprintf("▁t%d", id), 1, -float32(id)
	}
	tokens[s.Vocab-1], types[s.Vocab-1] = "<unk>", 2
	kvs := []ggufKV{
		{"general.architecture", "llama"},
		{"general.name", "random SmolLM2-135M shape"},
		{"general.file_type", uint32(0)}, // all float32
		{"llama.context_length", uint32(s.MaxPos)},
		{"llama.embedding_length", uint32(s.Hidden)},
		{"llama.block_count", uint32(s.Layers)},
		{"llama.feed_forward_length", uint32(s.Intermediate)},
		{"llama.attention.head_count", uint32(s.Heads)},
		{"llama.attention.head_count_kv", uint32(s.KVHeads)},
		{"llama.rope.dimension_count", uint32(hd)},
		{"llama.rope.freq_base", float32(s.RopeTheta)},
		{"llama.attention.layer_norm_rms_epsilon", float32(1e-5)},
		{"llama.vocab_size", uint32(s.Vocab)},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.tokens", tokens},
		{"tokenizer.ggml.scores", scores},
		{"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.bos_token_id", uint32(0)},
		{"tokenizer.ggml.eos_token_id", uint32(1)},
		{"tokenizer.ggml.unknown_token_id", uint32(s.Vocab - 1)},
		{"tokenizer.ggml.add_bos_token", true},
	}
	return kvs, out, nil
}

// interleaveHalves reorders each head's rows [first half, second half] to
// pairs (i, i + head_dim/2), as convert_hf_to_gguf.py's permute does.
func interleaveHalves(w []float32, heads, hd, in int) []float32 {
	out := make([]float32, len(w))
	half := hd / 2
	for h := 0; h < heads; h++ {
		for j := 0; j < half; j++ {
			for two := 0; two < 2; two++ {
				src := (h*hd + two*half + j) * in
				dst := (h*hd + 2*j + two) * in
				copy(out[dst:dst+in], w[src:src+in])
			}
		}
	}
	return out
}

// promptText is n-1 letters: with the byte tokenizer, one token each after
// the BOS, ids 2 + byte, which bench.mjs feeds llama.cpp as ids.
func promptText(n int) string {
	var sb strings.Builder
	for i := 0; i < n-1; i++ {
		sb.WriteByte(byte('a' + (i*7)%26))
	}
	return sb.String()
}

type result struct {
	Engine          string  `json:"engine"`
	Threads         int     `json:"threads"`
	PromptTokens    int     `json:"prompt_tokens"`
	GenTokens       int     `json:"gen_tokens"`
	LoadSeconds     float64 `json:"load_seconds"`
	PrefillPerS     float64 `json:"prefill_tokens_per_s"`
	GenerationPerS  float64 `json:"generation_tokens_per_s"`
	FirstGreedyIDs  []int   `json:"first_greedy_ids"`
	WeightMegabytes float64 `json:"weight_megabytes"`
}

func bench(dir string, promptTokens, gen, runs int) error {
	start := time.Now()
	m, err := llama.LoadDir(dir)
	if err != nil {
		return err
	}
	r := result{Engine: "mindnet built-in (Go)", Threads: runtime.GOMAXPROCS(0), PromptTokens: promptTokens,
		LoadSeconds: time.Since(start).Seconds(), WeightMegabytes: float64(m.WeightBytes()) / 1e6}
	ctx := context.Background()
	prompt := promptText(promptTokens)
	if n := len(m.EncodePrompt(prompt)); n != promptTokens {
		return fmt.Errorf("prompt is %d tokens, want %d", n, promptTokens)
	}
	// The first token comes out right after the prefill; each later one
	// after one decode step. bench.mjs times llama.cpp the same way.
	for i := 0; i < runs; i++ {
		var first, last time.Time
		start := time.Now()
		res, err := m.GenerateStream(ctx, inference.Request{Prompt: prompt, MaxTokens: 1 + gen},
			func(inference.Token) error {
				last = time.Now()
				if first.IsZero() {
					first = last
				}
				return nil
			})
		if err != nil {
			return err
		}
		steps := len(res.Tokens) - 1
		r.PrefillPerS = max(r.PrefillPerS, float64(promptTokens)/first.Sub(start).Seconds())
		if steps > 0 {
			r.GenerationPerS = max(r.GenerationPerS, float64(steps)/last.Sub(first).Seconds())
		}
		r.GenTokens = steps
		r.FirstGreedyIDs = res.TokenIDs()[:min(8, len(res.Tokens))]
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
