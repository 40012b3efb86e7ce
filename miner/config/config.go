// Package config is the miner's configuration: its fields and defaults, the commented file that
// `mindnet-miner init` writes, and loading from that file, flags and MINDNET_MINER_* environment
// variables (flags win over the environment, which wins over the file).
package config

import (
	"bytes"
	"fmt"
	"text/template"
	"time"

	"github.com/spf13/pflag"

	"github.com/mindnet/mindnet/opsconfig"
)

// EnvPrefix prefixes environment variables: MINDNET_MINER_AXON_LISTEN sets axon.listen.
const EnvPrefix = "MINDNET_MINER"

// Config is everything the miner reads at start.
type Config struct {
	Netuid uint16 `mapstructure:"netuid"`

	Chain struct {
		GRPC           string `mapstructure:"grpc"`
		ChainID        string `mapstructure:"chain_id"`
		KeyringDir     string `mapstructure:"keyring_dir"`
		KeyringBackend string `mapstructure:"keyring_backend"`
		Hotkey         string `mapstructure:"hotkey"`
		Coldkey        string `mapstructure:"coldkey"`
	} `mapstructure:"chain"`

	Axon struct {
		Listen         string        `mapstructure:"listen"`
		HTTPListen     string        `mapstructure:"http_listen"`
		ExternalIP     string        `mapstructure:"external_ip"`
		ExternalPort   uint32        `mapstructure:"external_port"`
		MaxTokens      int           `mapstructure:"max_tokens"`
		MaxBodyBytes   int           `mapstructure:"max_body_bytes"`
		Slots          int           `mapstructure:"slots"`
		QueueDepth     int           `mapstructure:"queue_depth"`
		RequestTimeout time.Duration `mapstructure:"request_timeout"`
		NonceWindow    time.Duration `mapstructure:"nonce_window"`
	} `mapstructure:"axon"`

	Callers struct {
		RequirePermit bool    `mapstructure:"require_permit"`
		MinStake      uint64  `mapstructure:"min_stake"`
		RateLimit     float64 `mapstructure:"rate_limit"`
		RateBurst     float64 `mapstructure:"rate_burst"`
	} `mapstructure:"callers"`

	Metagraph struct {
		Refresh      time.Duration `mapstructure:"refresh"`
		MaxStaleness time.Duration `mapstructure:"max_staleness"`
	} `mapstructure:"metagraph"`

	Model struct {
		Dir string `mapstructure:"dir"`
	} `mapstructure:"model"`

	Engine struct {
		Kind         string        `mapstructure:"kind"`
		OpenAIURL    string        `mapstructure:"openai_url"`
		Model        string        `mapstructure:"model"`
		ModelDir     string        `mapstructure:"model_dir"`
		APIKeyEnv    string        `mapstructure:"api_key_env"`
		TokenIDs     bool          `mapstructure:"token_ids"`
		Precision    string        `mapstructure:"precision"`
		ProbeTimeout time.Duration `mapstructure:"probe_timeout"`
	} `mapstructure:"engine"`

	Ops struct {
		Listen string `mapstructure:"listen"`
	} `mapstructure:"ops"`

	Log struct {
		Level  string `mapstructure:"level"`
		Format string `mapstructure:"format"`
	} `mapstructure:"log"`
}

