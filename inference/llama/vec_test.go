package llama

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpShift holds the vectorised exponential to float32 accuracy over
// the range the model uses it in (softmax arguments at or below zero, and
// silu's exp(-g)), including the clamped ends and lengths with a tail.
func TestExpShift(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 7, 8, 9, 64, 2048, 2051} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(r.Float64()*60 - 40)
		}
		src[0] = -200 // clamps to a tiny positive value, far below anything that counts
		dst := make([]float32, n)
		const shift = 3.5
		sum := expShift(dst, src, shift)
		var want float64
		for i, x := range src {
			// The argument is rounded to float32 as the model does; only
			// the exponential itself is under test.
			e := math.Exp(float64(x - shift))
			want += e
			if rel := math.Abs(float64(dst[i])-e) / e; e > 1e-30 && rel > 5e-7 {
				t.Fatalf("n=%d: exp(%v - %v) = %v, want %v (relative error %.2g)", n, x, shift, dst[i], e, rel)
			}
		}
		if math.Abs(sum-want) > 1e-6*want+1e-30 {
			t.Fatalf("n=%d: sum %v, want %v", n, sum, want)
		}
	}
}

func TestAttentionRows(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, hd := range []int{8, 12, 32, 64} {
		const n, stride = 37, 100
		q := randomFloats(r, hd)
		rows := randomFloats(r, n*stride)
		w := randomFloats(r, n)
		scores := make([]float32, n)
		dotRows(scores, q, rows[5:], stride)
		for j := range scores {
			var want float64
			for i := range q {
				want += float64(q[i]) * float64(rows[5+j*stride+i])
			}
			if math.Abs(float64(scores[j])-want) > 1e-5 {
				t.Fatalf("hd %d: dot %d = %v, want %v", hd, j, scores[j], want)
			}
		}
		out := make([]float32, hd)
		weightedRows(out, rows[5:], w, stride)
		for i := range out {
			var want float64
			for j := range w {
				want += float64(w[j]) * float64(rows[5+j*stride+i])
			}
			if math.Abs(float64(out[i])-want) > 1e-5 {
				t.Fatalf("hd %d: weighted sum %d = %v, want %v", hd, i, out[i], want)
			}
		}
	}
}
