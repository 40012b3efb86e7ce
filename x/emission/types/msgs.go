package types

import (
	"fmt"

	"cosmossdk.io/core/address"
)

// Stateless checks for every message ("ValidateBasic"): they need only an address codec. The msg
// server runs them first; the keeper then checks what depends on state.

func checkAddress(ac address.Codec, field, addr string) error {
	if _, err := ac.StringToBytes(addr); err != nil {
		return fmt.Errorf("%w: %s %q: %w", ErrInvalidAddress, field, addr, err)
	}
	return nil
}

// Validate checks the message without state.
func (m *MsgUpdateParams) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// Validate checks the message without state.
func (m *MsgRootRegister) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "coldkey", m.Coldkey); err != nil {
		return err
	}
	return checkAddress(ac, "hotkey", m.Hotkey)
}
