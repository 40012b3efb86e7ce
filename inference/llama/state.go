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
	kCache, vCache [][]float32 // per layer [position][kv_dim]
	x, xn          []float32   // [chunk][hidden]
	q, att         []float32   // [chunk][q_dim]
	gate, up       []float32   // [chunk][intermediate]
	logits         []float32   // [chunk][vocab]
	scores         []float32   // [chunk][scoreStride], attention weights, one row per token
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
		scores: make([]float32, chunk*scoreStride(c)),
		probs:  make([]float64, c.VocabSize),
		order:  make([]int32, c.VocabSize),
		join:   newJoiner(),
	}
	for i := range s.kCache {
		s.kCache[i] = make([]float32, c.MaxPositionEmbeddings*c.kvDim())
		s.vCache[i] = make([]float32, c.MaxPositionEmbeddings*c.kvDim())
	}
	return s
}

func (m *Model) putState(s *state) { m.states.p.Put(s) }
