package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// TestTemplateLoadsToDefaults: the file init writes, read back, gives the defaults.
func TestTemplateLoadsToDefaults(t *testing.T) {
	bz, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "validator.toml")
	if err := os.WriteFile(path, bz, 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromDefaults, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromFile != fromDefaults {
		t.Fatalf("file %+v\ndefaults %+v", fromFile, fromDefaults)
	}
	if fromFile.Round.Interval != 12*time.Second || fromFile.Scores.Alpha != 0.1 || fromFile.Engine.Kind != "builtin" {
		t.Fatalf("defaults %+v", fromFile)
	}
}

// TestPrecedence: flags over environment over file.
func TestPrecedence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "validator.toml")
	if err := os.WriteFile(path, []byte("netuid = 4\n[round]\nsample_size = 5\nmax_in_flight = 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MINDNET_VALIDATOR_ROUND_SAMPLE_SIZE", "7")
	t.Setenv("MINDNET_VALIDATOR_ROUND_MAX_IN_FLIGHT", "9")
	flags := pflag.NewFlagSet("test", pflag.ContinueOnError)
	flags.Int("round.max_in_flight", 16, "")
	if err := flags.Parse([]string{"--round.max_in_flight=11"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, flags)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Netuid != 4 || cfg.Round.SampleSize != 7 || cfg.Round.MaxInFlight != 11 {
		t.Fatalf("netuid %d (file 4), sample %d (env 7), in flight %d (flag 11)", cfg.Netuid, cfg.Round.SampleSize, cfg.Round.MaxInFlight)
	}
}

func TestValidate(t *testing.T) {
	base, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Config){
		"engine":    func(c *Config) { c.Engine.Kind = "gpu" },
		"openai":    func(c *Config) { c.Engine.Kind = "openai"; c.Engine.Model = "" },
		"precision": func(c *Config) { c.Engine.Precision = "int8" },
		"alpha":     func(c *Config) { c.Scores.Alpha = 0 },
		"sample":    func(c *Config) { c.Round.SampleSize = 0 },
		"backoff":   func(c *Config) { c.Weights.MaxBackoff = time.Millisecond },
		"hotkey":    func(c *Config) { c.Chain.Hotkey = "" },
	} {
		c := base
		mutate(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
