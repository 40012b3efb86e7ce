// Package safetensors reads the safetensors checkpoint format: an 8-byte
// little-endian header length, a JSON header that names every tensor with its
// dtype, shape and byte range, then the raw tensor data.
//
// A checkpoint is untrusted input (a miner may be handed any file), so Parse
// checks every claim the header makes before any byte is read through it:
// the header length, duplicate names, known dtypes (F32, F16 and BF16, the
// float types the built-in engine computes with), shapes whose size matches
// the byte range, and byte ranges that tile the data section exactly with no
// gap or overlap, as the reference implementation requires. Every failure is
// a named error wrapped with the tensor it concerns; nothing panics.
package safetensors
