package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/tokenizer"
)

// Tolerance holds the thresholds Verify applies.
type Tolerance struct {
	// LogprobTolerance is the largest |reported - reference| log-probability
	// accepted for any token, in nats.
	LogprobTolerance float64
	// GreedyMargin lets a greedy token trail the reference's top choice by
	// this many nats, so that near-ties broken differently by other
	// hardware are not punished.
	GreedyMargin float64
	// MinSampleRatio is the lowest tempered probability, relative to the top
	// token's, that a sampled token may have.
	MinSampleRatio float64
}

// DefaultTolerance is for float32 serving; the package documentation gives
// the measurements behind it.
var DefaultTolerance = Tolerance{LogprobTolerance: 1e-2, GreedyMargin: 2e-2, MinSampleRatio: 1e-6}

// HalfPrecisionTolerance is for subnets that let miners serve in float16 or
// bfloat16; the package documentation gives the measurements behind it.
var HalfPrecisionTolerance = Tolerance{LogprobTolerance: 0.15, GreedyMargin: 0.1, MinSampleRatio: 1e-6}

// Reason codes, stable for logs and metrics.
const (
	ReasonEmpty        = "empty"
	ReasonTooLong      = "too_long"
	ReasonShort        = "short_without_reason"
	ReasonPastStop     = "past_stop_sequence"
	ReasonPastEOS      = "past_eos"
	ReasonFalseStop    = "false_stop"
	ReasonFalseEOS     = "false_eos"
	ReasonTextMismatch = "text_mismatch"
	ReasonBadToken     = "bad_token_id"
	ReasonNotGreedy    = "not_greedy"
	ReasonImplausible  = "implausible_sample"
	ReasonDrift        = "logprob_drift"
	ReasonBadLogprob   = "bad_logprob"
)

// Reason is one thing wrong with an answer; Position is the token index, or
// -1 for the answer as a whole.
type Reason struct {
	Code     string `json:"code"`
	Position int    `json:"position"`
	Detail   string `json:"detail"`
}

// Verdict is the outcome. Score is the fraction of tokens that passed every
// per-token check, or 0 when the answer as a whole is wrong; Pass means no
// reason at all was found.
type Verdict struct {
	Pass      bool     `json:"pass"`
	Score     float64  `json:"score"`
	Reasons   []Reason `json:"reasons,omitempty"`
	MaxDrift  float64  `json:"max_drift"`
	MeanDrift float64  `json:"mean_drift"`
	// MeanLogprob is the reference's mean log-probability of the tokens, a
	// quality signal that a validator may also track.
	MeanLogprob float64 `json:"mean_logprob"`
}

// Verifier re-scores answers with a reference engine. Tokenizer must be the
// reference model's; it turns token ids into text for the stop checks.
type Verifier struct {
	Reference inference.Engine
	Tokenizer *tokenizer.Tokenizer
	Tolerance Tolerance
}

// ErrVerifier marks a verifier that cannot run (no engine or tokenizer).
var ErrVerifier = errors.New("verify: verifier not set up")

// maxReasons caps how many reasons a verdict lists; the score still counts
// every token.
const maxReasons = 16

// Verify checks answer, the miner's result for req. An error means the
// verification itself could not run (reference down, bad request); a bad
// answer is a failing Verdict, never an error.
func (v Verifier) Verify(ctx context.Context, req inference.Request, answer inference.Result) (Verdict, error) {
	vd, whole, err := v.precheck(req, answer)
	if err != nil || !whole {
		return vd, err
	}
	scored, err := v.Reference.Score(ctx, req.Prompt, answer.TokenIDs())
	if err != nil {
		return Verdict{}, fmt.Errorf("verify: reference prefill: %w", err)
	}
	return v.compare(req, answer, scored, vd)
}

// Item is one answer to verify and the request it answers.
type Item struct {
	Request inference.Request
	Answer  inference.Result
}

// VerifyMany verifies several answers, each as Verify would, with the same
// verdicts. Where the reference engine is an inference.PrefixScorer it
// rescores them in one batch that prefills the prompt tokens the requests
// share only once: answers to one task from several miners cost the
// prompt's prefill once. errs[i] is the error Verify would have returned
// for item i; when the batch fails, each item is rescored alone so that
// one item's error does not fail the others.
func (v Verifier) VerifyMany(ctx context.Context, items []Item) (verdicts []Verdict, errs []error) {
	verdicts, errs = make([]Verdict, len(items)), make([]error, len(items))
	var todo []int // items that need the reference
	for i, it := range items {
		vd, whole, err := v.precheck(it.Request, it.Answer)
		verdicts[i], errs[i] = vd, err
		if err == nil && whole {
			todo = append(todo, i)
		}
	}
	ps, ok := v.Reference.(inference.PrefixScorer)
	if ok && len(todo) > 1 {
		jobs := make([]inference.ScoreJob, len(todo))
		for k, i := range todo {
			jobs[k] = inference.ScoreJob{Prompt: items[i].Request.Prompt, Continuation: items[i].Answer.TokenIDs()}
		}
		if scored, err := ps.ScoreMany(ctx, jobs); err == nil && len(scored) == len(todo) {
			for k, i := range todo {
				verdicts[i], errs[i] = v.compare(items[i].Request, items[i].Answer, scored[k], verdicts[i])
			}
			return verdicts, errs
		}
	}
	for _, i := range todo {
		verdicts[i], errs[i] = v.Verify(ctx, items[i].Request, items[i].Answer)
	}
	return verdicts, errs
}

