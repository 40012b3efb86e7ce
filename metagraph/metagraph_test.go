package metagraph

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

type fakeSource struct {
	snap *Snapshot
	err  error
	n    atomic.Int64
}

func (f *fakeSource) Fetch(context.Context, uint32) (*Snapshot, error) {
	f.n.Add(1)
	return f.snap, f.err
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestCacheServesLastGoodViewThenRefusesWhenStale(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	cfg := DefaultConfig(1)
	src := &fakeSource{}
	var outcomes []bool
	c := New(cfg, src, quiet(), clk.now, func(ok bool) { outcomes = append(outcomes, ok) })

	if _, err := c.View(); !errors.Is(err, ErrNoView) {
		t.Fatalf("before first fetch: %v", err)
	}

	src.snap = NewSnapshot(1, 10, []Neuron{{UID: 0, Hotkey: "mind1val", ValidatorPermit: true, Stake: 5}}, clk.t)
	if wait := c.Refresh(context.Background()); wait != cfg.RefreshInterval {
		t.Fatalf("wait after success = %s", wait)
	}
	view, err := c.View()
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := view.ByHotkey("mind1val"); !ok || !n.ValidatorPermit {
		t.Fatalf("lookup by hotkey: %+v %v", n, ok)
	}
	if _, ok := view.ByHotkey("mind1nobody"); ok {
		t.Fatal("unknown hotkey found")
	}

	// The node goes down: backoff doubles up to the cap, the old view keeps serving.
	src.err = errors.New("connection refused")
	var waits []time.Duration
	for range 7 {
		clk.t = clk.t.Add(20 * time.Second)
		waits = append(waits, c.Refresh(context.Background()))
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("backoff %d = %s, want %ds (all: %v)", i, waits[i], want[i], waits)
		}
	}
	if _, err := c.View(); err != nil {
		t.Fatalf("view 140 s old should still serve: %v", err)
	}

	clk.t = clk.t.Add(cfg.MaxStaleness)
	if _, err := c.View(); !errors.Is(err, ErrStale) {
		t.Fatalf("view past MaxStaleness: %v", err)
	}

	// Recovery resets the backoff and the staleness.
	src.err = nil
	src.snap = NewSnapshot(1, 99, nil, clk.t)
	if wait := c.Refresh(context.Background()); wait != cfg.RefreshInterval {
		t.Fatalf("wait after recovery = %s", wait)
	}
	if v, err := c.View(); err != nil || v.Height != 99 {
		t.Fatalf("after recovery: %v %v", v, err)
	}
	if len(outcomes) != 9 || !outcomes[0] || outcomes[1] || !outcomes[8] {
		t.Fatalf("sync outcomes %v", outcomes)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	src := &fakeSource{snap: NewSnapshot(1, 1, nil, time.Now())}
	cfg := DefaultConfig(1)
	cfg.RefreshInterval = time.Millisecond
	c := New(cfg, src, quiet(), nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	for src.n.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}
