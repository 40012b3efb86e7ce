package scoring

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/validator/tasks"
)

// Reason codes, stable for logs and metrics.
const (
	ReasonOK           = "ok"
	ReasonTimeout      = "timeout"       // the call ran out of time
	ReasonCallFailed   = "call_failed"   // the miner refused or could not be reached
	ReasonLate         = "late"          // answered after the task's deadline
	ReasonUnsigned     = "unsigned"      // no miner signature
	ReasonBadSignature = "bad_signature" // a signature that does not verify, or not the miner's
	ReasonWrongRequest = "wrong_request" // the answer is bound to another request than this task's
	ReasonMalformed    = "malformed"     // not a well-formed answer
	ReasonEmpty        = "empty"         // no tokens
	ReasonFailed       = "verification_failed"
	ReasonCopied       = "copied"
)

// Config holds the score formula's settings; the package documentation gives the formula.
type Config struct {
	CorrectnessWeight float64
	LatencyWeight     float64
	ThroughputWeight  float64
	// TargetLatency earns full latency credit; credit falls linearly to zero at the deadline.
	TargetLatency time.Duration
	// TargetThroughput, in tokens per second, earns full throughput credit.
	TargetThroughput float64
	// MinCopyTokens and MinCopySurprise bound which identical sampled answers count as copied.
	MinCopyTokens   int
	MinCopySurprise float64
}

// DefaultConfig: correctness 0.6, latency 0.2, throughput 0.2. A 32-token answer from the built-in
// CPU engine takes 5 to 10 ms end to end on a loopback (3,000 to 6,000 tokens/s seen by the
// validator), so 250 ms and 250 tokens/s give a CPU miner full credit with room for a busy machine
// or a real network, and a miner behind a long queue or a slow link less. Identical sampled answers of 8 tokens or more whose probability at
// temperature 1 is below e^-16 (about 1e-7) are taken as copied.
func DefaultConfig() Config {
	return Config{
		CorrectnessWeight: 0.6,
		LatencyWeight:     0.2,
		ThroughputWeight:  0.2,
		TargetLatency:     250 * time.Millisecond,
		TargetThroughput:  250,
		MinCopyTokens:     8,
		MinCopySurprise:   16,
	}
}

// ErrConfig marks scoring settings that cannot be used.
var ErrConfig = errors.New("scoring: bad config")

// Validate checks the configuration.
func (c Config) Validate() error {
	ws := []float64{c.CorrectnessWeight, c.LatencyWeight, c.ThroughputWeight}
	sum := 0.0
	for _, w := range ws {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("%w: weight %v", ErrConfig, w)
		}
		sum += w
	}
	switch {
	case math.Abs(sum-1) > 1e-9:
		return fmt.Errorf("%w: weights sum to %v, not 1", ErrConfig, sum)
	case c.CorrectnessWeight < c.LatencyWeight+c.ThroughputWeight:
		return fmt.Errorf("%w: correctness weight %v must dominate latency and throughput (%v)", ErrConfig, c.CorrectnessWeight, c.LatencyWeight+c.ThroughputWeight)
	case c.TargetLatency <= 0 || !(c.TargetThroughput > 0) || math.IsInf(c.TargetThroughput, 0):
		return fmt.Errorf("%w: target latency %v, throughput %v", ErrConfig, c.TargetLatency, c.TargetThroughput)
	case c.MinCopyTokens < 1 || c.MinCopySurprise < 0:
		return fmt.Errorf("%w: copy bounds %d tokens, %v nats", ErrConfig, c.MinCopyTokens, c.MinCopySurprise)
	}
	return nil
}

// Outcome is what one call to one miner gave.
type Outcome struct {
	UID    uint16
	Hotkey string // the miner's hotkey in the metagraph the call was made from
	Task   tasks.Task
	// Answer is the call's result; Err its error (nil on success). axonclient returns both when a
	// response arrived without a valid signature.
	Answer  axonclient.Signed[*axonv1.GenerateResponse]
	Err     error
	Latency time.Duration
}

// Result is the score of one outcome.
type Result struct {
	UID     uint16
	Hotkey  string
	TaskID  string
	Score   float64
	Reason  string // ReasonOK or what made the score zero
	Detail  string
	Tokens  int
	Latency time.Duration
	// Verdict is the verifier's, when the answer got that far, and VerifyTime what it cost.
	Verdict    *verify.Verdict
	VerifyTime time.Duration

	group    string
	sampled  bool
	digest   [32]byte // of the token ids, for copy detection; zero when there is no answer
	surprise float64  // −Σ reference log-probabilities of the tokens, in nats
}

// String is the reason with its detail, for logs.
func (r Result) String() string {
	if r.Detail == "" {
		return r.Reason
	}
	return r.Reason + ": " + r.Detail
}

// Scorer scores answers against a reference engine.
type Scorer struct {
	verifier verify.Verifier
	sigs     *axonauth.Verifier // remembers and prepares the keys that sign tasks and answers
	keyUses  *keyUses
	// workers is how many batches of answers ScoreRound verifies at once (see batches).
	workers   int
	cfg       Config
	vocabSize int
}

