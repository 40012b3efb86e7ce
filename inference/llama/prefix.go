package llama

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/mindnet/mindnet/inference"
)

// ErrPrefixReleased is returned by a Prefix used after Release.
var ErrPrefixReleased = errors.New("llama: prefix already released")

// Prefix is the model's state after a run of leading tokens that several
// scorings share: the keys and values of every layer for those positions,
// and the logits of the last of them. Scoring a continuation from a Prefix
// runs only the tokens after it, and gives what ScoreTokens gives for the
// whole sequence, bit for bit: every token's numbers depend only on the
// tokens before it, never on how the sequence was cut into forward passes.
//
// The prefix's positions are never written after NewPrefix. One Score at a
// time works in the prefix's own state, past its positions, when they fit
// its cache; a Score that finds it busy, or needs more positions, copies the
// prefix's cache into a state of its own, so a Prefix is safe for
// concurrent use.
type Prefix struct {
	m      *Model
	tokens []int

	// use is read-held by every Score and write-held by Release, so that the
	// state goes back to the pool only when nobody reads it.
	use      sync.RWMutex
	released bool
	// own is held by the Score that computes in s past the prefix.
	own sync.Mutex
	s   *state

	// The last prefix token's logits (in s.prefixLogits) and their largest
	// value, its id and their log-sum-exp: what scoring a continuation's
	// first token needs when nothing comes between the prefix and it.
	best float32
	top  int
	lse  float64
}

// NewPrefix runs tokens (BOS included) through the model once and keeps
// the result for Prefix.Score. Release it when done: it holds a request's
// worth of buffers.
func (m *Model) NewPrefix(ctx context.Context, tokens []int) (*Prefix, error) {
	if len(tokens) == 0 {
		return nil, fmt.Errorf("%w: empty prefix", inference.ErrBadRequest)
	}
	all, err := m.checkTokens(nil, tokens)
	if err != nil {
		return nil, err
	}
	s := m.getState()
	for at := 0; at < len(all); at += chunk {
		if err := ctx.Err(); err != nil {
			m.putState(s)
			return nil, fmt.Errorf("llama: prefix: %w", err)
		}
		end := min(len(all), at+chunk)
		logitsFrom := end - at
		if end == len(all) {
			logitsFrom--
		}
		m.forward(s, all[at:end], at, logitsFrom)
	}
	v := m.cfg.VocabSize
	if s.prefixLogits == nil {
		s.prefixLogits = make([]float32, v)
	}
	last := s.prefixLogits
	copy(last, s.logits[:v])
	p := &Prefix{m: m, tokens: all, s: s}
	p.best, p.top, p.lse = logSoftmaxStats(last)
	return p, nil
}

// Len is the number of tokens in the prefix.
func (p *Prefix) Len() int { return len(p.tokens) }

// Score returns, for each token of continuation, its log-probability after
// the prefix, then rest, then the continuation tokens before it: what
// ScoreTokens(prefix+rest, continuation) returns, from a prefill of rest
// and continuation alone.
func (p *Prefix) Score(ctx context.Context, rest, continuation []int) ([]inference.Scored, error) {
	p.use.RLock()
	defer p.use.RUnlock()
	if p.released {
		return nil, ErrPrefixReleased
	}
	m := p.m
	all, err := m.checkTokens(p.tokens, rest, continuation)
	if err != nil {
		return nil, err
	}
	s := p.s
	// The prefix's own state serves one Score at a time, and only one
	// that fits its cache: growing it would move the prefix's keys and
	// values under a concurrent Score copying them.
	owned := p.own.TryLock()
	if owned && len(all) > s.positions {
		p.own.Unlock()
		owned = false
	}
	if owned {
		defer p.own.Unlock()
	} else {
		s = m.getState()
		defer m.putState(s)
		s.reserve(m.cfg, len(p.tokens))
		kv := len(p.tokens) * m.cfg.kvDim()
		for li := range s.kCache {
			copy(s.kCache[li][:kv], p.s.kCache[li][:kv])
			copy(s.vCache[li][:kv], p.s.vCache[li][:kv])
		}
	}
	out := make([]inference.Scored, len(continuation))
	first := len(p.tokens) + len(rest) - 1
	if len(rest) == 0 && len(continuation) > 0 {
		id := continuation[0]
		out[0] = inference.Scored{ID: id, Logprob: float64(p.s.prefixLogits[id]) - p.lse, TopID: p.top, TopLogprob: float64(p.best) - p.lse}
	}
	if err := m.scoreFrom(ctx, s, all, len(p.tokens), first, continuation, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Release hands the prefix's buffers back to the model, after every Score
// has returned; later calls to Score fail with ErrPrefixReleased. Releasing
// twice is harmless.
func (p *Prefix) Release() {
	p.use.Lock()
	defer p.use.Unlock()
	if p.released {
		return
	}
	p.released = true
	p.m.putState(p.s)
	p.s = nil
}

var _ inference.PrefixScorer = (*Model)(nil)

// ScoreMany scores each job as Score would, bit for bit, prefilling the
// tokens that all the jobs' prompts begin with only once: a validator that
// sent one task to several miners pays for the shared prompt once.
func (m *Model) ScoreMany(ctx context.Context, jobs []inference.ScoreJob) ([][]inference.Scored, error) {
	out := make([][]inference.Scored, len(jobs))
	if len(jobs) == 0 {
		return out, nil
	}
	prompts := make([][]int, len(jobs))
	shared := -1
	for i, j := range jobs {
		prompts[i] = m.EncodePrompt(j.Prompt)
		shared = commonPrefix(prompts[0], prompts[i], shared)
	}
	if len(jobs) == 1 {
		s, err := m.ScoreTokens(ctx, prompts[0], jobs[0].Continuation)
		out[0] = s
		return out, err
	}
	p, err := m.NewPrefix(ctx, prompts[0][:shared])
	if err != nil {
		return nil, fmt.Errorf("llama: score many: %w", err)
	}
	defer p.Release()
	for i, j := range jobs {
		if out[i], err = p.Score(ctx, prompts[i][shared:], j.Continuation); err != nil {
			return nil, fmt.Errorf("llama: score many: job %d: %w", i, err)
		}
	}
	return out, nil
}

// commonPrefix is how many leading tokens a and b share, at most limit
// (no limit when it is negative).
func commonPrefix(a, b []int, limit int) int {
	n := min(len(a), len(b))
	if limit >= 0 {
		n = min(n, limit)
	}
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
