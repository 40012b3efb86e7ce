package llama

//go:generate go run asm_gen.go

// panelWidth is how many output features a weight panel holds: two AVX
// registers of float32.
const panelWidth = 16

// maxTileRows is the most token rows one kernel call takes; six rows of two
// accumulators each, plus the panel row and a broadcast, fill the sixteen
// AVX registers.
const maxTileRows = 6

// packed is an nn.Linear weight ([out][in]) rearranged for the matrix
// kernel: panels of panelWidth output features, each panel stored [in]
// [panelWidth], so that the kernel reads it front to back while it
// multiplies a few token rows at once. The last panel is padded with zeros.
type packed struct {
	data    []float32 // [panels][in][panelWidth]
	in, out int
}

func pack(w []float32, out, in int) packed {
	p := packed{in: in, out: out, data: make([]float32, panels(out)*in*panelWidth)}
	for o := 0; o < out; o++ {
		base := (o / panelWidth) * in * panelWidth
		for i := 0; i < in; i++ {
			p.data[base+i*panelWidth+o%panelWidth] = w[o*in+i]
		}
	}
	return p
}

func panels(out int) int { return (out + panelWidth - 1) / panelWidth }

// row copies weight row o (an embedding, for a tied head) into dst.
func (p packed) row(dst []float32, o int) {
	base := (o/panelWidth)*p.in*panelWidth + o%panelWidth
	for i := range dst[:p.in] {
		dst[i] = p.data[base+i*panelWidth]
	}
}

// matmulJob computes out[t][o] = sum_i x[t][i] * w[o][i] for t < rows, the
// product nn.Linear computes, over a range of weight panels. Each panel is
// multiplied with up to maxTileRows token rows per kernel call while it
// stays in the L1 cache, so prefill reads each weight once per chunk rather
// than once per token. Every output is the same sequence of multiply-adds
// over i whatever the number of rows, so a token's numbers do not depend on
// how a sequence was cut into chunks: prefill reproduces decoding bit for
// bit.
type matmulJob struct {
	out, x []float32
	w      packed
	rows   int
}

func (j *matmulJob) run(lo, hi int) {
	in, outN := j.w.in, j.w.out
	var tile [maxTileRows * panelWidth]float32
	for p := lo; p < hi; p++ {
		wp := j.w.data[p*in*panelWidth : (p+1)*in*panelWidth]
		col := p * panelWidth
		cols := min(panelWidth, outN-col)
		for t := 0; t < j.rows; t += maxTileRows {
			r := min(maxTileRows, j.rows-t)
			x := j.x[t*in : (t+r)*in]
			if cols == panelWidth {
				panel(r, x, in, wp, j.out[t*outN+col:], outN)
				continue
			}
			// A partial panel's kernel output would run into the next row.
			panel(r, x, in, wp, tile[:], panelWidth)
			for i := 0; i < r; i++ {
				copy(j.out[(t+i)*outN+col:(t+i)*outN+col+cols], tile[i*panelWidth:])
			}
		}
	}
}

// panelGo is the portable kernel: out[r][0:16] = x[r] · panel for r <
// rows, with the same order of additions as the AVX2 kernel (which fuses
// each multiply-add, so the two may differ in the last bit).
func panelGo(rows int, x []float32, xStride int, w []float32, out []float32, outStride int) {
	in := len(w) / panelWidth
	for r := 0; r < rows; r++ {
		var acc [panelWidth]float32
		for i, xv := range x[r*xStride : r*xStride+in] {
			wr := w[i*panelWidth : (i+1)*panelWidth : (i+1)*panelWidth]
			for c := range acc {
				acc[c] += xv * wr[c]
			}
		}
		copy(out[r*outStride:r*outStride+panelWidth], acc[:])
	}
}

// mulRows computes out = x · wᵀ for rows token rows on the calling core.
// The cores split a forward pass by rows (see forward), so each product
// runs whole where it is called.
func mulRows(out, x []float32, w packed, rows int) {
	if rows <= 0 {
		return
	}
	j := matmulJob{out: out, x: x, w: w, rows: rows}
	j.run(0, panels(w.out))
}
