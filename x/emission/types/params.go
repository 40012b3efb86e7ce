package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// PartsPerMillion is the scale of fee_collector_share and owner_cut: 1,000,000 is 100%.
const PartsPerMillion = 1_000_000

// MaxRootMembersLimit bounds max_root_members: the root epoch places members and subnets in one
// matrix of u16 UIDs.
const MaxRootMembersLimit = 4096

// Defaults for the module parameters.
const (
	// DefaultFeeCollectorShare sends 10% of every block's emission to chain validators and delegators.
	DefaultFeeCollectorShare = 100_000
	// DefaultOwnerCut pays subnet owners 18% of their subnet's emission, as subtensor does.
	DefaultOwnerCut = 180_000
	// DefaultMaxRootMembers is subtensor's root size.
	DefaultMaxRootMembers = 64
)

var (
	// DefaultBlockEmission keeps Bittensor's pace on Mindnet's 2-second blocks: subtensor mints 1 TAO
	// per 12-second block, so a 2-second block mints a sixth of a MIND (rounded down to whole umind).
	// The first halving (10.5M MIND) comes after 63M blocks, about four years.
	DefaultBlockEmission = math.NewInt(166_666)
	// DefaultIssuanceCap is 21 million MIND in umind (1 MIND = 10^6 umind).
	DefaultIssuanceCap = math.NewInt(21_000_000_000_000)
	// DefaultAlphaBlockEmission is what the subnets' share of a block's umind is by default (90% of
	// 166,666), so that a chain with one subnet pays its epochs the same numbers as before markets.
	DefaultAlphaBlockEmission = math.NewInt(150_000)
	// MaxAlphaBlockEmission and MaxAlphaIssuanceCap bound governance: an epoch's alpha must fit the
	// Yuma function's 64 bits with room to spare.
	MaxAlphaBlockEmission = math.NewInt(1_000_000_000_000)
	MaxAlphaIssuanceCap   = math.NewInt(1_000_000_000_000_000_000)
)

// DefaultParams returns the parameters a new chain starts with.
func DefaultParams() Params {
	return Params{
		BlockEmission:      DefaultBlockEmission,
		IssuanceCap:        DefaultIssuanceCap,
		FeeCollectorShare:  DefaultFeeCollectorShare,
		OwnerCut:           DefaultOwnerCut,
		MaxRootMembers:     DefaultMaxRootMembers,
		AlphaBlockEmission: DefaultAlphaBlockEmission,
		AlphaIssuanceCap:   DefaultIssuanceCap,
	}
}

// Validate checks every parameter against its bounds.
func (p Params) Validate() error {
	if p.BlockEmission.IsNil() || p.BlockEmission.IsNegative() {
		return fmt.Errorf("%w: block_emission must be a non-negative amount", ErrInvalidParams)
	}
	if p.IssuanceCap.IsNil() || p.IssuanceCap.IsNegative() {
		return fmt.Errorf("%w: issuance_cap must be a non-negative amount", ErrInvalidParams)
	}
	if p.FeeCollectorShare > PartsPerMillion {
		return fmt.Errorf("%w: fee_collector_share %d is above %d (parts per million)", ErrInvalidParams, p.FeeCollectorShare, PartsPerMillion)
	}
	if p.OwnerCut > PartsPerMillion {
		return fmt.Errorf("%w: owner_cut %d is above %d (parts per million)", ErrInvalidParams, p.OwnerCut, PartsPerMillion)
	}
	if p.MaxRootMembers == 0 || p.MaxRootMembers > MaxRootMembersLimit {
		return fmt.Errorf("%w: max_root_members %d must be in [1, %d]", ErrInvalidParams, p.MaxRootMembers, MaxRootMembersLimit)
	}
	if p.AlphaBlockEmission.IsNil() || p.AlphaBlockEmission.IsNegative() || p.AlphaBlockEmission.GT(MaxAlphaBlockEmission) {
		return fmt.Errorf("%w: alpha_block_emission must be 0 to %s", ErrInvalidParams, MaxAlphaBlockEmission)
	}
	if p.AlphaIssuanceCap.IsNil() || p.AlphaIssuanceCap.IsNegative() || p.AlphaIssuanceCap.GT(MaxAlphaIssuanceCap) {
		return fmt.Errorf("%w: alpha_issuance_cap must be 0 to %s", ErrInvalidParams, MaxAlphaIssuanceCap)
	}
	return nil
}

// AlphaBlockEmissionAt is the alpha a subnet's block accrues to its epoch after emitted alpha so far:
// alpha_block_emission halved at each half of alpha_issuance_cap crossed, never past the cap.
func AlphaBlockEmissionAt(p Params, emitted math.Int) math.Int {
	return BlockEmissionAt(Params{BlockEmission: p.AlphaBlockEmission, IssuanceCap: p.AlphaIssuanceCap}, emitted)
}

// PartOf returns floor(amount * ppm / 1,000,000).
func PartOf(amount math.Int, ppm uint32) math.Int {
	return amount.MulRaw(int64(ppm)).QuoRaw(PartsPerMillion)
}
