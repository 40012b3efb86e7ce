package llama

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// ErrConfig marks a config.json this package cannot run.
var ErrConfig = errors.New("llama: unsupported or invalid config")

// Config is the part of a Hugging Face LlamaConfig, MistralConfig or
// Qwen2Config that the math depends on.
type Config struct {
	Architectures         []string        `json:"architectures"`
	ModelType             string          `json:"model_type"`
	VocabSize             int             `json:"vocab_size"`
	HiddenSize            int             `json:"hidden_size"`
	IntermediateSize      int             `json:"intermediate_size"`
	NumHiddenLayers       int             `json:"num_hidden_layers"`
	NumAttentionHeads     int             `json:"num_attention_heads"`
	NumKeyValueHeads      int             `json:"num_key_value_heads"`
	HeadDim               int             `json:"head_dim"`
	MaxPositionEmbeddings int             `json:"max_position_embeddings"`
	RMSNormEps            float64         `json:"rms_norm_eps"`
	RopeTheta             float64         `json:"rope_theta"`
	RopeScaling           json.RawMessage `json:"rope_scaling"`
	TieWordEmbeddings     bool            `json:"tie_word_embeddings"`
	HiddenAct             string          `json:"hidden_act"`
	AttentionBias         bool            `json:"attention_bias"`
	MLPBias               bool            `json:"mlp_bias"`
	BOSTokenID            tokenIDs        `json:"bos_token_id"`
	EOSTokenID            tokenIDs        `json:"eos_token_id"`
	// SlidingWindow is Mistral's attention window in positions (null or
	// absent: none). Qwen2 configs carry one too, used only when
	// UseSlidingWindow is true.
	SlidingWindow    *int  `json:"sliding_window"`
	UseSlidingWindow *bool `json:"use_sliding_window"`
	PretrainingTP    int   `json:"pretraining_tp"`

	// Derived by ParseConfig from the fields above.
	window  int         // attention window in positions, 0 for none
	qkvBias bool        // q, k and v projections carry biases (Qwen2)
	rope    ropeScaling // how the rotary frequencies are rescaled
}

// Window is the attention window in positions (each position attends to
// itself and the Window-1 before it), or 0 when attention sees the whole
// context.
func (c Config) Window() int { return c.window }

// QKVBias reports whether the q, k and v projections carry biases.
func (c Config) QKVBias() bool { return c.qkvBias }

// ropeScaling is a parsed rope_scaling object.
type ropeScaling struct {
	Type                          string  `json:"type"`
	RopeType                      string  `json:"rope_type"`
	Factor                        float64 `json:"factor"`
	LowFreqFactor                 float64 `json:"low_freq_factor"`
	HighFreqFactor                float64 `json:"high_freq_factor"`
	OriginalMaxPositionEmbeddings float64 `json:"original_max_position_embeddings"`
}

// kind is rope_type, or the older spelling type; "" and "default" mean no
// scaling.
func (r ropeScaling) kind() string {
	if r.RopeType != "" {
		return r.RopeType
	}
	return r.Type
}

// architectures maps each supported model_type to the class name its
// checkpoints declare.
var architectures = map[string]string{
	"llama":   "LlamaForCausalLM",
	"mistral": "MistralForCausalLM",
	"qwen2":   "Qwen2ForCausalLM",
}

// tokenIDs accepts both spellings Hugging Face uses: 2 and [2, 7].
type tokenIDs []int

func (t *tokenIDs) UnmarshalJSON(b []byte) error {
	var one int
	if err := json.Unmarshal(b, &one); err == nil {
		*t = []int{one}
		return nil
	}
	var many []int
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("token id must be an integer or a list of integers: %s", b)
	}
	*t = many
	return nil
}

// limits keep a hostile config from asking for absurd allocations before the
// weights are even checked against it. Positions may reach twice Llama
// 3.1's 131072: the key/value cache grows with what a request uses, not
// with the config's maximum, and the rotary tables (positions × head_dim
// floats) stay within a few hundred megabytes.
const (
	maxDim   = 1 << 16
	maxVocab = 1 << 20
	maxPos   = 1 << 18
)

// ParseConfig reads and checks config.json.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	// Configs written before head_dim existed imply hidden/heads (Mistral
	// writes null for the same meaning).
	if c.HeadDim == 0 && c.NumAttentionHeads > 0 {
		c.HeadDim = c.HiddenSize / c.NumAttentionHeads
	}
	if c.NumKeyValueHeads == 0 {
		c.NumKeyValueHeads = c.NumAttentionHeads
	}
	if c.RopeTheta == 0 {
		c.RopeTheta = 10000
	}
	if s := strings.TrimSpace(string(c.RopeScaling)); s != "" && s != "null" {
		if err := json.Unmarshal(c.RopeScaling, &c.rope); err != nil {
			return Config{}, fmt.Errorf("%w: rope_scaling %s: %v", ErrConfig, c.RopeScaling, err)
		}
	}
	switch c.ModelType {
	case "qwen2":
		// Qwen2's attention always has q/k/v biases and no output bias;
		// its config has no attention_bias field to say so.
		c.qkvBias = true
	case "mistral":
		if c.SlidingWindow != nil {
			c.window = *c.SlidingWindow
		}
	}
	return c, c.Validate()
}

