package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestTemplateLoadsToDefaults(t *testing.T) {
	bz, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "miner.toml")
	if err := os.WriteFile(path, bz, 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile, err := Load(path, nil)
	if err != nil {
		t.Fatalf("load the file init writes: %v", err)
	}
	fromDefaults, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromFile != fromDefaults {
		t.Fatalf("file written by init differs from the defaults:\n%+v\n%+v", fromFile, fromDefaults)
	}
	if fromFile.Axon.Listen != "0.0.0.0:8091" || fromFile.Engine.Kind != "builtin" || fromFile.Metagraph.MaxStaleness.String() != "5m0s" {
		t.Fatalf("unexpected defaults %+v", fromFile)
	}
}

func TestFlagsBeatEnvironmentBeatsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "miner.toml")
	if err := os.WriteFile(path, []byte("netuid = 3\n[axon]\nslots = 4\nmax_tokens = 64\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MINDNET_MINER_AXON_SLOTS", "6")
	t.Setenv("MINDNET_MINER_AXON_MAX_TOKENS", "128")
	flags := pflag.NewFlagSet("test", pflag.ContinueOnError)
	flags.Int("axon.max_tokens", 256, "")
	if err := flags.Parse([]string{"--axon.max_tokens=32"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, flags)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Netuid != 3 || cfg.Axon.Slots != 6 || cfg.Axon.MaxTokens != 32 {
		t.Fatalf("netuid %d (file 3), slots %d (env 6), max_tokens %d (flag 32)", cfg.Netuid, cfg.Axon.Slots, cfg.Axon.MaxTokens)
	}
}

func TestBadConfigIsExplained(t *testing.T) {
	t.Setenv("MINDNET_MINER_ENGINE_KIND", "openai")
	t.Setenv("MINDNET_MINER_ENGINE_MODEL", "")
	if _, err := Load("", nil); err == nil || !strings.Contains(err.Error(), "engine.model") {
		t.Fatalf("openai without a model: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.toml"), nil); err == nil || !strings.Contains(err.Error(), "mindnet-miner init") {
		t.Fatalf("missing file: %v", err)
	}
}

// engine.kind local with engine.model_dir, the older spelling, is model.dir with the built-in engine.
func TestLocalEngineIsBuiltinWithModelDir(t *testing.T) {
	t.Setenv("MINDNET_MINER_ENGINE_KIND", "local")
	if _, err := Load("", nil); err == nil || !strings.Contains(err.Error(), "model.dir") {
		t.Fatalf("local without a folder: %v", err)
	}
	t.Setenv("MINDNET_MINER_ENGINE_MODEL_DIR", "/models/other")
	cfg, err := Load("", nil)
	if err != nil || cfg.Engine.Kind != "builtin" || cfg.Model.Dir != "/models/other" {
		t.Fatalf("local with a folder: %+v %+v, %v", cfg.Engine, cfg.Model, err)
	}
}

func TestEngineKeys(t *testing.T) {
	t.Setenv("MINDNET_MINER_ENGINE_PRECISION", "double")
	if _, err := Load("", nil); err == nil || !strings.Contains(err.Error(), "engine.precision") {
		t.Fatalf("bad precision: %v", err)
	}
	t.Setenv("MINDNET_MINER_ENGINE_PRECISION", "half")
	t.Setenv("MINDNET_MINER_ENGINE_TOKEN_IDS", "true")
	t.Setenv("MINDNET_MINER_MODEL_DIR", "/models/m")
	cfg, err := Load("", nil)
	if err != nil || !cfg.Engine.TokenIDs || cfg.Engine.Precision != "half" || cfg.Model.Dir != "/models/m" {
		t.Fatalf("%+v %+v %v", cfg.Engine, cfg.Model, err)
	}
}

// The OpenAI engine appends /completions and /chat/completions to the base URL, so the default must end
// in /v1 as vLLM, SGLang and llama.cpp serve it (and as the validator's default does).
func TestDefaultOpenAIURLIsTheV1Base(t *testing.T) {
	cfg, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(cfg.Engine.OpenAIURL, "/v1") {
		t.Fatalf("default engine.openai_url %q does not end in /v1", cfg.Engine.OpenAIURL)
	}
}
