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
//
// The cores split the chunk by token rows, each taking a band of rows
// through as much of the network as it can without the others. A row's
// attention needs the keys and values of the rows before it, so the bands
// meet once per layer, after every row's keys and values are in the cache;
// in between, a band runs the rest of one layer (attention, output
// projection, MLP) and the start of the next (norm, keys, values, queries)
// on its own rows. That is one hand-over per layer, where splitting each
// matrix product by output features took eight, each costing about as much
// as a small product itself; and each core keeps its rows in its own cache.
// Every row gets the same arithmetic whatever band it falls in, so the
// split changes no number.
//
// When s.score is set (scoreFrom sets it), each band also turns the logits
// of its rows into log-probabilities while they are in its cache, so that
// scoring needs no pass of its own.
func (m *Model) forward(s *state, tokens []int, pos, logitsFrom int) {
	busy.Add(1)
	defer busy.Add(-1)
	n := len(tokens)
	s.reserve(m.cfg, pos+n)
	logitsFrom = min(logitsFrom, n)
	s.fw = forwardJob{m: m, s: s, tokens: tokens, pos: pos, n: n, logitsFrom: logitsFrom, bounds: s.fw.bounds}
	j := &s.fw
	last := len(m.layers) - 1
	// Step 0 embeds and starts layer 0; step l finishes layer l-1 and starts
	// layer l; the last step finishes the last layer and computes logits.
	for step := 0; step <= len(m.layers); step++ {
		j.layer = step
		lo := 0
		if step > last {
			lo = logitsFrom // only these rows go on past the last layer's keys
		}
		if lo >= n {
			break
		}
		if bands := j.cut(lo); bands > 1 {
			parallel(j, bands, &s.join)
		} else {
			j.run(0, 1)
		}
	}
}

// bandMinPart is the least work, in multiply-adds, worth a band of its own:
// a couple of rows' worth, far more than the hand-over costs, so that a
// decode step (one row) never leaves its core.
var bandMinPart = 1 << 19

// forwardJob is one step of forward over bands of rows.
type forwardJob struct {
	m          *Model
	s          *state
	tokens     []int
	pos, n     int
	logitsFrom int
	layer      int   // the step: finish layer-1, start layer
	bounds     []int // band b is rows [bounds[b], bounds[b+1])
}

// cut splits rows [lo, n) into bands of about equal work for this step and
// returns how many. A row's attention grows with its position, so later
// rows get narrower bands; the last step adds the output head's product.
func (j *forwardJob) cut(lo int) int {
	c := j.m.cfg
	attn := 0 // multiply-adds of attention per position attended
	if j.layer > 0 {
		attn = 2 * c.NumAttentionHeads * c.HeadDim
	}
	fixed := c.layerMACs()
	if j.layer == len(j.m.layers) {
		fixed += c.HiddenSize * c.VocabSize
	}
	total := 0
	for t := lo; t < j.n; t++ {
		total += fixed + attn*(j.pos+t+1)
	}
	bands := min(spareParts(), max(1, total/bandMinPart), j.n-lo)
	j.bounds = append(j.bounds[:0], lo)
	done, b := 0, 1
	for t := lo; t < j.n-1 && b < bands; t++ { // the last band keeps at least the last row
		done += fixed + attn*(j.pos+t+1)
		if done*bands >= b*total {
			// Round the cut to whole kernel tiles (maxTileRows rows), so
			// that only the last band ends in a partial tile, which costs
			// nearly as much as a full one.
			cut := lo + (t+1-lo+maxTileRows/2)/maxTileRows*maxTileRows
			if cut > j.bounds[len(j.bounds)-1] && cut < j.n {
				j.bounds = append(j.bounds, cut)
			}
			b++
		}
	}
	j.bounds = append(j.bounds, j.n)
	return len(j.bounds) - 1
}

func (j *forwardJob) run(first, end int) {
	m, s := j.m, j.s
	lo, hi := j.bounds[first], j.bounds[end]
	last := len(m.layers) - 1
	if j.layer == 0 {
		d := m.cfg.HiddenSize
		for t := lo; t < hi; t++ {
			m.embedding(s.x[t*d:(t+1)*d], j.tokens[t])
		}
	} else {
		from := lo
		if j.layer-1 == last {
			from = max(lo, j.logitsFrom)
		}
		m.finishLayer(s, j.layer-1, from, hi, j.pos)
	}
	if j.layer <= last {
		from := lo
		if j.layer == last {
			from = max(lo, j.logitsFrom)
		}
		m.startLayer(s, j.layer, lo, hi, from, j.pos)
		return
	}
	m.rmsNorm(s.xn[lo*m.cfg.HiddenSize:], s.x[lo*m.cfg.HiddenSize:], m.norm, hi-lo)
	v := m.cfg.VocabSize
	mulRows(s.logits[(lo-j.logitsFrom)*v:], s.xn[lo*m.cfg.HiddenSize:], m.lmHead, hi-lo)
	if s.score.out != nil {
		s.score.run(s.logits, v, lo-j.logitsFrom, hi-j.logitsFrom)
	}
}