// Validate refuses what the forward pass does not implement, naming the
// field and the value it cannot run.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
	}
	arch, ok := architectures[c.ModelType]
	if !ok {
		return bad("model_type %q (want llama, mistral or qwen2)", c.ModelType)
	}
	if len(c.Architectures) > 0 && !slices.Equal(c.Architectures, []string{arch}) {
		return bad("architectures %q (model_type %s wants [%s])", c.Architectures, c.ModelType, arch)
	}
	switch {
	case c.HiddenAct != "" && c.HiddenAct != "silu":
		return bad("hidden_act %q (want silu)", c.HiddenAct)
	case c.AttentionBias:
		return bad("attention_bias true (only Qwen2's q/k/v biases are supported)")
	case c.MLPBias:
		return bad("mlp_bias true (not supported)")
	case c.PretrainingTP > 1:
		return bad("pretraining_tp %d (want 1)", c.PretrainingTP)
	case c.ModelType == "qwen2" && c.UseSlidingWindow != nil && *c.UseSlidingWindow:
		return bad("use_sliding_window true (Qwen2's per-layer windows are not supported)")
	case c.window < 0 || (c.window == 0 && c.ModelType == "mistral" && c.SlidingWindow != nil):
		return bad("sliding_window %d (want a positive window or null)", c.window)
	case c.VocabSize < 1 || c.VocabSize > maxVocab:
		return bad("vocab_size %d", c.VocabSize)
	case c.HiddenSize < 1 || c.HiddenSize > maxDim:
		return bad("hidden_size %d", c.HiddenSize)
	case c.IntermediateSize < 1 || c.IntermediateSize > maxDim:
		return bad("intermediate_size %d", c.IntermediateSize)
	case c.NumHiddenLayers < 1 || c.NumHiddenLayers > 1024:
		return bad("num_hidden_layers %d", c.NumHiddenLayers)
	case c.NumAttentionHeads < 1 || c.NumKeyValueHeads < 1 || c.NumAttentionHeads%c.NumKeyValueHeads != 0:
		return bad("num_attention_heads %d cannot share num_key_value_heads %d", c.NumAttentionHeads, c.NumKeyValueHeads)
	case c.HeadDim < 2 || c.HeadDim%2 != 0 || c.HeadDim*c.NumAttentionHeads > maxDim:
		return bad("head_dim %d (want an even number, at most %d per head)", c.HeadDim, maxDim/c.NumAttentionHeads)
	case c.MaxPositionEmbeddings < 2 || c.MaxPositionEmbeddings > maxPos:
		return bad("max_position_embeddings %d", c.MaxPositionEmbeddings)
	case !(c.RMSNormEps > 0):
		return bad("rms_norm_eps %v", c.RMSNormEps)
	case !(c.RopeTheta > 0) || math.IsInf(c.RopeTheta, 0):
		return bad("rope_theta %v", c.RopeTheta)
	case len(c.BOSTokenID) != 1:
		return bad("bos_token_id %v (want one id)", []int(c.BOSTokenID))
	case len(c.EOSTokenID) < 1:
		return bad("eos_token_id missing")
	}
	if err := c.rope.validate(); err != nil {
		return bad("%v", err)
	}
	for _, id := range append([]int{c.BOSTokenID[0]}, c.EOSTokenID...) {
		if id < 0 || id >= c.VocabSize {
			return bad("special token id %d outside the vocabulary", id)
		}
	}
	return nil
}

// validate accepts no scaling, linear position interpolation and Llama 3's
// frequency-dependent scaling, the kinds the rotary tables implement.
func (r ropeScaling) validate() error {
	switch r.kind() {
	case "", "default":
		return nil
	case "linear":
		if !(r.Factor > 0) {
			return fmt.Errorf("rope_scaling factor %v", r.Factor)
		}
		return nil
	case "llama3":
		switch {
		case !(r.Factor > 0) || math.IsInf(r.Factor, 0):
			return fmt.Errorf("rope_scaling factor %v", r.Factor)
		case !(r.LowFreqFactor > 0) || !(r.HighFreqFactor > r.LowFreqFactor) || math.IsInf(r.HighFreqFactor, 0):
			return fmt.Errorf("rope_scaling low_freq_factor %v / high_freq_factor %v (want 0 < low < high)", r.LowFreqFactor, r.HighFreqFactor)
		case !(r.OriginalMaxPositionEmbeddings >= 1) || r.OriginalMaxPositionEmbeddings > maxPos:
			return fmt.Errorf("rope_scaling original_max_position_embeddings %v", r.OriginalMaxPositionEmbeddings)
		}
		return nil
	}
	return fmt.Errorf("rope_scaling type %q (want default, linear or llama3)", r.kind())
}

func (c Config) qDim() int  { return c.NumAttentionHeads * c.HeadDim }
func (c Config) kvDim() int { return c.NumKeyValueHeads * c.HeadDim }

// layerMACs is one token row's multiply-adds in the matrix products of one
// decoder layer, the measure by which forward splits work between cores.
func (c Config) layerMACs() int {
	d := c.HiddenSize
	return d*(2*c.qDim()+2*c.kvDim()) + 3*d*c.IntermediateSize
}
