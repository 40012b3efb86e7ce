package miner_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/inference/modelid"
	"github.com/mindnet/mindnet/testutil/network"
	"github.com/mindnet/mindnet/testutil/openaitest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// buildMiner builds the mindnet-miner binary, so that the test runs it as an operator would.
func buildMiner(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mindnet-miner")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/mindnet-miner")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// withoutLogprobs answers completions with "logprobs": null, as servers that do not support them do.
func withoutLogprobs(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/completions" {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.String()
		i, j := strings.Index(body, `"logprobs":{`), strings.Index(body, `,"finish_reason"`)
		if i >= 0 && j > i {
			body = body[:i] + `"logprobs":null` + body[j:]
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	})
}

// `mindnet-miner start` with docs/mining.md's flags refuses to start, before it announces an axon, with
// a model folder that is not the subnet's (showing both digests), and in front of a server that serves
// another model, names another model, or returns no log-probabilities; and it says what is wrong.
func TestMinerRefusesToStartInFrontOfAWrongServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the miner binary")
	}
	bin := buildMiner(t)
	nw := network.New(t, network.DefaultConfig(1))
	val := nw.Validators[0]
	enc, err := chainclient.NewEncoding()
	if err != nil {
		t.Fatal(err)
	}
	chain, err := chainclient.Dial(val.AppConfig.GRPC.Address, enc, val.ClientCtx.Keyring, nw.Config.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	newKey(t, val.ClientCtx.Keyring, "miner")
	// A subnet created with the defaults records the built-in model.
	if _, err := chain.Send(t.Context(), val.Moniker, time.Minute, &subnettypes.MsgCreateSubnet{Owner: val.Address.String(), Name: "gocode"}); err != nil {
		t.Fatal(err)
	}
	keys := val.ClientCtx.KeyringDir
	subnetServer := openaitest.URL(t, "", "gocode-tiny", nil)

	cases := []struct {
		name, url, model, want string
		args                   []string
	}{
		{"another model folder than the subnet's", subnetServer, "gocode-tiny", "is not the subnet's model", []string{"--model.dir", "../../inference/llama/testdata/gocode-alt"}},
		{"another model served", openaitest.URL(t, "../../inference/llama/testdata/gocode-alt", "gocode-tiny", nil), "gocode-tiny", "does not compute the subnet's model", nil},
		{"another model's name", openaitest.URL(t, "", "llama-3-8b", nil), "gocode-tiny", `serves "llama-3-8b"`, nil},
		{"no logprobs", openaitest.URL(t, "", "gocode-tiny", withoutLogprobs), "gocode-tiny", "log-probabilities", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			args := append([]string{"start", "--netuid", "1",
				"--engine.kind", "openai", "--engine.openai_url", c.url, "--engine.model", c.model,
				"--chain.keyring_dir", keys, "--chain.keyring_backend", "test", "--chain.hotkey", "miner", "--chain.chain_id", nw.Config.ChainID,
				"--chain.grpc", val.AppConfig.GRPC.Address, "--axon.listen", freeAddr(t), "--axon.http_listen", freeAddr(t), "--ops.listen", freeAddr(t)}, c.args...)
			cmd := exec.CommandContext(ctx, bin, args...)
			// A fresh HOME: no config file, defaults and flags only.
			cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "MINDNET_MINER_ENGINE_PROBE_TIMEOUT=20s")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			if err == nil || ctx.Err() != nil {
				t.Fatalf("the miner did not refuse (err %v):\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), c.want) {
				t.Fatalf("refusal does not say %q:\n%s", c.want, out.String())
			}
			if c.args != nil && (!strings.Contains(out.String(), modelid.BuiltinDigest) || !strings.Contains(out.String(), "gocode-alt")) {
				t.Fatalf("the refusal does not show the subnet's digest and the folder:\n%s", out.String())
			}
			if strings.Contains(out.String(), "axon announced") {
				t.Fatalf("announced its axon anyway:\n%s", out.String())
			}
		})
	}
}
