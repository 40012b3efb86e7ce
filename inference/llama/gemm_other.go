//go:build !amd64 || purego

package llama

const useAVX2 = false

func panel(rows int, x []float32, xStride int, w []float32, out []float32, outStride int) {
	panelGo(rows, x, xStride, w, out, outStride)
}
