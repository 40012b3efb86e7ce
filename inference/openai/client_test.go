package openai

import (
	"context"
	"errors"
	"fmt"
	"github.com/mindnet/mindnet/inference/builtin"
	"github.com/mindnet/mindnet/inference/tokenizer"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference"
)

func client(t *testing.T, url string, f *fakeServer, ids bool) *Client {
	c, err := New(Config{BaseURL: url + "/v1", Model: "fake", Tokenizer: f.model.Tokenizer(), TokenIDs: ids,
		BOSID: 0, EOSID: 1, Backoff: time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGenerateMatchesModel(t *testing.T) {
	f, srv := newFake(t)
	ctx := context.Background()
	req := inference.Request{Prompt: "func fun(x int)", MaxTokens: 12, TopK: 3, Temperature: 0.9, Seed: 5}
	want, err := f.model.Generate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	// A random model emits arbitrary bytes, which only token ids carry
	// exactly; text mode is tested on canned answers (TestTokenTextMapping).
	got, err := client(t, srv.URL, f, true).Generate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.TokenIDs(), want.TokenIDs()) || got.Text != jsonText(want.Text) || got.Finish != want.Finish {
		t.Fatalf("got %v %q %s, want %v %q %s", got.TokenIDs(), got.Text, got.Finish, want.TokenIDs(), want.Text, want.Finish)
	}
	for i := range got.Tokens {
		if got.Tokens[i].Logprob != want.Tokens[i].Logprob || len(got.Tokens[i].Top) != 3 ||
			got.Tokens[i].Top[0].ID != want.Tokens[i].Top[0].ID {
			t.Fatalf("token %d: %+v vs %+v", i, got.Tokens[i], want.Tokens[i])
		}
	}
}

// jsonText is text as it survives a JSON round trip: each byte that is not
// part of valid UTF-8 becomes U+FFFD.
func jsonText(s string) string { return string([]rune(s)) }

// TestTokenTextMapping covers servers that name tokens only by their text.
func TestTokenTextMapping(t *testing.T) {
	f, _ := newFake(t)
	canned := func(body string) *Client {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
		t.Cleanup(srv.Close)
		return client(t, srv.URL, f, false)
	}
	ok := `{"choices":[{"text":" fun","finish_reason":"stop","logprobs":{"tokens":[" f","un","<|end_of_text|>"],
		"token_logprobs":[-0.5,-0.25,-1],"top_logprobs":[{" f":-0.5,"x":-2},{"un":-0.25},{"<|end_of_text|>":-1}]}}]}`
	res, err := canned(ok).Generate(context.Background(), inference.Request{Prompt: "p", MaxTokens: 5, TopK: 2})
	if err != nil {
		t.Fatal(err)
	}
	tok := f.model.Tokenizer()
	want := append(tok.Encode(" fun"), 1)
	if !slices.Equal(res.TokenIDs(), want) || res.Finish != inference.FinishEOS || res.Tokens[0].Top[1].Text != "x" {
		t.Fatalf("mapped %v (%s), want %v", res.TokenIDs(), res.Finish, want)
	}
	bad := strings.Replace(ok, `"tokens":[" f"`, `"tokens":["\ufffd"`, 1)
	if _, err := canned(bad).Generate(context.Background(), inference.Request{Prompt: "p", MaxTokens: 5}); !errors.Is(err, ErrUnmappableToken) {
		t.Fatalf("partial character: %v", err)
	}
	short := strings.Replace(ok, `"token_logprobs":[-0.5,-0.25,-1]`, `"token_logprobs":[-0.5]`, 1)
	if _, err := canned(short).Generate(context.Background(), inference.Request{Prompt: "p", MaxTokens: 5}); !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("ragged lists: %v", err)
	}
	positive := strings.Replace(ok, `-0.25,-1]`, `0.5,-1]`, 1)
	if _, err := canned(positive).Generate(context.Background(), inference.Request{Prompt: "p", MaxTokens: 5}); !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("positive logprob: %v", err)
	}
}

func TestStreamMatchesGenerate(t *testing.T) {
	f, srv := newFake(t)
	c := client(t, srv.URL, f, true)
	ctx := context.Background()
	req := inference.Request{Prompt: "in", MaxTokens: 10, Stop: []string{"zz"}}
	want, _ := c.Generate(ctx, req)
	var seen []int
	got, err := c.GenerateStream(ctx, req, func(tok inference.Token) error { seen = append(seen, tok.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, want.TokenIDs()) || got.Text != want.Text || got.Finish != want.Finish {
		t.Fatalf("stream %v %q %s, plain %v %q %s", seen, got.Text, got.Finish, want.TokenIDs(), want.Text, want.Finish)
	}
}

func TestScoreMatchesPrefill(t *testing.T) {
	f, srv := newFake(t)
	ctx := context.Background()
	cont := []int{70, 71, 2, 100, 1}
	want, err := f.model.Score(ctx, "un fin", cont)
	if err != nil {
		t.Fatal(err)
	}
	got, err := client(t, srv.URL, f, true).Score(ctx, "un fin", cont)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].ID != cont[i] || math.Abs(got[i].Logprob-want[i].Logprob) > 1e-12 || got[i].TopID != want[i].TopID {
			t.Fatalf("position %d: %+v want %+v", i, got[i], want[i])
		}
	}
}

