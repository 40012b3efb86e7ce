package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/mindnet/mindnet/app"
)

// Regression: a genesis file that could not be read panicked deep inside the SDK's start-up.
func TestStartRefusesUnreadableGenesis(t *testing.T) {
	home := t.TempDir()
	run := func(args ...string) error {
		root := NewRootCmd()
		root.SetArgs(args)
		root.SetOut(devNull(t))
		root.SetErr(devNull(t))
		return svrcmd.Execute(root, EnvPrefix, app.DefaultNodeHome)
	}
	if err := run("init", "test", "--chain-id", "mindnet-test-1", "--home", home); err != nil {
		t.Fatalf("init: %v", err)
	}
	genesis := filepath.Join(home, "config", "genesis.json")
	if err := os.WriteFile(genesis, []byte(`{"app_state": {"bank": 5}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run("start", "--home", home)
	if err == nil || !strings.Contains(err.Error(), "genesis file "+genesis+" is not valid") {
		t.Fatalf("start with a broken genesis: %v", err)
	}
}

// A second node on the same home is refused with a message that names the home.
func TestSecondNodeOnSameHomeIsRefused(t *testing.T) {
	home := t.TempDir()
	release, err := lockHome(home)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := lockHome(home); err == nil || !strings.Contains(err.Error(), "already running with home "+home) {
		t.Fatalf("second lock: %v", err)
	}
}
