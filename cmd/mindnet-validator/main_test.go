package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitWritesConfigThatLoads: init writes the commented file, refuses to overwrite it, and status
// over it explains that there is no state yet.
func TestInitWritesConfigThatLoads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "validator.toml")
	run := func(args ...string) (string, error) {
		cmd := rootCmd()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetArgs(args)
		err := cmd.Execute()
		return out.String(), err
	}
	if _, err := run("init", "--config", path); err != nil {
		t.Fatal(err)
	}
	bz, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(bz), "[weights]") {
		t.Fatalf("config file: %v\n%s", err, bz)
	}
	if _, err := run("init", "--config", path); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second init: %v", err)
	}
	_, err = run("status", "--config", path, "--state.path", filepath.Join(dir, "none.json"))
	if err == nil || !strings.Contains(err.Error(), "no state file") {
		t.Fatalf("status without state: %v", err)
	}
}
