//go:build !amd64 || purego

package llama

func expShiftAVX2(dst, src *float32, n int, shift float32) float32 { panic("llama: no AVX2 kernel") }

func dotRowsAVX2(q, keys *float32, stride, n, hd int, out *float32) { panic("llama: no AVX2 kernel") }

func weightedRowsAVX2(out, vals *float32, stride int, w *float32, n, hd int) {
	panic("llama: no AVX2 kernel")
}
