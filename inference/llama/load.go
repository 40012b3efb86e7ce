package llama

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"slices"

	"github.com/mindnet/mindnet/inference/tokenizer"
)

// ErrWeights marks a checkpoint that does not fit its config.
var ErrWeights = errors.New("llama: weights do not match the config")

type layer struct {
	attnNorm, mlpNorm []float32
	wq, wk, wv, wo    packed
	bq, bk, bv        []float32 // Qwen2's projection biases; nil without
	wgate, wup, wdown packed
}

// Model is a loaded decoder with its tokenizer; it implements
// inference.Engine and is safe for concurrent use.
type Model struct {
	name        string
	cfg         Config
	tok         *tokenizer.Tokenizer
	embed       []float32 // [vocab][hidden]; nil when tied, rows then come from lmHead
	layers      []layer
	norm        []float32
	lmHead      packed
	ropeCos     []float32 // [position][head_dim/2]
	ropeSin     []float32
	tokenText   []string // id -> its bytes, so results need no per-token decode
	maxTokenLen int      // longest tokenText, to size a request's text once
	eos         []bool
	bos         []int // what EncodePrompt puts before a prompt
	states      statePool
}

// LoadDir loads a model folder from disk.
func LoadDir(dir string) (*Model, error) {
	return Load(os.DirFS(dir), ".", path.Base(dir))
}

// Load reads config.json, model.safetensors and tokenizer.json from dir in
// fsys. name is how the model reports itself in Info.
func Load(fsys fs.FS, dir, name string) (*Model, error) {
	read := func(file string) ([]byte, error) {
		data, err := fs.ReadFile(fsys, path.Join(dir, file))
		if err != nil {
			return nil, fmt.Errorf("load model %s: %w", name, err)
		}
		return data, nil
	}
	cfgData, err := read("config.json")
	if err != nil {
		return nil, err
	}
	cfg, err := ParseConfig(cfgData)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	tokData, err := read("tokenizer.json")
	if err != nil {
		return nil, err
	}
	tok, err := tokenizer.Parse(tokData)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("load model %s: %w: tokenizer has %d ids, model %d", name, ErrWeights, tok.VocabSize(), cfg.VocabSize)
	}
	st, err := readWeights(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	m, err := build(cfg, st)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	m.name = name
	m.tok = tok
	if bos, ok := tok.BOS(); ok {
		m.bos = bos
	} else {
		m.bos = []int{cfg.BOSTokenID[0]}
	}
	m.tokenText = make([]string, cfg.VocabSize)
	for id := range m.tokenText {
		if b, err := tok.TokenBytes(id); err == nil {
			m.tokenText[id] = string(b)
			m.maxTokenLen = max(m.maxTokenLen, len(b))
		}
	}
	return m, nil
}