// defaults are the documented default values, keyed as in the file.
var defaults = map[string]any{
	"netuid":                  1,
	"chain.grpc":              "127.0.0.1:9090",
	"chain.chain_id":          "mindnet-local-1",
	"chain.keyring_dir":       "~/.mindnet",
	"chain.keyring_backend":   "os",
	"chain.hotkey":            "miner",
	"chain.coldkey":           "",
	"axon.listen":             "0.0.0.0:8091",
	"axon.http_listen":        "0.0.0.0:8092",
	"axon.external_ip":        "",
	"axon.external_port":      0,
	"axon.max_tokens":         256,
	"axon.max_body_bytes":     65536,
	"axon.slots":              2,
	"axon.queue_depth":        32,
	"axon.request_timeout":    "60s",
	"axon.nonce_window":       "30s",
	"callers.require_permit":  true,
	"callers.min_stake":       0,
	"callers.rate_limit":      5.0,
	"callers.rate_burst":      20.0,
	"metagraph.refresh":       "12s",
	"metagraph.max_staleness": "5m",
	"model.dir":               "",
	"engine.kind":             "builtin",
	"engine.openai_url":       "http://127.0.0.1:8000/v1",
	"engine.model":            "",
	"engine.model_dir":        "",
	"engine.api_key_env":      "OPENAI_API_KEY",
	"engine.token_ids":        false,
	"engine.precision":        "float32",
	"engine.probe_timeout":    "2m",
	"ops.listen":              "127.0.0.1:9102",
	"log.level":               "info",
	"log.format":              "text",
}

// Load reads path (if not empty), then the environment, then the flags that were set, over the
// defaults, and validates the result.
func Load(path string, flags *pflag.FlagSet) (Config, error) {
	var cfg Config
	layers := opsconfig.Layers{Defaults: defaults, EnvPrefix: EnvPrefix, InitCommand: "mindnet-miner init"}
	if err := layers.Load(path, flags, &cfg); err != nil {
		return Config{}, err
	}
	cfg.Chain.KeyringDir = opsconfig.ExpandHome(cfg.Chain.KeyringDir)
	// engine.kind local with engine.model_dir is the older spelling of model.dir with the built-in engine.
	if cfg.Engine.Kind == "local" {
		if cfg.Model.Dir == "" {
			cfg.Model.Dir = cfg.Engine.ModelDir
		}
		if cfg.Model.Dir == "" {
			return Config{}, fmt.Errorf("engine.kind = local needs model.dir (a Hugging Face model folder)")
		}
		cfg.Engine.Kind = "builtin"
	}
	cfg.Model.Dir = opsconfig.ExpandHome(cfg.Model.Dir)
	return cfg, cfg.Validate()
}

// Validate checks values that would otherwise fail later in a less helpful place.
func (c Config) Validate() error {
	switch c.Engine.Kind {
	case "builtin":
	case "openai":
		if c.Engine.OpenAIURL == "" || c.Engine.Model == "" {
			return fmt.Errorf("engine.kind = openai needs engine.openai_url and engine.model (the model name the server serves)")
		}
	default:
		return fmt.Errorf("engine.kind must be builtin or openai, got %q", c.Engine.Kind)
	}
	if c.Engine.Precision != "float32" && c.Engine.Precision != "half" {
		return fmt.Errorf("engine.precision must be float32 or half, got %q", c.Engine.Precision)
	}
	if c.Engine.ProbeTimeout <= 0 {
		return fmt.Errorf("engine.probe_timeout must be positive, got %s", c.Engine.ProbeTimeout)
	}
	if c.Axon.MaxTokens < 1 || c.Axon.Slots < 1 || c.Axon.QueueDepth < 0 || c.Axon.MaxBodyBytes < 1024 {
		return fmt.Errorf("axon limits out of range: max_tokens %d (≥1), slots %d (≥1), queue_depth %d (≥0), max_body_bytes %d (≥1024)",
			c.Axon.MaxTokens, c.Axon.Slots, c.Axon.QueueDepth, c.Axon.MaxBodyBytes)
	}
	if c.Callers.RateLimit <= 0 || c.Callers.RateBurst < 1 {
		return fmt.Errorf("callers.rate_limit must be > 0 and callers.rate_burst ≥ 1")
	}
	if c.Chain.Hotkey == "" {
		return fmt.Errorf("chain.hotkey must name the hotkey in the keyring")
	}
	return nil
}

