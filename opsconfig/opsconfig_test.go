package opsconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

type sample struct {
	Chain struct {
		GRPC string `mapstructure:"grpc"`
	} `mapstructure:"chain"`
	Slots int `mapstructure:"slots"`
}

func TestLayersOverrideInOrder(t *testing.T) {
	l := Layers{Defaults: map[string]any{"chain.grpc": "default:9090", "slots": 1}, EnvPrefix: "OPSCONFIG_TEST", InitCommand: "x init"}
	file := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(file, []byte("slots = 2\n[chain]\ngrpc = \"file:9090\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var got sample
	if err := l.Load(file, nil, &got); err != nil || got.Chain.GRPC != "file:9090" || got.Slots != 2 {
		t.Fatalf("file over defaults: %+v, %v", got, err)
	}
	t.Setenv("OPSCONFIG_TEST_CHAIN_GRPC", "env:9090")
	if err := l.Load(file, nil, &got); err != nil || got.Chain.GRPC != "env:9090" {
		t.Fatalf("environment over file: %+v, %v", got, err)
	}
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.String("chain.grpc", "", "")
	flags.String("unrelated", "", "")
	if err := flags.Parse([]string{"--chain.grpc", "flag:9090"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Load(file, flags, &got); err != nil || got.Chain.GRPC != "flag:9090" || got.Slots != 2 {
		t.Fatalf("flag over environment: %+v, %v", got, err)
	}
	if err := l.Load(filepath.Join(t.TempDir(), "missing.toml"), nil, &got); err == nil || !strings.Contains(err.Error(), "x init") {
		t.Fatalf("a missing file names the init command: %v", err)
	}
}

func TestFileOrNone(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.toml")
	if FileOrNone(missing, false) != "" || FileOrNone(missing, true) != missing {
		t.Fatal("a missing default file is skipped; a missing named file is kept (so Load reports it)")
	}
}

func TestLoggerRefusesUnknownSettings(t *testing.T) {
	if _, err := Logger("loud", "text", "b"); err == nil {
		t.Fatal("unknown level accepted")
	}
	if _, err := Logger("info", "xml", "b"); err == nil {
		t.Fatal("unknown format accepted")
	}
	if _, err := Logger("debug", "json", "b"); err != nil {
		t.Fatal(err)
	}
}

func TestWriteFileRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "c.toml")
	if err := WriteFile(path, []byte("a"), false); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("b"), false); err == nil {
		t.Fatal("overwrote without force")
	}
	if err := WriteFile(path, []byte("b"), true); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "b" {
		t.Fatalf("file holds %q", data)
	}
}
