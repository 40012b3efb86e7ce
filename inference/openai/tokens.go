package openai

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mindnet/mindnet/inference"
)

// tokenID turns a token as a server names it into an id: "token_id:N" when
// the server was asked for ids, otherwise the text must encode to exactly
// one token of the model's tokenizer.
func (c *Client) tokenID(name string) (int, error) {
	if rest, ok := strings.CutPrefix(name, "token_id:"); ok && c.cfg.TokenIDs {
		id, err := strconv.Atoi(rest)
		if err != nil || id < 0 {
			return 0, fmt.Errorf("%w: %q", ErrMalformedResponse, name)
		}
		return id, nil
	}
	if c.cfg.Tokenizer == nil {
		return 0, fmt.Errorf("%w: token %q comes as text (set TokenIDs or Tokenizer)", ErrNoTokenizer, name)
	}
	if id, ok := c.cfg.Tokenizer.SpecialID(name); ok {
		return id, nil
	}
	ids := c.cfg.Tokenizer.Encode(name)
	if len(ids) != 1 {
		return 0, fmt.Errorf("%w: %q encodes to %d tokens", ErrUnmappableToken, name, len(ids))
	}
	return ids[0], nil
}

// tokenText is the text of token id: its bytes under the tokenizer when we
// have one, else the name the server used.
func (c *Client) tokenText(id int, name string) string {
	if c.cfg.Tokenizer != nil {
		if b, err := c.cfg.Tokenizer.TokenBytes(id); err == nil {
			return string(b)
		}
	}
	return name
}

// token builds an inference.Token from one logprob entry and its
// alternatives, keeping the best k alternatives, best first (lower id first
// among equals, as the built-in engine orders them).
func (c *Client) token(name string, logprob *float64, top map[string]float64, k int) (inference.Token, error) {
	if logprob == nil {
		return inference.Token{}, fmt.Errorf("%w: generated token %q has no logprob", ErrMalformedResponse, name)
	}
	if math.IsNaN(*logprob) || *logprob > 1e-6 {
		return inference.Token{}, fmt.Errorf("%w: logprob %v for %q", ErrMalformedResponse, *logprob, name)
	}
	id, err := c.tokenID(name)
	if err != nil {
		return inference.Token{}, err
	}
	tok := inference.Token{ID: id, Text: c.tokenText(id, name), Logprob: *logprob}
	if k == 0 {
		return tok, nil
	}
	alts, err := c.alternatives(top)
	if err != nil {
		return inference.Token{}, err
	}
	if len(alts) > k {
		alts = alts[:k]
	}
	tok.Top = alts
	return tok, nil
}

func (c *Client) alternatives(top map[string]float64) ([]inference.Alternative, error) {
	alts := make([]inference.Alternative, 0, len(top))
	for name, lp := range top {
		id, err := c.tokenID(name)
		if err != nil {
			return nil, err
		}
		alts = append(alts, inference.Alternative{ID: id, Text: c.tokenText(id, name), Logprob: lp})
	}
	sortAlternatives(alts)
	return alts, nil
}

func sortAlternatives(alts []inference.Alternative) {
	slices.SortFunc(alts, func(a, b inference.Alternative) int {
		switch {
		case a.Logprob > b.Logprob:
			return -1
		case a.Logprob < b.Logprob:
			return 1
		}
		return a.ID - b.ID
	})
}

// finish maps an OpenAI finish_reason, telling an end-of-sequence token from
// a stop sequence by the last token.
func (c *Client) finish(reason string, tokens []inference.Token) (inference.FinishReason, error) {
	switch reason {
	case "length":
		return inference.FinishLength, nil
	case "stop", "eos_token", "stop_sequence":
		if n := len(tokens); n > 0 && c.cfg.EOSID >= 0 && tokens[n-1].ID == c.cfg.EOSID {
			return inference.FinishEOS, nil
		}
		return inference.FinishStop, nil
	}
	return "", fmt.Errorf("%w: finish_reason %q", ErrMalformedResponse, reason)
}
