package serve

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/openai"
)

type completionParams struct {
	sampling
	Model    string          `json:"model"`
	Prompt   json.RawMessage `json:"prompt"`
	Logprobs *int            `json:"logprobs"`
	Echo     bool            `json:"echo"`
}

// prompt is a completion's prompt: the ids the engine runs, and its text
// for echo.
type prompt struct {
	ids  []int
	text string
}

// parsePrompt reads a prompt given as text or as token ids (alone, or as
// the only element of a list, as OpenAI's batch form allows). A text prompt
// gets BOS first, as the model's tokenizer adds it; ids are taken as sent.
func (s *Server) parsePrompt(raw json.RawMessage) (prompt, *apiError) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		if text == "" {
			return prompt{}, badRequest("prompt", "prompt must not be empty")
		}
		return prompt{ids: s.model.EncodePrompt(text), text: text}, nil
	}
	var ids []int
	if json.Unmarshal(raw, &ids) == nil {
		return s.idPrompt(ids)
	}
	var texts []string
	if json.Unmarshal(raw, &texts) == nil && len(texts) == 1 {
		return s.parsePrompt(json.RawMessage(mustJSON(texts[0])))
	}
	var idLists [][]int
	if json.Unmarshal(raw, &idLists) == nil && len(idLists) == 1 {
		return s.idPrompt(idLists[0])
	}
	return prompt{}, badRequest("prompt", "prompt must be a string or a list of token ids (one prompt per request on this server)")
}

