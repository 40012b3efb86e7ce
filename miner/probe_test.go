package miner

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/openai"
	"github.com/mindnet/mindnet/inference/openai/serve"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/testutil/openaitest"
)

func probe(t *testing.T, url, model string, tokenIDs bool) error {
	t.Helper()
	f, err := folder.Open("")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := openai.New(openai.Config{BaseURL: url, Model: model, Tokenizer: f.Tokenizer, TokenIDs: tokenIDs, BOSID: f.BOSID(), EOSID: f.EOSID(),
		MaxRetries: 1, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return Probe(context.Background(), c, ProbeConfig{URL: url, Model: model, Folder: f, Reference: ref, Tolerance: verify.DefaultTolerance, Timeout: 10 * time.Second})
}

func TestProbeAcceptsTheSubnetModel(t *testing.T) {
	url := openaitest.URL(t, "", "gocode-tiny", nil)
	for _, ids := range []bool{false, true} {
		if err := probe(t, url, "gocode-tiny", ids); err != nil {
			t.Fatalf("token ids %v: %v", ids, err)
		}
	}
}

// A server that serves another model under the subnet model's name is refused, with what to do.
func TestProbeRefusesAnotherModel(t *testing.T) {
	url := openaitest.URL(t, "../inference/llama/testdata/gocode-alt", "gocode-tiny", nil)
	err := probe(t, url, "gocode-tiny", false)
	if !errors.Is(err, ErrEngineCheck) || !strings.Contains(err.Error(), "does not compute the subnet's model") {
		t.Fatalf("another model: %v", err)
	}
	t.Log(err)
}

func TestProbeRefusesAnotherModelName(t *testing.T) {
	url := openaitest.URL(t, "", "some-other-name", nil)
	err := probe(t, url, "gocode-tiny", false)
	if !errors.Is(err, ErrEngineCheck) || !strings.Contains(err.Error(), `serves "some-other-name"`) {
		t.Fatalf("other name: %v", err)
	}
}

// A server that answers without log-probabilities is refused at once, not retried.
func TestProbeRefusesNoLogprobs(t *testing.T) {
	calls := 0
	strip := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/completions" {
				h.ServeHTTP(w, r)
				return
			}
			calls++
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.String()
			i := strings.Index(body, `"logprobs":{`)
			j := strings.Index(body, `,"finish_reason"`)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, body[:i]+`"logprobs":null`+body[j:])
		})
	}
	url := openaitest.URL(t, "", "gocode-tiny", strip)
	err := probe(t, url, "gocode-tiny", false)
	if !errors.Is(err, ErrEngineCheck) || !strings.Contains(err.Error(), "log-probabilities") || calls != 1 {
		t.Fatalf("no logprobs (%d calls): %v", calls, err)
	}
}

// A server that is not up yet is waited for.
func TestProbeWaitsForTheServer(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	f, _ := folder.Open("")
	m, _ := f.Load()
	s, _ := serve.New(m, "gocode-tiny", serve.Limits{Concurrency: 1, QueueDepth: 1, MaxBodyBytes: 1 << 20, MaxTokens: 64}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	go func() {
		time.Sleep(1500 * time.Millisecond)
		lis, err := net.Listen("tcp", addr)
		if err != nil {
			return
		}
		_ = http.Serve(lis, s.Handler())
	}()
	c, _ := openai.New(openai.Config{BaseURL: "http://" + addr + "/v1", Model: "gocode-tiny", Tokenizer: f.Tokenizer, BOSID: f.BOSID(), EOSID: f.EOSID(), MaxRetries: -1})
	waited := 0
	err = Probe(context.Background(), c, ProbeConfig{URL: addr, Model: "gocode-tiny", Folder: f, Reference: m, Tolerance: verify.DefaultTolerance,
		Timeout: 20 * time.Second, Waiting: func(error) { waited++ }})
	if err != nil || waited == 0 {
		t.Fatalf("waited %d times: %v", waited, err)
	}
}
