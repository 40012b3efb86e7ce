package llama

// matmulJob computes out[t][o] = sum_i x[t][i] * w[o][i] for t < rows, the
// product nn.Linear computes with a weight stored [out][in]. Work is split
// over o so each weight row is read once per chunk of tokens. Every output
// is one dot call, whatever the number of rows, so a token's numbers do not
// depend on how a sequence was cut into chunks: prefill reproduces decoding
// bit for bit. (A 4x2 register tile for prefill measured no faster in
// scalar Go and would break that.)
type matmulJob struct {
	out, x, w      []float32
	rows, in, outN int
}

func (j *matmulJob) run(lo, hi int) {
	in := j.in
	for o := lo; o < hi; o++ {
		wr := j.w[o*in : o*in+in]
		for t := 0; t < j.rows; t++ {
			j.out[t*j.outN+o] = dot(j.x[t*in:t*in+in], wr)
		}
	}
}

// dot sums in four lanes, like a vectorised BLAS kernel, for speed and for
// rounding errors of the same size as PyTorch's. The fixed-size subslices
// let the compiler drop the bounds checks (30% faster than indexing a[i+1]
// and so on); eight lanes measured no faster with Go's scalar float code.
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

// matmul runs out = x · wᵀ for rows tokens across the worker pool.
func (s *state) matmul(out, x, w []float32, rows, in, outN int) {
	s.mm = matmulJob{out: out, x: x, w: w, rows: rows, in: in, outN: outN}
	parallel(&s.mm, outN, rows*in, &s.wg)
}
