package devnet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mindnet/mindnet/inference/modelid"
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
	cfg.logf("starting %s (OpenAI-compatible server, %s) on 127.0.0.1:%d", name, cfg.modelName(), port)
	args := []string{"--listen", "127.0.0.1:" + strconv.Itoa(port), "--model.name", ServedModel, "--limits.concurrency", "2"}
	p, err := startProcess(name, filepath.Join(cfg.Bin, "mindnet-serve"), filepath.Join(cfg.Dir, "logs", name+".log"), nil,
		append(args, cfg.modelArgs()...)...)
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
	args := append([]string{"--engine.kind", "openai", "--engine.openai_url", n.serveURL(), "--engine.model", ServedModel}, n.Config.modelArgs()...)
	if i, err := strconv.Atoi(strings.TrimPrefix(name, "openai-")); err == nil && i%2 == 0 {
		args = append(args, "--engine.token_ids")
	}
	return args
}

// modelRecord is create-subnet's --model for a model folder: its name, digest and context length, in
// float32.
func modelRecord(dir string) (string, error) {
	fsys := os.DirFS(dir)
	digest, err := modelid.Digest(fsys, ".")
	if err != nil {
		return "", fmt.Errorf("subnet model %s: %w", dir, err)
	}
	ctxLen, err := modelid.ContextLength(fsys, ".")
	if err != nil {
		return "", fmt.Errorf("subnet model %s: %w", dir, err)
	}
	rec, err := json.Marshal(map[string]any{"name": filepath.Base(dir), "digest": digest, "precisions": []string{"float32"}, "context_length": ctxLen})
	return string(rec), err
}

// TryMiner runs `mindnet-miner start` for a new hotkey with the network's chain flags and extra flags,
// for up to timeout, and returns what it printed: for checking that a miner refuses to start.
func (n *Network) TryMiner(ctx context.Context, name string, timeout time.Duration, extra ...string) (string, error) {
	if _, err := n.cli.keyAddress(ctx, name); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := append([]string{"start", "--netuid", u32(n.Netuid), "--chain.grpc", NodeGRPC, "--chain.chain_id", ChainID,
		"--chain.keyring_dir", n.cli.home, "--chain.keyring_backend", "test", "--chain.hotkey", name,
		"--axon.listen", "127.0.0.1:0", "--axon.http_listen", "127.0.0.1:0", "--ops.listen", "127.0.0.1:0"}, extra...)
	cmd := exec.CommandContext(ctx, filepath.Join(n.Config.Bin, "mindnet-miner"), args...)
	cmd.Env = append(os.Environ(), "HOME="+n.Config.Dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
