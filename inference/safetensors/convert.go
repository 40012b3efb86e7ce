package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Float32s decodes the tensor into a new float32 slice, widening F16 and
// BF16 exactly (every half and bfloat16 value is representable in float32).
func (t Tensor) Float32s() ([]float32, error) {
	size := t.DType.Size()
	if size == 0 {
		return nil, fmt.Errorf("%w: tensor %q has %q", ErrUnsupportedDType, t.Name, t.DType)
	}
	if len(t.Data)%size != 0 || len(t.Data)/size != t.Elements() {
		return nil, fmt.Errorf("%w: tensor %q", ErrBadShape, t.Name)
	}
	out := make([]float32, len(t.Data)/size)
	for i := range out {
		switch t.DType {
		case F32:
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
		case F16:
			out[i] = HalfToFloat32(binary.LittleEndian.Uint16(t.Data[2*i:]))
		case BF16:
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(t.Data[2*i:])) << 16)
		}
	}
	return out, nil
}

// HalfToFloat32 widens an IEEE 754 binary16 value.
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN keep their payload
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: renormalise into float32's wider exponent
		e := uint32(127 - 15 + 1)
		for frac&0x400 == 0 {
			frac <<= 1
			e--
		}
		frac &= 0x3ff
		return math.Float32frombits(sign | e<<23 | frac<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}