func (s *Server) idPrompt(ids []int) (prompt, *apiError) {
	if len(ids) == 0 {
		return prompt{}, badRequest("prompt", "prompt must not be empty")
	}
	vocab := s.model.Config().VocabSize
	var text []byte
	for i, id := range ids {
		if id < 0 || id >= vocab {
			return prompt{}, badRequest("prompt", "token id %d at position %d is outside the vocabulary (size %d)", id, i, vocab)
		}
		if b, err := s.model.Tokenizer().TokenBytes(id); err == nil && !s.model.Tokenizer().IsSpecial(id) {
			text = append(text, b...)
		}
	}
	return prompt{ids: ids, text: openai.LossyText(text)}, nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func (s *Server) completions(w http.ResponseWriter, r *http.Request) *apiError {
	var p completionParams
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	if p.Model != s.served {
		return &apiError{status: http.StatusNotFound, param: "model", msg: "The model `" + p.Model + "` does not exist."}
	}
	if len(p.Prompt) == 0 || string(p.Prompt) == "null" {
		return badRequest("prompt", "prompt is required")
	}
	k := 0
	if p.Logprobs != nil {
		k = *p.Logprobs
		if k < 0 || k > inference.MaxTopK {
			return badRequest("logprobs", "logprobs must be between 0 and %d, got %d", inference.MaxTopK, k)
		}
		if p.Echo && k > 1 {
			return badRequest("logprobs", "with echo, logprobs must be 0 or 1 on this server (its prefill keeps the best token per position), got %d", k)
		}
	}
	req, maxTokens, err := s.request(p.sampling, k, p.Echo, defaultMaxTokens)
	if err != nil {
		return err
	}
	pr, err := s.parsePrompt(p.Prompt)
	if err != nil {
		return err
	}
	if err := s.checkContext(len(pr.ids), maxTokens); err != nil {
		return err
	}
	release, err := s.admit(r.Context())
	if err != nil {
		return err
	}
	defer release()

	c := completion{s: s, p: p, pr: pr, id: requestID("cmpl"), created: time.Now().Unix()}
	var echoed *openai.CompletionLogprobs
	if p.Echo && p.Logprobs != nil {
		if echoed, err = c.echoLogprobs(r); err != nil {
			return err
		}
	}
	if p.Stream {
		return c.stream(w, r, req, maxTokens, echoed)
	}
	res := inference.Result{Finish: inference.FinishLength}
	if maxTokens > 0 {
		if res, _, err = s.run(r.Context(), pr.ids, req, nil); err != nil {
			return err
		}
	}
	choice := openai.CompletionChoice{Text: openai.LossyText([]byte(res.Text))}
	if p.Echo {
		choice.Text = pr.text + choice.Text
	}
	if p.Logprobs != nil {
		choice.Logprobs = c.logprobs(echoed, res.Tokens)
	}
	fin := finishReason(res.Finish)
	choice.FinishReason = &fin
	writeJSON(w, http.StatusOK, openai.CompletionResponse{ID: c.id, Object: "text_completion", Created: c.created, Model: s.served,
		Choices: []openai.CompletionChoice{choice},
		Usage:   &openai.Usage{PromptTokens: len(pr.ids), CompletionTokens: len(res.Tokens), TotalTokens: len(pr.ids) + len(res.Tokens)}})
	return nil
}

// completion is one completion request in flight.
type completion struct {
	s       *Server
	p       completionParams
	pr      prompt
	id      string
	created int64
}

// echoLogprobs scores the prompt by prefill: one entry per prompt token,
// null for the first (nothing predicts it), as vLLM's prompt_logprobs.
func (c *completion) echoLogprobs(r *http.Request) (*openai.CompletionLogprobs, *apiError) {
	s, ids, asIDs := c.s, c.pr.ids, c.p.TokenIDs
	out := &openai.CompletionLogprobs{TextOffset: []int{0}, Tokens: []string{s.name(ids[0], asIDs)},
		TokenLogprobs: []*float64{nil}, TopLogprobs: []map[string]float64{nil}}
	if len(ids) == 1 {
		return out, nil
	}
	scored, err := s.model.ScoreTokens(r.Context(), ids[:1], ids[1:])
	s.metrics.Tokens.WithLabelValues("prompt").Add(float64(len(ids)))
	if err != nil {
		return nil, engineError(err)
	}
	offset := c.tokenLen(ids[0])
	for _, sc := range scored {
		lp := sc.Logprob
		top := map[string]float64{s.name(sc.ID, asIDs): sc.Logprob}
		if *c.p.Logprobs > 0 {
			top[s.name(sc.TopID, asIDs)] = sc.TopLogprob
		}
		out.TextOffset = append(out.TextOffset, offset)
		out.Tokens = append(out.Tokens, s.name(sc.ID, asIDs))
		out.TokenLogprobs = append(out.TokenLogprobs, &lp)
		out.TopLogprobs = append(out.TopLogprobs, top)
		offset += c.tokenLen(sc.ID)
	}
	return out, nil
}

// tokenLen is how many bytes of the choice's text a token takes: special
// tokens take none.
func (c *completion) tokenLen(id int) int {
	tok := c.s.model.Tokenizer()
	if tok.IsSpecial(id) {
		return 0
	}
	b, _ := tok.TokenBytes(id)
	return len(b)
}

// logprobs lists the echoed prompt's entries (if any), then the generated
// tokens'.
func (c *completion) logprobs(echoed *openai.CompletionLogprobs, toks []inference.Token) *openai.CompletionLogprobs {
	out := &openai.CompletionLogprobs{TextOffset: []int{}, Tokens: []string{}, TokenLogprobs: []*float64{}, TopLogprobs: []map[string]float64{}}
	offset := 0
	if echoed != nil {
		*out = *echoed
		offset = len(c.pr.text)
	}
	for _, t := range toks {
		lp := t.Logprob
		out.TextOffset = append(out.TextOffset, offset)
		out.Tokens = append(out.Tokens, c.s.name(t.ID, c.p.TokenIDs))
		out.TokenLogprobs = append(out.TokenLogprobs, &lp)
		out.TopLogprobs = append(out.TopLogprobs, c.s.alternatives(t, c.p.TokenIDs))
		offset += c.tokenLen(t.ID)
	}
	return out
}

// stream answers with server-sent events: the echoed prompt first (if
// asked), a chunk per generated token, then one with the rest of the text
// and the finish reason, and [DONE].
func (c *completion) stream(w http.ResponseWriter, r *http.Request, req inference.Request, maxTokens int, echoed *openai.CompletionLogprobs) *apiError {
	st := &streamer{w: w}
	chunk := func(text string, lp *openai.CompletionLogprobs, fin *string) error {
		return st.send(openai.CompletionResponse{ID: c.id, Object: "text_completion", Created: c.created, Model: c.s.served,
			Choices: []openai.CompletionChoice{{Text: text, Logprobs: lp, FinishReason: fin}}})
	}
	if c.p.Echo {
		if err := chunk(c.pr.text, echoed, nil); err != nil {
			return nil // the client went away
		}
	}
	res := inference.Result{Finish: inference.FinishLength}
	feed := newTextFeed(nil)
	if maxTokens > 0 {
		var err *apiError
		res, feed, err = c.s.run(r.Context(), c.pr.ids, req, func(tok inference.Token, delta string) error {
			var lp *openai.CompletionLogprobs
			if c.p.Logprobs != nil {
				lp = c.logprobs(nil, []inference.Token{tok})
			}
			return chunk(delta, lp, nil)
		})
		if err != nil {
			if !st.started {
				return err
			}
			st.fail(err)
			return nil
		}
	}
	fin := finishReason(res.Finish)
	if err := chunk(feed.rest(res.Text), nil, &fin); err != nil {
		return nil
	}
	st.done()
	return nil
}
