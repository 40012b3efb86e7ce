package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/mindnet/mindnet/inference"
)

// Message is one chat turn.
type Message struct {
	Role    string // "system", "user" or "assistant"
	Content string
}

func (c *Client) chatRequest(msgs []Message, req inference.Request, stream bool) ChatRequest {
	wire := make([]ChatMessage, len(msgs))
	for i, m := range msgs {
		wire[i] = ChatMessage{Role: m.Role, Content: m.Content}
	}
	return ChatRequest{Model: c.cfg.Model, Messages: wire, MaxTokens: req.MaxTokens,
		Temperature: req.Temperature, TopP: req.EffectiveTopP(), Seed: req.Seed, Stop: req.Stop,
		Logprobs: true, TopLogprobs: req.TopK, Stream: stream, TokenIDs: c.cfg.TokenIDs}
}

// Chat answers msgs with /v1/chat/completions; req.Prompt is ignored. The
// server applies the model's chat template, so the answer can only be
// re-scored by a verifier that applies the same template.
func (c *Client) Chat(ctx context.Context, msgs []Message, req inference.Request) (inference.Result, error) {
	return c.ChatStream(ctx, msgs, req, nil)
}

// ChatStream is Chat that streams tokens to onToken; with a nil onToken it
// makes one non-streaming request.
func (c *Client) ChatStream(ctx context.Context, msgs []Message, req inference.Request, onToken func(inference.Token) error) (inference.Result, error) {
	req.Prompt = "-" // only the messages are sent
	if err := req.Validate(); err != nil {
		return inference.Result{}, err
	}
	if len(msgs) == 0 {
		return inference.Result{}, fmt.Errorf("%w: no messages", inference.ErrBadRequest)
	}
	stream := onToken != nil
	var res inference.Result
	var reason string
	var st settler
	absorb := func(choice ChatChoice) error {
		msg := choice.Message
		if stream {
			msg = choice.Delta
		}
		var text string
		if msg != nil {
			text = msg.Content
		}
		var entries []entry
		if choice.Logprobs != nil {
			for _, e := range choice.Logprobs.Content {
				top := make(map[string]float64, len(e.TopLogprobs))
				for _, a := range e.TopLogprobs {
					top[a.Token] = a.Logprob
				}
				entries = append(entries, entry{name: e.Token, logprob: &e.Logprob, top: top})
			}
		}
		if choice.FinishReason != nil && *choice.FinishReason != "" {
			reason = *choice.FinishReason
		}
		return st.add(text, entries)
	}
	decode := func(data []byte) error {
		var resp ChatResponse
		if err := json.Unmarshal(data, &resp); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformedResponse, err)
		}
		if len(resp.Error) > 0 && string(resp.Error) != "null" {
			return fmt.Errorf("%w: error in body: %s", ErrMalformedResponse, resp.Error)
		}
		if len(resp.Choices) == 0 {
			return fmt.Errorf("%w: no choices", ErrMalformedResponse)
		}
		return absorb(resp.Choices[0])
	}
	err := c.call(ctx, "/chat/completions", c.chatRequest(msgs, req, stream), func(body io.Reader) error {
		res, reason = inference.Result{}, ""
		st = settler{c: c, k: req.TopK, res: &res, onToken: onToken}
		var err error
		if stream {
			err = readEvents(body, decode)
		} else {
			var raw []byte
			if raw, err = io.ReadAll(body); err == nil {
				err = decode(raw)
			}
		}
		if err != nil {
			return err
		}
		if reason == "" {
			return fmt.Errorf("%w: no finish_reason", ErrTruncatedStream)
		}
		if err := st.finish(); err != nil {
			return err
		}
		if len(res.Tokens) == 0 && res.Text != "" {
			return fmt.Errorf("%w: no logprobs (does the server support them?)", ErrMalformedResponse)
		}
		res.Finish, err = c.finish(reason, res.Tokens)
		return err
	}, func() bool { return len(res.Tokens) > 0 })
	return res, err
}
