package main

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"slices"
	"testing"
)

// readGGUF is the reader side of the format, written from the GGUF
// specification, to check what writeGGUF lays down: it returns the
// metadata and each tensor's shape and values.
func readGGUF(t *testing.T, data []byte) (map[string]any, map[string][]uint64, map[string][]float32) {
	t.Helper()
	r := bytes.NewReader(data)
	get := func(v any) {
		if err := binary.Read(r, binary.LittleEndian, v); err != nil {
			t.Fatal(err)
		}
	}
	str := func() string {
		var n uint64
		get(&n)
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var magic, version uint32
	var nt, nkv uint64
	get(&magic)
	get(&version)
	get(&nt)
	get(&nkv)
	if magic != ggufMagic || version != 3 {
		t.Fatalf("magic %#x version %d", magic, version)
	}
	var value func(typ uint32) any
	value = func(typ uint32) any {
		switch typ {
		case ggufUint32:
			var v uint32
			get(&v)
			return v
		case ggufInt32:
			var v int32
			get(&v)
			return v
		case ggufFloat32:
			var v float32
			get(&v)
			return v
		case ggufBool:
			var v uint8
			get(&v)
			return v == 1
		case ggufString:
			return str()
		case ggufArray:
			var et uint32
			var n uint64
			get(&et)
			get(&n)
			out := make([]any, n)
			for i := range out {
				out[i] = value(et)
			}
			return out
		}
		t.Fatalf("type %d", typ)
		return nil
	}
	kv := map[string]any{}
	for i := uint64(0); i < nkv; i++ {
		k := str()
		var typ uint32
		get(&typ)
		kv[k] = value(typ)
	}
	shapes := map[string][]uint64{}
	offsets := map[string]uint64{}
	var order []string
	for i := uint64(0); i < nt; i++ {
		name := str()
		var nd, typ uint32
		get(&nd)
		ne := make([]uint64, nd)
		get(ne)
		get(&typ)
		var off uint64
		get(&off)
		if typ != ggmlF32 {
			t.Fatalf("%s: type %d", name, typ)
		}
		shapes[name], offsets[name] = ne, off
		order = append(order, name)
	}
	pos := int64(len(data)) - int64(r.Len())
	base := (pos + ggufAlignment - 1) / ggufAlignment * ggufAlignment
	values := map[string][]float32{}
	for _, name := range order {
		n := uint64(1)
		for _, d := range shapes[name] {
			n *= d
		}
		if offsets[name]%ggufAlignment != 0 {
			t.Fatalf("%s at offset %d", name, offsets[name])
		}
		v := make([]float32, n)
		at := base + int64(offsets[name])
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[at+4*int64(i):]))
		}
		values[name] = v
	}
	return kv, shapes, values
}

func TestWriteGGUF(t *testing.T) {
	var buf bytes.Buffer
	kvs := []ggufKV{{"general.architecture", "llama"}, {"llama.block_count", uint32(30)},
		{"llama.rope.freq_base", float32(1e5)}, {"tokenizer.ggml.add_bos_token", true},
		{"tokenizer.ggml.tokens", []string{"<s>", "▁a"}}, {"tokenizer.ggml.scores", []float32{0, -1}},
		{"tokenizer.ggml.token_type", []int32{3, 1}}}
	tensors := []ggufTensor{
		{"a.weight", []uint64{3}, []float32{1, 2, 3}},
		{"b.weight", []uint64{2, 2}, []float32{4, 5, 6, 7}},
	}
	if err := writeGGUF(&buf, kvs, tensors); err != nil {
		t.Fatal(err)
	}
	kv, shapes, values := readGGUF(t, buf.Bytes())
	if kv["general.architecture"] != "llama" || kv["llama.block_count"] != uint32(30) ||
		kv["llama.rope.freq_base"] != float32(1e5) || kv["tokenizer.ggml.add_bos_token"] != true ||
		kv["general.alignment"] != uint32(32) {
		t.Errorf("metadata %v", kv)
	}
	if toks := kv["tokenizer.ggml.tokens"].([]any); len(toks) != 2 || toks[1] != "▁a" {
		t.Errorf("tokens %v", toks)
	}
	if !slices.Equal(shapes["b.weight"], []uint64{2, 2}) || !slices.Equal(values["a.weight"], []float32{1, 2, 3}) ||
		!slices.Equal(values["b.weight"], []float32{4, 5, 6, 7}) {
		t.Errorf("tensors %v %v", shapes, values)
	}
	if err := writeGGUF(&buf, nil, []ggufTensor{{"bad", []uint64{2}, []float32{1}}}); err == nil {
		t.Error("a shape that does not match its values was written")
	}
}

// TestInterleaveHalves: row i of a head and row i + head_dim/2 become rows
// 2i and 2i + 1, as llama.cpp's converter lays out q and k.
func TestInterleaveHalves(t *testing.T) {
	// Two heads of head_dim 4, rows of one value: the value is the row.
	w := []float32{0, 1, 2, 3, 4, 5, 6, 7}
	got := interleaveHalves(w, 2, 4, 1)
	if want := []float32{0, 2, 1, 3, 4, 6, 5, 7}; !slices.Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
}