// precheck runs the checks that need no model. whole is false when the
// answer as a whole is unacceptable, and vd is then the final verdict.
func (v Verifier) precheck(req inference.Request, answer inference.Result) (vd Verdict, whole bool, err error) {
	if v.Reference == nil || v.Tokenizer == nil {
		return Verdict{}, false, ErrVerifier
	}
	if err := req.Validate(); err != nil {
		return Verdict{}, false, fmt.Errorf("verify: %w", err)
	}
	if whole := v.checkShape(req, answer, vd.add); !whole {
		vd.Score = 0
		return vd, false, nil
	}
	return vd, true, nil
}

func (vd *Verdict) add(code string, pos int, format string, args ...any) {
	if len(vd.Reasons) < maxReasons {
		vd.Reasons = append(vd.Reasons, Reason{Code: code, Position: pos, Detail: fmt.Sprintf(format, args...)})
	}
}

// compare checks the reference's view of every token against the answer,
// adding to vd, which holds what precheck found.
func (v Verifier) compare(req inference.Request, answer inference.Result, scored []inference.Scored, vd Verdict) (Verdict, error) {
	if len(scored) != len(answer.Tokens) {
		return Verdict{}, fmt.Errorf("verify: reference scored %d of %d tokens", len(scored), len(answer.Tokens))
	}
	good := 0
	var sum, driftSum float64
	for i, s := range scored {
		ok := true
		reported := answer.Tokens[i].Logprob
		drift := math.Abs(reported - s.Logprob)
		if math.IsNaN(drift) {
			drift = math.Inf(1)
		}
		vd.MaxDrift = max(vd.MaxDrift, drift)
		driftSum += drift
		sum += s.Logprob
		if drift > v.Tolerance.LogprobTolerance {
			vd.add(ReasonDrift, i, "reported logprob %.5f, reference %.5f", reported, s.Logprob)
			ok = false
		}
		gap := s.TopLogprob - s.Logprob // how far below the top choice, in nats
		if req.Greedy() {
			if s.TopID != s.ID && gap > v.Tolerance.GreedyMargin {
				vd.add(ReasonNotGreedy, i, "token %d is %.4f nats below the greedy choice %d", s.ID, gap, s.TopID)
				ok = false
			}
		} else if -gap/req.Temperature < math.Log(v.Tolerance.MinSampleRatio) {
			vd.add(ReasonImplausible, i, "token %d at temperature %g is %.3g times as likely as the top choice",
				s.ID, req.Temperature, math.Exp(-gap/req.Temperature))
			ok = false
		}
		if ok {
			good++
		}
	}
	vd.MeanLogprob = sum / float64(len(scored))
	vd.MeanDrift = driftSum / float64(len(scored))
	vd.Score = float64(good) / float64(len(scored))
	vd.Pass = len(vd.Reasons) == 0
	return vd, nil
}

// checkShape checks what does not need the model: length, finish reason,
// stop sequences, EOS and text. It returns false if the answer as a whole
// is unacceptable.
func (v Verifier) checkShape(req inference.Request, a inference.Result, add func(string, int, string, ...any)) bool {
	n := len(a.Tokens)
	switch {
	case n == 0:
		add(ReasonEmpty, -1, "no tokens")
		return false
	case n > req.MaxTokens:
		add(ReasonTooLong, -1, "%d tokens for max %d", n, req.MaxTokens)
		return false
	case a.Finish == inference.FinishLength && n < req.MaxTokens:
		add(ReasonShort, -1, "finish %q after %d of %d tokens", a.Finish, n, req.MaxTokens)
		return false
	}
	eos := v.Reference.Info().EOSID
	var text []byte
	whole := true
	for i, tok := range a.Tokens {
		if math.IsNaN(tok.Logprob) || tok.Logprob > 0 {
			add(ReasonBadLogprob, i, "logprob %v is not a log-probability", tok.Logprob)
			whole = false
		}
		b, err := v.Tokenizer.TokenBytes(tok.ID)
		if err != nil {
			add(ReasonBadToken, i, "%v", err)
			return false
		}
		last := i == n-1
		if tok.ID == eos {
			if !last {
				add(ReasonPastEOS, i, "end-of-sequence token followed by %d more", n-1-i)
				return false
			}
			if a.Finish != inference.FinishEOS {
				add(ReasonFalseEOS, i, "ends with end-of-sequence but finish is %q", a.Finish)
				whole = false
			}
			break
		}
		before := len(text)
		text = append(text, b...)
		if at := inference.FirstStop(text, req.Stop, before); at >= 0 {
			if !last {
				add(ReasonPastStop, i, "stop sequence completed here, %d tokens before the end", n-1-i)
				return false
			}
			if a.Finish != inference.FinishStop {
				add(ReasonFalseStop, i, "stop sequence completed but finish is %q", a.Finish)
				whole = false
			}
			text = text[:at]
		} else if last && a.Finish == inference.FinishStop {
			add(ReasonFalseStop, i, "finish %q but no stop sequence completed", a.Finish)
			whole = false
		}
	}
	if a.Finish == inference.FinishEOS && a.Tokens[n-1].ID != eos {
		add(ReasonFalseEOS, n-1, "finish %q without the end-of-sequence token", a.Finish)
		whole = false
	}
	// Servers replace bytes that are not valid UTF-8 when they send JSON,
	// so text is compared in that form.
	if toRunes(string(text)) != toRunes(a.Text) {
		add(ReasonTextMismatch, -1, "text %q is not the tokens' text %q", truncate(a.Text), truncate(string(text)))
		whole = false
	}
	return whole
}

func toRunes(s string) string { return string([]rune(s)) }

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return strings.Clone(s)
}
