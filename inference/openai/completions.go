package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/mindnet/mindnet/inference"
)

func (c *Client) completionRequest(req inference.Request, stream bool) CompletionRequest {
	return CompletionRequest{
		Model: c.cfg.Model, Prompt: req.Prompt, MaxTokens: req.MaxTokens,
		Temperature: req.Temperature, TopP: req.EffectiveTopP(), Seed: req.Seed, Stop: req.Stop,
		// logprobs 1 still returns the chosen token's own logprob.
		Logprobs: max(1, req.TopK), Stream: stream, TokenIDs: c.cfg.TokenIDs,
	}
}

// Generate continues req.Prompt with /v1/completions. When token names given as text cannot be
// mapped back (the model wrote bytes that are no UTF-8, which servers write as U+FFFD), the request is
// sent once more asking for token ids: its seed makes the answer the same, and vLLM and mindnet-serve
// name tokens by id on request.
func (c *Client) Generate(ctx context.Context, req inference.Request) (inference.Result, error) {
	if err := req.Validate(); err != nil {
		return inference.Result{}, err
	}
	body := c.completionRequest(req, false)
	res, err := c.generate(ctx, body, req.TopK)
	if err != nil && !body.TokenIDs && errors.Is(err, ErrUnmappableToken) {
		body.TokenIDs = true
		if again, err2 := c.generate(ctx, body, req.TopK); err2 == nil {
			return again, nil
		}
	}
	return res, err
}

func (c *Client) generate(ctx context.Context, body CompletionRequest, k int) (inference.Result, error) {
	var res inference.Result
	err := c.call(ctx, "/completions", body, func(body io.Reader) error {
		var resp CompletionResponse
		if err := json.NewDecoder(body).Decode(&resp); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformedResponse, err)
		}
		choice, err := firstChoice(resp)
		if err != nil {
			return err
		}
		res, err = c.completionResult(choice, k)
		return err
	}, nil)
	return res, err
}

func firstChoice(resp CompletionResponse) (CompletionChoice, error) {
	if len(resp.Error) > 0 && string(resp.Error) != "null" {
		return CompletionChoice{}, fmt.Errorf("%w: error in body: %s", ErrMalformedResponse, resp.Error)
	}
	if len(resp.Choices) == 0 {
		return CompletionChoice{}, fmt.Errorf("%w: no choices", ErrMalformedResponse)
	}
	return resp.Choices[0], nil
}

func (c *Client) completionResult(choice CompletionChoice, k int) (inference.Result, error) {
	lp := choice.Logprobs
	if lp == nil {
		return inference.Result{}, fmt.Errorf("%w: no logprobs (does the server support them?)", ErrMalformedResponse)
	}
	entries, err := logprobEntries(lp)
	if err != nil {
		return inference.Result{}, err
	}
	tokens, err := c.tokens(entries, choice.Text, k, false)
	if err != nil {
		return inference.Result{}, err
	}
	if choice.FinishReason == nil {
		return inference.Result{}, fmt.Errorf("%w: no finish_reason", ErrMalformedResponse)
	}
	fin, err := c.finish(*choice.FinishReason, tokens)
	if err != nil {
		return inference.Result{}, err
	}
	return inference.Result{Tokens: tokens, Text: choice.Text, Finish: fin}, nil
}

// logprobEntries reads the legacy logprobs object's parallel lists.
func logprobEntries(lp *CompletionLogprobs) ([]entry, error) {
	if len(lp.TokenLogprobs) != len(lp.Tokens) || (lp.TopLogprobs != nil && len(lp.TopLogprobs) != len(lp.Tokens)) {
		return nil, fmt.Errorf("%w: logprob lists of different lengths", ErrMalformedResponse)
	}
	entries := make([]entry, len(lp.Tokens))
	for i, name := range lp.Tokens {
		entries[i] = entry{name: name, logprob: lp.TokenLogprobs[i]}
		if lp.TopLogprobs != nil {
			entries[i].top = lp.TopLogprobs[i]
		}
	}
	return entries, nil
}

// GenerateStream is Generate over server-sent events.
func (c *Client) GenerateStream(ctx context.Context, req inference.Request, onToken func(inference.Token) error) (inference.Result, error) {
	if err := req.Validate(); err != nil {
		return inference.Result{}, err
	}
	var res inference.Result
	err := c.call(ctx, "/completions", c.completionRequest(req, true), func(body io.Reader) error {
		res = inference.Result{}
		var reason string
		st := settler{c: c, k: req.TopK, res: &res, onToken: onToken}
		err := readEvents(body, func(data []byte) error {
			var chunk CompletionResponse
			if err := json.Unmarshal(data, &chunk); err != nil {
				return fmt.Errorf("%w: stream chunk: %v", ErrMalformedResponse, err)
			}
			choice, err := firstChoice(chunk)
			if err != nil {
				return err
			}
			var entries []entry
			if choice.Logprobs != nil {
				if entries, err = logprobEntries(choice.Logprobs); err != nil {
					return err
				}
			}
			if err := st.add(choice.Text, entries); err != nil {
				return err
			}
			if choice.FinishReason != nil && *choice.FinishReason != "" {
				reason = *choice.FinishReason
			}
			return nil
		})
		if err != nil {
			return err
		}
		if reason == "" {
			return fmt.Errorf("%w: no finish_reason", ErrTruncatedStream)
		}
		if err := st.finish(); err != nil {
			return err
		}
		res.Finish, err = c.finish(reason, res.Tokens)
		return err
	}, func() bool { return len(res.Tokens) > 0 })
	return res, err
}

