// Package config is the validator's configuration: its fields and defaults, the commented file that
// `mindnet-validator init` writes, and loading from that file, flags and MINDNET_VALIDATOR_*
// environment variables (flags win over the environment, which wins over the file).
package config

import (
	"bytes"
	"fmt"
	"text/template"
	"time"

	"github.com/spf13/pflag"

	"github.com/mindnet/mindnet/opsconfig"
)

// EnvPrefix prefixes environment variables: MINDNET_VALIDATOR_ROUND_INTERVAL sets round.interval.
const EnvPrefix = "MINDNET_VALIDATOR"

// Config is everything the validator reads at start.
type Config struct {
	Netuid uint16 `mapstructure:"netuid"`

	Chain struct {
		GRPC           string        `mapstructure:"grpc"`
		ChainID        string        `mapstructure:"chain_id"`
		KeyringDir     string        `mapstructure:"keyring_dir"`
		KeyringBackend string        `mapstructure:"keyring_backend"`
		Hotkey         string        `mapstructure:"hotkey"`
		TxTimeout      time.Duration `mapstructure:"tx_timeout"`
	} `mapstructure:"chain"`

	Tasks struct {
		Prompts string `mapstructure:"prompts"`
	} `mapstructure:"tasks"`

	Round struct {
		Interval      time.Duration `mapstructure:"interval"`
		SampleSize    int           `mapstructure:"sample_size"`
		TasksPerMiner int           `mapstructure:"tasks_per_miner"`
		MaxInFlight   int           `mapstructure:"max_in_flight"`
		Grace         time.Duration `mapstructure:"grace"`
	} `mapstructure:"round"`

	Scores struct {
		Alpha float64 `mapstructure:"alpha"`
	} `mapstructure:"scores"`

	Weights struct {
		VersionKey    uint64        `mapstructure:"version_key"`
		CheckInterval time.Duration `mapstructure:"check_interval"`
		Attempts      int           `mapstructure:"attempts"`
		MinBackoff    time.Duration `mapstructure:"min_backoff"`
		MaxBackoff    time.Duration `mapstructure:"max_backoff"`
	} `mapstructure:"weights"`

	Model struct {
		Dir string `mapstructure:"dir"`
	} `mapstructure:"model"`

	Engine struct {
		Kind      string `mapstructure:"kind"`
		OpenAIURL string `mapstructure:"openai_url"`
		Model     string `mapstructure:"model"`
		APIKeyEnv string `mapstructure:"api_key_env"`
		TokenIDs  bool   `mapstructure:"token_ids"`
		Precision string `mapstructure:"precision"`
	} `mapstructure:"engine"`

	Metagraph struct {
		Refresh      time.Duration `mapstructure:"refresh"`
		MaxStaleness time.Duration `mapstructure:"max_staleness"`
	} `mapstructure:"metagraph"`

	State struct {
		Path string `mapstructure:"path"`
	} `mapstructure:"state"`

	Ops struct {
		Listen string `mapstructure:"listen"`
	} `mapstructure:"ops"`

	Log struct {
		Level  string `mapstructure:"level"`
		Format string `mapstructure:"format"`
	} `mapstructure:"log"`
}

// Defaults are the documented default values, keyed as in the file.
var Defaults = map[string]any{
	"netuid":                  1,
	"chain.grpc":              "127.0.0.1:9090",
	"chain.chain_id":          "mindnet-local-1",
	"chain.keyring_dir":       "~/.mindnet",
	"chain.keyring_backend":   "os",
	"chain.hotkey":            "validator",
	"chain.tx_timeout":        "1m",
	"tasks.prompts":           "",
	"round.interval":          "12s",
	"round.sample_size":       32,
	"round.tasks_per_miner":   1,
	"round.max_in_flight":     16,
	"round.grace":             "1s",
	"scores.alpha":            0.1,
	"weights.version_key":     1,
	"weights.check_interval":  "6s",
	"weights.attempts":        4,
	"weights.min_backoff":     "2s",
	"weights.max_backoff":     "30s",
	"model.dir":               "",
	"engine.kind":             "builtin",
	"engine.openai_url":       "http://127.0.0.1:8000/v1",
	"engine.model":            "",
	"engine.api_key_env":      "OPENAI_API_KEY",
	"engine.token_ids":        false,
	"engine.precision":        "float32",
	"metagraph.refresh":       "12s",
	"metagraph.max_staleness": "5m",
	"state.path":              "~/.mindnet-validator/state.json",
	"ops.listen":              "127.0.0.1:9103",
	"log.level":               "info",
	"log.format":              "text",
}

