// Package liars wraps an honest OpenAI-compatible server (package serve) in the lies a dishonest miner's
// server might tell, for tests that check validators refuse them: random text with confident
// log-probabilities, the prompt's tail echoed back, answers cut short that claim "length", answers
// slower than a deadline, malformed JSON and streams that end without [DONE]. Every liar answers the
// first Honest requests truthfully, so that a miner's start-up check passes and the lies reach
// validators.
package liars

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/mindnet/mindnet/inference/openai"
	"github.com/mindnet/mindnet/inference/tokenizer"
)

// The kinds of lie.
const (
	Random    = "random"    // random tokens, each with log-probability -0.01
	EchoTail  = "echo-tail" // the prompt's last tokens as the answer
	Short     = "short"     // a quarter of the answer, finish "length"
	Slow      = "slow"      // the honest answer after Delay
	Malformed = "malformed" // a body that is not JSON; streams cut before [DONE]
	Other     = "other"     // another model's answers (Config.Other serves them)
)

// Kinds lists every lie.
var Kinds = []string{Random, EchoTail, Short, Slow, Malformed, Other}

// Config says how to lie.
type Config struct {
	Kind      string
	Honest    int           // requests answered truthfully first
	Delay     time.Duration // for Slow
	Tokenizer *tokenizer.Tokenizer
	// Other is a server of another model under the same name, for Other.
	Other http.Handler
}

// Wrap returns honest wrapped in the lie cfg names.
func Wrap(honest http.Handler, cfg Config) (http.Handler, error) {
	switch cfg.Kind {
	case Random, EchoTail, Short, Slow, Malformed:
	case Other:
		if cfg.Other == nil {
			return nil, fmt.Errorf("liars: %s needs Config.Other", Other)
		}
	default:
		return nil, fmt.Errorf("liars: unknown kind %q", cfg.Kind)
	}
	var seen atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/completions" || seen.Add(1) <= int64(cfg.Honest) {
			honest.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req map[string]any
		if json.Unmarshal(body, &req) != nil || req["echo"] == true {
			r.Body = io.NopCloser(bytes.NewReader(body))
			honest.ServeHTTP(w, r)
			return
		}
		l := liar{cfg: cfg, req: req}
		switch cfg.Kind {
		case Random:
			l.answer(w, l.randomIDs())
		case EchoTail:
			l.answer(w, l.promptTail())
		case Short:
			req["max_tokens"] = max(1, l.maxTokens()/4)
			l.forward(w, r, honest, req, true)
		case Slow:
			time.Sleep(cfg.Delay)
			l.forward(w, r, honest, req, false)
		case Other:
			l.forward(w, r, cfg.Other, req, false)
		case Malformed:
			if req["stream"] == true {
				l.cutStream(w, r, honest, req)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"choices":[{"text":"func","logprobs":{"tokens":["func"`)
		}
	}), nil
}

type liar struct {
	cfg Config
	req map[string]any
}

func (l liar) maxTokens() int {
	if v, ok := l.req["max_tokens"].(float64); ok {
		return int(v)
	}
	return 16
}

func (l liar) asIDs() bool { return l.req["return_tokens_as_token_ids"] == true }

func (l liar) randomIDs() []int {
	ids := make([]int, l.maxTokens())
	for i := range ids {
		for {
			ids[i] = rand.IntN(l.cfg.Tokenizer.VocabSize())
			if !l.cfg.Tokenizer.IsSpecial(ids[i]) {
				break
			}
		}
	}
	return ids
}

func (l liar) promptTail() []int {
	var ids []int
	switch p := l.req["prompt"].(type) {
	case string:
		ids = l.cfg.Tokenizer.Encode(p)
	case []any:
		for _, v := range p {
			if f, ok := v.(float64); ok {
				ids = append(ids, int(f))
			}
		}
	}
	n := min(len(ids), l.maxTokens())
	return ids[len(ids)-n:]
}

func (l liar) name(id int) string {
	if l.asIDs() {
		return "token_id:" + strconv.Itoa(id)
	}
	b, _ := l.cfg.Tokenizer.TokenBytes(id)
	return openai.LossyText(b)
}

// answer claims ids as a confident, complete answer.
func (l liar) answer(w http.ResponseWriter, ids []int) {
	var text []byte
	lp := &openai.CompletionLogprobs{}
	for _, id := range ids {
		b, _ := l.cfg.Tokenizer.TokenBytes(id)
		v := -0.01
		lp.TextOffset = append(lp.TextOffset, len(text))
		lp.Tokens = append(lp.Tokens, l.name(id))
		lp.TokenLogprobs = append(lp.TokenLogprobs, &v)
		lp.TopLogprobs = append(lp.TopLogprobs, map[string]float64{l.name(id): v})
		text = append(text, b...)
	}
	fin := "length"
	choice := openai.CompletionChoice{Text: openai.LossyText(text), Logprobs: lp, FinishReason: &fin}
	if l.req["stream"] != true {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(openai.CompletionResponse{Object: "text_completion", Choices: []openai.CompletionChoice{choice}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	data, _ := json.Marshal(openai.CompletionResponse{Object: "text_completion", Choices: []openai.CompletionChoice{choice}})
	fmt.Fprintf(w, "data: %s\n\ndata: [DONE]\n\n", data)
}

// forward sends the (changed) request to the honest server; with claimLength the answer's finish reason
// is rewritten to "length".
func (l liar) forward(w http.ResponseWriter, r *http.Request, honest http.Handler, req map[string]any, claimLength bool) {
	body, _ := json.Marshal(req)
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	if !claimLength {
		honest.ServeHTTP(w, r2)
		return
	}
	rec := httptest.NewRecorder()
	honest.ServeHTTP(rec, r2)
	out := bytes.ReplaceAll(rec.Body.Bytes(), []byte(`"finish_reason":"stop"`), []byte(`"finish_reason":"length"`))
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(out)
}

// cutStream sends the honest stream without its last event and without [DONE].
func (l liar) cutStream(w http.ResponseWriter, r *http.Request, honest http.Handler, req map[string]any) {
	body, _ := json.Marshal(req)
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	honest.ServeHTTP(rec, r2)
	events := bytes.Split(rec.Body.Bytes(), []byte("\n\n"))
	keep := max(0, len(events)-3) // drop [DONE], the finishing chunk and the trailing empty split
	w.Header().Set("Content-Type", "text/event-stream")
	for _, e := range events[:keep] {
		_, _ = w.Write(append(e, '\n', '\n'))
	}
}
