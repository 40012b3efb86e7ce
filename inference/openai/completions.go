package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/mindnet/mindnet/inference"
)

func (c *Client) completionRequest(req inference.Request, stream bool) completionRequest {
	return completionRequest{
		Model: c.cfg.Model, Prompt: req.Prompt, MaxTokens: req.MaxTokens,
		Temperature: req.Temperature, TopP: req.EffectiveTopP(), Seed: req.Seed, Stop: req.Stop,
		// logprobs 1 still returns the chosen token's own logprob.
		Logprobs: max(1, req.TopK), Stream: stream, TokenIDs: c.cfg.TokenIDs,
	}
}

// Generate continues req.Prompt with /v1/completions.
func (c *Client) Generate(ctx context.Context, req inference.Request) (inference.Result, error) {
	if err := req.Validate(); err != nil {
		return inference.Result{}, err
	}
	var res inference.Result
	err := c.call(ctx, "/completions", c.completionRequest(req, false), func(body io.Reader) error {
		var resp completionResponse
		if err := json.NewDecoder(body).Decode(&resp); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformedResponse, err)
		}
		choice, err := firstChoice(resp)
		if err != nil {
			return err
		}
		res, err = c.completionResult(choice, req.TopK)
		return err
	}, nil)
	return res, err
}

func firstChoice(resp completionResponse) (completionChoice, error) {
	if len(resp.Error) > 0 && string(resp.Error) != "null" {
		return completionChoice{}, fmt.Errorf("%w: error in body: %s", ErrMalformedResponse, resp.Error)
	}
	if len(resp.Choices) == 0 {
		return completionChoice{}, fmt.Errorf("%w: no choices", ErrMalformedResponse)
	}
	return resp.Choices[0], nil
}

func (c *Client) completionResult(choice completionChoice, k int) (inference.Result, error) {
	lp := choice.Logprobs
	if lp == nil {
		return inference.Result{}, fmt.Errorf("%w: no logprobs (does the server support them?)", ErrMalformedResponse)
	}
	tokens, err := c.logprobTokens(lp, k)
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

func (c *Client) logprobTokens(lp *completionLogprobs, k int) ([]inference.Token, error) {
	if len(lp.TokenLogprobs) != len(lp.Tokens) || (lp.TopLogprobs != nil && len(lp.TopLogprobs) != len(lp.Tokens)) {
		return nil, fmt.Errorf("%w: logprob lists of different lengths", ErrMalformedResponse)
	}
	tokens := make([]inference.Token, len(lp.Tokens))
	for i, name := range lp.Tokens {
		var top map[string]float64
		if lp.TopLogprobs != nil {
			top = lp.TopLogprobs[i]
		}
		tok, err := c.token(name, lp.TokenLogprobs[i], top, k)
		if err != nil {
			return nil, err
		}
		tokens[i] = tok
	}
	return tokens, nil
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
		err := readEvents(body, func(data []byte) error {
			var chunk completionResponse
			if err := json.Unmarshal(data, &chunk); err != nil {
				return fmt.Errorf("%w: stream chunk: %v", ErrMalformedResponse, err)
			}
			choice, err := firstChoice(chunk)
			if err != nil {
				return err
			}
			res.Text += choice.Text
			if choice.Logprobs != nil {
				toks, err := c.logprobTokens(choice.Logprobs, req.TopK)
				if err != nil {
					return err
				}
				for _, tok := range toks {
					res.Tokens = append(res.Tokens, tok)
					if onToken != nil {
						if err := onToken(tok); err != nil {
							return fmt.Errorf("stream consumer: %w", err)
						}
					}
				}
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
		res.Finish, err = c.finish(reason, res.Tokens)
		return err
	}, func() bool { return len(res.Tokens) > 0 })
	return res, err
}

// Score re-scores continuation after prompt by prefill: the server echoes
// the log-probability of every token of prompt+continuation.
func (c *Client) Score(ctx context.Context, prompt string, continuation []int) ([]inference.Scored, error) {
	if c.cfg.Tokenizer == nil {
		return nil, fmt.Errorf("%w: Score encodes the prompt", ErrNoTokenizer)
	}
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
	body := completionRequest{Model: c.cfg.Model, Prompt: all, MaxTokens: c.cfg.ScoreMaxTokens,
		Temperature: 0, TopP: 1, Logprobs: 1, Echo: true, TokenIDs: c.cfg.TokenIDs}
	var out []inference.Scored
	err := c.call(ctx, "/completions", body, func(r io.Reader) error {
		var resp completionResponse
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
func (c *Client) echoScores(lp *completionLogprobs, all []int, first int) ([]inference.Scored, error) {
	if lp == nil || len(lp.Tokens) < len(all) || len(lp.TokenLogprobs) < len(all) || len(lp.TopLogprobs) < len(all) {
		return nil, fmt.Errorf("%w: echo returned fewer positions than the %d sent (does the server support echo with logprobs?)",
			ErrMalformedResponse, len(all))
	}
	out := make([]inference.Scored, 0, len(all)-first)
	for p := first; p < len(all); p++ {
		id, err := c.tokenID(lp.Tokens[p])
		if err != nil {
			return nil, err
		}
		if id != all[p] {
			return nil, fmt.Errorf("%w: echo position %d is token %d, sent %d", ErrMalformedResponse, p, id, all[p])
		}
		if lp.TokenLogprobs[p] == nil {
			return nil, fmt.Errorf("%w: no logprob at echo position %d", ErrMalformedResponse, p)
		}
		s := inference.Scored{ID: id, Logprob: *lp.TokenLogprobs[p], TopID: -1, TopLogprob: math.Inf(-1)}
		alts, err := c.alternatives(lp.TopLogprobs[p])
		if err != nil {
			return nil, err
		}
		if len(alts) == 0 {
			return nil, fmt.Errorf("%w: no top logprobs at echo position %d", ErrMalformedResponse, p)
		}
		s.TopID, s.TopLogprob = alts[0].ID, alts[0].Logprob
		out = append(out, s)
	}
	return out, nil
}
