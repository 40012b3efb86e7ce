package llama

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama/llamatest"
)

// prefixSnapshot copies what a Prefix must never change: its positions of
// every layer's cache, its last logits and their statistics.
type prefixSnapshot struct {
	k, v [][]float32
	last []float32
	best float32
	top  int
	lse  float64
}

func snapshot(p *Prefix) prefixSnapshot {
	kv := p.Len() * p.m.cfg.kvDim()
	var s prefixSnapshot
	for li := range p.s.kCache {
		s.k = append(s.k, slices.Clone(p.s.kCache[li][:kv]))
		s.v = append(s.v, slices.Clone(p.s.vCache[li][:kv]))
	}
	s.last = slices.Clone(p.s.prefixLogits)
	s.best, s.top, s.lse = p.best, p.top, p.lse
	return s
}

func (a prefixSnapshot) equal(b prefixSnapshot) bool {
	for li := range a.k {
		if !slices.Equal(a.k[li], b.k[li]) || !slices.Equal(a.v[li], b.v[li]) {
			return false
		}
	}
	return slices.Equal(a.last, b.last) && a.best == b.best && a.top == b.top && a.lse == b.lse
}

// TestPrefixScoresLikeOnePass: scoring from a prefix gives exactly what
// one pass over prefix+rest+continuation gives, for prefixes and tails that
// cross chunk boundaries or are empty, and leaves the prefix as it was.
func TestPrefixScoresLikeOnePass(t *testing.T) {
	m := randomModel(t, testShape, 21)
	ctx := context.Background()
	prompt := m.EncodePrompt(longTestPrompt + "func in(t int) {")
	if len(prompt) <= chunk+4 {
		t.Fatalf("prompt of %d tokens does not cross a chunk", len(prompt))
	}
	conts := [][]int{
		{5},
		{100, 2, 7, 1, 260, 33, 34, 35},
		{7, 7, 7},
		seq(chunk+6, 3), // crosses a chunk on its own
	}
	for _, cut := range []int{1, 5, chunk, chunk + 3, len(prompt)} {
		p, err := m.NewPrefix(ctx, prompt[:cut])
		if err != nil {
			t.Fatal(err)
		}
		before := snapshot(p)
		for ci, cont := range conts {
			want, err := m.ScoreTokens(ctx, prompt, cont)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Score(ctx, prompt[cut:], cont)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("prefix of %d tokens, continuation %d: got %+v, one pass %+v", cut, ci, got, want)
			}
		}
		if !before.equal(snapshot(p)) {
			t.Fatalf("prefix of %d tokens changed by scoring", cut)
		}
		p.Release()
	}
}

func seq(n, step int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = (i*step + 11) % testShape.Vocab
	}
	return out
}