// New returns a scorer that verifies with v.
func New(v verify.Verifier, cfg Config) (*Scorer, error) {
	if v.Reference == nil || v.Tokenizer == nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, verify.ErrVerifier)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Scorer{verifier: v, sigs: axonauth.NewVerifier(0, 0), keyUses: &keyUses{}, workers: runtime.GOMAXPROCS(0), cfg: cfg, vocabSize: v.Reference.Info().VocabSize}, nil
}

// Score scores one outcome. An error means the validator could not score it (its reference engine
// failed): the miner is not to blame, and the outcome should be left out of the miner's average.
func (s *Scorer) Score(ctx context.Context, o Outcome) (Result, error) {
	r, answer, done := s.precheck(o)
	if done {
		return r, nil
	}
	started := time.Now()
	vd, err := s.verifier.Verify(ctx, o.Task.Request, answer)
	return s.finish(o, r, answer, vd, err, time.Since(started))
}

// precheck does what needs no model: the call's outcome, the deadline, the signatures and the
// answer's form. done means r is the final result; otherwise answer awaits verification.
func (s *Scorer) precheck(o Outcome) (r Result, answer inference.Result, done bool) {
	r = Result{UID: o.UID, Hotkey: o.Hotkey, TaskID: o.Task.ID, Latency: o.Latency, group: o.Task.Group, sampled: o.Task.Sampled()}
	zero := func(reason, format string, args ...any) (Result, inference.Result, bool) {
		r.Score, r.Reason, r.Detail = 0, reason, fmt.Sprintf(format, args...)
		return r, inference.Result{}, true
	}
	if o.Err != nil && !errors.Is(o.Err, axonclient.ErrUnsignedResponse) {
		if errors.Is(o.Err, context.DeadlineExceeded) || status.Code(o.Err) == codes.DeadlineExceeded {
			return zero(ReasonTimeout, "no answer within %v", o.Latency.Round(time.Millisecond))
		}
		if undecodable(o.Err) {
			return zero(ReasonMalformed, "answer body does not decode: %v", status.Convert(o.Err).Message())
		}
		return zero(ReasonCallFailed, "%v", o.Err)
	}
	if o.Latency > o.Task.Deadline {
		return zero(ReasonLate, "answered after %v, deadline %v", o.Latency.Round(time.Millisecond), o.Task.Deadline)
	}
	if o.Answer.Response == nil {
		return zero(ReasonMalformed, "no response")
	}
	if reason, detail := s.checkSignatures(o.Task, o.Hotkey, o.Answer); reason != "" {
		return zero(reason, "%s", detail)
	}
	answer, err := toResult(o.Answer.Response, s.vocabSize)
	if err != nil {
		return zero(ReasonMalformed, "%v", err)
	}
	r.Tokens = len(answer.Tokens)
	if r.Tokens == 0 {
		return zero(ReasonEmpty, "finish %q with no tokens", answer.Finish)
	}
	return r, answer, false
}

// finish turns the verifier's verdict (or its error) on a prechecked answer into the result.
func (s *Scorer) finish(o Outcome, r Result, answer inference.Result, vd verify.Verdict, err error, took time.Duration) (Result, error) {
	r.VerifyTime = took
	if err != nil {
		return Result{}, fmt.Errorf("score uid %d task %s: %w", o.UID, o.Task.ID, err)
	}
	r.Verdict = &vd
	r.digest = digest(answer.TokenIDs())
	r.surprise = -vd.MeanLogprob * float64(len(answer.Tokens))
	if !vd.Pass {
		first := vd.Reasons[0]
		r.Score, r.Reason = 0, ReasonFailed
		r.Detail = fmt.Sprintf("%s at token %d: %s (%d reasons, %.0f%% of tokens pass)", first.Code, first.Position, first.Detail, len(vd.Reasons), 100*vd.Score)
		return r, nil
	}
	lat, thr := s.credits(o.Latency, o.Task.Deadline, len(answer.Tokens))
	r.Score = s.cfg.CorrectnessWeight + s.cfg.LatencyWeight*lat + s.cfg.ThroughputWeight*thr
	r.Reason = ReasonOK
	r.Detail = fmt.Sprintf("%d tokens in %v, latency credit %.2f, throughput credit %.2f", len(answer.Tokens), o.Latency.Round(time.Millisecond), lat, thr)
	return r, nil
}

// credits returns the latency and throughput credits, each in [0, 1].
func (s *Scorer) credits(latency, deadline time.Duration, tokens int) (lat, thr float64) {
	return LatencyCredit(latency, s.cfg.TargetLatency, deadline), ThroughputCredit(latency, tokens, s.cfg.TargetThroughput)
}

// LatencyCredit is L of the package documentation.
func LatencyCredit(latency, target, deadline time.Duration) float64 {
	switch {
	case latency <= target:
		return 1
	case latency >= deadline:
		return 0
	}
	return float64(deadline-latency) / float64(deadline-target)
}

