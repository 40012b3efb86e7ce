package llama

import (
	"math"
	"slices"

	"github.com/mindnet/mindnet/inference"
)

// logSoftmaxStats returns the largest of logits, its id (the lowest id
// among equals, so greedy decoding is reproducible everywhere) and the
// log-sum-exp of logits: what a token's log-probability and the greedy
// check need, without the vocabulary's log-probabilities themselves.
// Decoding, prefill scoring and Prefix all call it, so that their numbers
// agree bit for bit.
func logSoftmaxStats(logits []float32) (best float32, argmax int, lse float64) {
	best, argmax = maxIndex(logits)
	return best, argmax, float64(best) + math.Log(expSum(logits, best))
}

// rng is PCG-XSH-RR 64/32 with a fixed stream: a documented generator that
// the result of seeded sampling depends on, kept here rather than borrowed
// from math/rand so that it cannot change under us.
type rng struct{ state uint64 }

const pcgMult, pcgInc = 6364136223846793005, 1442695040888963407

func newRNG(seed uint64) *rng {
	r := &rng{}
	r.next()
	r.state += seed
	r.next()
	return r
}

func (r *rng) next() uint32 {
	old := r.state
	r.state = old*pcgMult + pcgInc
	x := uint32(((old >> 18) ^ old) >> 27)
	rot := uint32(old >> 59)
	return x>>rot | x<<((-rot)&31)
}

// float64 is uniform in [0, 1) with 53 random bits.
func (r *rng) float64() float64 {
	hi := uint64(r.next()) << 21
	lo := uint64(r.next()) >> 11
	return float64(hi|lo) / (1 << 53)
}

// sample draws a token from softmax(logits / temperature) restricted to the
// smallest set of most likely tokens whose mass reaches topP (ties in
// probability broken by lower id), the nucleus rule vLLM applies.
func (s *state) sample(logits []float32, temperature, topP float64, r *rng) int {
	best := slices.Max(logits)
	var total float64
	for i, v := range logits {
		p := math.Exp(float64(v-best) / temperature)
		s.probs[i] = p
		total += p
	}
	u := r.float64()
	if topP >= 1 {
		target := u * total
		for i, p := range s.probs {
			target -= p
			if target < 0 {
				return i
			}
		}
		return len(logits) - 1
	}
	// Only the likeliest tokens can be in the nucleus, so sort just those
	// with a probability of at least thr times the largest: every token
	// left out is less likely than every token sorted, so the sorted prefix,
	// and the sum along it, are what sorting the whole vocabulary gives.
	// When that prefix does not reach the nucleus's mass, lower thr and
	// sort again; the last pass takes the whole vocabulary.
	probs, need := s.probs, topP*total
	for thr := 1.0 / 256; ; thr /= 65536 {
		all := thr < 1e-200
		order := s.order[:0]
		for i, p := range probs[:len(logits)] {
			if all || p >= thr {
				order = append(order, int32(i))
			}
		}
		slices.SortFunc(order, likelierFirst(probs))
		var kept float64
		n := 0
		for n < len(order) && kept < need {
			kept += probs[order[n]]
			n++
		}
		if kept < need && !all {
			continue
		}
		return draw(order[:n], probs, kept, u)
	}
}

// draw picks from the kept tokens, in their order, the one at which their
// running mass passes u times mass, the mass of them all.
func draw(kept []int32, probs []float64, mass, u float64) int {
	target := u * mass
	for _, id := range kept {
		target -= probs[id]
		if target < 0 {
			return int(id)
		}
	}
	return int(kept[len(kept)-1])
}

// likelierFirst orders token ids by probability, the likelier first, and
// by id among equals.
func likelierFirst(probs []float64) func(a, b int32) int {
	return func(a, b int32) int {
		switch {
		case probs[a] > probs[b]:
			return -1
		case probs[a] < probs[b]:
			return 1
		}
		return int(a - b)
	}
}

// topAlternatives fills dst (its length is k) with the k most likely tokens,
// best first, lower id first among equals.
func (m *Model) topAlternatives(dst []inference.Alternative, logits []float32, lse float64) {
	k := len(dst)
	if k == 0 {
		return
	}
	n := 0
	for id, v := range logits {
		if n == k && v <= logits[dst[k-1].ID] {
			continue
		}
		i := min(n, k-1)
		for i > 0 && v > logits[dst[i-1].ID] {
			dst[i] = dst[i-1]
			i--
		}
		dst[i] = inference.Alternative{ID: id}
		if n < k {
			n++
		}
	}
	for i := range dst[:n] {
		id := dst[i].ID
		dst[i] = inference.Alternative{ID: id, Text: m.tokenText[id], Logprob: float64(logits[id]) - lse}
	}
}
