package safetensors

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

func sample(t testing.TB) []byte {
	t.Helper()
	a := Float32Tensor("a", []int{2, 3}, []float32{1, -2, 3.5, 0, 1e-3, -7})
	half := Tensor{Name: "h", DType: F16, Shape: []int{3}, Data: []byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00}}
	bf := Tensor{Name: "b", DType: BF16, Shape: []int{2}, Data: []byte{0x80, 0x3f, 0x49, 0x40}}
	data, err := Encode([]Tensor{a, half, bf}, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRoundTrip(t *testing.T) {
	f, err := Parse(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["format"] != "pt" {
		t.Fatalf("metadata %v", f.Metadata)
	}
	if got := f.Names(); len(got) != 3 || got[0] != "a" || got[1] != "h" || got[2] != "b" {
		t.Fatalf("names %v", got)
	}
	a, _ := f.Tensor("a")
	vals, err := a.Float32s()
	if err != nil || vals[2] != 3.5 || vals[5] != -7 || len(vals) != 6 {
		t.Fatalf("a = %v, %v", vals, err)
	}
	h, _ := f.Tensor("h")
	hv, _ := h.Float32s()
	if hv[0] != 1 || hv[1] != -2 || hv[2] != float32(math.Ldexp(1, -24)) {
		t.Fatalf("f16 = %v", hv)
	}
	b, _ := f.Tensor("b")
	bv, _ := b.Float32s()
	if bv[0] != 1 || bv[1] != 3.140625 {
		t.Fatalf("bf16 = %v", bv)
	}
	if _, err := f.Tensor("zzz"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing tensor: %v", err)
	}
}

func TestHalfSpecialValues(t *testing.T) {
	cases := map[uint16]float32{
		0x0000: 0, 0x3c00: 1, 0x7bff: 65504, 0x0400: float32(math.Ldexp(1, -14)),
		0x03ff: float32(math.Ldexp(1023, -24)), 0xfc00: float32(math.Inf(-1)),
	}
	for h, want := range cases {
		if got := HalfToFloat32(h); got != want {
			t.Errorf("%#04x: got %v want %v", h, got, want)
		}
	}
	if got := HalfToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("NaN became %v", got)
	}
	if got := HalfToFloat32(0x8000); math.Float32bits(got) != 0x80000000 {
		t.Errorf("-0 became %v", got)
	}
}

// withHeader builds a file with a hand-written header and data section.
func withHeader(header string, body int) []byte {
	out := make([]byte, 8, 8+len(header)+body)
	binary.LittleEndian.PutUint64(out, uint64(len(header)))
	out = append(out, header...)
	return append(out, make([]byte, body)...)
}

func TestCorruptFiles(t *testing.T) {
	huge := make([]byte, 8)
	binary.LittleEndian.PutUint64(huge, math.MaxUint64)
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTooShort},
		{"header past end", huge, ErrHeaderSize},
		{"not json", withHeader("{not json}", 0), ErrHeaderJSON},
		{"array", withHeader("[1,2]", 0), ErrHeaderJSON},
		{"trailing", withHeader(`{}{}`, 0), ErrHeaderJSON},
		{"duplicate", withHeader(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 4), ErrDuplicateTensor},
		{"dtype", withHeader(`{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}`, 8), ErrUnsupportedDType},
		{"shape mismatch", withHeader(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, 4), ErrBadShape},
		{"negative dim", withHeader(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4), ErrBadShape},
		{"overflowing shape", withHeader(`{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`, 4), ErrBadShape},
		{"past end", withHeader(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 4), ErrBadOffsets},
		{"reversed", withHeader(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}`, 4), ErrBadOffsets},
		{"overlap", withHeader(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 4), ErrBadOffsets},
		{"gap", withHeader(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8), ErrBadOffsets},
		{"uncovered tail", withHeader(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 8), ErrBadOffsets},
		{"unknown field", withHeader(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, 4), ErrHeaderJSON},
		{"bad metadata", withHeader(`{"__metadata__":{"k":1}}`, 0), ErrHeaderJSON},
	}
	for _, c := range cases {
		if _, err := Parse(c.data); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample(f))
	f.Add(withHeader(`{"a":{"dtype":"BF16","shape":[1,1],"data_offsets":[0,2]}}`, 2))
	f.Add(withHeader(`{"__metadata__":{"format":"pt"}}`, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		for _, name := range file.Names() {
			tensor, err := file.Tensor(name)
			if err != nil {
				t.Fatalf("listed tensor %q missing: %v", name, err)
			}
			vals, err := tensor.Float32s()
			if err != nil || len(vals) != tensor.Elements() {
				t.Fatalf("valid tensor %q failed to decode: %v", name, err)
			}
		}
	})
}
