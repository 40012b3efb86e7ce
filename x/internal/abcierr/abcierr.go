// Package abcierr makes a keeper's refusals reach clients with the ABCI code of the registered error
// they wrap. Mindnet's keepers add context with fmt.Errorf("%w: …"), but the SDK finds a tx's ABCI
// code and codespace by following Cause(), not Unwrap(), so without this every refusal would arrive as
// code 1 in codespace "undefined" instead of, say, weights/21 (ErrRateLimited). The message text is
// kept as it is.
package abcierr

import (
	"errors"

	errorsmod "cosmossdk.io/errors"
)

// coded is an error that wraps a registered error somewhere in its chain and reports that error's ABCI
// code and codespace.
type coded struct {
	err        error
	registered *errorsmod.Error
}

func (e coded) Error() string     { return e.err.Error() }
func (e coded) Unwrap() error     { return e.err }
func (e coded) ABCICode() uint32  { return e.registered.ABCICode() }
func (e coded) Codespace() string { return e.registered.Codespace() }

// Coded returns err reporting the ABCI code of the registered error it wraps; an error that wraps none
// (and nil) is returned unchanged.
func Coded(err error) error {
	var registered *errorsmod.Error
	if err == nil || !errors.As(err, &registered) {
		return err
	}
	return coded{err: err, registered: registered}
}
