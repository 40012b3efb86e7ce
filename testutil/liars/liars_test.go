package liars

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/openai"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/testutil/openaitest"
)

// Every lie, after its honest first answer, either fails the client or fails verification by the
// subnet's model: the lies are real lies, and a verifier catches each.
func TestEveryLieIsCaught(t *testing.T) {
	tiny, _ := folder.Open("")
	ref, _ := tiny.Load()
	honest := openaitest.Handler(t, "", "gocode-tiny")
	other := openaitest.Handler(t, "../../inference/llama/testdata/gocode-alt", "gocode-tiny")
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
