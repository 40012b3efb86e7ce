//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// mustJSON decodes the JSON object in a command's output (the CLI may print a gas estimate first).
func mustJSON(t *testing.T, out string, v any) {
	t.Helper()
	i := strings.Index(out, "{")
	if i < 0 {
		t.Fatalf("no JSON in output:\n%s", out)
	}
	if err := json.Unmarshal([]byte(out[i:]), v); err != nil {
		t.Fatalf("decode output: %v\n%s", err, out)
	}
}

// txOK broadcasts a transaction with the CLI, waits for it to land and fails the test unless it
// succeeded. It returns the landed transaction's JSON.
func (ln *localnet) txOK(args ...string) string {
	ln.t.Helper()
	out, err := ln.mindnetd(args...)
	if err != nil {
		ln.t.Fatalf("%s: %v\n%s", strings.Join(args[:3], " "), err, out)
	}
	var sent struct {
		TxHash string `json:"txhash"`
		Code   int    `json:"code"`
	}
	mustJSON(ln.t, out, &sent)
	if sent.Code != 0 {
		ln.t.Fatalf("%s refused at check:\n%s", strings.Join(args[:3], " "), out)
	}
	out, err = ln.mindnetd("q", "wait-tx", sent.TxHash, "--home", ln.home(0), "--timeout", "30s", "-o", "json")
	if err != nil {
		ln.t.Fatalf("wait for %s: %v\n%s", sent.TxHash, err, out)
	}
	var landed struct {
		Code   int    `json:"code"`
		RawLog string `json:"raw_log"`
	}
	mustJSON(ln.t, out, &landed)
	if landed.Code != 0 {
		ln.t.Fatalf("%s failed in the block: %s", strings.Join(args[:3], " "), landed.RawLog)
	}
	return out
}
