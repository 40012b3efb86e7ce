//go:build amd64 && !purego

package llama

// The AVX2 loops of vec.go, in vec_amd64.s (written by asm_gen.go). They
// trust their arguments; vec.go checks them.

//go:noescape
func expShiftAVX2(dst, src *float32, n int, shift float32) (sum float32)

//go:noescape
func expSumAVX2(src *float32, n int, shift float32) (sum float32)

//go:noescape
func siluMulAVX2(gate, up *float32, n int)

//go:noescape
func maxIndexAVX2(x *float32, n int) (idx int)

//go:noescape
func scoresAVX2(q, keys *float32, stride, n, hd int, scale float32, out *float32) (best float32)

//go:noescape
func weightedRowsAVX2(out, vals *float32, stride int, w *float32, n, hd int, scale float32)
