package serve

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/mindnet/mindnet/opsconfig"
)

// EnvPrefix prefixes environment variables: MINDNET_SERVE_LISTEN sets listen.
const EnvPrefix = "MINDNET_SERVE"

// Options is everything mindnet-serve reads at start: defaults, then the
// TOML file given with --config, then MINDNET_SERVE_* variables, then flags.
type Options struct {
	Listen string `mapstructure:"listen"`
	Model  struct {
		Dir  string `mapstructure:"dir"`
		Name string `mapstructure:"name"`
	} `mapstructure:"model"`
	Limits struct {
		Concurrency    int           `mapstructure:"concurrency"`
		QueueDepth     int           `mapstructure:"queue_depth"`
		MaxBodyBytes   int64         `mapstructure:"max_body_bytes"`
		MaxTokens      int           `mapstructure:"max_tokens"`
		RequestTimeout time.Duration `mapstructure:"request_timeout"`
	} `mapstructure:"limits"`
	Log struct {
		Level  string `mapstructure:"level"`
		Format string `mapstructure:"format"`
	} `mapstructure:"log"`
}

// Defaults are the documented defaults, keyed as in the file and named as
// the flags.
var Defaults = map[string]any{
	"listen":                 "127.0.0.1:8000",
	"model.dir":              "",
	"model.name":             "",
	"limits.concurrency":     2,
	"limits.queue_depth":     64,
	"limits.max_body_bytes":  1 << 20,
	"limits.max_tokens":      4096,
	"limits.request_timeout": "5m",
	"log.level":              "info",
	"log.format":             "text",
}

// AddFlags declares a flag for every key.
func AddFlags(f *pflag.FlagSet) {
	f.String("listen", "127.0.0.1:8000", "address to serve the API on")
	f.String("model.dir", "", "Hugging Face model folder to serve (default: the built-in model)")
	f.String("model.name", "", "model name clients send (default: model.dir as given, or the built-in model's name)")
	f.Int("limits.concurrency", 2, "requests on the engine at once")
	f.Int("limits.queue_depth", 64, "requests that may wait for the engine; more get 429")
	f.Int64("limits.max_body_bytes", 1<<20, "largest request body; larger get 413")
	f.Int("limits.max_tokens", 4096, "largest max_tokens accepted (the model's context bounds it too)")
	f.Duration("limits.request_timeout", 5*time.Minute, "longest time one request may run on the engine")
	f.String("log.level", "info", "debug, info, warn or error")
	f.String("log.format", "text", "text or json")
}

// LoadOptions reads the layers (path may be empty) and checks the result.
func LoadOptions(path string, flags *pflag.FlagSet) (Options, error) {
	var o Options
	layers := opsconfig.Layers{Defaults: Defaults, EnvPrefix: EnvPrefix, InitCommand: "an editor (keys as in docs/mining.md)"}
	if err := layers.Load(path, flags, &o); err != nil {
		return Options{}, err
	}
	if o.Limits.Concurrency < 1 || o.Limits.QueueDepth < 0 || o.Limits.MaxBodyBytes < 1024 || o.Limits.MaxTokens < 1 || o.Limits.RequestTimeout <= 0 {
		return Options{}, fmt.Errorf("limits out of range: concurrency %d (≥1), queue_depth %d (≥0), max_body_bytes %d (≥1024), max_tokens %d (≥1), request_timeout %s (>0)",
			o.Limits.Concurrency, o.Limits.QueueDepth, o.Limits.MaxBodyBytes, o.Limits.MaxTokens, o.Limits.RequestTimeout)
	}
	o.Model.Dir = opsconfig.ExpandHome(o.Model.Dir)
	return o, nil
}

// limits returns the options' limits.
func (o Options) limits() Limits {
	return Limits{Concurrency: o.Limits.Concurrency, QueueDepth: o.Limits.QueueDepth, MaxBodyBytes: o.Limits.MaxBodyBytes,
		MaxTokens: o.Limits.MaxTokens, RequestTimeout: o.Limits.RequestTimeout}
}
