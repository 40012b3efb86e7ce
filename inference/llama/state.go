package llama

import (
	"sync"
)

// chunk is how many tokens one forward pass takes at most; prefill walks
// longer inputs in chunks so buffers stay small and cache-friendly.
const chunk = 128

// state holds a request's KV cache and every scratch buffer of the forward
// pass, so that decoding allocates nothing per token.
type state struct {
	kCache, vCache [][]float32 // per layer [position][kv_dim], grown by reserve
	positions      int         // positions the caches hold
	stride         int         // length of a row of scores: positions, rounded up to 8
	x, xn          []float32   // [chunk][hidden]
	q, att         []float32   // [chunk][q_dim]
	gate, up       []float32   // [chunk][intermediate]
	logits         []float32   // [chunk][vocab]
	scores         []float32   // [chunk][stride], attention weights, one row per token
	probs          []float64   // [vocab], sampling
	order          []int32     // [vocab], sampling
	prefixLogits   []float32   // [vocab], a Prefix's last logits; made on first use
	fw             forwardJob
	score          scoreJob
	join           joiner
	one            [1]int // the token fed back each decode step
}

// statePool recycles states between requests of one model.
type statePool struct{ p sync.Pool }

func (m *Model) getState() *state {
	if s, ok := m.states.p.Get().(*state); ok {
		return s
	}
	c := m.cfg
	s := &state{
		kCache: make([][]float32, c.NumHiddenLayers),
		vCache: make([][]float32, c.NumHiddenLayers),
		x:      make([]float32, chunk*c.HiddenSize),
		xn:     make([]float32, chunk*c.HiddenSize),
		q:      make([]float32, chunk*c.qDim()),
		att:    make([]float32, chunk*c.qDim()),
		gate:   make([]float32, chunk*c.IntermediateSize),
		up:     make([]float32, chunk*c.IntermediateSize),
		logits: make([]float32, chunk*c.VocabSize),
		probs:  make([]float64, c.VocabSize),
		order:  make([]int32, c.VocabSize),
		join:   newJoiner(),
	}
	s.reserve(c, min(c.MaxPositionEmbeddings, initialPositions))
	return s
}

// initialPositions is how many positions a new state's cache holds before
// a request needs more: all of them for the small models, a few requests'
// worth for a model whose config allows 131072, so that memory follows use.
const initialPositions = 1024

// reserve grows the caches to hold positions [0, n), keeping what they
// hold. It grows to at least twice the old size (within the context), so a
// long decode copies its cache only a few times.
func (s *state) reserve(c Config, n int) {
	if n <= s.positions {
		return
	}
	if s.positions > 0 {
		n = min(max(n, 2*s.positions), c.MaxPositionEmbeddings)
	}
	kv := c.kvDim()
	for i := range s.kCache {
		k := make([]float32, n*kv)
		v := make([]float32, n*kv)
		copy(k, s.kCache[i])
		copy(v, s.vCache[i])
		s.kCache[i], s.vCache[i] = k, v
	}
	s.positions = n
	s.stride = (n + 7) &^ 7
	s.scores = make([]float32, chunk*s.stride)
}

func (m *Model) putState(s *state) { m.states.p.Put(s) }
