package serve

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/openai"
)

type chatParams struct {
	sampling
	Model               string          `json:"model"`
	Messages            []chatMessage   `json:"messages"`
	Logprobs            bool            `json:"logprobs"`
	TopLogprobs         *int            `json:"top_logprobs"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Tools               json.RawMessage `json:"tools"`
}

// chatMessage takes content as a string or as a list of text parts.
type chatMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

func (m chatMessage) text() (string, bool) {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s, true
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(m.Content, &parts) != nil {
		return "", false
	}
	var sb strings.Builder
	for _, p := range parts {
		if p.Type != "text" {
			return "", false
		}
		sb.WriteString(p.Text)
	}
	return sb.String(), true
}

// chatPrompt lays the messages out with the plain template (see the package
// doc) and leaves the model to continue the assistant's turn.
func chatPrompt(msgs []chatMessage) (string, *apiError) {
	if len(msgs) == 0 {
		return "", badRequest("messages", "messages must not be empty")
	}
	var sb strings.Builder
	for i, m := range msgs {
		switch m.Role {
		case "system", "user", "assistant", "developer":
		default:
			return "", badRequest("messages", "messages[%d].role %q must be system, developer, user or assistant", i, m.Role)
		}
		text, ok := m.text()
		if !ok {
			return "", badRequest("messages", "messages[%d].content must be a string or a list of text parts", i)
		}
		sb.WriteString(m.Role + ": " + text + "\n")
	}
	sb.WriteString("assistant:")
	return sb.String(), nil
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) *apiError {
	var p chatParams
	if err := s.decode(w, r, &p); err != nil {
		return err
	}
	if p.Model != s.served {
		return &apiError{status: http.StatusNotFound, param: "model", msg: "The model `" + p.Model + "` does not exist."}
	}
	if len(p.Tools) > 0 && string(p.Tools) != "null" {
		return badRequest("tools", "tool calling is not supported by this server")
	}
	k := 0
	if p.TopLogprobs != nil {
		k = *p.TopLogprobs
		switch {
		case k < 0 || k > inference.MaxTopK:
			return badRequest("top_logprobs", "top_logprobs must be between 0 and %d, got %d", inference.MaxTopK, k)
		case k > 0 && !p.Logprobs:
			return badRequest("top_logprobs", "top_logprobs needs logprobs set to true")
		}
	}
	if p.MaxTokens == nil {
		p.MaxTokens = p.MaxCompletionTokens
	}
	text, err := chatPrompt(p.Messages)
	if err != nil {
		return err
	}
	ids := s.model.EncodePrompt(text)
	// Chat requests without max_tokens may use the rest of the context, as with vLLM.
	dflt := min(s.limits.MaxTokens, max(1, s.model.Config().MaxPositionEmbeddings-len(ids)))
	req, maxTokens, err := s.request(p.sampling, k, false, dflt)
	if err != nil {
		return err
	}
	if err := s.checkContext(len(ids), maxTokens); err != nil {
		return err
	}
	release, err := s.admit(r.Context())
	if err != nil {
		return err
	}
	defer release()

	id, created := requestID("chatcmpl"), time.Now().Unix()
	entry := func(t inference.Token) openai.ChatTokenLogprob {
		e := s.chatEntry(t.ID, t.Logprob, p.TokenIDs)
		e.TopLogprobs = []openai.ChatTopLogprob{}
		for _, a := range t.Top {
			alt := s.chatEntry(a.ID, a.Logprob, p.TokenIDs)
			e.TopLogprobs = append(e.TopLogprobs, openai.ChatTopLogprob{Token: alt.Token, Logprob: alt.Logprob, Bytes: alt.Bytes})
		}
		return e
	}
	logprobs := func(toks []inference.Token) *openai.ChatLogprobs {
		if !p.Logprobs {
			return nil
		}
		out := &openai.ChatLogprobs{Content: []openai.ChatTokenLogprob{}}
		for _, t := range toks {
			out.Content = append(out.Content, entry(t))
		}
		return out
	}
	if !p.Stream {
		res, _, err := s.run(r.Context(), ids, req, nil)
		if err != nil {
			return err
		}
		fin := finishReason(res.Finish)
		writeJSON(w, http.StatusOK, openai.ChatResponse{ID: id, Object: "chat.completion", Created: created, Model: s.served,
			Choices: []openai.ChatChoice{{Message: &openai.ChatMessage{Role: "assistant", Content: openai.LossyText([]byte(res.Text))}, Logprobs: logprobs(res.Tokens), FinishReason: &fin}},
			Usage:   &openai.Usage{PromptTokens: len(ids), CompletionTokens: len(res.Tokens), TotalTokens: len(ids) + len(res.Tokens)}})
		return nil
	}
	st := &streamer{w: w}
	chunk := func(delta openai.ChatMessage, lp *openai.ChatLogprobs, fin *string) error {
		return st.send(openai.ChatResponse{ID: id, Object: "chat.completion.chunk", Created: created, Model: s.served,
			Choices: []openai.ChatChoice{{Delta: &delta, Logprobs: lp, FinishReason: fin}}})
	}
	if chunk(openai.ChatMessage{Role: "assistant"}, nil, nil) != nil {
		return nil
	}
	res, feed, rerr := s.run(r.Context(), ids, req, func(tok inference.Token, delta string) error {
		return chunk(openai.ChatMessage{Content: delta}, logprobs([]inference.Token{tok}), nil)
	})
	if rerr != nil {
		st.fail(rerr)
		return nil
	}
	fin := finishReason(res.Finish)
	if chunk(openai.ChatMessage{Content: feed.rest(res.Text)}, nil, &fin) == nil {
		st.done()
	}
	return nil
}

// chatEntry names a token as vLLM's chat logprobs do, with the UTF-8 bytes
// of that name.
func (s *Server) chatEntry(id int, logprob float64, asIDs bool) openai.ChatTokenLogprob {
	name := s.name(id, asIDs)
	b := []byte(name)
	ints := make([]int, len(b))
	for i, c := range b {
		ints[i] = int(c)
	}
	return openai.ChatTokenLogprob{Token: name, Logprob: logprob, Bytes: ints}
}
