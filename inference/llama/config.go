package llama

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrConfig marks a config.json this package cannot run.
var ErrConfig = errors.New("llama: unsupported or invalid config")

// Config is the part of a Hugging Face LlamaConfig that the math depends on.
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
// weights are even checked against it.
const (
	maxDim   = 1 << 16
	maxVocab = 1 << 20
	maxPos   = 1 << 16
)

// ParseConfig reads and checks config.json.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	// Configs written before head_dim existed imply hidden/heads.
	if c.HeadDim == 0 && c.NumAttentionHeads > 0 {
		c.HeadDim = c.HiddenSize / c.NumAttentionHeads
	}
	if c.NumKeyValueHeads == 0 {
		c.NumKeyValueHeads = c.NumAttentionHeads
	}
	if c.RopeTheta == 0 {
		c.RopeTheta = 10000
	}
	return c, c.Validate()
}

// Validate refuses what the forward pass does not implement.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
	}
	switch {
	case c.ModelType != "llama":
		return bad("model_type %q (want llama)", c.ModelType)
	case c.HiddenAct != "" && c.HiddenAct != "silu":
		return bad("hidden_act %q (want silu)", c.HiddenAct)
	case c.AttentionBias || c.MLPBias:
		return bad("attention or MLP biases are not supported")
	case len(c.RopeScaling) > 0 && string(c.RopeScaling) != "null":
		return bad("rope_scaling is not supported")
	case c.VocabSize < 1 || c.VocabSize > maxVocab:
		return bad("vocab_size %d", c.VocabSize)
	case c.HiddenSize < 1 || c.HiddenSize > maxDim || c.IntermediateSize < 1 || c.IntermediateSize > maxDim:
		return bad("hidden_size %d / intermediate_size %d", c.HiddenSize, c.IntermediateSize)
	case c.NumHiddenLayers < 1 || c.NumHiddenLayers > 1024:
		return bad("num_hidden_layers %d", c.NumHiddenLayers)
	case c.NumAttentionHeads < 1 || c.NumKeyValueHeads < 1 || c.NumAttentionHeads%c.NumKeyValueHeads != 0:
		return bad("%d heads cannot share %d key/value heads", c.NumAttentionHeads, c.NumKeyValueHeads)
	case c.HeadDim < 2 || c.HeadDim%2 != 0 || c.HeadDim*c.NumAttentionHeads > maxDim:
		return bad("head_dim %d must be even", c.HeadDim)
	case c.MaxPositionEmbeddings < 2 || c.MaxPositionEmbeddings > maxPos:
		return bad("max_position_embeddings %d", c.MaxPositionEmbeddings)
	case !(c.RMSNormEps > 0) || !(c.RopeTheta > 0):
		return bad("rms_norm_eps %v / rope_theta %v", c.RMSNormEps, c.RopeTheta)
	case len(c.BOSTokenID) != 1 || len(c.EOSTokenID) < 1:
		return bad("need one bos_token_id and at least one eos_token_id")
	}
	for _, id := range append([]int{c.BOSTokenID[0]}, c.EOSTokenID...) {
		if id < 0 || id >= c.VocabSize {
			return bad("special token id %d outside the vocabulary", id)
		}
	}
	return nil
}

func (c Config) qDim() int  { return c.NumAttentionHeads * c.HeadDim }
func (c Config) kvDim() int { return c.NumKeyValueHeads * c.HeadDim }

// layerMACs is one token row's multiply-adds in the matrix products of one
// decoder layer, the measure by which forward splits work between cores.
func (c Config) layerMACs() int {
	d := c.HiddenSize
	return d*(2*c.qDim()+2*c.kvDim()) + 3*d*c.IntermediateSize
}
