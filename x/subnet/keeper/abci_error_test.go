package keeper

import (
	"errors"
	"fmt"
	"testing"

	errorsmod "cosmossdk.io/errors"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestABCIErrorKeepsRegisteredCode(t *testing.T) {
	wrapped := fmt.Errorf("register neuron: %w", fmt.Errorf("%w: netuid 9", types.ErrUnknownSubnet))
	if _, code, _ := errorsmod.ABCIInfo(wrapped, false); code == types.ErrUnknownSubnet.ABCICode() {
		t.Fatal("the SDK now follows Unwrap(): abciError is no longer needed")
	}
	space, code, log := errorsmod.ABCIInfo(errorsmod.Wrap(abciError(wrapped), "failed to execute message"), false)
	if space != types.ModuleName || code != types.ErrUnknownSubnet.ABCICode() {
		t.Errorf("ABCI info %s/%d, want %s/%d", space, code, types.ModuleName, types.ErrUnknownSubnet.ABCICode())
	}
	if want := "failed to execute message: " + wrapped.Error(); log != want {
		t.Errorf("log %q, want %q", log, want)
	}
	if !errors.Is(abciError(wrapped), types.ErrUnknownSubnet) {
		t.Error("abciError hides the wrapped error from errors.Is")
	}
	plain := errors.New("store failure")
	if abciError(plain) != plain || abciError(nil) != nil {
		t.Error("abciError changed an error that wraps no registered error")
	}
}
