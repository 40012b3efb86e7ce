//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

type localnet struct {
	t    *testing.T
	root string
	dir  string
}

func startLocalnet(t *testing.T, validators int) *localnet {
	t.Helper()
	ln := &localnet{t: t, root: repoRoot(t), dir: t.TempDir()}
	out, err := ln.script("start", "--validators", strconv.Itoa(validators))
	if err != nil {
		t.Fatalf("localnet start: %v\n%s", err, out)
	}
	t.Logf("localnet start:\n%s", out)
	t.Cleanup(func() {
		if out, err := ln.script("stop"); err != nil {
			t.Errorf("localnet stop: %v\n%s", err, out)
		}
	})
	return ln
}

func (ln *localnet) script(args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(ln.root, "scripts/localnet.sh"), args...)
	cmd.Env = append(os.Environ(), "LOCALNET_DIR="+ln.dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (ln *localnet) mindnetd(args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(ln.root, "build/mindnetd"), args...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (ln *localnet) home(i int) string { return filepath.Join(ln.dir, fmt.Sprintf("node%d", i)) }

func TestFourValidatorLocalnetReachesConsensus(t *testing.T) {
	ln := startLocalnet(t, 4)

	start := height(t, 26657)
	deadline := time.Now().Add(60 * time.Second)
	for height(t, 26657) < start+5 {
		if time.Now().After(deadline) {
			t.Fatalf("no progress past height %d within 60 s", start)
		}
		time.Sleep(500 * time.Millisecond)
	}

	// Every node follows the chain, and the last commit carries all four validators' signatures.
	for i := range 4 {
		if h := height(t, 26657+10*i); h < start+3 {
			t.Errorf("node%d at height %d, want at least %d", i, h, start+3)
		}
	}
	var commit struct {
		Result struct {
			SignedHeader struct {
				Commit struct {
					Signatures []struct {
						BlockIDFlag int `json:"block_id_flag"`
					} `json:"signatures"`
				} `json:"commit"`
			} `json:"signed_header"`
		} `json:"result"`
	}
	if err := getJSON(t, "http://127.0.0.1:26657/commit", &commit); err != nil {
		t.Fatal(err)
	}
	signed := 0
	for _, sig := range commit.Result.SignedHeader.Commit.Signatures {
		if sig.BlockIDFlag == 2 { // BLOCK_ID_FLAG_COMMIT
			signed++
		}
	}
	if signed < 3 {
		t.Errorf("last commit signed by %d validators, want at least 3 of 4", signed)
	}

	// The REST routes answer on every node, the SDK's and Mindnet's.
	for i := range 4 {
		var params map[string]any
		if err := getJSON(t, fmt.Sprintf("http://127.0.0.1:%d/mindnet/subnet/v1/params", 1317+i), &params); err != nil {
			t.Errorf("node%d Mindnet REST route: %v", i, err)
		}
	}

	// A bank transfer from a printed developer account lands.
	home := ln.home(0)
	bob, err := ln.mindnetd("keys", "show", "bob", "-a", "--keyring-backend", "test", "--home", home)
	if err != nil {
		t.Fatalf("keys show bob: %v\n%s", err, bob)
	}
	bob = strings.TrimSpace(bob)
	out, err := ln.mindnetd("tx", "bank", "send", "alice", bob, "777umind", "--home", home,
		"--keyring-backend", "test", "--chain-id", "mindnet-local-1", "--yes", "-o", "json")
	if err != nil {
		t.Fatalf("tx bank send: %v\n%s", err, out)
	}
	var sent struct {
		TxHash string `json:"txhash"`
		Code   int    `json:"code"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &sent); err != nil || sent.Code != 0 {
		t.Fatalf("tx bank send refused: %v\n%s", err, out)
	}
	out, err = ln.mindnetd("q", "wait-tx", sent.TxHash, "--home", home, "--timeout", "30s", "-o", "json")
	if err != nil {
		t.Fatalf("wait for tx %s: %v\n%s", sent.TxHash, err, out)
	}
	var landed struct {
		Code   int    `json:"code"`
		Height string `json:"height"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &landed); err != nil || landed.Code != 0 || landed.Height == "" {
		t.Fatalf("tx %s did not land: %v\n%s", sent.TxHash, err, out)
	}
}
