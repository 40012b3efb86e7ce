package types

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"
)

// MaxSubnetNameLength bounds a subnet name, in characters.
const MaxSubnetNameLength = 64

// Stateless checks for every message ("ValidateBasic"): they need only an address codec, never the
// store. The msg server runs them first; the keeper then checks what depends on state.

func checkAddress(ac address.Codec, field, addr string) error {
	if _, err := ac.StringToBytes(addr); err != nil {
		return fmt.Errorf("%w: %s %q: %w", ErrInvalidAddress, field, addr, err)
	}
	return nil
}

func checkPositive(amount math.Int) error {
	if amount.IsNil() || !amount.IsPositive() {
		return fmt.Errorf("%w: got %v", ErrInvalidAmount, amount)
	}
	return nil
}

// CheckSubnetName accepts 1 to MaxSubnetNameLength printable characters without surrounding spaces.
func CheckSubnetName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxSubnetNameLength || !utf8.ValidString(name) || strings.TrimSpace(name) != name {
		return fmt.Errorf("%w: got %q", ErrInvalidSubnetName, name)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%w: got %q", ErrInvalidSubnetName, name)
		}
	}
	return nil
}

// CheckAxonEndpoint accepts a specified IPv4 or IPv6 address (no 0.0.0.0 or ::, no zone) and a
// non-zero port.
func CheckAxonEndpoint(ip string, port uint32) error {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrInvalidIP, ip, err)
	}
	if u := addr.Unmap(); u.IsUnspecified() || u.IsMulticast() || addr.Zone() != "" {
		return fmt.Errorf("%w: %q", ErrInvalidIP, ip)
	}
	if port == 0 || port > 65_535 {
		return fmt.Errorf("%w: got %d", ErrInvalidPort, port)
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
func (m *MsgCreateSubnet) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "owner", m.Owner); err != nil {
		return err
	}
	if err := CheckSubnetName(m.Name); err != nil {
		return err
	}
	if m.Model != nil {
		return m.Model.Validate()
	}
	return nil
}

// Validate checks the message without state; ownership and the root subnet are the keeper's.
func (m *MsgSetSubnetModel) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "owner", m.Owner); err != nil {
		return err
	}
	return m.Model.Validate()
}

// Validate checks the message without state.
func (m *MsgTransferSubnetOwnership) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "owner", m.Owner); err != nil {
		return err
	}
	return checkAddress(ac, "new_owner", m.NewOwner)
}

// Validate checks the message without state; bounds depend on params and are the keeper's.
func (m *MsgSetHyperparameters) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "authority", m.Authority); err != nil {
		return err
	}
	h := m.Hyperparameters
	if h.MinBurn.IsNil() || h.MaxBurn.IsNil() || h.MinValidatorStake.IsNil() {
		return fmt.Errorf("%w: min_burn, max_burn and min_validator_stake must be set", ErrHyperparameterOutOfBounds)
	}
	return nil
}

// Validate checks the message without state.
func (m *MsgRegisterNeuron) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "coldkey", m.Coldkey); err != nil {
		return err
	}
	return checkAddress(ac, "hotkey", m.Hotkey)
}

// Validate checks the message without state.
func (m *MsgServeAxon) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "hotkey", m.Hotkey); err != nil {
		return err
	}
	return CheckAxonEndpoint(m.Ip, m.Port)
}

// Validate checks the message without state.
func (m *MsgAddStake) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "coldkey", m.Coldkey); err != nil {
		return err
	}
	if err := checkAddress(ac, "hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := checkPositive(m.Amount); err != nil {
		return err
	}
	return ValidateLimitPrice(m.LimitPrice)
}

// Validate checks the message without state.
func (m *MsgRemoveStake) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "coldkey", m.Coldkey); err != nil {
		return err
	}
	if err := checkAddress(ac, "hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := checkPositive(m.Amount); err != nil {
		return err
	}
	return ValidateLimitPrice(m.LimitPrice)
}

// Validate checks the message without state.
func (m *MsgMoveStake) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "coldkey", m.Coldkey); err != nil {
		return err
	}
	if err := checkAddress(ac, "origin_hotkey", m.OriginHotkey); err != nil {
		return err
	}
	if err := checkAddress(ac, "destination_hotkey", m.DestinationHotkey); err != nil {
		return err
	}
	if m.OriginHotkey == m.DestinationHotkey && m.OriginNetuid == m.DestinationNetuid {
		return ErrSameStake
	}
	if err := checkPositive(m.Amount); err != nil {
		return err
	}
	return ValidateLimitPrice(m.LimitPrice)
}

// Validate checks the message without state; the bounds are in params and checked by the keeper.
func (m *MsgSetDelegateTake) Validate(ac address.Codec) error {
	if err := checkAddress(ac, "hotkey", m.Hotkey); err != nil {
		return err
	}
	if m.Take > TakeDenominator {
		return fmt.Errorf("%w: %d basis points is above 100%%", ErrTakeOutOfBounds, m.Take)
	}
	return nil
}