// build checks every tensor's shape against the config and widens it to
// float32. Tensors the model does not use are an error too: a checkpoint with
// extra layers or biases would be computed wrongly if silently ignored.
func build(cfg Config, st tensorSet) (*Model, error) {
	used := map[string]bool{}
	get := func(name string, shape ...int) ([]float32, error) {
		t, err := st.Tensor(name)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrWeights, err)
		}
		if !slices.Equal(t.Shape, shape) {
			return nil, fmt.Errorf("%w: %s has shape %v, config implies %v", ErrWeights, name, t.Shape, shape)
		}
		used[name] = true
		v, err := t.Float32s()
		if err != nil {
			return nil, err
		}
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("%w: %s holds NaN or infinity", ErrWeights, name)
			}
		}
		return v, nil
	}
	d, q, kv, ff := cfg.HiddenSize, cfg.qDim(), cfg.kvDim(), cfg.IntermediateSize
	m := &Model{cfg: cfg, layers: make([]layer, cfg.NumHiddenLayers)}
	var err error
	if m.embed, err = get("model.embed_tokens.weight", cfg.VocabSize, d); err != nil {
		return nil, err
	}
	if m.norm, err = get("model.norm.weight", d); err != nil {
		return nil, err
	}
	head := m.embed
	if cfg.TieWordEmbeddings {
		m.embed = nil // one copy: embedding rows are read back from the packed head
	} else if head, err = get("lm_head.weight", cfg.VocabSize, d); err != nil {
		return nil, err
	}
	m.lmHead = pack(head, cfg.VocabSize, d)
	for i := range m.layers {
		p := fmt.Sprintf("model.layers.%d.", i)
		l := &m.layers[i]
		if l.attnNorm, err = get(p+"input_layernorm.weight", d); err != nil {
			return nil, err
		}
		if l.mlpNorm, err = get(p+"post_attention_layernorm.weight", d); err != nil {
			return nil, err
		}
		for _, w := range []struct {
			dst     *packed
			name    string
			out, in int
		}{
			{&l.wq, "self_attn.q_proj.weight", q, d},
			{&l.wk, "self_attn.k_proj.weight", kv, d},
			{&l.wv, "self_attn.v_proj.weight", kv, d},
			{&l.wo, "self_attn.o_proj.weight", d, q},
			{&l.wgate, "mlp.gate_proj.weight", ff, d},
			{&l.wup, "mlp.up_proj.weight", ff, d},
			{&l.wdown, "mlp.down_proj.weight", d, ff},
		} {
			v, err := get(p+w.name, w.out, w.in)
			if err != nil {
				return nil, err
			}
			*w.dst = pack(v, w.out, w.in)
		}
		if cfg.qkvBias {
			if l.bq, err = get(p+"self_attn.q_proj.bias", q); err != nil {
				return nil, err
			}
			if l.bk, err = get(p+"self_attn.k_proj.bias", kv); err != nil {
				return nil, err
			}
			if l.bv, err = get(p+"self_attn.v_proj.bias", kv); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range st.Names() {
		// A tied checkpoint may still carry a copy of lm_head.weight.
		if !used[name] && !(cfg.TieWordEmbeddings && name == "lm_head.weight") {
			return nil, fmt.Errorf("%w: unexpected tensor %s", ErrWeights, name)
		}
	}
	m.eos = make([]bool, cfg.VocabSize)
	for _, id := range cfg.EOSTokenID {
		m.eos[id] = true
	}
	m.ropeCos, m.ropeSin = ropeTables(cfg)
	return m, nil
}

// ropeTables precomputes cos and sin of position * inv_freq the way
// transformers does: inv_freq = 1 / theta^(2i/d), rescaled as rope_scaling
// says, and the angle formed in float32.
func ropeTables(cfg Config) ([]float32, []float32) {
	half := cfg.HeadDim / 2
	n := cfg.MaxPositionEmbeddings
	cos := make([]float32, n*half)
	sin := make([]float32, n*half)
	for i := 0; i < half; i++ {
		exp := float32(2*i) / float32(cfg.HeadDim)
		inv := cfg.rope.scale(float32(1 / math.Pow(cfg.RopeTheta, float64(exp))))
		for p := 0; p < n; p++ {
			angle := float64(float32(p) * inv)
			cos[p*half+i] = float32(math.Cos(angle))
			sin[p*half+i] = float32(math.Sin(angle))
		}
	}
	return cos, sin
}

// scale rescales one rotary frequency as transformers' rope_init_functions
// do, step by step in float32 like its tensors. Llama 3 keeps the high
// frequencies (wavelengths shorter than the original context over
// high_freq_factor), divides the low ones by factor, and blends the band
// between them.
func (r ropeScaling) scale(inv float32) float32 {
	switch r.kind() {
	case "linear":
		return inv / float32(r.Factor)
	case "llama3":
		factor := float32(r.Factor)
		old := r.OriginalMaxPositionEmbeddings
		lowWavelen := old / r.LowFreqFactor
		highWavelen := old / r.HighFreqFactor
		wavelen := float32(2*math.Pi) / inv
		scaled := inv
		if wavelen > float32(lowWavelen) {
			scaled = inv / factor
		}
		if !(wavelen < float32(highWavelen)) && !(wavelen > float32(lowWavelen)) {
			smooth := (float32(old)/wavelen - float32(r.LowFreqFactor)) / float32(r.HighFreqFactor-r.LowFreqFactor)
			scaled = (1-smooth)*scaled/factor + smooth*scaled
		}
		return scaled
	}
	return inv
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Tokenizer returns the model's tokenizer.
func (m *Model) Tokenizer() *tokenizer.Tokenizer { return m.tok }

// WeightBytes is the resident size of the float32 weights (packed panels
// included, with their zero padding).
func (m *Model) WeightBytes() int {
	n := len(m.embed) + len(m.norm) + len(m.lmHead.data)
	for _, l := range m.layers {
		n += len(l.attnNorm) + len(l.mlpNorm) + len(l.wq.data) + len(l.wk.data) + len(l.wv.data) +
			len(l.wo.data) + len(l.wgate.data) + len(l.wup.data) + len(l.wdown.data)
	}
	return 4 * n
}

// embedding copies token id's embedding into dst.
func (m *Model) embedding(dst []float32, id int) {
	if m.embed == nil {
		m.lmHead.row(dst, id)
		return
	}
	d := m.cfg.HiddenSize
	copy(dst, m.embed[id*d:(id+1)*d])
}
