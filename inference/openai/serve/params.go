package serve

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/mindnet/mindnet/inference"
)

// sampling are the settings completions and chat share, as sent.
type sampling struct {
	MaxTokens   *int            `json:"max_tokens"`
	Temperature *float64        `json:"temperature"`
	TopP        *float64        `json:"top_p"`
	Seed        json.RawMessage `json:"seed"`
	Stop        json.RawMessage `json:"stop"`
	Stream      bool            `json:"stream"`
	N           *int            `json:"n"`
	TokenIDs    bool            `json:"return_tokens_as_token_ids"`
}

// defaultMaxTokens is max_tokens when a completion request leaves it out,
// as OpenAI's legacy API and vLLM have it.
const defaultMaxTokens = 16

// request checks the shared settings and builds the engine request; topK is
// the number of alternatives wanted per token. A max_tokens of 0 is allowed
// only where zeroOK (echo scoring).
func (s *Server) request(p sampling, topK int, zeroOK bool, dflt int) (inference.Request, int, *apiError) {
	maxTokens := dflt
	if p.MaxTokens != nil {
		maxTokens = *p.MaxTokens
	}
	switch {
	case maxTokens < 0 || maxTokens == 0 && !zeroOK:
		return inference.Request{}, 0, badRequest("max_tokens", "max_tokens must be at least 1 (0 only with echo), got %d", maxTokens)
	case maxTokens > s.limits.MaxTokens:
		return inference.Request{}, 0, badRequest("max_tokens", "max_tokens %d is above this server's limit of %d", maxTokens, s.limits.MaxTokens)
	case p.N != nil && *p.N != 1:
		return inference.Request{}, 0, badRequest("n", "n must be 1 on this server, got %d", *p.N)
	}
	req := inference.Request{MaxTokens: max(1, maxTokens), Temperature: 1, TopP: 1, TopK: topK}
	if t := p.Temperature; t != nil {
		if *t < 0 || math.IsNaN(*t) || math.IsInf(*t, 0) {
			return inference.Request{}, 0, badRequest("temperature", "temperature must be a number of at least 0, got %v", *t)
		}
		req.Temperature = *t
	}
	if tp := p.TopP; tp != nil {
		if !(*tp > 0 && *tp <= 1) {
			return inference.Request{}, 0, badRequest("top_p", "top_p must be in (0, 1], got %v", *tp)
		}
		req.TopP = *tp
	}
	switch seed, ok, err := parseSeed(p.Seed); {
	case err != nil:
		return inference.Request{}, 0, err
	case ok:
		req.Seed = seed
	default:
		req.Seed = rand.Uint64() // off chain: an unseeded request may differ each time, as with vLLM
	}
	stop, err := parseStop(p.Stop)
	if err != nil {
		return inference.Request{}, 0, err
	}
	req.Stop = stop
	return req, maxTokens, nil
}

// parseStop reads stop as a string or a list of strings.
func parseStop(raw json.RawMessage) ([]string, *apiError) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil, badRequest("stop", "stop must not be empty")
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, badRequest("stop", "stop must be a string or a list of strings")
	}
	for _, s := range many {
		if s == "" {
			return nil, badRequest("stop", "stop sequences must not be empty")
		}
	}
	return many, nil
}

// parseSeed reads seed as any integer that fits 64 bits, signed or not (Python's int has no width, and
// clients send full 64-bit seeds); negative seeds are taken modulo 2^64.
func parseSeed(raw json.RawMessage) (uint64, bool, *apiError) {
	s := string(raw)
	if s == "" || s == "null" {
		return 0, false, nil
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return u, true, nil
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return uint64(i), true, nil
	}
	return 0, false, badRequest("seed", "seed must be an integer of at most 64 bits, got %s", s)
}
