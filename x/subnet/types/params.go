package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// Defaults for the module parameters.
const (
	DefaultMaxSubnets = 32
)

// DefaultMinSubnetLock is 100 MIND.
var DefaultMinSubnetLock = math.NewInt(100_000_000)

// DefaultParams returns the parameters a new chain starts with.
func DefaultParams() Params {
	return Params{
		MaxSubnets:    DefaultMaxSubnets,
		MinSubnetLock: DefaultMinSubnetLock,
	}
}

// Validate checks that every parameter is in range.
func (p Params) Validate() error {
	// The root subnet (netuid 0) always exists, so at least one more must fit.
	if p.MaxSubnets < 2 {
		return fmt.Errorf("%w: max_subnets must be at least 2 (root plus one), got %d", ErrInvalidParams, p.MaxSubnets)
	}
	if p.MinSubnetLock.IsNil() || p.MinSubnetLock.IsNegative() {
		return fmt.Errorf("%w: min_subnet_lock must be a non-negative amount of umind", ErrInvalidParams)
	}
	return nil
}
