package openai

import (
	"fmt"
	"math"
	"slices"

	"github.com/mindnet/mindnet/inference"
)

// tokenText is the text of token id: its bytes under the tokenizer.
func (c *Client) tokenText(id int) string {
	b, err := c.cfg.Tokenizer.TokenBytes(id)
	if err != nil {
		return ""
	}
	return string(b)
}

// checkLogprob refuses log-probabilities no model gives.
func checkLogprob(lp float64, name string) error {
	if math.IsNaN(lp) || lp > 1e-6 {
		return fmt.Errorf("%w: logprob %v for %q", ErrMalformedResponse, lp, name)
	}
	return nil
}

// entry is one generated token as a server reports it.
type entry struct {
	name    string
	logprob *float64
	top     map[string]float64
}

// tokens turns entries into inference.Tokens, settling ambiguous names
// against text (see resolve). With partial set, the result may be shorter
// than entries: the rest waits for more text.
func (c *Client) tokens(entries []entry, text string, k int, partial bool) ([]inference.Token, error) {
	names := make([]string, len(entries))
	for i, e := range entries {
		if e.logprob == nil {
			return nil, fmt.Errorf("%w: generated token %q has no logprob", ErrMalformedResponse, e.name)
		}
		if err := checkLogprob(*e.logprob, e.name); err != nil {
			return nil, err
		}
		names[i] = e.name
	}
	ids, err := c.vocab.resolve(names, text, partial)
	if err != nil {
		return nil, err
	}
	out := make([]inference.Token, len(ids))
	for i, id := range ids {
		out[i] = inference.Token{ID: id, Text: c.tokenText(id), Logprob: *entries[i].logprob}
		if k > 0 {
			alts, err := c.alternatives(entries[i].top)
			if err != nil {
				return nil, err
			}
			if len(alts) > k {
				alts = alts[:k]
			}
			out[i].Top = alts
		}
	}
	return out, nil
}

// alternatives reads a top_logprobs entry, best first (lower id first among
// equals, as the built-in engine orders them). A name that several tokens
// share (part of a UTF-8 character, written lossily) cannot be settled
// without text and is left out.
func (c *Client) alternatives(top map[string]float64) ([]inference.Alternative, error) {
	alts := make([]inference.Alternative, 0, len(top))
	for name, lp := range top {
		if err := checkLogprob(lp, name); err != nil {
			return nil, err
		}
		ids := c.vocab.candidates(name)
		switch len(ids) {
		case 0:
			return nil, fmt.Errorf("%w: alternative %q is no token of the model's tokenizer", ErrUnmappableToken, name)
		case 1:
			alts = append(alts, inference.Alternative{ID: ids[0], Text: c.tokenText(ids[0]), Logprob: lp})
		}
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
