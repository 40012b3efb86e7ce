package devnet

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ServedModel is the name mindnet-serve serves the built-in model under, as the docs' examples use it.
const ServedModel = "gocode-tiny"

func (n *Network) serveURL() string { return fmt.Sprintf("http://127.0.0.1:%d/v1", n.Config.ServePort) }

// startServe starts mindnet-serve on the built-in model and waits until it answers.
func (n *Network) startServe(ctx context.Context) (*Process, error) {
	cfg := n.Config
	cfg.logf("starting mindnet-serve (OpenAI-compatible server, built-in model) on 127.0.0.1:%d", cfg.ServePort)
	p, err := startProcess("mindnet-serve", filepath.Join(cfg.Bin, "mindnet-serve"), filepath.Join(cfg.Dir, "logs", "mindnet-serve.log"), nil,
		"--listen", "127.0.0.1:"+strconv.Itoa(cfg.ServePort), "--model.name", ServedModel, "--limits.concurrency", "2")
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ctx.Err() != nil {
			break
		}
		if resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/health", cfg.ServePort)); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if !p.Running() {
			break
		}
	}
	p.Stop(5 * time.Second)
	return nil, fmt.Errorf("mindnet-serve did not come up on port %d; see %s", cfg.ServePort, p.Log)
}

// openAIEngine is the engine flags of an OpenAI miner, exactly as docs/mining.md gives them; even-numbered
// miners add engine.token_ids.
func (n *Network) openAIEngine(name string) []string {
	args := []string{"--engine.kind", "openai", "--engine.openai_url", n.serveURL(), "--engine.model", ServedModel}
	if i, err := strconv.Atoi(strings.TrimPrefix(name, "openai-")); err == nil && i%2 == 0 {
		args = append(args, "--engine.token_ids")
	}
	return args
}
