package submit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mindnet/mindnet/validator/state"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

const netuid = 3

type counter map[string]int

func (c counter) Submission(kind, outcome string) { c[kind+"/"+outcome]++ }

type harness struct {
	t     *testing.T
	path  string
	chain *fakeChain
	sub   *Submitter
	store *state.Store
	obs   counter
	waits []time.Duration
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newHarness(t *testing.T, hp Hyperparameters) *harness {
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "state.json"), chain: newFakeChain(netuid, hp), obs: counter{}}
	h.restart()
	return h
}

// restart opens the state file afresh and builds a new submitter over it, as a restarted process does.
func (h *harness) restart() {
	h.t.Helper()
	st, err := state.Open(h.path, netuid, "validator", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	sub, err := New(DefaultConfig(netuid, "validator"), h.chain, st, quiet(), h.obs)
	if err != nil {
		h.t.Fatal(err)
	}
	sub.sleep = func(_ context.Context, d time.Duration) error { h.waits = append(h.waits, d); return nil }
	h.sub, h.store = sub, st
}

var row = Row{UIDs: []uint32{1, 2, 3}, Weights: []uint32{65535, 30000, 100}}

func fixed(Hyperparameters) (Row, error) { return row, nil }

func (h *harness) tick() error { return h.sub.Tick(h.t.Context(), fixed) }

func (h *harness) epoch() uint64 {
	return subnettypes.EpochIndex(netuid, h.chain.hp.Tempo, uint64(h.chain.height))
}

// TestSetOncePerTempoWithinRateLimit ticks every block for 8 tempos: one row per tempo, none refused,
// and none within the rate limit of the previous one.
func TestSetOncePerTempoWithinRateLimit(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10, WeightsRateLimit: 15})
	perEpoch := map[uint64]int{}
	var heights []int64
	for range 88 {
		before := len(h.chain.rows)
		if err := h.tick(); err != nil {
			t.Fatalf("height %d: %v", h.chain.height, err)
		}
		if len(h.chain.rows) > before {
			perEpoch[h.epoch()]++
			heights = append(heights, h.chain.height)
		}
		h.chain.advance(1)
	}
	if h.obs["set/refused"] != 0 || h.obs["set/ok"] != len(heights) {
		t.Fatalf("outcomes %v", h.obs)
	}
	for e, n := range perEpoch {
		if n != 1 {
			t.Errorf("tempo %d: %d rows", e, n)
		}
	}
	for i := 1; i < len(heights); i++ {
		if heights[i]-heights[i-1] < 15 {
			t.Errorf("rows at %d and %d: inside the rate limit", heights[i-1], heights[i])
		}
	}
	// 88 blocks with a rate limit of 15 and a tempo of 10 (11 blocks per index) allow 5 or 6 rows.
	if len(heights) < 5 {
		t.Fatalf("only %d rows in 88 blocks: %v", len(heights), heights)
	}
	last := h.store.Snapshot().Last
	if last == nil || last.Kind != KindSet || last.Height != heights[len(heights)-1] {
		t.Fatalf("last submission %+v, rows at %v", last, heights)
	}
}

// TestNothingToSubmitWaits: without scores, nothing is sent and nothing is recorded.
func TestNothingToSubmitWaits(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10})
	if err := h.sub.Tick(t.Context(), func(Hyperparameters) (Row, error) { return Row{}, ErrNothingToSubmit }); err != nil {
		t.Fatal(err)
	}
	if len(h.chain.calls) != 0 || h.store.Snapshot().Last != nil {
		t.Fatalf("calls %v", h.chain.calls)
	}
}

