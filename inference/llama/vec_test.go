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

// TestExpSumMatchesExpShift: the sum-only kernel is the storing one's sum,
// bit for bit, so decoding and scoring agree whichever they call.
func TestExpSumMatchesExpShift(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 7, 8, 9, 64, 2048, 2051} {
		src := randomFloats(r, n)
		for i := range src {
			src[i] *= 20
		}
		dst := make([]float32, n)
		if a, b := expSum(src, 1.25), expShift(dst, src, 1.25); a != b {
			t.Fatalf("n=%d: expSum %v, expShift %v", n, a, b)
		}
	}
}

// TestSiluMul holds the fused SwiGLU step to the operations of the
// two-step form (negate, expShift, divide, multiply), bit for bit.
func TestSiluMul(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{1, 7, 8, 9, 384, 389} {
		g, u := randomFloats(r, n), randomFloats(r, n)
		for i := range g {
			g[i] *= 30
		}
		g[0] = 0
		neg := make([]float32, n)
		for i, v := range g {
			neg[i] = -v
		}
		expShift(neg, neg, 0)
		want := make([]float32, n)
		for i, v := range g {
			want[i] = v / (1 + neg[i]) * u[i]
		}
		siluMul(g, u)
		for i := range g {
			if math.Float32bits(g[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d: element %d is %v, want %v", n, i, g[i], want[i])
			}
		}
	}
}

// TestMaxIndex holds the vector arg-max to the plain loop's answer: the
// first of equal maxima, NaNs after the first element passed over, a NaN
// first element winning, signed zeros treated as equal.
func TestMaxIndex(t *testing.T) {
	plain := func(x []float32) (float32, int) {
		best, at := x[0], 0
		for i, v := range x {
			if v > best {
				best, at = v, i
			}
		}
		return best, at
	}
	r := rand.New(rand.NewPCG(17, 18))
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	for _, n := range []int{1, 5, 8, 9, 31, 32, 33, 40, 64, 2048, 2053} {
		for trial := range 40 {
			x := randomFloats(r, n)
			switch trial % 5 {
			case 1: // ties at the top
				for k := 0; k < 3; k++ {
					x[r.IntN(n)] = 2
				}
			case 2: // NaNs anywhere but first
				for k := 0; k < 3; k++ {
					x[r.IntN(n)] = nan
				}
				x[0] = -1
			case 3: // a NaN first
				x[0] = nan
			case 4: // zeros of both signs on top
				for i := range x {
					x[i] = -float32(r.Float64())
				}
				x[r.IntN(n)] = negZero
				x[r.IntN(n)] = 0
			}
			gotV, gotI := maxIndex(x)
			wantV, wantI := plain(x)
			if gotI != wantI || math.Float32bits(gotV) != math.Float32bits(wantV) {
				t.Fatalf("n=%d trial %d: (%v, %d), want (%v, %d)", n, trial, gotV, gotI, wantV, wantI)
			}
		}
	}
}

func TestAttentionRows(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, hd := range []int{8, 12, 32, 40, 64} {
		for _, n := range []int{1, 3, 4, 37} {
			const stride, scale = 100, 0.25
			q := randomFloats(r, hd)
			rows := randomFloats(r, n*stride)
			w := randomFloats(r, n)
			scores := make([]float32, n)
			best := scaledScores(scores, q, rows[5:], stride, scale)
			top := float32(math.Inf(-1))
			for j := range scores {
				var want float64
				for i := range q {
					want += float64(q[i]) * float64(rows[5+j*stride+i])
				}
				if math.Abs(float64(scores[j])-want*scale) > 1e-5 {
					t.Fatalf("hd %d: score %d = %v, want %v", hd, j, scores[j], want*scale)
				}
				// Each key's score is what it gets alone, however many
				// keys the kernel takes at once.
				var one [1]float32
				scaledScores(one[:], q, rows[5+j*stride:], stride, scale)
				if one[0] != scores[j] {
					t.Fatalf("hd %d: score %d is %v among %d keys, %v alone", hd, j, scores[j], n, one[0])
				}
				top = max(top, scores[j])
			}
			if best != top {
				t.Fatalf("hd %d: best %v, want %v", hd, best, top)
			}
			out := make([]float32, hd)
			weightedRows(out, rows[5:], w, stride, scale)
			for i := range out {
				var want float64
				for j := range w {
					want += float64(w[j]*scale) * float64(rows[5+j*stride+i])
				}
				if math.Abs(float64(out[i])-want) > 1e-5 {
					t.Fatalf("hd %d: weighted sum %d = %v, want %v", hd, i, out[i], want)
				}
			}
			if hd%8 == 0 {
				// Each column's sum is what it gets in a slice of eight
				// columns, however many the kernel takes at once.
				for c := 0; c < hd; c += 8 {
					part := make([]float32, 8)
					weightedRows(part, rows[5+c:], w, stride, scale)
					for i := range part {
						if part[i] != out[c+i] {
							t.Fatalf("hd %d: column %d is %v among %d, %v among 8", hd, c+i, out[c+i], hd, part[i])
						}
					}
				}
			}
		}
	}
}
