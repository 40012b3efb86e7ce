//go:build amd64 && !purego

package llama

import "unsafe"

// panelAVX2 is panelGo with AVX2 fused multiply-adds (gemm_amd64.s,
// written by asm_gen.go). x, w and out must hold what rows, k and the
// strides (in bytes) imply.
//
//go:noescape
func panelAVX2(rows int, x *float32, xStride int, w *float32, k int, out *float32, outStride int)

func cpuid(leaf, sub uint32) (a, b, c, d uint32)

func xgetbv0() uint32

// hasAVX2FMA reports whether the CPU has AVX2 and FMA and the operating
// system saves the AVX registers (XCR0 bits 1 and 2).
func hasAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&(fma|osxsave|avx) != fma|osxsave|avx || xgetbv0()&6 != 6 {
		return false
	}
	_, b7, _, _ := cpuid(7, 0)
	return b7&(1<<5) != 0
}

var useAVX2 = hasAVX2FMA()

func panel(rows int, x []float32, xStride int, w []float32, out []float32, outStride int) {
	in := len(w) / panelWidth
	if !useAVX2 {
		panelGo(rows, x, xStride, w, out, outStride)
		return
	}
	// The kernel trusts its arguments: check here what it will touch.
	_ = x[(rows-1)*xStride+in-1]
	_ = out[(rows-1)*outStride+panelWidth-1]
	panelAVX2(rows, unsafe.SliceData(x), 4*xStride, unsafe.SliceData(w), in, unsafe.SliceData(out), 4*outStride)
}