// startLayer normalises rows [lo, hi) for layer li, puts their keys and
// values in the cache and leaves the queries of rows [qFrom, hi) in s.q.
func (m *Model) startLayer(s *state, li, lo, hi, qFrom, pos int) {
	c := m.cfg
	l := &m.layers[li]
	d, qd, kv := c.HiddenSize, c.qDim(), c.kvDim()
	rows := hi - lo
	m.rmsNorm(s.xn[lo*d:], s.x[lo*d:], l.attnNorm, rows)
	k := s.kCache[li][(pos+lo)*kv : (pos+hi)*kv]
	v := s.vCache[li][(pos+lo)*kv : (pos+hi)*kv]
	mulRows(k, s.xn[lo*d:], l.wk, rows)
	mulRows(v, s.xn[lo*d:], l.wv, rows)
	if l.bk != nil { // Qwen2: biases join before the rotation, as in nn.Linear
		addRows(k, l.bk)
		addRows(v, l.bv)
	}
	m.rope(k, rows, c.NumKeyValueHeads, pos+lo)
	if qFrom < hi {
		q := s.q[qFrom*qd : hi*qd]
		mulRows(q, s.xn[qFrom*d:], l.wq, hi-qFrom)
		if l.bq != nil {
			addRows(q, l.bq)
		}
		m.rope(q, hi-qFrom, c.NumAttentionHeads, pos+qFrom)
	}
}

// finishLayer runs rows [lo, hi) through the rest of layer li: attention
// over the cache, the output projection and the MLP, each with its
// residual.
func (m *Model) finishLayer(s *state, li, lo, hi, pos int) {
	if lo >= hi {
		return
	}
	c := m.cfg
	l := &m.layers[li]
	d, qd, ff := c.HiddenSize, c.qDim(), c.IntermediateSize
	rows := hi - lo
	m.attention(s, li, lo, hi, pos)
	xn, x := s.xn[lo*d:hi*d], s.x[lo*d:hi*d]
	mulRows(xn, s.att[lo*qd:], l.wo, rows)
	addInto(x, xn)
	m.rmsNorm(xn, x, l.mlpNorm, rows)
	gate, up := s.gate[lo*ff:hi*ff], s.up[lo*ff:hi*ff]
	mulRows(gate, xn, l.wgate, rows)
	mulRows(up, xn, l.wup, rows)
	swiglu(gate, up, ff)
	mulRows(xn, gate, l.wdown, rows)
	addInto(x, xn)
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

// addRows adds bias to each row of x, rows of len(bias).
func addRows(x, bias []float32) {
	for r := 0; r+len(bias) <= len(x); r += len(bias) {
		addInto(x[r:r+len(bias)], bias)
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

// attention computes causal attention in layer li for rows [lo, hi) of a
// chunk that starts at position pos, from their queries in s.q into s.att.
// Each row has a scratch row of scores of its own, so bands never share
// one.
func (m *Model) attention(s *state, li, lo, hi, pos int) {
	c := m.cfg
	hd, kv, qd := c.HeadDim, c.kvDim(), c.qDim()
	group := c.NumAttentionHeads / c.NumKeyValueHeads
	scale := float32(1 / math.Sqrt(float64(hd)))
	stride := s.stride
	for t := lo; t < hi; t++ {
		n := pos + t + 1 // causal: this token sees itself and earlier ones
		keys, vals := s.kCache[li], s.vCache[li]
		if w := c.window; w > 0 && n > w {
			// Sliding window (Mistral): the last w positions, this one
			// included, as transformers' mask keeps kv > q - w.
			keys, vals = keys[(n-w)*kv:], vals[(n-w)*kv:]
			n = w
		}
		row := s.scores[t*stride : (t+1)*stride]
		sc := row[:n]
		// The exponentials run eight at a time; the lanes past n hold -Inf,
		// whose exponential adds nothing to the sum and is never read, so
		// that no position takes the slow one-at-a-time path.
		padded := row[:(n+7)&^7]
		for h := 0; h < c.NumAttentionHeads; h++ {
			kvh := h / group // grouped-query attention: heads share a kv head
			q := s.q[t*qd+h*hd : t*qd+(h+1)*hd]
			best := scaledScores(sc, q, keys[kvh*hd:], kv, scale)
			for i := n; i < len(padded); i++ {
				padded[i] = float32(math.Inf(-1))
			}
			inv := float32(1 / expShift(padded, padded, best))
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