// TestRetriesWithBackoff: two failures to reach the node, then success; waits double.
func TestRetriesWithBackoff(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10})
	h.chain.fail = 2
	if err := h.tick(); err != nil {
		t.Fatal(err)
	}
	if len(h.chain.rows) != 1 || h.obs["set/retry"] != 2 || h.obs["set/ok"] != 1 {
		t.Fatalf("rows %d, outcomes %v", len(h.chain.rows), h.obs)
	}
	if want := []time.Duration{2 * time.Second, 4 * time.Second}; !slices.Equal(h.waits, want) {
		t.Fatalf("waits %v, want %v", h.waits, want)
	}
	// A node down for longer than the attempts: the tick gives up, the next tempo's tick succeeds.
	h.chain.advance(11)
	h.chain.fail = 10
	if err := h.tick(); !errors.Is(err, errUnreachable) {
		t.Fatalf("got %v", err)
	}
	if h.obs["set/error"] != 1 {
		t.Fatalf("outcomes %v", h.obs)
	}
	h.chain.fail = 0
	if err := h.tick(); err != nil || len(h.chain.rows) != 2 {
		t.Fatalf("after the node came back: %v, %d rows", err, len(h.chain.rows))
	}
}

// TestRefusalNotRetriedInTheSameTempo: a refusal is counted once and not repeated every tick.
func TestRefusalNotRetriedInTheSameTempo(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10, WeightsRateLimit: 1000})
	h.chain.lastRow = 1 // the chain knows a row this state file does not
	for range 5 {
		if err := h.tick(); !errors.Is(err, ErrRefused) && err != nil {
			t.Fatal(err)
		}
	}
	if n := len(h.chain.calls); n != 1 || h.obs["set/refused"] != 1 {
		t.Fatalf("calls %v outcomes %v", h.chain.calls, h.obs)
	}
	h.chain.advance(11)
	_ = h.tick()
	if len(h.chain.calls) != 2 {
		t.Fatalf("next tempo did not try again: %v", h.chain.calls)
	}
}

// TestCommitRevealAcrossRestart: the chain takes a commit but the validator never hears so (it dies
// waiting); restarted from its state file, it reveals the row in the commit's window and commits the
// next one.
func TestCommitRevealAcrossRestart(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10, CommitRevealEnabled: true, CommitRevealPeriod: 1})
	h.chain.advance(3)
	commitEpoch := h.epoch()
	h.chain.lose = 1
	if err := h.tick(); err == nil {
		t.Fatal("lost answer not reported")
	}
	if len(h.chain.commits) != 1 {
		t.Fatalf("chain holds %d commits", len(h.chain.commits))
	}
	pending := h.store.Snapshot().Pending
	if len(pending) != 1 || pending[0].Confirmed() || len(pending[0].Salt) != SaltBytes || pending[0].Epoch != commitEpoch {
		t.Fatalf("pending %+v", pending)
	}

	h.restart()
	// Still in the commit's tempo: nothing to reveal yet, and no second commit.
	calls := len(h.chain.calls)
	if err := h.tick(); err != nil {
		t.Fatal(err)
	}
	if len(h.chain.calls) != calls {
		t.Fatalf("calls %v", h.chain.calls)
	}
	for h.epoch() == commitEpoch {
		h.chain.advance(1)
	}
	if err := h.tick(); err != nil {
		t.Fatal(err)
	}
	if len(h.chain.rows) != 1 || !slices.Equal(h.chain.rows[0].Weights, row.Weights) {
		t.Fatalf("rows on chain %v", h.chain.rows)
	}
	st := h.store.Snapshot()
	if len(st.Pending) != 1 || !st.Pending[0].Confirmed() || st.Pending[0].Epoch != commitEpoch+1 {
		t.Fatalf("after reveal, pending %+v", st.Pending)
	}
	if !bytes.Equal(st.Pending[0].Hash, h.chain.mustOnlyCommit(t)) {
		t.Fatal("the new commit is not the one the chain holds")
	}
	if st.Last == nil || st.Last.Kind != KindCommit {
		t.Fatalf("last %+v", st.Last)
	}
	if h.obs["reveal/ok"] != 1 || h.obs["commit/ok"] != 1 || h.obs["commit/retry"] != 1 {
		t.Fatalf("outcomes %v", h.obs)
	}
}