// Template renders the commented config file with the defaults.
func Template() ([]byte, error) {
	var buf bytes.Buffer
	if err := fileTemplate.Execute(&buf, defaults); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var fileTemplate = template.Must(template.New("miner.toml").Parse(`# mindnet-miner configuration. Every key can also be set by a flag of the same name
# (--axon.listen) or an environment variable (MINDNET_MINER_AXON_LISTEN).

# The subnet this miner serves.
netuid = {{index . "netuid"}}

[chain]
# A chain node's gRPC address: the miner learns from it who may call (the metagraph) and sends its
# serve-axon transaction through it.
grpc = "{{index . "chain.grpc"}}"
chain_id = "{{index . "chain.chain_id"}}"
# Keyring holding the hotkey (signs requests' answers and serve-axon) and, for register, the coldkey.
keyring_dir = "{{index . "chain.keyring_dir"}}"
keyring_backend = "{{index . "chain.keyring_backend"}}"   # os, file or test
hotkey = "{{index . "chain.hotkey"}}"
coldkey = "{{index . "chain.coldkey"}}"

[axon]
# Where the axon listens: gRPC, and HTTP/JSON through grpc-gateway.
listen = "{{index . "axon.listen"}}"
http_listen = "{{index . "axon.http_listen"}}"
# The address validators should use, announced on chain; empty means the listen address.
external_ip = "{{index . "axon.external_ip"}}"
external_port = {{index . "axon.external_port"}}
max_tokens = {{index . "axon.max_tokens"}}           # largest max_tokens accepted
max_body_bytes = {{index . "axon.max_body_bytes"}}    # larger requests are refused
slots = {{index . "axon.slots"}}                   # generations at once
queue_depth = {{index . "axon.queue_depth"}}            # requests waiting; when full, more stake wins
request_timeout = "{{index . "axon.request_timeout"}}"
nonce_window = "{{index . "axon.nonce_window"}}"      # how far callers' clocks may drift

[callers]
# Who may call: registered subnet validators with a permit and at least min_stake umind.
require_permit = {{index . "callers.require_permit"}}
min_stake = {{index . "callers.min_stake"}}
rate_limit = {{index . "callers.rate_limit"}}           # requests per second per caller
rate_burst = {{index . "callers.rate_burst"}}

[metagraph]
refresh = "{{index . "metagraph.refresh"}}"
# Keep serving with the last good view this long while the node is unreachable.
max_staleness = "{{index . "metagraph.max_staleness"}}"

[model]
# The subnet's model folder (Hugging Face layout: config.json, tokenizer.json, *.safetensors); empty
# means the built-in model. Its tokenizer and special tokens are used whatever engine serves it.
dir = "{{index . "model.dir"}}"

[engine]
# builtin: the built-in engine runs model.dir on the CPU. openai: any OpenAI-compatible server
# (vLLM, SGLang, mindnet-serve) serving the subnet's model, usually on a GPU.
kind = "{{index . "engine.kind"}}"
openai_url = "{{index . "engine.openai_url"}}"
model = "{{index . "engine.model"}}"          # the model name the server serves
api_key_env = "{{index . "engine.api_key_env"}}"   # environment variable holding the server's API key, if any
# Ask the server for token ids (vLLM's return_tokens_as_token_ids) instead of mapping token texts;
# needs vLLM or mindnet-serve.
token_ids = {{index . "engine.token_ids"}}
# The precision the server computes in: float32, or half (float16/bfloat16). The start-up check
# compares the server's log-probabilities with the miner's own copy of the model within the
# tolerance validators use for it.
precision = "{{index . "engine.precision"}}"
# How long start waits for the server to answer before giving up.
probe_timeout = "{{index . "engine.probe_timeout"}}"

[ops]
# Prometheus metrics at /metrics and liveness at /healthz.
listen = "{{index . "ops.listen"}}"

[log]
level = "{{index . "log.level"}}"     # debug, info, warn, error
format = "{{index . "log.format"}}"    # text or json
`))
