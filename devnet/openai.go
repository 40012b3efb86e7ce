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

// validatorServeURL is the validator's own mindnet-serve, one port up: a validator runs its reference
// apart from the miners' servers, as it would on a real subnet.
func (n *Network) validatorServeURL() string {
	return fmt.Sprintf("http://127.0.0.1:%d/v1", n.Config.ServePort+1)
}

// startServe starts mindnet-serve on the built-in model on port and waits until it answers.
func (n *Network) startServe(ctx context.Context, name string, port int) (*Process, error) {
	cfg := n.Config
	cfg.logf("starting %s (OpenAI-compatible server, built-in model) on 127.0.0.1:%d", name, port)
	p, err := startProcess(name, filepath.Join(cfg.Bin, "mindnet-serve"), filepath.Join(cfg.Dir, "logs", name+".log"), nil,
		"--listen", "127.0.0.1:"+strconv.Itoa(port), "--model.name", ServedModel, "--limits.concurrency", "2")
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ctx.Err() != nil {
			break
		}
		if resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/health", port)); err == nil {
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
	return nil, fmt.Errorf("%s did not come up on port %d; see %s", name, port, p.Log)
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