func (f *fakeChain) mustOnlyCommit(t *testing.T) []byte {
	t.Helper()
	if len(f.commits) != 1 {
		t.Fatalf("chain holds %d commits", len(f.commits))
	}
	for h := range f.commits {
		return []byte(h)
	}
	return nil
}

// TestCommitNeverSent: the process died after saving the commit but before broadcasting it. The
// reveal is refused in both windows an unconfirmed commit may have, then the commit is forgotten; the
// validator keeps committing every tempo meanwhile.
func TestCommitNeverSent(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10, CommitRevealEnabled: true, CommitRevealPeriod: 1})
	ghost := state.Commit{Hash: []byte("never broadcast"), Salt: make([]byte, SaltBytes), UIDs: []uint32{1}, Weights: []uint32{1}, Epoch: h.epoch()}
	if err := h.store.Update(func(s *state.State) { s.Pending = append(s.Pending, ghost) }); err != nil {
		t.Fatal(err)
	}
	h.restart()
	start := h.epoch()
	for h.epoch() < start+4 {
		_ = h.tick()
		h.chain.advance(1)
	}
	for _, c := range h.store.Snapshot().Pending {
		if string(c.Hash) == string(ghost.Hash) {
			t.Fatal("ghost commit still pending after its windows")
		}
	}
	if h.obs["reveal/refused"] != 2 {
		t.Fatalf("outcomes %v", h.obs)
	}
	if len(h.chain.rows) < 2 {
		t.Fatalf("real commits were not revealed meanwhile: %d rows", len(h.chain.rows))
	}
}

// TestSaltsAreFreshAndPrivate: every commit draws its own salt, and the hash does not reveal the row
// (a different salt gives a different hash for the same row).
func TestSaltsAreFreshAndPrivate(t *testing.T) {
	h := newHarness(t, Hyperparameters{Tempo: 10, CommitRevealEnabled: true, CommitRevealPeriod: 3})
	var salts [][]byte
	for range 3 {
		if err := h.tick(); err != nil {
			t.Fatal(err)
		}
		h.chain.advance(11)
	}
	for _, c := range h.store.Snapshot().Pending {
		salts = append(salts, c.Salt)
	}
	if len(salts) != 3 || bytes.Equal(salts[0], salts[1]) || bytes.Equal(salts[1], salts[2]) || len(h.chain.commits) != 3 {
		t.Fatalf("salts %x, %d commits on chain", salts, len(h.chain.commits))
	}
}

func TestPlan(t *testing.T) {
	hp := Hyperparameters{Tempo: 10, WeightsRateLimit: 5}
	// netuid 3, tempo 10: epoch blocks are those with (b+4) % 11 == 0: 7, 18, 29, …
	if got := Plan(netuid, 8, hp, state.State{}); got != (Next{Kind: KindSet, Height: 8}) {
		t.Fatalf("fresh: %+v", got)
	}
	set := state.State{Last: &state.Submission{Kind: KindSet, Height: 9, Epoch: subnettypes.EpochIndex(netuid, 10, 9)}, RowAt: 9}
	if got := Plan(netuid, 12, hp, set); got != (Next{Kind: KindSet, Height: 19}) {
		t.Fatalf("after a set at 9: %+v", got)
	}
	hp.WeightsRateLimit = 30
	if got := Plan(netuid, 12, hp, set); got != (Next{Kind: KindSet, Height: 39}) {
		t.Fatalf("rate limit beyond the tempo: %+v", got)
	}
	cr := Hyperparameters{Tempo: 10, CommitRevealEnabled: true, CommitRevealPeriod: 1}
	withCommit := state.State{Pending: []state.Commit{{Epoch: subnettypes.EpochIndex(netuid, 10, 9), Height: 9}}}
	if got := Plan(netuid, 12, cr, withCommit); got != (Next{Kind: KindReveal, Height: 19}) {
		t.Fatalf("pending commit: %+v", got)
	}
	if got := Plan(netuid, 12, Hyperparameters{}, state.State{}); got != (Next{}) {
		t.Fatalf("tempo 0: %+v", got)
	}
}
