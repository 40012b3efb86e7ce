package service

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestDefaultsAreValidAndLayersOverrideThem(t *testing.T) {
	file := filepath.Join(t.TempDir(), "explorer.toml")
	if err := os.WriteFile(file, []byte("listen = \"127.0.0.1:9999\"\n[store]\nkeep_epochs = 7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MINDNET_EXPLORER_QUERY_TIMEOUT", "2s")
	flags := pflag.NewFlagSet("x", pflag.ContinueOnError)
	flags.String("grpc", "", "")
	if err := flags.Parse([]string{"--grpc", "node:9090"}); err != nil {
		t.Fatal(err)
	}
	var cfg Config
	if err := Layers.Load(file, flags, &cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9999" || cfg.Store.KeepEpochs != 7 || cfg.QueryTimeout != 2*time.Second || cfg.GRPC != "node:9090" ||
		cfg.RPC != "http://127.0.0.1:26657" || cfg.HistoryEpochs != 50 {
		t.Fatalf("layered config %+v", cfg)
	}
}

func TestValidateNamesEveryBadSetting(t *testing.T) {
	var cfg Config
	if err := Layers.Load("", nil, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.RPC = "127.0.0.1:26657"
	cfg.Store.KeepEpochs = 0
	cfg.Poll = 0
	err := cfg.Validate()
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{"rpc", "store.keep_epochs", "poll"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
