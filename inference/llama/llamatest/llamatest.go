package llamatest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing/fstest"

	"github.com/mindnet/mindnet/inference/safetensors"
)

// Shape is the part of the config that sets tensor sizes.
type Shape struct {
	Vocab, Hidden, Intermediate, Layers, Heads, KVHeads, MaxPos int
	Tied                                                        bool
	RopeTheta                                                   float64
}

// Config returns the Hugging Face config.json for a shape, with BOS 0 and
// EOS 1 as the project's tokenizers use.
func (s Shape) Config() map[string]any {
	theta := s.RopeTheta
	if theta == 0 {
		theta = 10000
	}
	return map[string]any{
		"architectures": []string{"LlamaForCausalLM"}, "model_type": "llama",
		"vocab_size": s.Vocab, "hidden_size": s.Hidden, "intermediate_size": s.Intermediate,
		"num_hidden_layers": s.Layers, "num_attention_heads": s.Heads,
		"num_key_value_heads": s.KVHeads, "max_position_embeddings": s.MaxPos,
		"rms_norm_eps": 1e-5, "rope_theta": theta, "tie_word_embeddings": s.Tied,
		"hidden_act": "silu", "bos_token_id": 0, "eos_token_id": 1, "torch_dtype": "float32",
	}
}

// Tensors returns randomly initialised weights under the Hugging Face names,
// normal with standard deviation std (norm weights around 1).
func (s Shape) Tensors(seed uint64, std float64) []safetensors.Tensor {
	rng := rand.New(rand.NewPCG(seed, 0x6c6c616d61))
	randn := func(name string, shape ...int) safetensors.Tensor {
		n := 1
		for _, d := range shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * std)
		}
		return safetensors.Float32Tensor(name, shape, v)
	}
	norm := func(name string) safetensors.Tensor {
		v := make([]float32, s.Hidden)
		for i := range v {
			v[i] = float32(1 + 0.1*rng.NormFloat64())
		}
		return safetensors.Float32Tensor(name, []int{s.Hidden}, v)
	}
	hd := s.Hidden / s.Heads
	out := []safetensors.Tensor{randn("model.embed_tokens.weight", s.Vocab, s.Hidden)}
	for i := 0; i < s.Layers; i++ {
		p := fmt.Sprintf("model.layers.%d.", i)
		out = append(out,
			norm(p+"input_layernorm.weight"), norm(p+"post_attention_layernorm.weight"),
			randn(p+"self_attn.q_proj.weight", s.Heads*hd, s.Hidden),
			randn(p+"self_attn.k_proj.weight", s.KVHeads*hd, s.Hidden),
			randn(p+"self_attn.v_proj.weight", s.KVHeads*hd, s.Hidden),
			randn(p+"self_attn.o_proj.weight", s.Hidden, s.Heads*hd),
			randn(p+"mlp.gate_proj.weight", s.Intermediate, s.Hidden),
			randn(p+"mlp.up_proj.weight", s.Intermediate, s.Hidden),
			randn(p+"mlp.down_proj.weight", s.Hidden, s.Intermediate))
	}
	out = append(out, norm("model.norm.weight"))
	if !s.Tied {
		out = append(out, randn("lm_head.weight", s.Vocab, s.Hidden))
	}
	return out
}

// Folder is a model folder (config.json, model.safetensors and the given
// tokenizer.json) in memory, loadable with llama.Load(fs, ".", name).
func Folder(s Shape, seed uint64, std float64, tokenizerJSON []byte) (fstest.MapFS, error) {
	cfg, err := json.Marshal(s.Config())
	if err != nil {
		return nil, err
	}
	weights, err := safetensors.Encode(s.Tensors(seed, std), map[string]string{"format": "pt"})
	if err != nil {
		return nil, err
	}
	return fstest.MapFS{
		"config.json":       {Data: cfg},
		"model.safetensors": {Data: weights},
		"tokenizer.json":    {Data: tokenizerJSON},
	}, nil
}

// ByteTokenizerJSON is a tokenizer.json with BOS (0), EOS (1), the 256 byte
// tokens and merges, each merge given in plain text.
func ByteTokenizerJSON(merges [][2]string) []byte {
	alpha := byteAlphabet()
	enc := func(s string) string {
		var sb strings.Builder
		for i := 0; i < len(s); i++ {
			sb.WriteRune(alpha[s[i]])
		}
		return sb.String()
	}
	vocab := map[string]int{"<|begin_of_text|>": 0, "<|end_of_text|>": 1}
	for b := 0; b < 256; b++ {
		vocab[string(alpha[b])] = len(vocab)
	}
	ms := []string{}
	for _, m := range merges {
		l, r := enc(m[0]), enc(m[1])
		if _, ok := vocab[l+r]; !ok {
			vocab[l+r] = len(vocab)
		}
		ms = append(ms, l+" "+r)
	}
	doc := map[string]any{
		"version": "1.0",
		"added_tokens": []map[string]any{
			{"id": 0, "content": "<|begin_of_text|>", "special": true},
			{"id": 1, "content": "<|end_of_text|>", "special": true},
		},
		"normalizer":    nil,
		"pre_tokenizer": map[string]any{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
		"decoder":       map[string]any{"type": "ByteLevel"},
		"model":         map[string]any{"type": "BPE", "vocab": vocab, "merges": ms},
	}
	data, _ := json.Marshal(doc)
	return data
}

// byteAlphabet is GPT-2's byte-to-rune table.
func byteAlphabet() [256]rune {
	var t [256]rune
	next := rune(256)
	for b := 0; b < 256; b++ {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			t[b] = rune(b)
		} else {
			t[b] = next
			next++
		}
	}
	return t
}
