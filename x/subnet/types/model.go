package types

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mindnet/mindnet/inference/modelid"
)

// Serving precisions a subnet may accept. Half covers float16 and bfloat16: validators compare
// log-probabilities with a tolerance, and the two half formats sit within the same one.
const (
	PrecisionFloat32 = "float32"
	PrecisionHalf    = "half"
)

// Bounds of a model record.
const (
	// MaxModelNameLength bounds a model name, in characters: room for a Hugging Face "org/repo" name.
	MaxModelNameLength = 128
	// MaxModelContextLength bounds context_length, in tokens: above the longest context of today's
	// open checkpoints, and low enough that a typo cannot ask validators for an impossible task.
	MaxModelContextLength = 1 << 20
)

// DefaultModel is the built-in model (package models), which every binary can run with no download:
// what a subnet serves when create-subnet names no model. It is built from modelid's constants, not
// from the embedded folder, so that the chain does not link the model's weights.
func DefaultModel() SubnetModel {
	return SubnetModel{
		Name:          modelid.BuiltinName,
		Digest:        modelid.BuiltinDigest,
		Precisions:    []string{PrecisionFloat32},
		ContextLength: modelid.BuiltinContextLength,
	}
}

// IsEmpty reports whether no field of m is set.
func (m SubnetModel) IsEmpty() bool {
	return m.Name == "" && m.Digest == "" && len(m.Precisions) == 0 && m.ContextLength == 0
}

// CheckModelName accepts 1 to MaxModelNameLength printable characters without surrounding spaces.
func CheckModelName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxModelNameLength || !utf8.ValidString(name) || strings.TrimSpace(name) != name {
		return fmt.Errorf("%w: got %q", ErrInvalidModelName, name)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%w: got %q", ErrInvalidModelName, name)
		}
	}
	return nil
}

// Validate checks a model record without state: name, digest form, precisions and context length.
func (m SubnetModel) Validate() error {
	if err := CheckModelName(m.Name); err != nil {
		return err
	}
	if !modelid.ValidDigest(m.Digest) {
		return fmt.Errorf("%w: got %q", ErrInvalidModelDigest, m.Digest)
	}
	if len(m.Precisions) == 0 {
		return fmt.Errorf("%w: list at least one", ErrInvalidPrecision)
	}
	seen := make(map[string]bool, len(m.Precisions))
	for _, p := range m.Precisions {
		if p != PrecisionFloat32 && p != PrecisionHalf {
			return fmt.Errorf("%w: got %q", ErrInvalidPrecision, p)
		}
		if seen[p] {
			return fmt.Errorf("%w: %q listed twice", ErrInvalidPrecision, p)
		}
		seen[p] = true
	}
	if m.ContextLength == 0 || m.ContextLength > MaxModelContextLength {
		return fmt.Errorf("%w: got %d", ErrInvalidContextLength, m.ContextLength)
	}
	return nil
}

// AcceptsPrecision reports whether validators of a subnet serving m accept answers computed in
// precision p.
func (m SubnetModel) AcceptsPrecision(p string) bool {
	for _, q := range m.Precisions {
		if q == p {
			return true
		}
	}
	return false
}
