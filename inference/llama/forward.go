package llama

import (
	"math"
)

// forward runs tokens (at most chunk of them) at positions pos, pos+1, ...
// through the decoder, appending their keys and values to the cache. When
// logitsFrom < len(tokens), it leaves the logits of tokens[logitsFrom:] in
// s.logits, one row each.
//
// A row before logitsFrom is wanted only for the keys and values it leaves
// in the cache, so the last layer computes just those for it: its query,
// attention, output projection and MLP would feed nothing but logits that
// nobody reads. In a prefill that skips about a quarter of each prompt
// token's work, and the rows that are computed get the very same numbers.
func (m *Model) forward(s *state, tokens []int, pos, logitsFrom int) {
	c := m.cfg
	d, n := c.HiddenSize, len(tokens)
	logitsFrom = min(logitsFrom, n)
	for t, id := range tokens {
		m.embedding(s.x[t*d:(t+1)*d], id)
	}
	qd, kv, ff := c.qDim(), c.kvDim(), c.IntermediateSize
	for li := range m.layers {
		l := &m.layers[li]
		from := 0 // the first row whose output this layer must compute
		if li == len(m.layers)-1 {
			from = logitsFrom
		}
		m.rmsNorm(s.xn, s.x, l.attnNorm, n)
		s.matmul(s.k, s.xn, l.wk, n)
		s.matmul(s.v, s.xn, l.wv, n)
		m.rope(s.k, n, c.NumKeyValueHeads, pos)
		copy(s.kCache[li][pos*kv:(pos+n)*kv], s.k[:n*kv])
		copy(s.vCache[li][pos*kv:(pos+n)*kv], s.v[:n*kv])
		rows := n - from
		if rows == 0 {
			break // the last layer, and no logits wanted
		}
		xn, x := s.xn[from*d:], s.x[from*d:(from+rows)*d]
		s.matmul(s.q[from*qd:], xn, l.wq, rows)
		m.rope(s.q[from*qd:], rows, c.NumAttentionHeads, pos+from)
		s.attention(m, li, from, n, pos)
		s.matmul(xn, s.att[from*qd:], l.wo, rows)
		addInto(x, xn[:rows*d])
		m.rmsNorm(xn, x, l.mlpNorm, rows)
		gate, up := s.gate[:rows*ff], s.up[:rows*ff]
		s.matmul(gate, xn, l.wgate, rows)
		s.matmul(up, xn, l.wup, rows)
		swiglu(gate, up, ff)
		s.matmul(xn, gate, l.wdown, rows)
		addInto(x, xn[:rows*d])
	}
	if logitsFrom >= n {
		return
	}
	rows := n - logitsFrom
	m.rmsNorm(s.xn, s.x[logitsFrom*d:], m.norm, rows)
	s.matmul(s.logits, s.xn, m.lmHead, rows)
}

// rmsNorm is LlamaRMSNorm: x / sqrt(mean(x²) + eps), then times the weight.
// The mean is taken in float64, which is closer to exact than PyTorch's
// float32 reduction, so the two differ only by PyTorch's own rounding.
func (m *Model) rmsNorm(out, x, w []float32, rows int) {
	d := len(w)
	eps := m.cfg.RMSNormEps
	for t := 0; t < rows; t++ {
		xr := x[t*d : (t+1)*d]
		// Four running sums, so that the additions are not one chain of
		// dependent steps; in float64 the order costs nothing in accuracy.
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= len(xr); i += 4 {
			v := xr[i : i+4 : i+4]
			s0 += float64(v[0]) * float64(v[0])
			s1 += float64(v[1]) * float64(v[1])
			s2 += float64(v[2]) * float64(v[2])
			s3 += float64(v[3]) * float64(v[3])
		}
		for ; i < len(xr); i++ {
			s0 += float64(xr[i]) * float64(xr[i])
		}
		ss := (s0 + s1) + (s2 + s3)
		inv := float32(1 / math.Sqrt(ss/float64(d)+eps))
		or := out[t*d : (t+1)*d]
		for i, v := range xr {
			or[i] = w[i] * (v * inv)
		}
	}
}

// rope rotates each head's vector by its position, with transformers'
// rotate_half pairing: element i turns with element i + head_dim/2.
func (m *Model) rope(x []float32, rows, heads, pos int) {
	hd := m.cfg.HeadDim
	half := hd / 2
	for t := 0; t < rows; t++ {
		cos := m.ropeCos[(pos+t)*half : (pos+t+1)*half]
		sin := m.ropeSin[(pos+t)*half : (pos+t+1)*half]
		for h := 0; h < heads; h++ {
			v := x[(t*heads+h)*hd : (t*heads+h+1)*hd]
			for i := 0; i < half; i++ {
				a, b := v[i], v[i+half]
				v[i] = a*cos[i] - b*sin[i]
				v[i+half] = b*cos[i] + a*sin[i]
			}
		}
	}
}

func addInto(dst, src []float32) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += src[i]
	}
}

// swiglu leaves silu(gate) * up in gate, one token's row of width at a
// time.
func swiglu(gate, up []float32, width int) {
	for r := 0; r+width <= len(gate); r += width {
		siluMul(gate[r:r+width], up[r:r+width])
	}
}

// attentionJob computes causal attention for one layer, split over heads,
// for the rows [from, rows) of a chunk that starts at position pos.
type attentionJob struct {
	m          *Model
	s          *state
	layer      int
	from, rows int
	pos        int
}

// attentionMinPart is matmulMinPart for the attention loops, in
// multiply-adds of query by key and weight by value.
const attentionMinPart = 1 << 14

func (s *state) attention(m *Model, layer, from, rows, pos int) {
	s.attn = attentionJob{m: m, s: s, layer: layer, from: from, rows: rows, pos: pos}
	c := m.cfg
	parallel(&s.attn, c.NumAttentionHeads, (rows-from)*(pos+rows)*c.HeadDim*2, attentionMinPart, &s.wg)
}

func (j *attentionJob) run(lo, hi int) {
	c := j.m.cfg
	s := j.s
	hd, kv, qd := c.HeadDim, c.kvDim(), c.qDim()
	group := c.NumAttentionHeads / c.NumKeyValueHeads
	scale := float32(1 / math.Sqrt(float64(hd)))
	keys, vals := s.kCache[j.layer], s.vCache[j.layer]
	for h := lo; h < hi; h++ {
		kvh := h / group // grouped-query attention: heads share a kv head
		scores := s.scores[h*c.MaxPositionEmbeddings : (h+1)*c.MaxPositionEmbeddings]
		for t := j.from; t < j.rows; t++ {
			q := s.q[t*qd+h*hd : t*qd+(h+1)*hd]
			n := j.pos + t + 1 // causal: this token sees itself and earlier ones
			sc := scores[:n]
			best := scaledScores(sc, q, keys[kvh*hd:], kv, scale)
			inv := float32(1 / expShift(sc, sc, best))
			// The normalisation rides on the weighted sum, which scales
			// each weight as it reads it.
			weightedRows(s.att[t*qd+h*hd:t*qd+(h+1)*hd], vals[kvh*hd:], sc, kv, inv)
		}
	}
}

// dot sums in four lanes, like a vectorised BLAS kernel, for speed and for
// rounding errors of the same size as PyTorch's. The fixed-size subslices
// let the compiler drop the bounds checks.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		x := a[i : i+4 : i+4]
		y := b[i : i+4 : i+4]
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}
