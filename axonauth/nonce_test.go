package axonauth

import (
	"errors"
	"testing"
	"time"
)

func TestNonceTracker(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	n := uint64(now.UnixNano())
	tr := NewNonceTracker(30 * time.Second)

	if err := tr.Accept("a", n, now); err != nil {
		t.Fatalf("fresh nonce refused: %v", err)
	}
	if err := tr.Accept("a", n, now); !errors.Is(err, ErrReplayedNonce) {
		t.Fatalf("replay: got %v", err)
	}
	// Concurrent requests may arrive out of order: an older, unused nonce inside the window is fine,
	// once.
	if err := tr.Accept("a", n-1, now); err != nil {
		t.Fatalf("out-of-order nonce refused: %v", err)
	}
	if err := tr.Accept("a", n-1, now); !errors.Is(err, ErrReplayedNonce) {
		t.Fatalf("replay of the out-of-order nonce: got %v", err)
	}
	if err := tr.Accept("b", n, now); err != nil {
		t.Fatalf("nonces are per caller, got %v", err)
	}
	if err := tr.Accept("a", n-uint64(31*time.Second), now); !errors.Is(err, ErrStaleNonce) {
		t.Fatalf("stale nonce: got %v", err)
	}
	if err := tr.Accept("c", n+uint64(31*time.Second), now); !errors.Is(err, ErrStaleNonce) {
		t.Fatalf("nonce from the future: got %v", err)
	}

	// A minute later the old callers are swept on the next accepted nonce.
	later := now.Add(time.Minute)
	if err := tr.Accept("d", uint64(later.UnixNano()), later); err != nil {
		t.Fatal(err)
	}
	if got := tr.Len(); got != 1 {
		t.Fatalf("tracker remembers %d callers after the window passed, want 1", got)
	}
}

func TestNonceTrackerForgetsOldestButRefusesThem(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	n := uint64(now.UnixNano())
	tr := NewNonceTracker(time.Hour)
	for i := range MaxNoncesPerCaller + 10 {
		if err := tr.Accept("a", n+uint64(i), now); err != nil {
			t.Fatalf("nonce %d: %v", i, err)
		}
	}
	// The oldest were forgotten; they must still be refused, and so must anything below them.
	for _, old := range []uint64{n, n + 5, n - 7} {
		if err := tr.Accept("a", old, now); !errors.Is(err, ErrReplayedNonce) {
			t.Fatalf("forgotten nonce %d accepted: %v", old-n, err)
		}
	}
	if len(tr.callers["a"].seen) > MaxNoncesPerCaller {
		t.Fatalf("remembers %d nonces, bound %d", len(tr.callers["a"].seen), MaxNoncesPerCaller)
	}
}
