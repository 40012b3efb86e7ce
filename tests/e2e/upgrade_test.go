//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSoftwareUpgradeByGovernance follows docs/running-a-node.md's upgrade section: governance schedules
// the upgrade "e2e-noop" at a height, the running binary halts there naming it, and the next release
// (mindnetd built with the upgrade_e2e tag, which registers a handler for it) continues the same chain
// from the same data.
func TestSoftwareUpgradeByGovernance(t *testing.T) {
	ln := startLocalnet(t, 1)
	home := ln.home(0)
	keys := []string{"--home", home, "--keyring-backend", "test", "--chain-id", "mindnet-local-1", "--yes", "-o", "json"}

	next := filepath.Join(t.TempDir(), "mindnetd")
	build := exec.Command("go", "build", "-tags", "upgrade_e2e", "-o", next, "./cmd/mindnetd")
	build.Dir = ln.root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the next release: %v\n%s", err, out)
	}

	// The 30 s voting period is about 30 blocks; leave room for submitting and voting.
	upgradeHeight := height(t, 26657) + 50
	ln.txOK(append([]string{"tx", "upgrade", "software-upgrade", "e2e-noop",
		"--upgrade-height", strconv.FormatInt(upgradeHeight, 10), "--no-validate",
		"--title", "Mindnet next", "--summary", "The e2e no-op upgrade", "--deposit", "10000000umind",
		"--from", "alice", "--gas", "auto", "--gas-adjustment", "1.5"}, keys...)...)
	out, err := ln.mindnetd("q", "gov", "proposals", "--home", home, "-o", "json")
	if err != nil {
		t.Fatalf("proposals: %v\n%s", err, out)
	}
	var proposals struct {
		Proposals []struct {
			ID string `json:"id"`
		} `json:"proposals"`
	}
	mustJSON(t, out, &proposals)
	if len(proposals.Proposals) == 0 {
		t.Fatal("no proposal after software-upgrade")
	}
	id := proposals.Proposals[len(proposals.Proposals)-1].ID
	ln.txOK(append([]string{"tx", "gov", "vote", id, "yes", "--from", "validator0"}, keys...)...)

	// The old binary halts at the upgrade height and says which upgrade it needs.
	logPath := filepath.Join(home, "node.log")
	need := fmt.Sprintf(`UPGRADE "e2e-noop" NEEDED at height: %d`, upgradeHeight)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		data, _ := os.ReadFile(logPath)
		if strings.Contains(string(data), need) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in %s after 3 minutes (height %d)", need, logPath, height(t, 26657))
		}
		time.Sleep(time.Second)
	}
	halted := height(t, 26657)
	time.Sleep(3 * time.Second)
	// CometBFT stores block H before the app refuses to execute it, so its status may report H; never more.
	if h := height(t, 26657); h != halted || h > upgradeHeight {
		t.Fatalf("the old binary went on past the upgrade: height %d then %d, upgrade at %d", halted, h, upgradeHeight)
	}

	// The operator swaps the binary (what cosmovisor does) and starts the node again.
	if out, err := ln.script("stop"); err != nil {
		t.Fatalf("stop: %v\n%s", err, out)
	}
	start := exec.Command(filepath.Join(ln.root, "scripts/localnet.sh"), "start")
	start.Env = append(os.Environ(), "LOCALNET_DIR="+ln.dir, "MINDNETD="+next)
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("start with the next release: %v\n%s", err, out)
	}
	deadline = time.Now().Add(time.Minute)
	for height(t, 26657) < upgradeHeight+3 {
		if time.Now().After(deadline) {
			t.Fatalf("the next release is at height %d, want past %d", height(t, 26657), upgradeHeight+3)
		}
		time.Sleep(500 * time.Millisecond)
	}
	out, err = ln.mindnetd("q", "upgrade", "applied", "e2e-noop", "--home", home, "-o", "json")
	if err != nil || !strings.Contains(out, strconv.FormatInt(upgradeHeight, 10)) {
		t.Fatalf("upgrade not recorded as applied at %d: %v\n%s", upgradeHeight, err, out)
	}
}
