package llama

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/mindnet/mindnet/inference"
)

// splitAs makes parallel cut every job into up to parts pieces, however
// little work each gets, for the rest of the test; parts 1 runs everything
// on the calling core. The pool runs any number of parts on any number of
// cores (the caller runs queued parts while it waits), so this works on a
// one-core machine too.
func splitAs(t testing.TB, parts int) {
	oldParts, oldBand := maxParts, bandMinPart
	maxParts, bandMinPart = parts, 1
	if parts == 1 {
		bandMinPart = 1 << 62
	}
	t.Cleanup(func() { maxParts, bandMinPart = oldParts, oldBand })
}

// TestSplitChangesNothing: however a forward pass is cut into bands of
// rows, every score, generated token and log-probability comes out bit for
// bit as on one core, for prefill, scoring, prefixes and generation.
func TestSplitChangesNothing(t *testing.T) {
	ctx := context.Background()
	m := randomModel(t, testShape, 9)
	prompt := m.EncodePrompt(longTestPrompt)
	cont := seq(chunk+9, 5)
	req := inference.Request{Prompt: longTestPrompt, MaxTokens: 24, TopK: 2}
	run := func(parts int) (scored, fromPrefix []inference.Scored, gen inference.Result) {
		splitAs(t, parts)
		var err error
		if scored, err = m.ScoreTokens(ctx, prompt, cont); err != nil {
			t.Fatal(err)
		}
		p, err := m.NewPrefix(ctx, prompt[:chunk+3])
		if err != nil {
			t.Fatal(err)
		}
		defer p.Release()
		if fromPrefix, err = p.Score(ctx, prompt[chunk+3:], cont); err != nil {
			t.Fatal(err)
		}
		if gen, err = m.Generate(ctx, req); err != nil {
			t.Fatal(err)
		}
		return scored, fromPrefix, gen
	}
	wantScored, wantPrefix, wantGen := run(1)
	if !slices.Equal(wantScored, wantPrefix) {
		t.Fatal("prefix scores differ from one pass on one core")
	}
	for _, parts := range []int{2, 3, 7} {
		t.Run(fmt.Sprintf("parts=%d", parts), func(t *testing.T) {
			scored, fromPrefix, gen := run(parts)
			if !slices.Equal(scored, wantScored) {
				t.Error("scores differ")
			}
			if !slices.Equal(fromPrefix, wantPrefix) {
				t.Error("prefix scores differ")
			}
			if gen.Text != wantGen.Text || len(gen.Tokens) != len(wantGen.Tokens) {
				t.Fatalf("generated %q, on one core %q", gen.Text, wantGen.Text)
			}
			for i := range gen.Tokens {
				if gen.Tokens[i].Logprob != wantGen.Tokens[i].Logprob {
					t.Errorf("token %d: logprob %v, on one core %v", i, gen.Tokens[i].Logprob, wantGen.Tokens[i].Logprob)
				}
			}
		})
	}
}

// TestSparePartsLeavesBusyCoresAlone: a forward pass splits over every core
// when it runs alone, and stays on its own core when the others each hold a
// pass of their own (a validator verifying one batch per core, a miner with
// a request per core), where bands would only queue behind them.
func TestSparePartsLeavesBusyCoresAlone(t *testing.T) {
	if maxParts > 0 {
		t.Skip("a test has fixed the split")
	}
	cores := partsLimit()
	held := func(passes int32) int {
		busy.Add(passes)
		defer busy.Add(-passes)
		return spareParts()
	}
	if got := held(1); got != cores {
		t.Errorf("a pass alone may use %d parts, want one per core (%d)", got, cores)
	}
	if got := held(int32(cores)); got != 1 {
		t.Errorf("with every core holding a pass, a pass may use %d parts, want 1", got)
	}
	if got := held(int32(cores) + 3); got != 1 {
		t.Errorf("with more passes than cores, a pass may use %d parts, want 1", got)
	}
}

// TestPoolFollowsGOMAXPROCS: the pool sizes itself by GOMAXPROCS as it is
// at each pass, not as it was at the first one, so that a process whose
// GOMAXPROCS changes (a benchmark's -cpu list, the runtime following a
// container's CPU limit) splits passes over the cores it has.
func TestPoolFollowsGOMAXPROCS(t *testing.T) {
	if maxParts > 0 {
		t.Skip("a test has fixed the split")
	}
	old := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
	for _, procs := range []int{1, 3, 2} {
		runtime.GOMAXPROCS(procs)
		if got := partsLimit(); got != procs {
			t.Errorf("GOMAXPROCS %d: the pool makes up to %d parts", procs, got)
		}
		if got := int(workers.started.Load()); got < procs-1 {
			t.Errorf("GOMAXPROCS %d: %d workers beside the caller, want %d", procs, got, procs-1)
		}
	}
}
