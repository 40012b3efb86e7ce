package llama

import "math"

// The element-wise, soft-max and attention loops of the forward pass. Each
// runs the AVX2 code of vec_amd64.s where the CPU has it and plain Go
// otherwise. A caller always hands them one token's row at a time, so a
// token's numbers are the same whether it is decoded alone or prefilled
// with others.

// expShift sets dst[i] = exp(src[i] - shift) and returns the sum; dst may be
// src.
func expShift(dst, src []float32, shift float32) float64 {
	dst = dst[:len(src)]
	n := 0
	var sum float64
	if useAVX2 {
		n = len(src) &^ 7
		if n > 0 {
			sum = float64(expShiftAVX2(&dst[0], &src[0], n, shift))
		}
	}
	for i := n; i < len(src); i++ {
		e := float32(math.Exp(float64(src[i] - shift)))
		dst[i] = e
		sum += float64(e)
	}
	return sum
}

// expSum is the sum expShift returns, bit for bit, without writing the
// exponentials anywhere: a log-sum-exp needs only the sum.
func expSum(src []float32, shift float32) float64 {
	n := 0
	var sum float64
	if useAVX2 {
		n = len(src) &^ 7
		if n > 0 {
			sum = float64(expSumAVX2(&src[0], n, shift))
		}
	}
	for i := n; i < len(src); i++ {
		sum += float64(float32(math.Exp(float64(src[i] - shift))))
	}
	return sum
}

// siluMul sets g[i] = silu(g[i]) * u[i], silu(x) = x / (1 + exp(-x)), with
// the exponential of expShift.
func siluMul(g, u []float32) {
	u = u[:len(g)]
	n := 0
	if useAVX2 {
		n = len(g) &^ 7
		if n > 0 {
			siluMulAVX2(&g[0], &u[0], n)
		}
	}
	for i := n; i < len(g); i++ {
		v := g[i]
		e := float32(math.Exp(float64(-v)))
		g[i] = v / (1 + e) * u[i]
	}
}

// maxIndex returns the largest element of x (not empty) and the lowest
// index that holds it. NaNs are passed over, except in x[0], which then
// wins: the plain loop's behaviour, which the vector code keeps.
func maxIndex(x []float32) (best float32, at int) {
	best, n := x[0], 0
	if useAVX2 && best == best {
		n = len(x) &^ 7
		if n > 0 {
			if i := maxIndexAVX2(&x[0], n); i >= 0 {
				best, at = x[i], i
			} else {
				n = 0
			}
		}
	}
	for i := n; i < len(x); i++ {
		if x[i] > best {
			best, at = x[i], i
		}
	}
	return best, at
}

// scaledScores sets out[j] = (q · keys[j*stride : j*stride+len(q)]) * scale
// for j < len(out) (at least one) and returns the largest of them.
func scaledScores(out, q, keys []float32, stride int, scale float32) float32 {
	hd, n := len(q), len(out)
	_ = keys[(n-1)*stride+hd-1]
	if useAVX2 && hd%8 == 0 {
		return scoresAVX2(&q[0], &keys[0], 4*stride, n, hd, scale, &out[0])
	}
	best := float32(math.Inf(-1))
	for j := range out {
		v := dot(q, keys[j*stride:j*stride+hd]) * scale
		out[j] = v
		best = max(best, v)
	}
	return best
}

// weightedRows sets out = sum over j of (w[j]*scale) * vals[j*stride : j*stride+len(out)].
func weightedRows(out, vals, w []float32, stride int, scale float32) {
	hd, n := len(out), len(w)
	if n == 0 {
		clear(out)
		return
	}
	_ = vals[(n-1)*stride+hd-1]
	if useAVX2 && hd%8 == 0 {
		weightedRowsAVX2(&out[0], &vals[0], 4*stride, &w[0], n, hd, scale)
		return
	}
	clear(out)
	for j, wj := range w {
		wj *= scale
		vr := vals[j*stride : j*stride+hd]
		for i := range out {
			out[i] += wj * vr[i]
		}
	}
}
