package axonauth

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Nonce errors.
var (
	ErrStaleNonce    = errors.New("nonce is outside the accepted time window: check the caller's clock")
	ErrReplayedNonce = errors.New("nonce was already used by this caller: request replayed")
)

// MaxNoncesPerCaller bounds the nonces remembered per caller. Past it the oldest are forgotten and
// every nonce up to the forgotten ones is refused, so replays stay impossible while memory stays flat.
const MaxNoncesPerCaller = 1024

// NonceTracker accepts each of a caller's nonces once, and only while it is within the window of the
// miner's clock.
//
// A caller's nonces need not arrive in order: a validator with several requests in flight to one miner
// (separate gRPC streams) sends them in nonce order but they can be admitted in any order, and a rule of
// "strictly above the last nonce" would refuse honest concurrent requests. So the tracker remembers the
// nonces it accepted within the window; a nonce is refused if it was seen, or if it is at or below the
// caller's floor (older than the window, or older than anything forgotten under MaxNoncesPerCaller).
type NonceTracker struct {
	window time.Duration

	mu      sync.Mutex
	callers map[string]*callerNonces
	sweptAt uint64
}

type callerNonces struct {
	floor uint64   // every nonce ≤ floor is refused
	seen  []uint64 // accepted nonces above floor, sorted
}

// NewNonceTracker returns a tracker that accepts nonces within window of now, either way.
func NewNonceTracker(window time.Duration) *NonceTracker {
	return &NonceTracker{window: window, callers: make(map[string]*callerNonces)}
}

// Accept records nonce for caller if it is fresh and unused. Call it only after the signature and the
// caller's permission have been checked, so that strangers cannot fill the table.
func (t *NonceTracker) Accept(caller string, nonce uint64, now time.Time) error {
	nowNS := now.UnixNano()
	if nowNS < 0 {
		return fmt.Errorf("clock before 1970: %v", now)
	}
	n, window := uint64(nowNS), uint64(t.window.Nanoseconds())
	if nonce+window < n || nonce > n+window {
		return fmt.Errorf("%w: nonce %d, miner clock %d, window %s", ErrStaleNonce, nonce, n, t.window)
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.callers[caller]
	if c == nil {
		c = &callerNonces{}
		t.callers[caller] = c
	}
	if n > window {
		c.raiseFloor(n - window) // older nonces fail the window check anyway
	}
	i, found := slices.BinarySearch(c.seen, nonce)
	if found || nonce <= c.floor {
		return fmt.Errorf("%w: nonce %d", ErrReplayedNonce, nonce)
	}
	c.seen = slices.Insert(c.seen, i, nonce)
	if len(c.seen) > MaxNoncesPerCaller {
		c.raiseFloor(c.seen[0])
	}
	t.sweepLocked(n, window)
	return nil
}

func (c *callerNonces) raiseFloor(floor uint64) {
	if floor <= c.floor {
		return
	}
	c.floor = floor
	i, _ := slices.BinarySearch(c.seen, floor+1)
	c.seen = c.seen[i:]
}

// sweepLocked forgets callers with nothing left inside the window, at most once per window.
func (t *NonceTracker) sweepLocked(now, window uint64) {
	if now-t.sweptAt < window {
		return
	}
	t.sweptAt = now
	for caller, c := range t.callers {
		if len(c.seen) == 0 || c.seen[len(c.seen)-1]+window < now {
			delete(t.callers, caller)
		}
	}
}

// Len returns how many callers the tracker remembers.
func (t *NonceTracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.callers)
}
