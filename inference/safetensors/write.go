package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
)

// Float32Tensor builds an F32 tensor from values, for writers and tests.
func Float32Tensor(name string, shape []int, values []float32) Tensor {
	data := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	return Tensor{Name: name, DType: F32, Shape: shape, Data: data}
}

// Encode serialises tensors in the given order with optional metadata,
// padding the header with spaces to 8 bytes as the reference writer does.
func Encode(tensors []Tensor, metadata map[string]string) ([]byte, error) {
	header := map[string]any{}
	if metadata != nil {
		header["__metadata__"] = metadata
	}
	var offset int
	for _, t := range tensors {
		if t.DType.Size() == 0 {
			return nil, fmt.Errorf("%w: tensor %q has %q", ErrUnsupportedDType, t.Name, t.DType)
		}
		if t.Elements()*t.DType.Size() != len(t.Data) {
			return nil, fmt.Errorf("%w: tensor %q", ErrBadShape, t.Name)
		}
		if _, dup := header[t.Name]; dup {
			return nil, fmt.Errorf("%w: %q", ErrDuplicateTensor, t.Name)
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = map[string]any{"dtype": t.DType, "shape": shape,
			"data_offsets": []int{offset, offset + len(t.Data)}}
		offset += len(t.Data)
	}
	js, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("safetensors: encode header: %w", err)
	}
	for len(js)%8 != 0 {
		js = append(js, ' ')
	}
	out := make([]byte, 8, 8+len(js)+offset)
	binary.LittleEndian.PutUint64(out, uint64(len(js)))
	out = append(out, js...)
	for _, t := range tensors {
		out = append(out, t.Data...)
	}
	return out, nil
}
