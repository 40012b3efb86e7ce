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
	if err := tr.Accept("a", n-1, now); !errors.Is(err, ErrReplayedNonce) {
		t.Fatalf("older nonce: got %v", err)
	}
	if err := tr.Accept("b", n-1, now); err != nil {
		t.Fatalf("nonces are per caller, got %v", err)
	}
	if err := tr.Accept("a", n-uint64(31*time.Second), now); !errors.Is(err, ErrStaleNonce) {
		t.Fatalf("stale nonce: got %v", err)
	}
	if err := tr.Accept("c", n+uint64(31*time.Second), now); !errors.Is(err, ErrStaleNonce) {
		t.Fatalf("nonce from the future: got %v", err)
	}
	if err := tr.Accept("a", n+1, now); err != nil {
		t.Fatalf("next nonce refused: %v", err)
	}

	// A minute later the old entries are swept on the next accepted nonce.
	later := now.Add(time.Minute)
	if err := tr.Accept("d", uint64(later.UnixNano()), later); err != nil {
		t.Fatal(err)
	}
	if got := tr.Len(); got != 1 {
		t.Fatalf("tracker remembers %d callers after the window passed, want 1", got)
	}
}
