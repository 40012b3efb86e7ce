//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/devnet"
	"github.com/mindnet/mindnet/inference/modelid"
)

// TestSubnetForAnotherModel creates the devnet's subnet for the alternative test model: the miners run
// it with --model.dir and the validator verifies it, and they earn; a miner started with the built-in
// model instead refuses to start and shows both digests; the model shows over REST and the CLI.
func TestSubnetForAnotherModel(t *testing.T) {
	root := repoRoot(t)
	altDir := filepath.Join(root, "inference", "llama", "testdata", "gocode-alt")
	altDigest, err := modelid.Digest(os.DirFS(altDir), ".")
	if err != nil {
		t.Fatal(err)
	}
	cfg := devnet.DefaultConfig(root)
	cfg.Bin = buildBinaries(t, root)
	cfg.Dir = filepath.Join(t.TempDir(), "devnet")
	cfg.HonestMiners, cfg.OpenAIMiners, cfg.OddMiners = 2, 1, 0
	cfg.SubnetModelDir = altDir
	cfg.Log = func(format string, args ...any) { t.Logf(format, args...) }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	net, err := devnet.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("devnet: %v", err)
	}
	t.Cleanup(func() {
		net.Stop()
		if t.Failed() {
			for _, l := range net.Logs() {
				t.Logf("log kept at %s", l)
			}
		}
	})

	var model struct {
		Model struct {
			Name       string   `json:"name"`
			Digest     string   `json:"digest"`
			Precisions []string `json:"precisions"`
		} `json:"model"`
	}
	if err := getJSON(t, fmt.Sprintf("%s/mindnet/subnet/v1/subnets/%d/model", devnet.NodeREST, net.Netuid), &model); err != nil {
		t.Fatal(err)
	}
	if model.Model.Name != "gocode-alt" || model.Model.Digest != altDigest || len(model.Model.Precisions) != 1 || model.Model.Precisions[0] != "float32" {
		t.Fatalf("REST model: %+v", model.Model)
	}
	out, err := exec.Command(filepath.Join(cfg.Bin, "mindnetd"), "q", "subnet", "model", fmt.Sprint(net.Netuid),
		"--node", devnet.NodeRPC, "-o", "json").CombinedOutput()
	if err != nil || !strings.Contains(string(out), altDigest) {
		t.Fatalf("CLI model: %v\n%s", err, out)
	}
	var cli map[string]any
	if err := json.Unmarshal(out, &cli); err != nil {
		t.Fatalf("CLI output is not JSON: %s", out)
	}

	refusal, err := net.TryMiner(ctx, "wrong-folder", time.Minute)
	if err == nil {
		t.Fatalf("a miner with the built-in model started on the alt subnet:\n%s", refusal)
	}
	for _, want := range []string{modelid.BuiltinDigest, altDigest, "gocode-alt", "model.dir"} {
		if !strings.Contains(refusal, want) {
			t.Fatalf("refusal does not show %q:\n%s", want, refusal)
		}
	}
	t.Logf("refusal: %s", strings.TrimSpace(refusal))

	deadline := time.Now().Add(6 * time.Minute)
	for {
		m, err := restMetagraph(t, net.Netuid)
		earning, validatorDividends := 0, false
		if err == nil {
			for _, n := range m.Neurons {
				switch r := net.Labels[n.Hotkey]; {
				case (strings.HasPrefix(r, "miner-") || strings.HasPrefix(r, "openai-")) && n.Incentive > 0:
					earning++
				case r == "validator" && n.Dividends > 0:
					validatorDividends = true
				}
			}
		}
		if earning == 3 && validatorDividends {
			t.Logf("all three miners earn on the alt model's subnet at block %s", m.Block)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 6 minutes %d of 3 miners earn (validator dividends %v): %+v (err %v)", earning, validatorDividends, m, err)
		}
		time.Sleep(2 * time.Second)
	}
}