// Score re-scores continuation after prompt by prefill: the server echoes
// the log-probability of every token of prompt+continuation.
func (c *Client) Score(ctx context.Context, prompt string, continuation []int) ([]inference.Scored, error) {
	ids := c.cfg.Tokenizer.Encode(prompt)
	if c.cfg.BOSID >= 0 {
		ids = append([]int{c.cfg.BOSID}, ids...)
	}
	return c.ScoreTokens(ctx, ids, continuation)
}

// ScoreTokens is Score with the prompt already encoded.
func (c *Client) ScoreTokens(ctx context.Context, prompt, continuation []int) ([]inference.Scored, error) {
	if len(prompt) == 0 || len(continuation) == 0 {
		return nil, fmt.Errorf("%w: scoring needs a prompt and a continuation", inference.ErrBadRequest)
	}
	all := append(append([]int{}, prompt...), continuation...)
	body := CompletionRequest{Model: c.cfg.Model, Prompt: all, MaxTokens: c.cfg.ScoreMaxTokens,
		Temperature: 0, TopP: 1, Logprobs: 1, Echo: true, TokenIDs: c.cfg.TokenIDs}
	var out []inference.Scored
	err := c.call(ctx, "/completions", body, func(r io.Reader) error {
		var resp CompletionResponse
		if err := json.NewDecoder(r).Decode(&resp); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformedResponse, err)
		}
		choice, err := firstChoice(resp)
		if err != nil {
			return err
		}
		out, err = c.echoScores(choice.Logprobs, all, len(prompt))
		return err
	}, nil)
	return out, err
}

// echoScores reads the echoed prompt positions that belong to the
// continuation; entries past len(all) are the one generated token, if any.
func (c *Client) echoScores(lp *CompletionLogprobs, all []int, first int) ([]inference.Scored, error) {
	if lp == nil || len(lp.Tokens) < len(all) || len(lp.TokenLogprobs) < len(all) || len(lp.TopLogprobs) < len(all) {
		return nil, fmt.Errorf("%w: echo returned fewer positions than the %d sent (does the server support echo with logprobs?)",
			ErrMalformedResponse, len(all))
	}
	out := make([]inference.Scored, 0, len(all)-first)
	for p := first; p < len(all); p++ {
		if !slices.Contains(c.vocab.candidates(lp.Tokens[p]), all[p]) {
			return nil, fmt.Errorf("%w: echo position %d is %q, sent token %d", ErrMalformedResponse, p, lp.Tokens[p], all[p])
		}
		if lp.TokenLogprobs[p] == nil {
			return nil, fmt.Errorf("%w: no logprob at echo position %d", ErrMalformedResponse, p)
		}
		if err := checkLogprob(*lp.TokenLogprobs[p], lp.Tokens[p]); err != nil {
			return nil, err
		}
		s := inference.Scored{ID: all[p], Logprob: *lp.TokenLogprobs[p], TopID: -1, TopLogprob: math.Inf(-1)}
		for name, tlp := range lp.TopLogprobs[p] {
			if err := checkLogprob(tlp, name); err != nil {
				return nil, err
			}
			if tlp > s.TopLogprob {
				id, err := c.topID(name, all[p], tlp == s.Logprob)
				if err != nil {
					return nil, fmt.Errorf("echo position %d: %w", p, err)
				}
				s.TopID, s.TopLogprob = id, tlp
			}
		}
		if s.TopID < 0 {
			return nil, fmt.Errorf("%w: no top logprobs at echo position %d", ErrMalformedResponse, p)
		}
		out = append(out, s)
	}
	return out, nil
}

// topID names the model's best token at an echo position. A lossy name
// that several tokens share is the sent token when its log-probability is
// the sent token's; otherwise any of the others, which is all a verifier
// needs to know (that the top choice was another token).
func (c *Client) topID(name string, sent int, sameLogprob bool) (int, error) {
	ids := c.vocab.candidates(name)
	if len(ids) == 0 {
		return 0, fmt.Errorf("%w: top token %q is no token of the model's tokenizer", ErrUnmappableToken, name)
	}
	if slices.Contains(ids, sent) && (len(ids) == 1 || sameLogprob) {
		return sent, nil
	}
	for _, id := range ids {
		if id != sent {
			return id, nil
		}
	}
	return ids[0], nil
}

// settler turns a stream's chunks into tokens for its consumer, holding
// back tokens whose lossy names the text so far cannot settle (a server
// sends an incomplete character's text only once it is complete).
type settler struct {
	c       *Client
	k       int
	res     *inference.Result
	onToken func(inference.Token) error
	text    string  // text not yet spelled by settled tokens
	pending []entry // tokens not yet settled
}

func (s *settler) add(text string, entries []entry) error {
	s.res.Text += text
	s.text += text
	s.pending = append(s.pending, entries...)
	return s.settle(true)
}

func (s *settler) finish() error { return s.settle(false) }

func (s *settler) settle(partial bool) error {
	if len(s.pending) == 0 {
		return nil
	}
	toks, err := s.c.tokens(s.pending, s.text, s.k, partial)
	if err != nil {
		return err
	}
	for _, tok := range toks {
		s.res.Tokens = append(s.res.Tokens, tok)
		if !s.c.cfg.Tokenizer.IsSpecial(tok.ID) {
			s.text = s.text[min(len(s.text), len(tok.Text)):]
		}
		if s.onToken != nil {
			if err := s.onToken(tok); err != nil {
				return fmt.Errorf("stream consumer: %w", err)
			}
		}
	}
	s.pending = s.pending[len(toks):]
	return nil
}
