//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Genesis settings for the weight tests: a 20-block tempo instead of 360, so that validator permits
// (given at each epoch) and reveal windows (a tempo after the commit's) come within seconds, and a
// rate limit of half a tempo, as devnet/genesis.go sets for the demo. Tempo is governance-only, so
// genesis is where a test chain sets it.
const (
	testTempo           = 20
	testRateLimit       = 10
	testMinWeights      = 2
	weightsTestNetuid   = 1
	weightsTestChainID  = "mindnet-local-1"
	weightsTestKeyring  = "test"
	permitWaitTimeout   = 2 * time.Minute
	revealWaitTimeout   = 2 * time.Minute
	proposalWaitTimeout = 90 * time.Second
)

// startShortTempoLocalnet initialises a one-validator localnet with scripts/localnet.sh init, edits
// node0's genesis (x/subnet's default hyperparameters) before the first start, and starts it.
func startShortTempoLocalnet(t *testing.T, edit func(hp map[string]any)) *localnet {
	t.Helper()
	ln := &localnet{t: t, root: repoRoot(t), dir: t.TempDir()}
	if out, err := ln.script("init", "--validators", "1"); err != nil {
		t.Fatalf("localnet init: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := ln.script("stop"); err != nil {
			t.Errorf("localnet stop: %v\n%s", err, out)
		}
	})
	path := filepath.Join(ln.home(0), "config", "genesis.json")
	if err := editDefaultHyperparameters(path, edit); err != nil {
		t.Fatal(err)
	}
	out, err := ln.script("start", "--validators", "1")
	if err != nil {
		t.Fatalf("localnet start: %v\n%s", err, out)
	}
	t.Logf("localnet start:\n%s", out)
	return ln
}

func editDefaultHyperparameters(path string, edit func(hp map[string]any)) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("genesis %s: %w", path, err)
	}
	appState, _ := doc["app_state"].(map[string]any)
	subnet, _ := appState["subnet"].(map[string]any)
	params, _ := subnet["params"].(map[string]any)
	hp, _ := params["default_hyperparameters"].(map[string]any)
	if hp == nil {
		return fmt.Errorf("genesis %s has no app_state.subnet.params.default_hyperparameters", path)
	}
	edit(hp)
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

func shortTempo(hp map[string]any) {
	hp["tempo"] = strconv.Itoa(testTempo)
	hp["weights_rate_limit"] = strconv.Itoa(testRateLimit)
	hp["min_allowed_weights"] = testMinWeights
}

// keyringFlags and txFlags are the doc's $H and $TX.
func (ln *localnet) keyringFlags() []string {
	return []string{"--home", ln.home(0), "--keyring-backend", weightsTestKeyring}
}

func (ln *localnet) txFlags() []string {
	return append(ln.keyringFlags(), "--chain-id", weightsTestChainID, "--yes", "-o", "json")
}

