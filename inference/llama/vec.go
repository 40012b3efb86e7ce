package llama

import "math"

// The element-wise and attention loops of the forward pass. Each runs the
// AVX2 code of vec_amd64.s where the CPU has it and plain Go otherwise. A
// caller always hands them one token's row at a time, so a token's numbers
// are the same whether it is decoded alone or prefilled with others.

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

// dotRows sets out[j] = q · keys[j*stride : j*stride+len(q)] for j < len(out).
func dotRows(out, q, keys []float32, stride int) {
	hd, n := len(q), len(out)
	if n == 0 {
		return
	}
	_ = keys[(n-1)*stride+hd-1]
	if useAVX2 && hd%8 == 0 {
		dotRowsAVX2(&q[0], &keys[0], 4*stride, n, hd, &out[0])
		return
	}
	for j := range out {
		out[j] = dot(q, keys[j*stride:j*stride+hd])
	}
}

// weightedRows sets out = sum over j of w[j] * vals[j*stride : j*stride+len(out)].
func weightedRows(out, vals, w []float32, stride int) {
	hd, n := len(out), len(w)
	if n == 0 {
		clear(out)
		return
	}
	_ = vals[(n-1)*stride+hd-1]
	if useAVX2 && hd%8 == 0 {
		weightedRowsAVX2(&out[0], &vals[0], 4*stride, &w[0], n, hd)
		return
	}
	clear(out)
	for j, wj := range w {
		vr := vals[j*stride : j*stride+hd]
		for i := range out {
			out[i] += wj * vr[i]
		}
	}
}