// TestPrefixConcurrentScores: Scores running at once on one prefix (one in
// its own state, the others on copies) each get the one-pass result.
func TestPrefixConcurrentScores(t *testing.T) {
	m := randomModel(t, testShape, 22)
	ctx := context.Background()
	prompt := m.EncodePrompt("func main() {\n\tfor i := range 10 {\n\t\tfun(i)\n\t}\n}\n")
	p, err := m.NewPrefix(ctx, prompt[:len(prompt)-2])
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	before := snapshot(p)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cont := seq(10+3*i, i+1)
			want, err := m.ScoreTokens(ctx, prompt, cont)
			if err != nil {
				errs <- err
				return
			}
			for range 3 {
				got, err := p.Score(ctx, prompt[len(prompt)-2:], cont)
				if err != nil {
					errs <- err
					return
				}
				if !slices.Equal(got, want) {
					errs <- errors.New("concurrent prefix score differs from one pass")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if !before.equal(snapshot(p)) {
		t.Fatal("prefix changed by concurrent scoring")
	}
}

func TestPrefixErrors(t *testing.T) {
	m := randomModel(t, testShape, 23)
	ctx := context.Background()
	if _, err := m.NewPrefix(ctx, nil); !errors.Is(err, inference.ErrBadRequest) {
		t.Fatalf("empty prefix: %v", err)
	}
	if _, err := m.NewPrefix(ctx, []int{0, testShape.Vocab}); !errors.Is(err, ErrTokenID) {
		t.Fatalf("bad id: %v", err)
	}
	if _, err := m.NewPrefix(ctx, make([]int, testShape.MaxPos+1)); !errors.Is(err, ErrContextLength) {
		t.Fatalf("too long: %v", err)
	}
	p, err := m.NewPrefix(ctx, []int{0, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Score(ctx, []int{7}, []int{-1}); !errors.Is(err, ErrTokenID) {
		t.Fatalf("bad continuation id: %v", err)
	}
	if _, err := p.Score(ctx, nil, make([]int, testShape.MaxPos)); !errors.Is(err, ErrContextLength) {
		t.Fatalf("continuation past the context: %v", err)
	}
	p.Release()
	p.Release()
	if _, err := p.Score(ctx, nil, []int{5}); !errors.Is(err, ErrPrefixReleased) {
		t.Fatalf("after release: %v", err)
	}
}

// TestScoreManyMatchesScore: ScoreMany over prompts that share a head (and
// prompts identical, or one the head of another) returns Score's numbers.
func TestScoreManyMatchesScore(t *testing.T) {
	m := randomModel(t, testShape, 24)
	ctx := context.Background()
	head := "func fun(x int) {\n\treturn x\n}\n"
	jobs := []inference.ScoreJob{
		{Prompt: head + "func main() {", Continuation: seq(12, 5)},
		{Prompt: head + "func main() {", Continuation: seq(12, 7)},
		{Prompt: head + "func in() {\n\tfun(2)", Continuation: seq(30, 2)},
		{Prompt: head, Continuation: seq(3, 9)},
		{Prompt: head + "x", Continuation: nil},
	}
	got, err := m.ScoreMany(ctx, jobs)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range jobs {
		want, err := m.Score(ctx, j.Prompt, j.Continuation)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[i], want) {
			t.Fatalf("job %d: ScoreMany %+v, Score %+v", i, got[i], want)
		}
	}
	one, err := m.ScoreMany(ctx, jobs[2:3])
	if err != nil || !slices.Equal(one[0], got[2]) {
		t.Fatalf("single job: %v", err)
	}
	if _, err := m.ScoreMany(ctx, []inference.ScoreJob{jobs[0], {Prompt: "x", Continuation: []int{testShape.Vocab}}}); !errors.Is(err, ErrTokenID) {
		t.Fatalf("bad job: %v", err)
	}
}

// TestPrefixScoreAllocationsDoNotGrowWithLength: scoring from a prefix
// allocates its result and the joined sequence, never per token.
func TestPrefixScoreAllocationsDoNotGrowWithLength(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	m := randomModel(t, testShape, 25)
	ctx := context.Background()
	p, err := m.NewPrefix(ctx, m.EncodePrompt("func main() {"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	count := func(n int) float64 {
		cont := seq(n, 3)
		return testing.AllocsPerRun(5, func() {
			if _, err := p.Score(ctx, []int{5}, cont); err != nil {
				t.Fatal(err)
			}
		})
	}
	short, long := count(4), count(60)
	if long > short {
		t.Fatalf("%v allocations for 4 tokens, %v for 60", short, long)
	}
}

// TestPrefixScoresPastItsCache: Scores whose sequences outgrow the cache a
// state starts with (initialPositions) run beside ones that fit, and all
// give the one-pass numbers; under the race detector this also shows that
// no Score moves the prefix's cache while another copies it.
func TestPrefixScoresPastItsCache(t *testing.T) {
	shape := llamatest.Shape{Vocab: 270, Hidden: 16, Intermediate: 16, Layers: 1, Heads: 2, KVHeads: 1, MaxPos: initialPositions + 400}
	m := randomModel(t, shape, 23)
	ctx := context.Background()
	prefix := seq(8, 3)
	p, err := m.NewPrefix(ctx, prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Release()
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 5
			if i%2 == 0 {
				n = initialPositions + 100 // past a new state's cache
			}
			cont := seq(n, 10+i)
			want, err := m.ScoreTokens(ctx, prefix, cont)
			if err != nil {
				errs <- err
				return
			}
			for range 2 {
				got, err := p.Score(ctx, nil, cont)
				if err != nil {
					errs <- err
					return
				}
				if !slices.Equal(got, want) {
					errs <- errors.New("prefix score past the cache differs from one pass")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestCacheGrowthKeepsNumbers: a state whose cache grows while a long
// prompt runs through it gives the logits of one sized for the whole
// context from the start, bit for bit.
func TestCacheGrowthKeepsNumbers(t *testing.T) {
	shape := llamatest.Shape{Vocab: 270, Hidden: 16, Intermediate: 16, Layers: 2, Heads: 2, KVHeads: 1, MaxPos: initialPositions + 300}
	m := randomModel(t, shape, 24)
	ctx := context.Background()
	ids := seq(initialPositions+250, 7)
	grown, sized := m.getState(), m.getState()
	sized.reserve(m.cfg, shape.MaxPos)
	if grown.positions != initialPositions || sized.positions != shape.MaxPos {
		t.Fatalf("caches of %d and %d positions", grown.positions, sized.positions)
	}
	for _, s := range []*state{grown, sized} {
		if err := m.prefill(ctx, s, ids); err != nil {
			t.Fatal(err)
		}
	}
	if grown.positions <= initialPositions {
		t.Fatalf("the cache did not grow: %d positions", grown.positions)
	}
	if !slices.Equal(grown.logits[:shape.Vocab], sized.logits[:shape.Vocab]) {
		t.Error("logits differ after the cache grew")
	}
}
