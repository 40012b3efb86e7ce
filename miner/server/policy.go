package server

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mindnet/mindnet/metagraph"
)

// Reasons a caller is turned away before any work is done.
var (
	ErrNotRegistered = errors.New("caller hotkey holds no UID on this subnet")
	ErrNoPermit      = errors.New("caller holds no validator permit on this subnet")
	ErrStakeTooLow   = errors.New("caller's stake is below this miner's floor")
	ErrRateLimited   = errors.New("too many requests from this caller")
)

// View is the part of the metagraph cache the policy reads.
type View interface {
	View() (*metagraph.Snapshot, error)
}

// CallerPolicy decides who may call: subnet validators known to the chain, with a permit and at least
// MinStake, as the metagraph says.
type CallerPolicy struct {
	Metagraph     View
	RequirePermit bool
	MinStake      uint64
}

// Admit returns the caller's stake if the caller may call.
func (p CallerPolicy) Admit(caller string) (uint64, error) {
	view, err := p.Metagraph.View()
	if err != nil {
		return 0, fmt.Errorf("cannot check callers: %w", err)
	}
	n, ok := view.ByHotkey(caller)
	if !ok {
		return 0, fmt.Errorf("%w: %s on netuid %d", ErrNotRegistered, caller, view.Netuid)
	}
	if p.RequirePermit && !n.ValidatorPermit {
		return 0, fmt.Errorf("%w: %s (uid %d)", ErrNoPermit, caller, n.UID)
	}
	if n.Stake < p.MinStake {
		return 0, fmt.Errorf("%w: %d umind, floor %d umind", ErrStakeTooLow, n.Stake, p.MinStake)
	}
	return n.Stake, nil
}

// RateLimiter is a token bucket per caller: Rate requests per second on average, Burst at once.
type RateLimiter struct {
	Rate  float64
	Burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewRateLimiter returns a limiter of rate requests per second per caller with the given burst.
func NewRateLimiter(rate, burst float64) *RateLimiter {
	return &RateLimiter{Rate: rate, Burst: burst, buckets: make(map[string]*bucket)}
}

// Allow takes one token from caller's bucket.
func (r *RateLimiter) Allow(caller string, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.buckets[caller]
	if !ok {
		b = &bucket{tokens: r.Burst, last: now}
		r.buckets[caller] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(r.Burst, b.tokens+elapsed*r.Rate)
		b.last = now
	}
	if b.tokens < 1 {
		return fmt.Errorf("%w: limit %.3g/s with bursts of %.0f; retry in %.1fs", ErrRateLimited, r.Rate, r.Burst, (1-b.tokens)/r.Rate)
	}
	b.tokens--
	return nil
}
