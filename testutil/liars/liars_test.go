package liars

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/openai"
	"github.com/mindnet/mindnet/inference/openai/serve"
	"github.com/mindnet/mindnet/inference/verify"
)

func server(t *testing.T, dir string) http.Handler {
	t.Helper()
	f, err := folder.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve.New(m, "gocode-tiny", serve.Limits{Concurrency: 2, QueueDepth: 8, MaxBodyBytes: 1 << 20, MaxTokens: 256}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

// Every lie, after its honest first answer, either fails the client or fails verification by the
// subnet's model: the lies are real lies, and a verifier catches each.
func TestEveryLieIsCaught(t *testing.T) {
	tiny, _ := folder.Open("")
	ref, _ := tiny.Load()
	honest := server(t, "")
	other := server(t, "../../inference/llama/testdata/gocode-alt")
	v := verify.Verifier{Reference: ref, Tokenizer: tiny.Tokenizer, Tolerance: verify.DefaultTolerance}
	req := inference.Request{Prompt: "func (b *Buffer) Len() int {\n", MaxTokens: 24, Seed: 5}
	for _, kind := range Kinds {
		h, err := Wrap(honest, Config{Kind: kind, Honest: 1, Delay: 300 * time.Millisecond, Tokenizer: tiny.Tokenizer, Other: other})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		c, err := openai.New(openai.Config{BaseURL: srv.URL + "/v1", Model: "gocode-tiny", Tokenizer: tiny.Tokenizer, BOSID: tiny.BOSID(), EOSID: tiny.EOSID(),
			MaxRetries: -1, Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		first, err := c.Generate(ctx, req)
		if err != nil {
			t.Fatalf("%s: honest first answer: %v", kind, err)
		}
		if vd, _ := v.Verify(ctx, req, first); !vd.Pass {
			t.Fatalf("%s: honest first answer failed: %+v", kind, vd)
		}
		lie, err := c.Generate(ctx, req)
		if err == nil {
			vd, verr := v.Verify(ctx, req, lie)
			if verr != nil || vd.Pass {
				t.Errorf("%s: the lie passed: %+v %v", kind, vd, verr)
			}
		} else {
			t.Logf("%s: client refused: %v", kind, err)
		}
		srv.Close()
	}
	if _, err := Wrap(honest, Config{Kind: "truth"}); err == nil {
		t.Fatal("unknown kind accepted")
	}
}
