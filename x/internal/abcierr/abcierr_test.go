package abcierr

import (
	"errors"
	"fmt"
	"testing"

	errorsmod "cosmossdk.io/errors"
)

var errSample = errorsmod.Register("abcierrtest", 7, "sample refusal")

func TestCodedKeepsRegisteredCode(t *testing.T) {
	wrapped := fmt.Errorf("outer: %w", fmt.Errorf("%w: detail", errSample))
	if _, code, _ := errorsmod.ABCIInfo(wrapped, false); code == errSample.ABCICode() {
		t.Fatal("the SDK now follows Unwrap(): Coded is no longer needed")
	}
	space, code, log := errorsmod.ABCIInfo(errorsmod.Wrap(Coded(wrapped), "failed to execute message"), false)
	if space != "abcierrtest" || code != 7 {
		t.Errorf("ABCI info %s/%d, want abcierrtest/7", space, code)
	}
	if want := "failed to execute message: " + wrapped.Error(); log != want {
		t.Errorf("log %q, want %q", log, want)
	}
	if !errors.Is(Coded(wrapped), errSample) {
		t.Error("Coded hides the wrapped error from errors.Is")
	}
	plain := errors.New("store failure")
	if Coded(plain) != plain || Coded(nil) != nil {
		t.Error("Coded changed an error that wraps no registered error")
	}
}
