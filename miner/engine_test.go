package miner

import (
	"strings"
	"testing"

	"github.com/mindnet/mindnet/miner/config"
)

// The local engine serves another model folder with the built-in engine; the demo's odd miner uses it.
func TestNewEngineLoadsALocalModelFolder(t *testing.T) {
	var cfg config.Config
	cfg.Engine.Kind = "local"
	cfg.Engine.ModelDir = "../inference/llama/testdata/gocode-alt"
	eng, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if info := eng.Info(); !strings.Contains(info.Model, "alt") {
		t.Fatalf("loaded model %q, want the alt model", info.Model)
	}
	cfg.Engine.ModelDir = t.TempDir()
	if _, err := NewEngine(cfg); err == nil {
		t.Fatal("an empty folder loaded as a model")
	}
}
