package yuma

import (
	"errors"
	"fmt"
)

// Errors that Epoch and the JSON decoder return, wrapped in a *FieldError that names the
// offending field. Test with errors.Is.
var (
	ErrTooManyNeurons  = errors.New("too many neurons")
	ErrUIDOutOfRange   = errors.New("uid out of range")
	ErrDuplicateUID    = errors.New("duplicate uid")
	ErrBadParam        = errors.New("bad parameter")
	ErrStakeOverflow   = errors.New("total stake overflows")
	ErrMalformedInput  = errors.New("malformed input")
	ErrMissingField    = errors.New("missing field")
	ErrValueOutOfRange = errors.New("value out of range")
)

// MaxNeurons is the largest subnet the epoch accepts: UIDs are u16.
const MaxNeurons = 1 << 16

// FieldError reports what is wrong with one field of the input, named as it is written in
// the JSON input, e.g. "neurons[3].weights[1]".
type FieldError struct {
	Field  string
	Err    error  // one of the Err* sentinels above
	Detail string // what exactly, for the reader
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Detail
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Detail)
}

func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, sentinel error, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}
