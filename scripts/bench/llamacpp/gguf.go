package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// GGUF (version 3) as llama.cpp reads it: a header, typed key/value
// metadata, tensor descriptions, then the tensors' data at aligned offsets.
// Only what a float32 Llama checkpoint needs is written.
const (
	ggufMagic     = 0x46554747 // "GGUF" read as a little-endian uint32
	ggufVersion   = 3
	ggufAlignment = 32

	ggufUint32  = 4
	ggufInt32   = 5
	ggufFloat32 = 6
	ggufBool    = 7
	ggufString  = 8
	ggufArray   = 9

	ggmlF32 = 0
)

// ggufValue is one metadata value: a uint32, int32 list, float32 (or list),
// bool, string (or list).
type ggufKV struct {
	key   string
	value any
}

// ggufTensor is a float32 tensor with its ggml shape: ne[0] is the length
// of a row (the innermost dimension), the reverse of PyTorch's order.
type ggufTensor struct {
	name string
	ne   []uint64
	data []float32
}

type ggufWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (g *ggufWriter) put(v any) {
	if g.err != nil {
		return
	}
	g.err = binary.Write(g.w, binary.LittleEndian, v)
	g.n += int64(binary.Size(v))
}

func (g *ggufWriter) str(s string) {
	g.put(uint64(len(s)))
	if g.err == nil {
		_, g.err = g.w.WriteString(s)
		g.n += int64(len(s))
	}
}

func (g *ggufWriter) value(v any) {
	switch v := v.(type) {
	case uint32:
		g.put(uint32(ggufUint32))
		g.put(v)
	case float32:
		g.put(uint32(ggufFloat32))
		g.put(v)
	case bool:
		g.put(uint32(ggufBool))
		b := uint8(0)
		if v {
			b = 1
		}
		g.put(b)
	case string:
		g.put(uint32(ggufString))
		g.str(v)
	case []string:
		g.put(uint32(ggufArray))
		g.put(uint32(ggufString))
		g.put(uint64(len(v)))
		for _, s := range v {
			g.str(s)
		}
	case []float32:
		g.put(uint32(ggufArray))
		g.put(uint32(ggufFloat32))
		g.put(uint64(len(v)))
		g.put(v)
	case []int32:
		g.put(uint32(ggufArray))
		g.put(uint32(ggufInt32))
		g.put(uint64(len(v)))
		g.put(v)
	default:
		g.err = fmt.Errorf("gguf: no encoding for %T", v)
	}
}

func (g *ggufWriter) pad() {
	for g.n%ggufAlignment != 0 && g.err == nil {
		g.put(uint8(0))
	}
}

// writeGGUF writes metadata and tensors in the order given.
func writeGGUF(out io.Writer, kvs []ggufKV, tensors []ggufTensor) error {
	g := &ggufWriter{w: bufio.NewWriterSize(out, 1<<20)}
	g.put(uint32(ggufMagic))
	g.put(uint32(ggufVersion))
	g.put(uint64(len(tensors)))
	g.put(uint64(len(kvs) + 1))
	g.str("general.alignment")
	g.value(uint32(ggufAlignment))
	for _, kv := range kvs {
		g.str(kv.key)
		g.value(kv.value)
	}
	var offset uint64
	for _, t := range tensors {
		elems := uint64(1)
		for _, d := range t.ne {
			elems *= d
		}
		if elems != uint64(len(t.data)) {
			return fmt.Errorf("gguf: %s has %d values for shape %v", t.name, len(t.data), t.ne)
		}
		g.str(t.name)
		g.put(uint32(len(t.ne)))
		g.put(t.ne)
		g.put(uint32(ggmlF32))
		g.put(offset)
		offset += (4*elems + ggufAlignment - 1) / ggufAlignment * ggufAlignment
	}
	g.pad()
	buf := make([]byte, 0, 1<<16)
	for _, t := range tensors {
		for i := 0; i < len(t.data) && g.err == nil; {
			buf = buf[:0]
			for ; i < len(t.data) && len(buf) < cap(buf); i++ {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(t.data[i]))
			}
			_, g.err = g.w.Write(buf)
			g.n += int64(len(buf))
		}
		g.pad()
	}
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}