// ThroughputCredit is T of the package documentation.
func ThroughputCredit(latency time.Duration, tokens int, target float64) float64 {
	if latency <= 0 {
		return 1
	}
	return min(1, float64(tokens)/latency.Seconds()/target)
}

// ScoreRound scores every outcome of a round, as Score would, then flags copied answers. The answers
// to one task group (every miner's prompt shares the group's body) are verified together
// (verify.VerifyMany), so that the reference prefills the prompt tokens they share once; a large
// group is cut into a few batches verified at the same time, one per core (see batches). Each
// result's VerifyTime is its share of its batch's verification, wall time that may overlap other
// batches'. Outcomes the validator could not score are left out of the results and their errors
// joined, in the order of the outcomes' groups.
func (s *Scorer) ScoreRound(ctx context.Context, outcomes []Outcome) ([]Result, error) {
	results := make([]Result, len(outcomes))
	scored := make([]bool, len(outcomes))
	// The prechecks' signature checks cost about a tenth of a verification: on every core too.
	prechecked := make([]pending, len(outcomes))
	done := make([]bool, len(outcomes))
	s.each(len(outcomes), func(i int) {
		r, answer, d := s.precheck(outcomes[i])
		prechecked[i], done[i] = pending{at: i, r: r, answer: answer}, d
	})
	var groups [][]pending // in order of each group's first outcome, so that logs replay alike
	byGroup := map[string]int{}
	for i, o := range outcomes {
		if done[i] {
			results[i], scored[i] = prechecked[i].r, true
			continue
		}
		g, ok := byGroup[o.Task.Group]
		if !ok {
			g = len(groups)
			byGroup[o.Task.Group] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], prechecked[i])
	}
	batches := s.batches(groups)
	batchErrs := make([][]error, len(batches))
	s.each(len(batches), func(b int) {
		batch := batches[b]
		items := make([]verify.Item, len(batch))
		for k, p := range batch {
			items[k] = verify.Item{Request: outcomes[p.at].Task.Request, Answer: p.answer}
		}
		started := time.Now()
		verdicts, verrs := s.verifier.VerifyMany(ctx, items)
		share := time.Since(started) / time.Duration(len(batch))
		for k, p := range batch {
			r, err := s.finish(outcomes[p.at], p.r, p.answer, verdicts[k], verrs[k], share)
			if err != nil {
				batchErrs[b] = append(batchErrs[b], err)
				continue
			}
			results[p.at], scored[p.at] = r, true // each outcome is in one batch only
		}
	})
	var errs []error
	for _, be := range batchErrs { // in batch order, so that logs replay alike
		errs = append(errs, be...)
	}
	out := make([]Result, 0, len(outcomes))
	for i, ok := range scored {
		if ok {
			out = append(out, results[i])
		}
	}
	s.flagCopies(out)
	return out, errors.Join(errs...)
}

// each runs f(i) for every i in [0, n), on up to s.workers goroutines at once, and returns when all
// are done. Each i is taken by one goroutine only, so f may write to index i of shared slices.
func (s *Scorer) each(n int, f func(i int)) {
	if s.workers <= 1 || n <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(s.workers, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// pending is a prechecked outcome awaiting verification.
type pending struct {
	at     int // index in outcomes
	r      Result
	answer inference.Result
}

// minBatch is the fewest answers of a group that ScoreRound verifies as a batch of their own. Each
// batch prefills the group's shared prompt head (about 50 tokens, against about 65 of each answer's
// own prompt tokens and answer) again; with two answers a batch the head is still shared, and running
// the batches side by side on two cores gains more than the repeated head costs.
const minBatch = 2

// batches cuts the groups into the units ScoreRound verifies, one VerifyMany call each. A group stays
// whole when the round has a group for every core; when it has fewer (the default round has one, with
// an answer from every sampled miner), each group with at least 2·minBatch answers is cut into up to
// its share of the cores in consecutive parts of at least minBatch answers, so that every core is
// busy. The reference engine spreads a lone prefill over the cores too, but a prefill of a few dozen
// tokens leaves them idle much of the time.
func (s *Scorer) batches(groups [][]pending) [][]pending {
	var out [][]pending
	share := max(1, s.workers/max(1, len(groups))) // cores per group
	for _, g := range groups {
		parts := max(1, min(share, len(g)/minBatch))
		size := (len(g) + parts - 1) / parts
		for lo := 0; lo < len(g); lo += size {
			out = append(out, g[lo:min(len(g), lo+size)])
		}
	}
	return out
}

// undecodable reports whether a call failed because the answer's body could not be decoded (a miner
// that sent JSON, or anything else, where the protocol wants a protobuf GenerateResponse). gRPC reports
// this as Internal with its own wording, the only way it tells the failure apart.
func undecodable(err error) bool {
	st, ok := status.FromError(err)
	return ok && st.Code() == codes.Internal && strings.Contains(st.Message(), "failed to unmarshal")
}

func digest(ids []int) [32]byte {
	h := sha256.New()
	var b [binary.MaxVarintLen64]byte
	for _, id := range ids {
		h.Write(b[:binary.PutUvarint(b[:], uint64(id))])
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