// Load reads path (if not empty), then the environment, then the flags that were set, over the
// defaults, and validates the result.
func Load(path string, flags *pflag.FlagSet) (Config, error) {
	var cfg Config
	layers := opsconfig.Layers{Defaults: Defaults, EnvPrefix: EnvPrefix, InitCommand: "mindnet-validator init"}
	if err := layers.Load(path, flags, &cfg); err != nil {
		return Config{}, err
	}
	cfg.Chain.KeyringDir = opsconfig.ExpandHome(cfg.Chain.KeyringDir)
	cfg.Model.Dir = opsconfig.ExpandHome(cfg.Model.Dir)
	cfg.Tasks.Prompts = opsconfig.ExpandHome(cfg.Tasks.Prompts)
	cfg.State.Path = opsconfig.ExpandHome(cfg.State.Path)
	return cfg, cfg.Validate()
}

// Validate checks values that would otherwise fail later in a less helpful place.
func (c Config) Validate() error {
	switch c.Engine.Kind {
	case "builtin":
	case "openai":
		if c.Engine.OpenAIURL == "" || c.Engine.Model == "" {
			return fmt.Errorf("engine.kind = openai needs engine.openai_url and engine.model (the subnet's model as the server names it)")
		}
	default:
		return fmt.Errorf("engine.kind must be builtin or openai, got %q", c.Engine.Kind)
	}
	if c.Engine.Precision != "float32" && c.Engine.Precision != "half" {
		return fmt.Errorf("engine.precision must be float32 or half, got %q", c.Engine.Precision)
	}
	switch {
	case c.Chain.Hotkey == "":
		return fmt.Errorf("chain.hotkey must name the hotkey in the keyring")
	case c.Chain.TxTimeout <= 0:
		return fmt.Errorf("chain.tx_timeout must be positive")
	case c.Round.Interval <= 0:
		return fmt.Errorf("round.interval must be positive")
	case c.Round.SampleSize < 1 || c.Round.TasksPerMiner < 1 || c.Round.MaxInFlight < 1 || c.Round.Grace < 0:
		return fmt.Errorf("round settings out of range: sample_size %d, tasks_per_miner %d, max_in_flight %d (each ≥ 1), grace %v (≥ 0)",
			c.Round.SampleSize, c.Round.TasksPerMiner, c.Round.MaxInFlight, c.Round.Grace)
	case !(c.Scores.Alpha > 0 && c.Scores.Alpha <= 1):
		return fmt.Errorf("scores.alpha must be in (0, 1], got %v", c.Scores.Alpha)
	case c.Weights.CheckInterval <= 0 || c.Weights.Attempts < 1 || c.Weights.MinBackoff <= 0 || c.Weights.MaxBackoff < c.Weights.MinBackoff:
		return fmt.Errorf("weights settings out of range: check_interval %v (> 0), attempts %d (≥ 1), backoff %v..%v",
			c.Weights.CheckInterval, c.Weights.Attempts, c.Weights.MinBackoff, c.Weights.MaxBackoff)
	case c.State.Path == "":
		return fmt.Errorf("state.path must name the state file")
	}
	return nil
}