// run runs build/mindnetd and returns stdout and stderr apart (commit-weights prints its salt and
// reveal window on stderr, the broadcast result on stdout).
func (ln *localnet) run(args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(filepath.Join(ln.root, "build/mindnetd"), args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

func (ln *localnet) address(key string) string {
	ln.t.Helper()
	out, err := ln.mindnetd(append([]string{"keys", "show", key, "-a"}, ln.keyringFlags()...)...)
	if err != nil {
		ln.t.Fatalf("keys show %s: %v\n%s", key, err, out)
	}
	return strings.TrimSpace(out)
}

func (ln *localnet) addKey(name string) string {
	ln.t.Helper()
	if out, err := ln.mindnetd(append([]string{"keys", "add", name}, ln.keyringFlags()...)...); err != nil {
		ln.t.Fatalf("keys add %s: %v\n%s", name, err, out)
	}
	return ln.address(name)
}

// txResult is what became of a transaction: refused at broadcast (check) or executed in a block.
type txResult struct {
	Height    string `json:"height"`
	Code      int    `json:"code"`
	Codespace string `json:"codespace"`
	RawLog    string `json:"raw_log"`
	TxHash    string `json:"txhash"`
}

// decodeJSON decodes the first JSON object in out and ignores what follows it.
func decodeJSON(out string, v any) error {
	i := strings.Index(out, "{")
	if i < 0 {
		return fmt.Errorf("no JSON in output")
	}
	return json.NewDecoder(strings.NewReader(out[i:])).Decode(v)
}

// tx broadcasts a transaction as the docs do (`… -o json | mindnetd q wait-tx`) and returns what
// became of it; the CLI refusing it before broadcast is a test failure (use cliRefuses for that).
func (ln *localnet) tx(args ...string) txResult {
	ln.t.Helper()
	stdout, stderr, err := ln.run(append(args, ln.txFlags()...)...)
	if err != nil {
		ln.t.Fatalf("%s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr)
	}
	var sent txResult
	if err := decodeJSON(stdout, &sent); err != nil {
		ln.t.Fatalf("%s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr)
	}
	if sent.Code != 0 {
		return sent
	}
	out, err := ln.mindnetd("q", "wait-tx", sent.TxHash, "--home", ln.home(0), "--timeout", "30s", "-o", "json")
	if err != nil {
		ln.t.Fatalf("wait for %s (%s): %v\n%s", sent.TxHash, strings.Join(args, " "), err, out)
	}
	var landed txResult
	if err := decodeJSON(out, &landed); err != nil {
		ln.t.Fatalf("wait-tx %s: %v\n%s", sent.TxHash, err, out)
	}
	landed.TxHash = sent.TxHash
	return landed
}

func (ln *localnet) mustTx(args ...string) txResult {
	ln.t.Helper()
	r := ln.tx(args...)
	if r.Code != 0 {
		ln.t.Fatalf("%s refused: code %d (%s) %s", strings.Join(args, " "), r.Code, r.Codespace, r.RawLog)
	}
	return r
}

// refused checks that a transaction was refused with x/weights' error code and a message that
// contains each of wants.
func (ln *localnet) refused(r txResult, code int, wants ...string) {
	ln.t.Helper()
	if r.Code != code || r.Codespace != "weights" {
		ln.t.Fatalf("want refusal with weights code %d, got code %d (%q): %s", code, r.Code, r.Codespace, r.RawLog)
	}
	for _, w := range wants {
		if !strings.Contains(r.RawLog, w) {
			ln.t.Fatalf("refusal %q does not say %q", r.RawLog, w)
		}
	}
	ln.t.Logf("refused as expected at height %s: %s", r.Height, r.RawLog)
}

func (ln *localnet) query(v any, args ...string) {
	ln.t.Helper()
	out, err := ln.mindnetd(append(append([]string{"q"}, args...), "--home", ln.home(0), "-o", "json")...)
	if err != nil {
		ln.t.Fatalf("q %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if err := decodeJSON(out, v); err != nil {
		ln.t.Fatalf("q %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

type neuronJSON struct {
	Neuron struct {
		UID             uint32 `json:"uid"`
		ValidatorPermit bool   `json:"validator_permit"`
		LastUpdate      string `json:"last_update"`
	} `json:"neuron"`
}

func (ln *localnet) waitPermit(netuid uint32, hotkey string) {
	ln.t.Helper()
	deadline := time.Now().Add(permitWaitTimeout)
	for {
		var n neuronJSON
		ln.query(&n, "subnet", "neuron-by-hotkey", fmt.Sprint(netuid), hotkey)
		if n.Neuron.ValidatorPermit {
			ln.t.Logf("uid %d holds a validator permit at height %d", n.Neuron.UID, height(ln.t, 26657))
			return
		}
		if time.Now().After(deadline) {
			ln.t.Fatalf("hotkey %s has no validator permit after %s", hotkey, permitWaitTimeout)
		}
		time.Sleep(time.Second)
	}
}

func waitForHeight(t *testing.T, target int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for height(t, 26657) < target {
		if time.Now().After(deadline) {
			t.Fatalf("height %d, want %d within %s", height(t, 26657), target, within)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

type weightRowsJSON struct {
	Rows []struct {
		Netuid  uint32   `json:"netuid"`
		UID     uint32   `json:"uid"`
		UIDs    []uint32 `json:"uids"`
		Weights []uint32 `json:"weights"`
		SetAt   string   `json:"set_at"`
	} `json:"rows"`
}

// restRows reads a subnet's weight rows over REST, as "uid:[uids]->[weights]@set_at" strings.
func restRows(t *testing.T, netuid uint32) []string {
	t.Helper()
	var w weightRowsJSON
	if err := getJSON(t, fmt.Sprintf("http://127.0.0.1:1317/mindnet/weights/v1/subnets/%d/weights", netuid), &w); err != nil {
		t.Fatalf("REST weights: %v", err)
	}
	var rows []string
	for _, r := range w.Rows {
		rows = append(rows, fmt.Sprintf("%d:%v->%v@%s", r.UID, r.UIDs, r.Weights, r.SetAt))
	}
	return rows
}

func sameRows(a, b []string) bool { return strings.Join(a, " ") == strings.Join(b, " ") }

type pendingJSON struct {
	Commits []struct {
		CommittedAt string `json:"committed_at"`
		RevealStart string `json:"reveal_start"`
		RevealEnd   string `json:"reveal_end"`
	} `json:"commits"`
}

// TestWeightsFromTheCLI is the weights walkthrough on a localnet, with the commands of docs/validating.md
// ("Weights by hand") and docs/governance.md: a validator commits and reveals weights on a new subnet
// (commit-reveal on), bad reveals are refused with a message that says what to fix and store nothing,
// governance turns commit-reveal off with MsgSetHyperparameters, and set-weights then lands directly,
// with its own refusals (rate limit, too few weights, no permit, duplicate uid). Rows are read back
// over REST.
func TestWeightsFromTheCLI(t *testing.T) {
	ln := startShortTempoLocalnet(t, shortTempo)
	netuid := fmt.Sprint(weightsTestNetuid)

	miner := ln.addKey("miner-hot")
	vali := ln.addKey("validator-hot")
	idle := ln.addKey("idle-hot")

	// A subnet (alice), a miner (bob's, UID 0), a validator (charlie's, UID 1) with 1,000 MIND of root stake and
	// a neuron with no stake (bob's, UID 2), which never holds a permit.
	ln.mustTx("tx", "subnet", "create-subnet", "weights test", "--from", "alice")
	ln.mustTx("tx", "subnet", "register", netuid, miner, "--from", "bob")
	ln.mustTx("tx", "subnet", "register", netuid, vali, "--from", "charlie")
	ln.mustTx("tx", "subnet", "register", netuid, idle, "--from", "bob")
	ln.mustTx("tx", "subnet", "add-stake", vali, "0", "1000000000", "--from", "charlie")
	// The hotkeys sign their own weight transactions, so they need accounts on chain.
	ln.mustTx("tx", "bank", "send", "charlie", vali, "1000000umind")
	ln.mustTx("tx", "bank", "send", "bob", idle, "1000000umind")
	ln.waitPermit(weightsTestNetuid, vali)

	// Commit-reveal is on for the new subnet: set-weights is refused.
	ln.refused(ln.tx("tx", "weights", "set-weights", netuid, "0,2", "3,1", "--from", "validator-hot"), 22, "commit-reveal is on")
	// commit-weights checks the row's shape before it broadcasts anything.
	if stdout, stderr, err := ln.run(append([]string{"tx", "weights", "commit-weights", netuid, "0,0", "3,1", "--from", "validator-hot"}, ln.txFlags()...)...); err == nil ||
		!strings.Contains(stderr, "a UID appears more than once") || strings.Contains(stdout, "txhash") {
		t.Fatalf("commit-weights with a duplicate uid: err %v\nstdout %s\nstderr %s", err, stdout, stderr)
	}

	// Commit early in a tempo, so that the window (the next tempo) is far enough off to try a reveal
	// before it.
	for {
		h := uint64(height(t, 26657))
		if subnettypes.NextEpochBlock(weightsTestNetuid, testTempo, h)-h >= 10 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	uids, weights := "0,2", "3,1"
	stdout, stderr, err := ln.run(append([]string{"tx", "weights", "commit-weights", netuid, uids, weights, "--from", "validator-hot"}, ln.txFlags()...)...)
	if err != nil {
		t.Fatalf("commit-weights: %v\n%s%s", err, stdout, stderr)
	}
	t.Logf("commit-weights printed:\n%s", stderr)
	salt := field(t, stderr, "salt: ")
	var committedAt, start, end int64
	if _, err := fmt.Sscanf(field(t, stderr, "committed at block "), "%d; reveal window: blocks %d to %d", &committedAt, &start, &end); err != nil {
		t.Fatalf("no reveal window in commit-weights' output: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "reveal with: mindnetd tx weights reveal-weights "+netuid+" "+uids+" "+weights+" "+salt) {
		t.Fatalf("commit-weights does not print the reveal command:\n%s", stderr)
	}
	var pending pendingJSON
	ln.query(&pending, "weights", "pending-commits", netuid, vali)
	if len(pending.Commits) != 1 || pending.Commits[0].RevealStart != fmt.Sprint(start) || pending.Commits[0].RevealEnd != fmt.Sprint(end) {
		t.Fatalf("pending commits %+v, want one with window %d to %d", pending, start, end)
	}
	if rows := restRows(t, weightsTestNetuid); len(rows) != 0 {
		t.Fatalf("rows on chain before any reveal: %v", rows)
	}

	reveal := func(uids, weights, salt string) txResult {
		return ln.tx("tx", "weights", "reveal-weights", netuid, uids, weights, salt, "--from", "validator-hot")
	}
	// Refusals that store nothing and leave the commit pending.
	ln.refused(reveal(uids, weights, salt), 37, "early", fmt.Sprintf("reveal in blocks %d to %d", start, end))
	ln.refused(reveal("0,0", weights, salt), 16, "a UID appears more than once")
	// Commits are rate-limited like set-weights.
	ln.refused(ln.tx("tx", "weights", "commit-weights", netuid, "0,2", "1,1", "--wait", "0s", "--from", "validator-hot"), 21, "too recently")
	waitForHeight(t, start-1, revealWaitTimeout)
	ln.refused(reveal(uids, weights, strings.Repeat("ab", 32)), 36, "no pending commit matches this reveal", "salt")
	if rows := restRows(t, weightsTestNetuid); len(rows) != 0 {
		t.Fatalf("refused reveals stored rows: %v", rows)
	}
	ln.query(&pending, "weights", "pending-commits", netuid, vali)
	if len(pending.Commits) != 1 {
		t.Fatalf("after refused reveals the commit should still be pending: %+v", pending)
	}

	landed := ln.mustTx("tx", "weights", "reveal-weights", netuid, uids, weights, salt, "--from", "validator-hot")
	if h, _ := strconv.ParseInt(landed.Height, 10, 64); h < start || h > end {
		t.Fatalf("reveal landed at %d, outside the window %d to %d", h, start, end)
	}
	want := []string{fmt.Sprintf("1:[0 2]->[65535 21845]@%s", landed.Height)}
	if got := restRows(t, weightsTestNetuid); !sameRows(got, want) {
		t.Fatalf("REST rows after the reveal = %v, want %v", got, want)
	}
	// A reveal counts once.
	ln.refused(reveal(uids, weights, salt), 39, "already revealed")
	if got := restRows(t, weightsTestNetuid); !sameRows(got, want) {
		t.Fatalf("a replayed reveal changed the rows: %v, want %v", got, want)
	}

	// Governance turns commit-reveal off for the subnet (docs/governance.md, last part).
	proposalID := ln.passProposalCommitRevealOff(weightsTestNetuid)
	var hp struct {
		Hyperparameters map[string]any `json:"hyperparameters"`
	}
	ln.query(&hp, "subnet", "hyperparameters", netuid)
	if on, _ := hp.Hyperparameters["commit_reveal_enabled"].(bool); on {
		t.Fatalf("proposal %s passed but commit_reveal_enabled is still true", proposalID)
	}

	// set-weights lands directly, after the rate limit since the reveal.
	var next struct {
		NextBlock string `json:"next_block"`
	}
	ln.query(&next, "weights", "next-allowed-block", netuid, "1")
	nb, _ := strconv.ParseInt(next.NextBlock, 10, 64)
	waitForHeight(t, nb-1, time.Minute)
	set := ln.mustTx("tx", "weights", "set-weights", netuid, "0,2", "1,1", "--from", "validator-hot")
	want = []string{fmt.Sprintf("1:[0 2]->[65535 65535]@%s", set.Height)}
	if got := restRows(t, weightsTestNetuid); !sameRows(got, want) {
		t.Fatalf("REST rows after set-weights = %v, want %v", got, want)
	}

	// set-weights' refusals: nothing changes.
	ln.refused(ln.tx("tx", "weights", "set-weights", netuid, "0,2", "2,1", "--from", "validator-hot"), 21,
		"too recently", fmt.Sprintf("next allowed at block %d", mustInt(t, set.Height)+testRateLimit))
	ln.refused(ln.tx("tx", "weights", "set-weights", netuid, "0,2,0", "1,1,1", "--from", "validator-hot"), 16, "a UID appears more than once")
	ln.refused(ln.tx("tx", "weights", "set-weights", netuid, "0", "1", "--from", "validator-hot"), 18, "too few non-zero weights")
	ln.refused(ln.tx("tx", "weights", "set-weights", netuid, "0,1", "1,1", "--from", "idle-hot"), 12, "no validator permit")
	if got := restRows(t, weightsTestNetuid); !sameRows(got, want) {
		t.Fatalf("refused set-weights changed the rows: %v, want %v", got, want)
	}
	// With commit-reveal off, commits are refused.
	ln.refused(ln.tx("tx", "weights", "commit-weights", netuid, "0,2", "1,1", "--wait", "0s", "--from", "validator-hot"), 30, "commit-reveal is off")
	// The CLI query reads the same row.
	var row weightRowsJSON
	ln.query(&row, "weights", "weights", netuid, "1")
	if len(row.Rows) != 1 || fmt.Sprint(row.Rows[0].Weights) != "[65535 65535]" {
		t.Fatalf("q weights weights %s 1 = %+v", netuid, row)
	}
}

// passProposalCommitRevealOff runs docs/governance.md's last part: a proposal carrying
// MsgSetHyperparameters (authority = gov) with the subnet's hyperparameters and commit_reveal_enabled
// false; validator0 votes yes; it waits for the proposal to pass and returns its id.
func (ln *localnet) passProposalCommitRevealOff(netuid uint32) string {
	t := ln.t
	t.Helper()
	var gov struct {
		Account struct {
			Value struct {
				Address string `json:"address"`
			} `json:"value"`
		} `json:"account"`
	}
	ln.query(&gov, "auth", "module-account", "gov")
	var hp struct {
		Hyperparameters map[string]any `json:"hyperparameters"`
	}
	ln.query(&hp, "subnet", "hyperparameters", fmt.Sprint(netuid))
	hp.Hyperparameters["commit_reveal_enabled"] = false
	proposal := map[string]any{
		"messages": []any{map[string]any{
			"@type":           "/mindnet.subnet.v1.MsgSetHyperparameters",
			"authority":       gov.Account.Value.Address,
			"netuid":          netuid,
			"hyperparameters": hp.Hyperparameters,
		}},
		"deposit": "10000000umind",
		"title":   fmt.Sprintf("Direct weights on subnet %d", netuid),
		"summary": fmt.Sprintf("Subnet %d scores public benchmarks; commit-reveal adds nothing there.", netuid),
	}
	file := filepath.Join(t.TempDir(), "proposal.json")
	data, _ := json.Marshal(proposal)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ln.mustTx("tx", "gov", "submit-proposal", file, "--from", "alice", "--gas", "auto", "--gas-adjustment", "1.5")
	var proposals struct {
		Proposals []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"proposals"`
	}
	ln.query(&proposals, "gov", "proposals")
	if len(proposals.Proposals) == 0 {
		t.Fatal("no proposal after submit-proposal")
	}
	id := proposals.Proposals[len(proposals.Proposals)-1].ID
	ln.mustTx("tx", "gov", "vote", id, "yes", "--from", "validator0")
	deadline := time.Now().Add(proposalWaitTimeout)
	for {
		var p struct {
			Proposal struct {
				Status       string `json:"status"`
				FailedReason string `json:"failed_reason"`
			} `json:"proposal"`
		}
		ln.query(&p, "gov", "proposal", id)
		switch p.Proposal.Status {
		case "PROPOSAL_STATUS_PASSED":
			t.Logf("proposal %d passed at height %d", mustInt(t, id), height(t, 26657))
			return id
		case "PROPOSAL_STATUS_REJECTED", "PROPOSAL_STATUS_FAILED":
			t.Fatalf("proposal %s: %s %s", id, p.Proposal.Status, p.Proposal.FailedReason)
		}
		if time.Now().After(deadline) {
			t.Fatalf("proposal %s still %s after %s", id, p.Proposal.Status, proposalWaitTimeout)
		}
		time.Sleep(2 * time.Second)
	}
}

// field returns the rest of the line that starts with prefix.
func field(t *testing.T, out, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("no %q line in:\n%s", prefix, out)
	return ""
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is not an integer", s)
	}
	return v
}
