package openai

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/mindnet/mindnet/inference"
)

func TestReadEvents(t *testing.T) {
	var got []string
	collect := func(d []byte) error { got = append(got, string(d)); return nil }
	in := ": ping\r\n\r\nevent: x\ndata: {\"a\":1}\n\ndata:two\ndata: lines\n\ndata: [DONE]\n\ndata: after\n\n"
	if err := readEvents(strings.NewReader(in), collect); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{`{"a":1}`, "two\nlines"}) {
		t.Fatalf("events %q", got)
	}
	if err := readEvents(strings.NewReader("data: {}\n\n"), collect); !errors.Is(err, ErrTruncatedStream) {
		t.Fatalf("no [DONE]: %v", err)
	}
	stop := errors.New("stop")
	if err := readEvents(strings.NewReader("data: 1\n\n"), func([]byte) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("callback error: %v", err)
	}
}

func newBlockingServer(t *testing.T, block chan struct{}) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// FuzzStreamBody feeds arbitrary bytes to the streaming parser as a server
// body: it must fail cleanly, never panic.
func FuzzStreamBody(f *testing.F) {
	f.Add([]byte("data: {\"choices\":[{\"text\":\"a\",\"logprobs\":{\"tokens\":[\"token_id:5\"],\"token_logprobs\":[-1],\"top_logprobs\":[{\"token_id:5\":-1}]},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n"))
	f.Add([]byte("data: {\"choices\":[]}\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
		defer srv.Close()
		c, err := New(Config{BaseURL: srv.URL, Model: "m", TokenIDs: true, Tokenizer: testTokenizer(t), MaxRetries: -1, EOSID: -1, BOSID: -1})
		if err != nil {
			t.Fatal(err)
		}
		req := inference.Request{Prompt: "x", MaxTokens: 2, TopK: 1}
		c.GenerateStream(context.Background(), req, func(inference.Token) error { return nil })
		c.Generate(context.Background(), req)
	})
}
