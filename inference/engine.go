package inference

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Request asks an engine for a continuation of Prompt.
type Request struct {
	Prompt      string
	MaxTokens   int      // at least 1
	Temperature float64  // 0 for greedy decoding
	TopP        float64  // nucleus mass in (0, 1]; 0 means 1
	Seed        uint64   // fixes sampled output for a given engine and model
	Stop        []string // generation ends when the text contains one of these
	TopK        int      // alternatives to report per position, 0 to MaxTopK
}

// MaxTopK bounds Request.TopK, as OpenAI-compatible servers do (they cap
// logprobs at 5 to 20).
const MaxTopK = 20

// ErrBadRequest marks a request that no engine should run.
var ErrBadRequest = errors.New("inference: bad request")

// Validate checks the request's settings, returning ErrBadRequest wrapped
// with the setting at fault.
func (r Request) Validate() error {
	switch {
	case r.MaxTokens < 1:
		return fmt.Errorf("%w: max tokens %d, need at least 1", ErrBadRequest, r.MaxTokens)
	case r.Temperature < 0 || math.IsNaN(r.Temperature) || math.IsInf(r.Temperature, 0):
		return fmt.Errorf("%w: temperature %v", ErrBadRequest, r.Temperature)
	case r.TopP < 0 || r.TopP > 1 || math.IsNaN(r.TopP):
		return fmt.Errorf("%w: top-p %v outside [0, 1]", ErrBadRequest, r.TopP)
	case r.TopK < 0 || r.TopK > MaxTopK:
		return fmt.Errorf("%w: top-k %d outside [0, %d]", ErrBadRequest, r.TopK, MaxTopK)
	}
	for _, s := range r.Stop {
		if s == "" {
			return fmt.Errorf("%w: empty stop sequence", ErrBadRequest)
		}
	}
	return nil
}

// Greedy reports whether the request asks for greedy decoding.
func (r Request) Greedy() bool { return r.Temperature == 0 }

// EffectiveTopP is TopP with 0 read as "no nucleus cut".
func (r Request) EffectiveTopP() float64 {
	if r.TopP == 0 {
		return 1
	}
	return r.TopP
}

// Alternative is one candidate token at a position.
type Alternative struct {
	ID      int     `json:"id"`
	Text    string  `json:"text"`
	Logprob float64 `json:"logprob"`
}

// Token is one generated token. Text holds the token's own bytes, which may
// be part of a UTF-8 sequence; Result.Text is the valid whole.
type Token struct {
	ID      int           `json:"id"`
	Text    string        `json:"text"`
	Logprob float64       `json:"logprob"`
	Top     []Alternative `json:"top,omitempty"` // best first
}

// FinishReason says why generation ended.
type FinishReason string

// The reasons generation can end.
const (
	FinishLength FinishReason = "length" // MaxTokens reached
	FinishStop   FinishReason = "stop"   // a stop sequence completed
	FinishEOS    FinishReason = "eos"    // the model emitted end-of-sequence
)

// Result is a finished generation.
type Result struct {
	Tokens       []Token      `json:"tokens"`
	Text         string       `json:"text"`
	Finish       FinishReason `json:"finish"`
	PromptTokens int          `json:"prompt_tokens"`
}

// TokenIDs lists the ids of the generated tokens.
func (r Result) TokenIDs() []int {
	ids := make([]int, len(r.Tokens))
	for i, t := range r.Tokens {
		ids[i] = t.ID
	}
	return ids
}

// Scored is the model's view of one given token at one position, from a
// prefill: its log-probability and the model's own top choice there.
type Scored struct {
	ID         int     `json:"id"`
	Logprob    float64 `json:"logprob"`
	TopID      int     `json:"top_id"`
	TopLogprob float64 `json:"top_logprob"`
}

// Info describes the model behind an engine.
type Info struct {
	Model     string `json:"model"`      // e.g. "gocode-tiny"
	Backend   string `json:"backend"`    // e.g. "builtin-cpu", "openai"
	VocabSize int    `json:"vocab_size"` // 0 if unknown
	EOSID     int    `json:"eos_id"`     // -1 if unknown
}

// Engine runs a language model. Implementations are safe for concurrent use.
type Engine interface {
	// Generate continues req.Prompt.
	Generate(ctx context.Context, req Request) (Result, error)
	// GenerateStream is Generate that hands each token to onToken as soon as
	// it is chosen; an error from onToken stops generation and is returned.
	GenerateStream(ctx context.Context, req Request, onToken func(Token) error) (Result, error)
	// Score returns, for each token of continuation, its log-probability
	// after prompt and the tokens before it, computed by prefill.
	Score(ctx context.Context, prompt string, continuation []int) ([]Scored, error)
	// Info names the model.
	Info() Info
}

// ScoreJob is one prompt and continuation to score.
type ScoreJob struct {
	Prompt       string
	Continuation []int
}

// PrefixScorer is an Engine that scores several continuations at once,
// prefilling the prompt tokens they all begin with only once. A validator
// that sent one task to several miners uses it to pay for the shared prompt
// once; engines without it (the OpenAI-compatible client, whose servers
// cache prefixes on their own) are scored one answer at a time.
type PrefixScorer interface {
	// ScoreMany returns, for each job, what Score returns for it, bit for
	// bit. An error fails the whole batch.
	ScoreMany(ctx context.Context, jobs []ScoreJob) ([][]Scored, error)
}
