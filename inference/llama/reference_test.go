package llama

import "math"

// referenceLogits recomputes the whole sequence from scratch in float64 with
// plain loops, no cache, no chunks and no goroutines: the textbook Llama
// forward pass that the optimised one must agree with. It returns the logits
// at every position.
func referenceLogits(m *Model, ids []int) [][]float64 {
	c := m.cfg
	d, hd := c.HiddenSize, c.HeadDim
	T := len(ids)
	x := make([][]float64, T)
	row := make([]float32, d)
	for t, id := range ids {
		x[t] = make([]float64, d)
		m.embedding(row, id)
		for i := range x[t] {
			x[t][i] = float64(row[i])
		}
	}
	linear := func(in []float64, p packed, outN int) []float64 {
		w := unpack(p)
		out := make([]float64, outN)
		for o := range out {
			for i, v := range in {
				out[o] += v * float64(w[o*len(in)+i])
			}
		}
		return out
	}
	norm := func(in []float64, w []float32) []float64 {
		var ss float64
		for _, v := range in {
			ss += v * v
		}
		inv := 1 / math.Sqrt(ss/float64(len(in))+c.RMSNormEps)
		out := make([]float64, len(in))
		for i, v := range in {
			out[i] = v * inv * float64(w[i])
		}
		return out
	}
	rope := func(v []float64, pos int) {
		half := hd / 2
		for i := 0; i < half; i++ {
			inv := 1 / math.Pow(c.RopeTheta, float64(2*i)/float64(hd))
			cs, sn := math.Cos(float64(pos)*inv), math.Sin(float64(pos)*inv)
			a, b := v[i], v[i+half]
			v[i], v[i+half] = a*cs-b*sn, b*cs+a*sn
		}
	}
	for _, l := range m.layers {
		qs := make([][]float64, T)
		ks := make([][]float64, T)
		vs := make([][]float64, T)
		for t := range x {
			xn := norm(x[t], l.attnNorm)
			qs[t] = linear(xn, l.wq, c.qDim())
			ks[t] = linear(xn, l.wk, c.kvDim())
			vs[t] = linear(xn, l.wv, c.kvDim())
			for h := 0; h < c.NumAttentionHeads; h++ {
				rope(qs[t][h*hd:(h+1)*hd], t)
			}
			for h := 0; h < c.NumKeyValueHeads; h++ {
				rope(ks[t][h*hd:(h+1)*hd], t)
			}
		}
		group := c.NumAttentionHeads / c.NumKeyValueHeads
		for t := range x {
			att := make([]float64, c.qDim())
			for h := 0; h < c.NumAttentionHeads; h++ {
				g := h / group
				w := make([]float64, t+1)
				var mx = math.Inf(-1)
				for p := 0; p <= t; p++ {
					var s float64
					for i := 0; i < hd; i++ {
						s += qs[t][h*hd+i] * ks[p][g*hd+i]
					}
					w[p] = s / math.Sqrt(float64(hd))
					mx = math.Max(mx, w[p])
				}
				var sum float64
				for p := range w {
					w[p] = math.Exp(w[p] - mx)
					sum += w[p]
				}
				for p := range w {
					for i := 0; i < hd; i++ {
						att[h*hd+i] += w[p] / sum * vs[p][g*hd+i]
					}
				}
			}
			o := linear(att, l.wo, d)
			for i := range x[t] {
				x[t][i] += o[i]
			}
		}
		for t := range x {
			xn := norm(x[t], l.mlpNorm)
			g := linear(xn, l.wgate, c.IntermediateSize)
			u := linear(xn, l.wup, c.IntermediateSize)
			for i := range g {
				g[i] = g[i] / (1 + math.Exp(-g[i])) * u[i]
			}
			dn := linear(g, l.wdown, d)
			for i := range x[t] {
				x[t][i] += dn[i]
			}
		}
	}
	out := make([][]float64, T)
	for t := range x {
		out[t] = linear(norm(x[t], m.norm), m.lmHead, c.VocabSize)
	}
	return out
}

func logSoftmax64(v []float64) []float64 {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	var sum float64
	for _, x := range v {
		sum += math.Exp(x - mx)
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x - mx - math.Log(sum)
	}
	return out
}