func TestChat(t *testing.T) {
	f, srv := newFake(t)
	c := client(t, srv.URL, f, true)
	ctx := context.Background()
	msgs := []Message{{Role: "system", Content: "be brief"}, {Role: "user", Content: "fun"}}
	req := inference.Request{MaxTokens: 8, TopK: 2}
	plain, err := c.Chat(ctx, msgs, req)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := f.model.Generate(ctx, inference.Request{Prompt: "fun", MaxTokens: 8})
	if !slices.Equal(plain.TokenIDs(), want.TokenIDs()) || plain.Text != jsonText(want.Text) {
		t.Fatalf("chat %v %q, model %v %q", plain.TokenIDs(), plain.Text, want.TokenIDs(), want.Text)
	}
	var n int
	streamed, err := c.ChatStream(ctx, msgs, req, func(inference.Token) error { n++; return nil })
	if err != nil || n != len(plain.Tokens) || streamed.Text != plain.Text {
		t.Fatalf("chat stream: %v, %d tokens, %q", err, n, streamed.Text)
	}
}

func TestRetriesServerErrors(t *testing.T) {
	f, srv := newFake(t)
	c := client(t, srv.URL, f, true)
	f.fail.Store(2)
	if _, err := c.Generate(context.Background(), inference.Request{Prompt: "x", MaxTokens: 3}); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	if f.calls.Load() != 3 {
		t.Fatalf("%d calls, want 3", f.calls.Load())
	}
	f.fail.Store(10)
	_, err := c.Score(context.Background(), "x", []int{5})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 || se.Message != "engine overloaded" || !errors.Is(err, ErrStatus) {
		t.Fatalf("persistent 503: %v", err)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	f, srv := newFake(t)
	c := client(t, srv.URL, f, true)
	f.status = 400
	f.fail.Store(1)
	_, err := c.Generate(context.Background(), inference.Request{Prompt: "x", MaxTokens: 3})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 400 || f.calls.Load() != 1 {
		t.Fatalf("400: %v after %d calls", err, f.calls.Load())
	}
}

func TestTruncatedStream(t *testing.T) {
	f, srv := newFake(t)
	c := client(t, srv.URL, f, true)
	f.cutAt = 3
	var n int
	_, err := c.GenerateStream(context.Background(), inference.Request{Prompt: "x", MaxTokens: 8},
		func(inference.Token) error { n++; return nil })
	if !errors.Is(err, ErrTruncatedStream) {
		t.Fatalf("cut stream: %v", err)
	}
	// Tokens had reached the caller, so the stream must not be replayed.
	if f.calls.Load() != 1 || n != 3 {
		t.Fatalf("%d calls, %d tokens", f.calls.Load(), n)
	}
}

func TestMalformedJSON(t *testing.T) {
	f, srv := newFake(t)
	c := client(t, srv.URL, f, true)
	f.garbage = true
	if _, err := c.Generate(context.Background(), inference.Request{Prompt: "x", MaxTokens: 3}); !errors.Is(err, ErrMalformedResponse) {
		t.Fatalf("garbage: %v", err)
	}
	if f.calls.Load() != 1 {
		t.Fatalf("malformed body retried: %d calls", f.calls.Load())
	}
	if _, err := c.GenerateStream(context.Background(), inference.Request{Prompt: "x", MaxTokens: 3}, func(inference.Token) error { return nil }); !errors.Is(err, ErrTruncatedStream) {
		t.Fatalf("garbage stream: %v", err)
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	block := make(chan struct{})
	srv := newBlockingServer(t, block)
	defer close(block)
	c, _ := New(Config{BaseURL: srv + "/v1", Model: "m", Tokenizer: testTokenizer(t), Timeout: 50 * time.Millisecond, MaxRetries: 1, Backoff: time.Millisecond, EOSID: -1, BOSID: -1})
	start := time.Now()
	_, err := c.Generate(context.Background(), inference.Request{Prompt: "x", MaxTokens: 1})
	if err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("hung server: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("timeout not applied")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Generate(ctx, inference.Request{Prompt: "x", MaxTokens: 1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tok := testTokenizer(t)
	for _, cfg := range []Config{{BaseURL: "localhost:8000", Model: "m", Tokenizer: tok}, {BaseURL: "http://x", Tokenizer: tok}, {BaseURL: "http://x", Model: "m", ScoreMaxTokens: 2, Tokenizer: tok}} {
		if _, err := New(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	if _, err := New(Config{BaseURL: "http://127.0.0.1:1", Model: "m"}); !errors.Is(err, ErrConfig) {
		t.Fatalf("no tokenizer: %v", err)
	}
}

// testTokenizer is the built-in model's tokenizer, for tests whose server
// never names a token.
func testTokenizer(t *testing.T) *tokenizer.Tokenizer {
	t.Helper()
	m, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	return m.Tokenizer()
}
