// Package openaitest runs mindnet-serve's server (package serve) in a test's own process, over a model
// folder, so that tests of the OpenAI path have a real server: the miner's start-up check, the
// validator's OpenAI reference, lying servers (package liars) and devnets whose miners point at it.
package openaitest

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/openai/serve"
)

// Handler is the server for the model folder dir ("" for the built-in model) under the served name.
func Handler(t testing.TB, dir, name string) http.Handler {
	t.Helper()
	f, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve.New(m, name, serve.Limits{Concurrency: 2, QueueDepth: 32, MaxBodyBytes: 1 << 20, MaxTokens: 256},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

// URL serves Handler(dir, name), wrapped by wrap when not nil, until the test ends, and returns its
// /v1 base URL.
func URL(t testing.TB, dir, name string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	h := Handler(t, dir, name)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}
