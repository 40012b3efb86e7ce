package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"unicode/utf8"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/openai"
)

// name is how a token is written in log-probability entries (see the
// package doc).
func (s *Server) name(id int, asIDs bool) string {
	if asIDs {
		return "token_id:" + strconv.Itoa(id)
	}
	b, err := s.model.Tokenizer().TokenBytes(id)
	if err != nil {
		return "" // ids past the tokenizer (a padded vocabulary) have no text
	}
	if s.model.Tokenizer().IsSpecial(id) {
		return string(b)
	}
	return openai.LossyText(b)
}

// alternatives is a token's top_logprobs entry: its best k alternatives and
// the token itself, as vLLM lists them.
func (s *Server) alternatives(tok inference.Token, asIDs bool) map[string]float64 {
	top := make(map[string]float64, len(tok.Top)+1)
	for _, a := range tok.Top {
		top[s.name(a.ID, asIDs)] = a.Logprob
	}
	top[s.name(tok.ID, asIDs)] = tok.Logprob
	return top
}

// checkContext refuses a prompt and max_tokens the model's context cannot
// hold, with vLLM's wording.
func (s *Server) checkContext(promptLen, maxTokens int) *apiError {
	ctxLen := s.model.Config().MaxPositionEmbeddings
	if promptLen+maxTokens > ctxLen {
		return badRequest("max_tokens", "This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the prompt, %d in the completion). Please reduce the length of the prompt or completion.",
			ctxLen, promptLen+maxTokens, promptLen, maxTokens)
	}
	return nil
}

// streamer writes server-sent events.
type streamer struct {
	w       http.ResponseWriter
	started bool
}

func (st *streamer) send(v any) error {
	if !st.started {
		st.w.Header().Set("Content-Type", "text/event-stream")
		st.w.Header().Set("Cache-Control", "no-cache")
		st.w.WriteHeader(http.StatusOK)
		st.started = true
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(st.w, "data: %s\n\n", data); err != nil {
		return err
	}
	if f, ok := st.w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

func (st *streamer) done() {
	fmt.Fprint(st.w, "data: [DONE]\n\n")
	if f, ok := st.w.(http.Flusher); ok {
		f.Flush()
	}
}

// fail ends a stream that has started with an error event (no [DONE]), as
// vLLM does; before the stream starts the caller answers with a status.
func (st *streamer) fail(e *apiError) {
	_ = st.send(openai.ErrorBody{Error: openai.ErrorDetail{Message: e.msg, Type: errorType(e.status), Code: e.status}})
}

// textFeed hands out a generation's text as it grows, holding back what a
// stop sequence might still cut and the bytes of an incomplete character, so
// that the deltas add up to the final text. The engine reports a token before
// it checks the stop sequences, so the feed finds a completed stop itself.
type textFeed struct {
	buf     []byte
	sent    int
	stops   []string
	holdFor int // longest stop sequence, less one byte
	stopped bool
}

func newTextFeed(stop []string) *textFeed {
	f := &textFeed{stops: stop}
	for _, s := range stop {
		f.holdFor = max(f.holdFor, len(s)-1)
	}
	return f
}

// add appends a token's bytes and returns the text now safe to send.
func (f *textFeed) add(b []byte) string {
	if f.stopped {
		return ""
	}
	before := len(f.buf)
	f.buf = append(f.buf, b...)
	end := len(f.buf) - f.holdFor
	if at := inference.FirstStop(f.buf, f.stops, before); at >= 0 {
		end, f.stopped = at, true
	}
	if end <= f.sent {
		return ""
	}
	// Hold back a character whose last bytes have not come yet.
	for i := end - 1; i >= max(f.sent, end-utf8.UTFMax); i-- {
		if utf8.RuneStart(f.buf[i]) {
			if !utf8.FullRune(f.buf[i:end]) {
				end = i
			}
			break
		}
	}
	if end <= f.sent {
		return ""
	}
	out := openai.LossyText(f.buf[f.sent:end])
	f.sent = end
	return out
}

// rest is the final text's bytes past those sent, as text.
func (f *textFeed) rest(final string) string {
	if f.sent >= len(final) {
		return ""
	}
	return openai.LossyText([]byte(final[f.sent:]))
}

// run generates on the engine within the request timeout, counting tokens;
// onToken (may be nil) sees each token with the text it makes safe to send,
// and the feed returned says what is left to send. The result's text is
// the engine's bytes; answers write it with LossyText, as vLLM decodes with
// errors="replace".
func (s *Server) run(ctx context.Context, prompt []int, req inference.Request, onToken func(tok inference.Token, delta string) error) (inference.Result, *textFeed, *apiError) {
	ctx, cancel := context.WithTimeout(ctx, s.limits.RequestTimeout)
	defer cancel()
	feed := newTextFeed(req.Stop)
	var cb func(inference.Token) error
	if onToken != nil {
		cb = func(tok inference.Token) error {
			var delta string
			if !s.model.Tokenizer().IsSpecial(tok.ID) {
				delta = feed.add([]byte(tok.Text))
			}
			return onToken(tok, delta)
		}
	}
	res, err := s.model.GenerateTokensStream(ctx, prompt, req, cb)
	s.metrics.Tokens.WithLabelValues("prompt").Add(float64(len(prompt)))
	if err != nil {
		return inference.Result{}, nil, engineError(err)
	}
	s.metrics.Tokens.WithLabelValues("generated").Add(float64(len(res.Tokens)))
	res.PromptTokens = len(prompt)
	return res, feed, nil
}

// finishReason is OpenAI's name for why generation ended.
func finishReason(f inference.FinishReason) string {
	if f == inference.FinishLength {
		return "length"
	}
	return "stop"
}

var requestSeq atomic.Uint64

func requestID(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, requestSeq.Add(1))
}
