package cmd

import (
	"os"
	"path/filepath"
	"testing"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/mindnet/mindnet/app"
)

// Regression: MINDNETD_HOME (and MINDNETD_<FLAG> in general) was ignored by client commands, so
// `keys add` wrote to ~/.mindnet although the README promises that every flag reads the environment.
func TestEnvironmentSetsFlags(t *testing.T) {
	home := t.TempDir()
	t.Setenv("MINDNETD_HOME", home)
	t.Setenv("MINDNETD_KEYRING_BACKEND", "test")

	root := NewRootCmd()
	root.SetArgs([]string{"keys", "add", "env-test-key", "--output", "json"})
	root.SetOut(devNull(t))
	root.SetErr(devNull(t))
	if err := svrcmd.Execute(root, EnvPrefix, app.DefaultNodeHome); err != nil {
		t.Fatalf("keys add: %v", err)
	}
	if _, err := os.Stat(filepath.Join(home, "keyring-test")); err != nil {
		t.Fatalf("key was not written under MINDNETD_HOME with MINDNETD_KEYRING_BACKEND: %v", err)
	}
}

func devNull(t *testing.T) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}
