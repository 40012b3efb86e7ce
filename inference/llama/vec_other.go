//go:build !amd64 || purego

package llama

func expShiftAVX2(dst, src *float32, n int, shift float32) float32 { panic("llama: no AVX2 kernel") }

func expSumAVX2(src *float32, n int, shift float32) float32 { panic("llama: no AVX2 kernel") }

func siluMulAVX2(gate, up *float32, n int) { panic("llama: no AVX2 kernel") }

func maxIndexAVX2(x *float32, n int) int { panic("llama: no AVX2 kernel") }

func scoresAVX2(q, keys *float32, stride, n, hd int, scale float32, out *float32) float32 {
	panic("llama: no AVX2 kernel")
}

func weightedRowsAVX2(out, vals *float32, stride int, w *float32, n, hd int, scale float32) {
	panic("llama: no AVX2 kernel")
}
