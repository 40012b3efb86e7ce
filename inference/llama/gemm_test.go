package llama

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// unpack is pack's inverse: the weight back in nn.Linear's [out][in] order.
func unpack(p packed) []float32 {
	w := make([]float32, p.out*p.in)
	for o := 0; o < p.out; o++ {
		p.row(w[o*p.in:(o+1)*p.in], o)
	}
	return w
}

func randomFloats(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

func TestPackRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, shape := range [][2]int{{1, 1}, {16, 8}, {17, 5}, {270, 32}, {40, 24}} {
		w := randomFloats(r, shape[0]*shape[1])
		p := pack(w, shape[0], shape[1])
		if got := unpack(p); !slices.Equal(got, w) {
			t.Fatalf("%v: unpack(pack(w)) != w", shape)
		}
		if len(p.data) != panels(shape[0])*shape[1]*panelWidth {
			t.Fatalf("%v: %d packed floats", shape, len(p.data))
		}
	}
}

// TestMatmulMatchesNaive checks the kernel (AVX2 where the CPU has it)
// against float64 sums over the unpacked weights, for row counts that
// exercise every tile height and partial last panels.
func TestMatmulMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ rows, in, out int }{
		{1, 8, 16}, {1, 128, 2048}, {5, 24, 40}, {7, 33, 17}, {13, 128, 384}, {32, 384, 128}, {6, 1, 3},
	} {
		x := randomFloats(r, c.rows*c.in)
		w := randomFloats(r, c.out*c.in)
		out := make([]float32, c.rows*c.out+1)
		out[len(out)-1] = 42 // a sentinel the product must not touch
		mulRows(out, x, pack(w, c.out, c.in), c.rows)
		if out[len(out)-1] != 42 {
			t.Fatalf("%+v: wrote past the output", c)
		}
		for tk := 0; tk < c.rows; tk++ {
			for o := 0; o < c.out; o++ {
				var want, mag float64
				for i := 0; i < c.in; i++ {
					p := float64(x[tk*c.in+i]) * float64(w[o*c.in+i])
					want += p
					mag += math.Abs(p)
				}
				if d := math.Abs(float64(out[tk*c.out+o]) - want); d > 1e-6*mag+1e-30 {
					t.Fatalf("%+v: out[%d][%d] = %v, want %v", c, tk, o, out[tk*c.out+o], want)
				}
			}
		}
	}
}

// TestKernelRowsIndependent: a row's result is bit for bit the same alone
// or in a tile of any height, on the kernel in use and on the portable one.
func TestKernelRowsIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const in = 77
	x := randomFloats(r, maxTileRows*in)
	w := randomFloats(r, in*panelWidth)
	for _, kernel := range []struct {
		name string
		run  func(rows int, x []float32, xStride int, w []float32, out []float32, outStride int)
	}{{"in use", panel}, {"portable", panelGo}} {
		var alone [maxTileRows * panelWidth]float32
		for i := 0; i < maxTileRows; i++ {
			kernel.run(1, x[i*in:], in, w, alone[i*panelWidth:], panelWidth)
		}
		for rows := 1; rows <= maxTileRows; rows++ {
			var tile [maxTileRows * panelWidth]float32
			kernel.run(rows, x, in, w, tile[:], panelWidth)
			if !slices.Equal(tile[:rows*panelWidth], alone[:rows*panelWidth]) {
				t.Fatalf("%s kernel: %d rows at once differ from one at a time", kernel.name, rows)
			}
		}
	}
	t.Logf("AVX2 kernel in use: %v", useAVX2)
}

// BenchmarkMatmul measures the kernel alone, on one core, on the shipped
// model's largest shapes, in multiply-adds per second, one token (decode)
// and one chunk (prefill) at a time.
func BenchmarkMatmul(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct {
		name          string
		rows, in, out int
	}{{"decode-head", 1, 128, 2048}, {"prefill-head", chunk, 128, 2048}, {"decode-down", 1, 384, 128}, {"prefill-down", chunk, 384, 128}} {
		b.Run(c.name, func(b *testing.B) {
			x := randomFloats(r, c.rows*c.in)
			w := pack(randomFloats(r, c.out*c.in), c.out, c.in)
			out := make([]float32, c.rows*c.out)
			for b.Loop() {
				mulRows(out, x, w, c.rows)
			}
			b.ReportMetric(float64(c.rows*c.in*c.out)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
		})
	}
}
