package axonauth

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Nonce errors.
var (
	ErrStaleNonce    = errors.New("nonce is outside the accepted time window: check the caller's clock")
	ErrReplayedNonce = errors.New("nonce is not above the caller's last accepted nonce: request replayed or reordered")
)

// NonceTracker accepts a caller's nonce once, and only while it is within Window of the miner's
// clock. It remembers the highest accepted nonce per caller; entries older than the window are
// forgotten on the next sweep, since their nonces would fail the window check anyway.
type NonceTracker struct {
	window time.Duration

	mu        sync.Mutex
	last      map[string]uint64
	lastSweep int64
}

// NewNonceTracker returns a tracker that accepts nonces within window of now, either way.
func NewNonceTracker(window time.Duration) *NonceTracker {
	return &NonceTracker{window: window, last: make(map[string]uint64)}
}

// Accept records nonce for caller if it is fresh (within the window of now) and above the caller's
// last accepted nonce. Call it only after the signature and the caller's permission have been
// checked, so that strangers cannot fill the table.
func (t *NonceTracker) Accept(caller string, nonce uint64, now time.Time) error {
	nowNS := now.UnixNano()
	if nowNS < 0 {
		return fmt.Errorf("clock before 1970: %v", now)
	}
	window := uint64(t.window.Nanoseconds())
	n := uint64(nowNS)
	if nonce+window < n || nonce > n+window {
		return fmt.Errorf("%w: nonce %d, miner clock %d, window %s", ErrStaleNonce, nonce, n, t.window)
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	if last, ok := t.last[caller]; ok && nonce <= last {
		return fmt.Errorf("%w: nonce %d, last accepted %d", ErrReplayedNonce, nonce, last)
	}
	t.last[caller] = nonce
	t.sweepLocked(n, window)
	return nil
}

// sweepLocked forgets callers whose last nonce has left the window, at most once per window.
func (t *NonceTracker) sweepLocked(now, window uint64) {
	if int64(now)-t.lastSweep < int64(window) {
		return
	}
	t.lastSweep = int64(now)
	for caller, last := range t.last {
		if last+window < now {
			delete(t.last, caller)
		}
	}
}

// Len returns how many callers the tracker remembers.
func (t *NonceTracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.last)
}
