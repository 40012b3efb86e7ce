package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// MaxHeaderSize bounds the JSON header; the reference implementation refuses
// headers above 100 MB for the same reason: a length field is attacker-chosen.
const MaxHeaderSize = 100 << 20

// DType names an element type as the header spells it.
type DType string

// The element types this reader accepts.
const (
	F32  DType = "F32"
	F16  DType = "F16"
	BF16 DType = "BF16"
)

// Size is the number of bytes of one element, or 0 for an unknown dtype.
func (d DType) Size() int {
	switch d {
	case F32:
		return 4
	case F16, BF16:
		return 2
	}
	return 0
}

// Errors that Parse wraps with the detail of what was wrong.
var (
	ErrTooShort         = errors.New("safetensors: file shorter than its 8-byte header length")
	ErrHeaderSize       = errors.New("safetensors: header length out of range")
	ErrHeaderJSON       = errors.New("safetensors: header is not a JSON object of tensors")
	ErrDuplicateTensor  = errors.New("safetensors: tensor named twice")
	ErrUnsupportedDType = errors.New("safetensors: unsupported dtype")
	ErrBadShape         = errors.New("safetensors: shape does not match the byte range")
	ErrBadOffsets       = errors.New("safetensors: data offsets invalid")
	ErrNotFound         = errors.New("safetensors: no such tensor")
)

// Tensor is one entry of a checkpoint. Data aliases the parsed buffer.
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// Elements is the product of the shape (1 for a scalar).
func (t Tensor) Elements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// File is a parsed checkpoint.
type File struct {
	Metadata map[string]string
	tensors  map[string]Tensor
	names    []string
}

// Names lists the tensors in byte order of their data.
func (f *File) Names() []string { return slices.Clone(f.names) }

// Tensor returns the named tensor.
func (f *File) Tensor(name string) (Tensor, error) {
	t, ok := f.tensors[name]
	if !ok {
		return Tensor{}, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	return t, nil
}

// Read reads a whole checkpoint from r and parses it.
func Read(r io.Reader) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("safetensors: read: %w", err)
	}
	return Parse(data)
}

type entry struct {
	DType       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// Parse validates data as a safetensors file and indexes its tensors without
// copying them.
func Parse(data []byte) (*File, error) {
	if len(data) < 8 {
		return nil, ErrTooShort
	}
	n := binary.LittleEndian.Uint64(data[:8])
	if n < 2 || n > MaxHeaderSize || n > uint64(len(data)-8) {
		return nil, fmt.Errorf("%w: %d bytes declared, %d available", ErrHeaderSize, n, len(data)-8)
	}
	header := data[8 : 8+n]
	body := data[8+n:]
	raw, err := decodeObject(header)
	if err != nil {
		return nil, err
	}
	f := &File{tensors: make(map[string]Tensor, len(raw))}
	type span struct {
		name       string
		start, end int64
	}
	var spans []span
	for _, kv := range raw {
		if kv.name == "__metadata__" {
			if err := json.Unmarshal(kv.value, &f.Metadata); err != nil {
				return nil, fmt.Errorf("%w: __metadata__ must map strings to strings: %v", ErrHeaderJSON, err)
			}
			continue
		}
		t, start, end, err := parseEntry(kv.name, kv.value, int64(len(body)))
		if err != nil {
			return nil, err
		}
		t.Data = body[start:end:end]
		f.tensors[kv.name] = t
		spans = append(spans, span{kv.name, start, end})
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return int(a.start - b.start)
		}
		return int(a.end - b.end)
	})
	// The reference reader requires the ranges to tile the data section:
	// no byte is shared by two tensors and none is left unaccounted for.
	var at int64
	for _, s := range spans {
		if s.start != at {
			return nil, fmt.Errorf("%w: tensor %q starts at %d, expected %d", ErrBadOffsets, s.name, s.start, at)
		}
		at = s.end
		f.names = append(f.names, s.name)
	}
	if at != int64(len(body)) {
		return nil, fmt.Errorf("%w: tensors cover %d of %d data bytes", ErrBadOffsets, at, len(body))
	}
	return f, nil
}

func parseEntry(name string, value json.RawMessage, bodyLen int64) (Tensor, int64, int64, error) {
	var e entry
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Tensor{}, 0, 0, fmt.Errorf("%w: tensor %q: %v", ErrHeaderJSON, name, err)
	}
	dt := DType(e.DType)
	if dt.Size() == 0 {
		return Tensor{}, 0, 0, fmt.Errorf("%w: tensor %q has %q (want F32, F16 or BF16)", ErrUnsupportedDType, name, e.DType)
	}
	if len(e.DataOffsets) != 2 {
		return Tensor{}, 0, 0, fmt.Errorf("%w: tensor %q needs [start, end]", ErrBadOffsets, name)
	}
	start, end := e.DataOffsets[0], e.DataOffsets[1]
	if start < 0 || end < start || end > bodyLen {
		return Tensor{}, 0, 0, fmt.Errorf("%w: tensor %q has [%d, %d] in %d data bytes", ErrBadOffsets, name, start, end, bodyLen)
	}
	elems := int64(1)
	shape := make([]int, len(e.Shape))
	for i, d := range e.Shape {
		if d < 0 || (d > 0 && elems > math.MaxInt32/d) {
			return Tensor{}, 0, 0, fmt.Errorf("%w: tensor %q has shape %v", ErrBadShape, name, e.Shape)
		}
		elems *= d
		shape[i] = int(d)
	}
	if elems*int64(dt.Size()) != end-start {
		return Tensor{}, 0, 0, fmt.Errorf("%w: tensor %q: shape %v of %s is %d bytes, range holds %d",
			ErrBadShape, name, e.Shape, dt, elems*int64(dt.Size()), end-start)
	}
	return Tensor{Name: name, DType: dt, Shape: shape}, start, end, nil
}

type member struct {
	name  string
	value json.RawMessage
}

// decodeObject reads the header's top-level object keeping its members in
// order and refusing duplicate names, which a plain map decode would hide.
func decodeObject(header []byte) ([]member, error) {
	trimmed := strings.TrimRight(string(header), " ")
	dec := json.NewDecoder(strings.NewReader(trimmed))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: header does not open with '{'", ErrHeaderJSON)
	}
	seen := map[string]bool{}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrHeaderJSON, err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("%w: member name is not a string", ErrHeaderJSON)
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: %q", ErrDuplicateTensor, name)
		}
		seen[name] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%w: member %q: %v", ErrHeaderJSON, name, err)
		}
		out = append(out, member{name, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHeaderJSON, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after the header object", ErrHeaderJSON)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the header object", ErrHeaderJSON)
	}
	return out, nil
}
