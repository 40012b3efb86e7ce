package miner

import (
	"strings"
	"testing"

	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/miner/config"
)

// The built-in engine runs another model folder; the demo's odd miner uses it.
func TestNewEngineLoadsAModelFolder(t *testing.T) {
	var cfg config.Config
	cfg.Engine.Kind = "builtin"
	model, err := folder.Open("../inference/llama/testdata/gocode-alt")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(cfg, model)
	if err != nil {
		t.Fatal(err)
	}
	if info := eng.Info(); !strings.Contains(info.Model, "alt") {
		t.Fatalf("loaded model %q, want the alt model", info.Model)
	}
}

// In front of an OpenAI-compatible server, the engine takes the model folder's tokenizer: the miner
// needs no other flag than the server's URL and model name.
func TestOpenAIEngineTakesTheFolderTokenizer(t *testing.T) {
	var cfg config.Config
	cfg.Engine.Kind, cfg.Engine.OpenAIURL, cfg.Engine.Model = "openai", "http://127.0.0.1:8000/v1", "gocode-tiny"
	model, err := folder.Open("")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(cfg, model)
	if err != nil {
		t.Fatal(err)
	}
	if info := eng.Info(); info.Backend != "openai" || info.VocabSize != model.Tokenizer.VocabSize() || info.EOSID != model.EOSID() {
		t.Fatalf("info %+v", info)
	}
}
