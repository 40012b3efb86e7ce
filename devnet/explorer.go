package devnet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// startExplorer runs mindnet-explorer over chain node 0, serving on cfg.ExplorerListen, with the
// network's hotkeys labelled ("miner-1", "odd-1"…), and waits until it answers. So that the explorer
// has a governance proposal to show, alice then submits a text proposal that the chain validator votes
// for (it passes after the localnet's 30 s voting period).
func (n *Network) startExplorer(ctx context.Context) (*Process, error) {
	cfg := n.Config
	bin := filepath.Join(cfg.Bin, "mindnet-explorer")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("devnet: mindnet-explorer missing in %s (run make build): %w", cfg.Bin, err)
	}
	args := []string{"--grpc", NodeGRPC, "--rpc", NodeRPC, "--listen", cfg.ExplorerListen,
		"--store.path", filepath.Join(cfg.Dir, "explorer"), "--config", filepath.Join(cfg.Dir, "explorer.toml")}
	hotkeys := make([]string, 0, len(n.Labels))
	for hk := range n.Labels {
		hotkeys = append(hotkeys, hk)
	}
	sort.Strings(hotkeys)
	for _, hk := range hotkeys {
		args = append(args, "--label", hk+"="+n.Labels[hk])
	}
	// An empty file: the explorer runs on its defaults and these flags.
	if err := os.WriteFile(filepath.Join(cfg.Dir, "explorer.toml"), nil, 0o644); err != nil {
		return nil, err
	}
	cfg.logf("starting the explorer on %s", n.ExplorerURL())
	p, err := startProcess("explorer", bin, filepath.Join(cfg.Dir, "logs", "explorer.log"), nil, args...)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(n.ExplorerURL() + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if !p.Running() || time.Now().After(deadline) {
			p.Stop(5 * time.Second)
			return nil, fmt.Errorf("the explorer did not answer on %s (see %s): %v", n.ExplorerURL(), p.Log, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := n.proposeWelcome(ctx); err != nil {
		cfg.logf("could not submit the demo's governance proposal: %v", err)
	}
	return p, nil
}

// ExplorerURL is where the devnet's explorer serves, or "" when it runs none.
func (n *Network) ExplorerURL() string {
	if n.Config.ExplorerListen == "" {
		return ""
	}
	return "http://" + n.Config.ExplorerListen
}

// proposeWelcome submits a text proposal (no messages) and has chain validator 0 vote yes.
func (n *Network) proposeWelcome(ctx context.Context) error {
	proposal, _ := json.Marshal(map[string]any{
		"messages": []any{},
		// x/gov refuses a proposal with neither messages nor metadata.
		"metadata": "mindnet-devnet welcome proposal",
		"deposit":  "10000000umind",
		"title":    "Welcome to the Mindnet devnet",
		"summary":  "A text proposal that the devnet submits so that the explorer's /proposals page has one to show. The chain validator votes yes; it passes when the 30 s voting period ends.",
	})
	file := filepath.Join(n.Config.Dir, "welcome-proposal.json")
	if err := os.WriteFile(file, proposal, 0o644); err != nil {
		return err
	}
	if err := n.cli.tx(ctx, "alice", "tx", "gov", "submit-proposal", file); err != nil {
		return err
	}
	var props struct {
		Proposals []struct {
			ID string `json:"id"`
		} `json:"proposals"`
	}
	if err := n.cli.query(ctx, &props, "q", "gov", "proposals"); err != nil || len(props.Proposals) == 0 {
		return fmt.Errorf("list proposals: %v", err)
	}
	return n.cli.tx(ctx, "validator0", "tx", "gov", "vote", props.Proposals[len(props.Proposals)-1].ID, "yes")
}
