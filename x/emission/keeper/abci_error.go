package keeper

import (
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
)

// codedError is an error that wraps one of the registered errors somewhere in its chain and reports
// that error's ABCI code and codespace.
type codedError struct {
	err        error
	registered *errorsmod.Error
}

func (e codedError) Error() string     { return e.err.Error() }
func (e codedError) Unwrap() error     { return e.err }
func (e codedError) ABCICode() uint32  { return e.registered.ABCICode() }
func (e codedError) Codespace() string { return e.registered.Codespace() }

// abciError makes a refusal reach clients as the registered error it wraps: the SDK finds a tx's ABCI
// code by following Cause(), not Unwrap(), so errors wrapped with fmt.Errorf would otherwise arrive as
// code 1 in codespace "undefined".
func abciError(err error) error {
	var registered *errorsmod.Error
	if err == nil || !errors.As(err, &registered) {
		return err
	}
	return codedError{err: err, registered: registered}
}

func errorsIsNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }
