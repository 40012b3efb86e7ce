//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGovernanceChangesAHyperparameterBound follows docs/governance.md: a proposal carrying x/subnet's
// MsgUpdateParams lowers the ceiling on subnet tempos, the validator votes yes, and after the voting
// period the new bound is in force.
func TestGovernanceChangesAHyperparameterBound(t *testing.T) {
	ln := startLocalnet(t, 1)
	home := ln.home(0)
	keys := []string{"--home", home, "--keyring-backend", "test", "--chain-id", "mindnet-local-1", "--yes", "-o", "json"}

	out, err := ln.mindnetd("q", "auth", "module-account", "gov", "--home", home, "-o", "json")
	if err != nil {
		t.Fatalf("gov module account: %v\n%s", err, out)
	}
	var gov struct {
		Account struct {
			Value struct {
				Address string `json:"address"`
			} `json:"value"`
		} `json:"account"`
	}
	mustJSON(t, out, &gov)

	out, err = ln.mindnetd("q", "subnet", "params", "--home", home, "-o", "json")
	if err != nil {
		t.Fatalf("subnet params: %v\n%s", err, out)
	}
	var params struct {
		Params map[string]any `json:"params"`
	}
	mustJSON(t, out, &params)
	bounds := params.Params["max_hyperparameters"].(map[string]any)
	if bounds["tempo"] == "50000" {
		t.Fatal("the tempo ceiling is already 50000; the test would prove nothing")
	}
	bounds["tempo"] = "50000"

	proposal := map[string]any{
		"messages": []any{map[string]any{
			"@type":     "/mindnet.subnet.v1.MsgUpdateParams",
			"authority": gov.Account.Value.Address,
			"params":    params.Params,
		}},
		"deposit": "10000000umind",
		"title":   "Lower the tempo ceiling",
		"summary": "Cap subnet tempo at 50000 blocks.",
	}
	file := filepath.Join(t.TempDir(), "proposal.json")
	data, _ := json.Marshal(proposal)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ln.txOK(append([]string{"tx", "gov", "submit-proposal", file, "--from", "alice", "--gas", "auto", "--gas-adjustment", "1.5"}, keys...)...)
	ln.txOK(append([]string{"tx", "gov", "vote", "1", "yes", "--from", "validator0"}, keys...)...)

	// The localnet's voting period is 30 s.
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err = ln.mindnetd("q", "gov", "proposal", "1", "--home", home, "-o", "json")
		if err == nil && strings.Contains(out, "PROPOSAL_STATUS_PASSED") {
			break
		}
		if err == nil && (strings.Contains(out, "REJECTED") || strings.Contains(out, "FAILED")) {
			t.Fatalf("proposal did not pass:\n%s", out)
		}
		if time.Now().After(deadline) {
			t.Fatalf("proposal not passed after 90 s: %v\n%s", err, out)
		}
		time.Sleep(2 * time.Second)
	}
	out, err = ln.mindnetd("q", "subnet", "params", "--home", home, "-o", "json")
	if err != nil {
		t.Fatalf("subnet params: %v\n%s", err, out)
	}
	mustJSON(t, out, &params)
	if got := params.Params["max_hyperparameters"].(map[string]any)["tempo"]; got != "50000" {
		t.Fatalf("tempo ceiling after the proposal = %v, want 50000", got)
	}
}
