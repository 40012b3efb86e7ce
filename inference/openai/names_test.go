package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mindnet/mindnet/inference"
)

// LossyText replaces maximal subparts as Python's errors="replace" does
// (cases checked against CPython 3.11).
func TestLossyTextMatchesPython(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                "plain",
		"\xe2\x80":             "\uFFFD",
		"\x80\x80":             "\uFFFD\uFFFD",
		"\xf0\x9f\x98":         "\uFFFD",
		"\xf0\x9f\x98x":        "\uFFFDx",
		"\xed\xa0\x80":         "\uFFFD\uFFFD\uFFFD",
		"\xe0\x80\x80":         "\uFFFD\uFFFD\uFFFD",
		"a\xc3":                "a\uFFFD",
		"\xc3\xa9\xe4\xb8\x96": "é世",
		"\xff\xfe":             "\uFFFD\uFFFD",
		"\xf4\x90\x80\x80":     "\uFFFD\uFFFD\uFFFD\uFFFD",
		"\xe4\xb8\xe4\xb8\x96": "\uFFFD世",
	} {
		if got := LossyText([]byte(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestParseBytesName(t *testing.T) {
	b, ok := parseBytesName(`bytes:\xe4\xb8`)
	if !ok || string(b) != "\xe4\xb8" {
		t.Fatalf("%q %v", b, ok)
	}
	if _, ok := parseBytesName("plain"); ok {
		t.Fatal("plain name read as bytes")
	}
}

// Names several tokens share are settled by the answer's text; a stream
// leaves them for later until its text arrives.
func TestResolveSettlesLossyNames(t *testing.T) {
	tok := testTokenizer(t)
	v := newVocabIndex(tok)
	text := "x = \"世界\""
	ids := tok.Encode(text)
	names := make([]string, len(ids))
	ambiguous := 0
	for i, id := range ids {
		b, _ := tok.TokenBytes(id)
		names[i] = LossyText(b)
		if len(v.byName[names[i]]) > 1 {
			ambiguous++
		}
	}
	if ambiguous == 0 {
		t.Fatalf("no ambiguous name among %q: the test shows nothing", names)
	}
	got, err := v.resolve(names, text, false)
	if err != nil || len(got) != len(ids) {
		t.Fatalf("%v %v", got, err)
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Fatalf("token %d: %d want %d", i, got[i], ids[i])
		}
	}
	// Text cut inside the first non-ASCII character: the stream settles the
	// tokens before it and leaves the rest.
	cut := strings.Index(text, "世")
	part, err := v.resolve(names, text[:cut], true)
	if err != nil || len(part) >= len(ids) {
		t.Fatalf("partial: %v %v", part, err)
	}
	for i := range part {
		if part[i] != ids[i] {
			t.Fatalf("partial token %d: %d want %d", i, part[i], ids[i])
		}
	}
	// Text that the names cannot spell is refused.
	if _, err := v.resolve(names, "x = \"世界!", false); !errors.Is(err, ErrUnmappableToken) {
		t.Fatalf("wrong text: %v", err)
	}
	if _, err := v.resolve([]string{"no such token, surely"}, "", false); !errors.Is(err, ErrUnmappableToken) {
		t.Fatalf("unknown name: %v", err)
	}
	if !utf8.ValidString(text) {
		t.Fatal("bad fixture")
	}
}

// A failure that asking again cannot change (tokens of another vocabulary) is not retried; only what
// load or the network may have caused is. The one further call allowed is the ask for token ids that
// Generate makes when names given as text cannot be mapped back; a server that serves another model
// fails that too, and it is not retried either.
func TestPermanentFailuresAreNotRetried(t *testing.T) {
	calls := 0
	var askedIDs []bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		var req CompletionRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		askedIDs = append(askedIDs, req.TokenIDs)
		io.WriteString(w, `{"choices":[{"text":"x","logprobs":{"tokens":["no such token, surely"],"token_logprobs":[-0.1],"top_logprobs":[{}]},"finish_reason":"length"}]}`)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL + "/v1", Model: "m", Tokenizer: testTokenizer(t), Backoff: time.Millisecond, EOSID: -1, BOSID: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Generate(context.Background(), inference.Request{Prompt: "x", MaxTokens: 1}); !errors.Is(err, ErrUnmappableToken) || calls != 2 {
		t.Fatalf("%d calls: %v", calls, err)
	}
	if askedIDs[0] || !askedIDs[1] {
		t.Fatalf("asked for token ids: %v; want the text attempt, then one ask for ids", askedIDs)
	}
	if Transient(err) {
		t.Fatal("an unmappable token counted as transient")
	}
	srv.Close()
	if _, err := c.Generate(context.Background(), inference.Request{Prompt: "x", MaxTokens: 1}); !Transient(err) {
		t.Fatalf("a closed server is transient: %v", err)
	}
}