// Template renders the commented config file with the defaults.
func Template() ([]byte, error) {
	var buf bytes.Buffer
	if err := fileTemplate.Execute(&buf, Defaults); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var fileTemplate = template.Must(template.New("validator.toml").Parse(`# mindnet-validator configuration. Every key can also be set by a flag of the same name
# (--round.interval) or an environment variable (MINDNET_VALIDATOR_ROUND_INTERVAL).

# The subnet this validator scores.
netuid = {{index . "netuid"}}

[chain]
# A chain node's gRPC address: the validator reads the metagraph and the subnet's hyperparameters from
# it and sends its weight transactions through it.
grpc = "{{index . "chain.grpc"}}"
chain_id = "{{index . "chain.chain_id"}}"
# Keyring holding the hotkey: it signs requests to miners and the weight transactions. It needs a UID
# on the subnet, a validator permit and at least min_validator_stake.
keyring_dir = "{{index . "chain.keyring_dir"}}"
keyring_backend = "{{index . "chain.keyring_backend"}}"   # os, file or test
hotkey = "{{index . "chain.hotkey"}}"
tx_timeout = "{{index . "chain.tx_timeout"}}"            # how long to wait for a transaction to land in a block

[tasks]
# The prompts tasks are made from: a JSON-lines file, one {"name": "...", "prompt": "..."} a line
# (docs/validating.md gives the format); empty means the built-in set of Go openings, which suits the
# built-in model.
prompts = "{{index . "tasks.prompts"}}"

[round]
# Every interval the validator samples serving miners and sends each of them tasks.
interval = "{{index . "round.interval"}}"
sample_size = {{index . "round.sample_size"}}            # miners per round (all when fewer serve)
tasks_per_miner = {{index . "round.tasks_per_miner"}}         # tasks each sampled miner gets per round
max_in_flight = {{index . "round.max_in_flight"}}          # calls open at once
grace = "{{index . "round.grace"}}"                  # waited past a task's deadline before a call times out

[scores]
# Step of the per-miner moving average: ema = (1 - alpha)·ema + alpha·score.
alpha = {{index . "scores.alpha"}}

[weights]
# Weights go on chain once per tempo, within weights_rate_limit; by commit and reveal when the subnet
# has commit_reveal_enabled.
version_key = {{index . "weights.version_key"}}            # sent with every row; the subnet's weights_version_key is the minimum
check_interval = "{{index . "weights.check_interval"}}"       # how often to look whether a submission is due
attempts = {{index . "weights.attempts"}}                # tries per transaction before waiting for the next check
min_backoff = "{{index . "weights.min_backoff"}}"          # first wait between tries, doubled up to max_backoff
max_backoff = "{{index . "weights.max_backoff"}}"

[model]
# The subnet's model folder (Hugging Face layout: config.json, tokenizer.json, *.safetensors); empty
# means the built-in model. Its tokenizer and special tokens are used whatever engine serves it.
dir = "{{index . "model.dir"}}"

[engine]
# The reference the validator verifies answers with, by prefill: builtin (the built-in engine running
# model.dir on the CPU) or openai (vLLM, SGLang or mindnet-serve serving the same model: other servers
# cannot score by prefill).
kind = "{{index . "engine.kind"}}"
openai_url = "{{index . "engine.openai_url"}}"
model = "{{index . "engine.model"}}"
api_key_env = "{{index . "engine.api_key_env"}}"     # environment variable holding the server's API key, if any
token_ids = {{index . "engine.token_ids"}}              # vLLM's return_tokens_as_token_ids
# Tolerance for miners' log-probabilities: float32, or half for subnets that allow fp16/bf16 serving.
precision = "{{index . "engine.precision"}}"

[metagraph]
refresh = "{{index . "metagraph.refresh"}}"
# Keep working with the last good view this long while the node is unreachable.
max_staleness = "{{index . "metagraph.max_staleness"}}"

[state]
# Scores, pending commits and the last submission, replaced atomically after every change.
path = "{{index . "state.path"}}"

[ops]
# Prometheus metrics at /metrics and health at /healthz.
listen = "{{index . "ops.listen"}}"

[log]
level = "{{index . "log.level"}}"     # debug, info, warn, error
format = "{{index . "log.format"}}"    # text or json
`))
