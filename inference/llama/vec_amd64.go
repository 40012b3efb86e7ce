//go:build amd64 && !purego

package llama

// The AVX2 loops of vec.go, in vec_amd64.s (written by asm_gen.go). They
// trust their arguments; vec.go checks them.

//go:noescape
func expShiftAVX2(dst, src *float32, n int, shift float32) (sum float32)

//go:noescape
func dotRowsAVX2(q, keys *float32, stride, n, hd int, out *float32)

//go:noescape
func weightedRowsAVX2(out, vals *float32, stride int, w *float32, n, hd int)
