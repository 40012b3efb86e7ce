package round

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/validator/scoring"
	"github.com/mindnet/mindnet/validator/tasks"
)

func generator(t *testing.T, deadline time.Duration) *tasks.Generator {
	t.Helper()
	set, err := tasks.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg := tasks.DefaultConfig()
	cfg.BaseDeadline, cfg.DeadlinePerToken = deadline, 0
	g, err := tasks.NewGenerator(set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func snapshot(n int) *metagraph.Snapshot {
	neurons := []metagraph.Neuron{{UID: 0, Hotkey: "validator", ValidatorPermit: true, Axon: &metagraph.Axon{IP: "10.0.0.1", Port: 1}}}
	for i := 1; i <= n; i++ {
		nr := metagraph.Neuron{UID: uint32(i), Hotkey: fmt.Sprintf("miner%d", i)}
		if i%5 != 0 { // every fifth miner serves no axon
			nr.Axon = &metagraph.Axon{IP: "10.0.0.2", Port: uint32(8000 + i)}
		}
		neurons = append(neurons, nr)
	}
	return metagraph.NewSnapshot(1, 100, neurons, time.Now())
}

// slowCaller answers after wait, or when the call's context ends, and records how many calls were
// open at once.
type slowCaller struct {
	wait     time.Duration
	open     atomic.Int64
	maxOpen  atomic.Int64
	mu       sync.Mutex
	prompts  map[string]string // hotkey → prompt
	deadline map[string]bool   // hotkey → the call had a deadline
}

func (c *slowCaller) Generate(ctx context.Context, m metagraph.Neuron, req *axonv1.GenerateRequest) (axonclient.Signed[*axonv1.GenerateResponse], error) {
	n := c.open.Add(1)
	defer c.open.Add(-1)
	for {
		old := c.maxOpen.Load()
		if n <= old || c.maxOpen.CompareAndSwap(old, n) {
			break
		}
	}
	_, hasDeadline := ctx.Deadline()
	c.mu.Lock()
	c.prompts[m.Hotkey] = req.GetPrompt()
	c.deadline[m.Hotkey] = hasDeadline
	c.mu.Unlock()
	select {
	case <-time.After(c.wait):
		return axonclient.Signed[*axonv1.GenerateResponse]{Response: &axonv1.GenerateResponse{Text: "x"}}, nil
	case <-ctx.Done():
		return axonclient.Signed[*axonv1.GenerateResponse]{}, ctx.Err()
	}
}

// passScorer scores answered calls 1 and failed ones 0, as a stand-in for scoring.Scorer.
type passScorer struct{}

func (passScorer) ScoreRound(_ context.Context, outs []scoring.Outcome) ([]scoring.Result, error) {
	var rs []scoring.Result
	for _, o := range outs {
		r := scoring.Result{UID: o.UID, Hotkey: o.Hotkey, TaskID: o.Task.ID, Reason: scoring.ReasonOK, Score: 1}
		if o.Err != nil {
			r.Reason, r.Score = scoring.ReasonTimeout, 0
		}
		rs = append(rs, r)
	}
	return rs, nil
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestSampleIsSeededBoundedAndSkipsSelf(t *testing.T) {
	serving := Serving(snapshot(40), "validator")
	if len(serving) != 32 { // 40 miners, 8 without an axon, the validator left out
		t.Fatalf("%d serving", len(serving))
	}
	a, b, c := Sample(serving, 10, 7), Sample(serving, 10, 7), Sample(serving, 10, 8)
	if len(a) != 10 || !slices.EqualFunc(a, b, func(x, y metagraph.Neuron) bool { return x.UID == y.UID }) {
		t.Fatal("same seed, different sample")
	}
	if slices.EqualFunc(a, c, func(x, y metagraph.Neuron) bool { return x.UID == y.UID }) {
		t.Fatal("different seeds, same sample")
	}
	if !slices.IsSortedFunc(a, func(x, y metagraph.Neuron) int { return int(x.UID) - int(y.UID) }) {
		t.Fatal("sample not in UID order")
	}
	if got := Sample(serving[:3], 10, 7); len(got) != 3 {
		t.Fatalf("fewer serving than the sample size: %d", len(got))
	}
}

// TestInFlightBound: 24 miners answering in 30 ms, at most 4 calls open at once.
func TestInFlightBound(t *testing.T) {
	caller := &slowCaller{wait: 30 * time.Millisecond, prompts: map[string]string{}, deadline: map[string]bool{}}
	cfg := Config{SampleSize: 100, TasksPerMiner: 1, MaxInFlight: 4, Grace: time.Second}
	r, err := New(cfg, "validator", generator(t, 5*time.Second), caller, passScorer{}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Run(t.Context(), snapshot(30), 42)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sampled) != 24 || len(rep.Results) != 24 || rep.Unscored != 0 {
		t.Fatalf("sampled %d, results %d", len(rep.Sampled), len(rep.Results))
	}
	if got := caller.maxOpen.Load(); got > 4 || got < 2 {
		t.Fatalf("%d calls open at once, bound 4", got)
	}
	// Every miner got its own prompt, and every call a deadline.
	seen := map[string]bool{}
	for hk, p := range caller.prompts {
		if seen[p] || !caller.deadline[hk] {
			t.Fatalf("%s: prompt shared or call without deadline", hk)
		}
		seen[p] = true
	}
}

// TestPerRequestTimeout: a miner that never answers costs the round its task deadline plus grace,
// not more, and is reported as a failed call; the others are unaffected.
func TestPerRequestTimeout(t *testing.T) {
	caller := &slowCaller{wait: time.Hour, prompts: map[string]string{}, deadline: map[string]bool{}}
	cfg := Config{SampleSize: 4, TasksPerMiner: 2, MaxInFlight: 8, Grace: 20 * time.Millisecond}
	r, err := New(cfg, "validator", generator(t, 50*time.Millisecond), caller, passScorer{}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := r.Run(t.Context(), snapshot(4), 1)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("round took %v", time.Since(start))
	}
	if len(rep.Outcomes) != 8 {
		t.Fatalf("%d outcomes for 4 miners × 2 tasks", len(rep.Outcomes))
	}
	for _, o := range rep.Outcomes {
		if !errors.Is(o.Err, context.DeadlineExceeded) || o.Latency < 70*time.Millisecond {
			t.Fatalf("UID %d: %v after %v", o.UID, o.Err, o.Latency)
		}
	}
}

// TestCancelledRoundStops: cancelling the context ends the round promptly with the context's error.
func TestCancelledRoundStops(t *testing.T) {
	caller := &slowCaller{wait: time.Hour, prompts: map[string]string{}, deadline: map[string]bool{}}
	r, err := New(Config{SampleSize: 50, TasksPerMiner: 1, MaxInFlight: 2, Grace: time.Hour}, "validator", generator(t, time.Hour), caller, passScorer{}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := r.Run(ctx, snapshot(50), 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{}, {SampleSize: 1, TasksPerMiner: 1, MaxInFlight: 0}, {SampleSize: 1, TasksPerMiner: 1, MaxInFlight: 1, Grace: -1}} {
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}
