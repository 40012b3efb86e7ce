package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/inference/llama/llamatest"
)

// fakeServer speaks the OpenAI wire format as vLLM does, backed by a real
// (small, random) llama model so that its numbers can be checked against
// the model's own. Its fault knobs inject the failures the client must
// survive or report.
type fakeServer struct {
	t       *testing.T
	model   *llama.Model
	calls   atomic.Int32
	fail    atomic.Int32 // answer this many requests with failStatus first
	status  int
	cutAt   int  // end streams without [DONE] after this many tokens (0: never)
	garbage bool // answer 200 with a body that is not JSON
}

func newFake(t *testing.T) (*fakeServer, *httptest.Server) {
	fsys, err := llamatest.Folder(llamatest.Shape{Vocab: 270, Hidden: 32, Intermediate: 48, Layers: 2, Heads: 4, KVHeads: 2, MaxPos: 128},
		11, 0.3, llamatest.ByteTokenizerJSON([][2]string{{" ", "f"}, {"u", "n"}, {"i", "n"}}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := llama.Load(fsys, ".", "fake")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeServer{t: t, model: m, status: http.StatusServiceUnavailable}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/completions", f.completions)
	mux.HandleFunc("POST /v1/chat/completions", f.chat)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeServer) name(id int, asIDs bool) string {
	if asIDs {
		return "token_id:" + strconv.Itoa(id)
	}
	b, _ := f.model.Tokenizer().TokenBytes(id)
	return string(b)
}

func (f *fakeServer) fault(w http.ResponseWriter) bool {
	f.calls.Add(1)
	if f.fail.Load() > 0 {
		f.fail.Add(-1)
		w.WriteHeader(f.status)
		fmt.Fprint(w, `{"error":{"message":"engine overloaded","type":"server_error"}}`)
		return true
	}
	if f.garbage {
		fmt.Fprint(w, `{"choices":[{"text":`)
		return true
	}
	return false
}

func finishName(r inference.FinishReason) string {
	if r == inference.FinishLength {
		return "length"
	}
	return "stop"
}

func (f *fakeServer) completions(w http.ResponseWriter, r *http.Request) {
	if f.fault(w) {
		return
	}
	var req struct {
		CompletionRequest
		Prompt json.RawMessage `json:"prompt"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	if req.Echo {
		f.echo(w, req.CompletionRequest, req.Prompt)
		return
	}
	var prompt string
	if err := json.Unmarshal(req.Prompt, &prompt); err != nil {
		http.Error(w, `{"error":{"message":"prompt must be text"}}`, http.StatusBadRequest)
		return
	}
	res, err := f.model.Generate(r.Context(), inference.Request{Prompt: prompt, MaxTokens: req.MaxTokens,
		Temperature: req.Temperature, TopP: req.TopP, Seed: req.Seed, Stop: req.Stop, TopK: req.Logprobs})
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": err.Error()}})
		return
	}
	lp := func(toks []inference.Token) CompletionLogprobs {
		var out CompletionLogprobs
		for _, t := range toks {
			v := t.Logprob
			out.Tokens = append(out.Tokens, f.name(t.ID, req.TokenIDs))
			out.TokenLogprobs = append(out.TokenLogprobs, &v)
			top := map[string]float64{}
			for _, a := range t.Top {
				top[f.name(a.ID, req.TokenIDs)] = a.Logprob
			}
			out.TopLogprobs = append(out.TopLogprobs, top)
		}
		return out
	}
	fin := finishName(res.Finish)
	if !req.Stream {
		l := lp(res.Tokens)
		json.NewEncoder(w).Encode(CompletionResponse{Choices: []CompletionChoice{{Text: res.Text, Logprobs: &l, FinishReason: &fin}}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	sent := 0
	for i, tok := range res.Tokens {
		if f.cutAt > 0 && i == f.cutAt {
			return
		}
		l := lp([]inference.Token{tok})
		// Text deltas add up to the final (stop-trimmed) text.
		end := min(len(res.Text), sent+len(tok.Text))
		chunk := CompletionChoice{Text: res.Text[min(sent, end):end], Logprobs: &l}
		sent = end
		if i == len(res.Tokens)-1 {
			chunk.FinishReason = &fin
		}
		data, _ := json.Marshal(CompletionResponse{Choices: []CompletionChoice{chunk}})
		fmt.Fprintf(w, ": keep-alive\n\ndata: %s\n\n", data)
		w.(http.Flusher).Flush()
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// echo answers a prefill request as vLLM does: one entry per prompt token,
// null for the first, and a top-1 map that also names the actual token.
func (f *fakeServer) echo(w http.ResponseWriter, req CompletionRequest, raw json.RawMessage) {
	var ids []int
	if err := json.Unmarshal(raw, &ids); err != nil || len(ids) < 2 {
		http.Error(w, `{"error":{"message":"echo test server wants token ids"}}`, http.StatusBadRequest)
		return
	}
	scored, err := f.model.ScoreTokens(context.Background(), ids[:1], ids[1:])
	if err != nil {
		http.Error(w, `{"error":{"message":"`+err.Error()+`"}}`, http.StatusBadRequest)
		return
	}
	out := CompletionLogprobs{Tokens: []string{f.name(ids[0], req.TokenIDs)},
		TokenLogprobs: []*float64{nil}, TopLogprobs: []map[string]float64{nil}}
	for _, s := range scored {
		v := s.Logprob
		out.Tokens = append(out.Tokens, f.name(s.ID, req.TokenIDs))
		out.TokenLogprobs = append(out.TokenLogprobs, &v)
		out.TopLogprobs = append(out.TopLogprobs, map[string]float64{
			f.name(s.TopID, req.TokenIDs): s.TopLogprob, f.name(s.ID, req.TokenIDs): s.Logprob})
	}
	fin := "length"
	json.NewEncoder(w).Encode(CompletionResponse{Choices: []CompletionChoice{{Logprobs: &out, FinishReason: &fin}}})
}

func (f *fakeServer) chat(w http.ResponseWriter, r *http.Request) {
	if f.fault(w) {
		return
	}
	var req ChatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	// A stand-in chat template: the last user message is the prompt.
	res, err := f.model.Generate(r.Context(), inference.Request{Prompt: req.Messages[len(req.Messages)-1].Content,
		MaxTokens: req.MaxTokens, Temperature: req.Temperature, TopP: req.TopP, Seed: req.Seed, TopK: req.TopLogprobs})
	if err != nil {
		http.Error(w, `{"error":{"message":"`+err.Error()+`"}}`, http.StatusBadRequest)
		return
	}
	entry := func(t inference.Token) ChatTokenLogprob {
		e := ChatTokenLogprob{Token: f.name(t.ID, req.TokenIDs), Logprob: t.Logprob}
		for _, a := range t.Top {
			e.TopLogprobs = append(e.TopLogprobs, ChatTopLogprob{Token: f.name(a.ID, req.TokenIDs), Logprob: a.Logprob})
		}
		return e
	}
	fin := finishName(res.Finish)
	type lps = ChatLogprobs
	if !req.Stream {
		var l lps
		for _, t := range res.Tokens {
			l.Content = append(l.Content, entry(t))
		}
		json.NewEncoder(w).Encode(ChatResponse{Choices: []ChatChoice{{Message: &ChatMessage{Role: "assistant", Content: res.Text}, Logprobs: &l, FinishReason: &fin}}})
		return
	}
	for i, t := range res.Tokens {
		c := ChatChoice{Delta: &ChatMessage{Content: t.Text}, Logprobs: &lps{Content: []ChatTokenLogprob{entry(t)}}}
		if i == len(res.Tokens)-1 {
			c.FinishReason = &fin
		}
		data, _ := json.Marshal(ChatResponse{Choices: []ChatChoice{c}})
		fmt.Fprintf(w, "data: %s\n\n", data)
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}
