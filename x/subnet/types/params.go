package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// Defaults for the module parameters.
const (
	DefaultMaxSubnets = 32

	// DefaultSubnetLockReductionInterval is about a week of 6-second blocks.
	DefaultSubnetLockReductionInterval = 100_800

	// DefaultSubnetImmunityPeriod protects a new subnet from replacement for about a week.
	DefaultSubnetImmunityPeriod = 100_800

	// Delegate takes are in basis points; subtensor's default and ceiling are 18%.
	TakeDenominator        = 10_000
	DefaultDelegateTake    = 1_800
	DefaultMinDelegateTake = 0
	DefaultMaxDelegateTake = 1_800
	u16Max                 = 65_535

	// DefaultSwapFee is 0.3% of every swap through a pool, Uniswap v2's fee; MaxSwapFee is 10%.
	DefaultSwapFee = 30
	MaxSwapFee     = 1_000
	// DefaultPriceEMAHalfLife is about 100 minutes of 6-second blocks: a single block's swap moves a
	// subnet's average price, and so its emission share, by under 0.07% of the swap's own price move.
	DefaultPriceEMAHalfLife = 1_000
	MaxPriceEMAHalfLife     = 10_000_000
	// DefaultRootWeight counts all of a hotkey's root stake in every subnet's Yuma, as before subnet
	// markets; governance lowers it as alpha stake grows (subtensor's tao_weight is 18%).
	DefaultRootWeight       = TakeDenominator
	bondsMovingAverageScale = 1_000_000
)

// DefaultMinSubnetLock is 100 MIND.
var DefaultMinSubnetLock = math.NewInt(100_000_000)

// DefaultHyperparameters are a new subnet's settings, close to subtensor's defaults where the chains
// agree on units.
func DefaultHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                          360,
		MaxAllowedUids:                 256,
		MaxAllowedValidators:           64,
		ImmunityPeriod:                 4_096,
		MinAllowedWeights:              1,
		MaxWeightLimit:                 u16Max,
		WeightsRateLimit:               100,
		WeightsVersionKey:              0,
		ActivityCutoff:                 5_000,
		Kappa:                          32_767, // one half: consensus is the stake-weighted median
		BondsMovingAverage:             900_000,
		BondsPenalty:                   0,
		Yuma3:                          false,
		LiquidAlphaEnabled:             false,
		AlphaLow:                       45_875, // 0.7
		AlphaHigh:                      58_982, // 0.9
		AlphaSigmoidSteepness:          1_000,
		CommitRevealEnabled:            true,
		CommitRevealPeriod:             1,
		ServingRateLimit:               50,
		MinBurn:                        math.NewInt(500_000),         // 0.5 MIND
		MaxBurn:                        math.NewInt(100_000_000_000), // 100,000 MIND
		TargetRegistrationsPerInterval: 2,
		AdjustmentInterval:             360,
		MaxRegistrationsPerBlock:       1,
		MinValidatorStake:              math.NewInt(1_000_000), // 1 MIND
	}
}

// DefaultMinHyperparameters are the lower governance bounds.
func DefaultMinHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                          1,
		MaxAllowedUids:                 1,
		MaxAllowedValidators:           1,
		MaxWeightLimit:                 1,
		ActivityCutoff:                 1,
		CommitRevealPeriod:             1,
		MinBurn:                        math.ZeroInt(),
		MaxBurn:                        math.ZeroInt(),
		TargetRegistrationsPerInterval: 1,
		AdjustmentInterval:             1,
		MaxRegistrationsPerBlock:       1,
		MinValidatorStake:              math.ZeroInt(),
	}
}

// DefaultMaxHyperparameters are the upper governance bounds.
func DefaultMaxHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                          100_000,
		MaxAllowedUids:                 4_096,
		MaxAllowedValidators:           4_096,
		ImmunityPeriod:                 1_000_000,
		MinAllowedWeights:              4_096,
		MaxWeightLimit:                 u16Max,
		WeightsRateLimit:               100_000,
		WeightsVersionKey:              0,
		ActivityCutoff:                 1_000_000,
		Kappa:                          u16Max,
		BondsMovingAverage:             bondsMovingAverageScale,
		BondsPenalty:                   u16Max,
		AlphaLow:                       u16Max,
		AlphaHigh:                      u16Max,
		AlphaSigmoidSteepness:          u16Max,
		CommitRevealPeriod:             100,
		ServingRateLimit:               100_000,
		MinBurn:                        math.NewInt(1_000_000_000_000_000),
		MaxBurn:                        math.NewInt(1_000_000_000_000_000),
		TargetRegistrationsPerInterval: 4_096,
		AdjustmentInterval:             100_000,
		MaxRegistrationsPerBlock:       4_096,
		MinValidatorStake:              math.NewInt(1_000_000_000_000_000),
	}
}

// DefaultParams returns the parameters a new chain starts with.
func DefaultParams() Params {
	return Params{
		MaxSubnets:                  DefaultMaxSubnets,
		MinSubnetLock:               DefaultMinSubnetLock,
		SubnetLockReductionInterval: DefaultSubnetLockReductionInterval,
		SubnetImmunityPeriod:        DefaultSubnetImmunityPeriod,
		DefaultHyperparameters:      DefaultHyperparameters(),
		MinHyperparameters:          DefaultMinHyperparameters(),
		MaxHyperparameters:          DefaultMaxHyperparameters(),
		DefaultDelegateTake:         DefaultDelegateTake,
		MinDelegateTake:             DefaultMinDelegateTake,
		MaxDelegateTake:             DefaultMaxDelegateTake,
		DefaultModel:                DefaultModel(),
		SwapFee:                     DefaultSwapFee,
		PriceEmaHalfLife:            DefaultPriceEMAHalfLife,
		RootWeight:                  DefaultRootWeight,
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
	if p.SubnetLockReductionInterval == 0 {
		return fmt.Errorf("%w: subnet_lock_reduction_interval must be at least 1 block", ErrInvalidParams)
	}
	if err := p.validateBounds(); err != nil {
		return err
	}
	if err := p.CheckHyperparameters(p.DefaultHyperparameters); err != nil {
		return fmt.Errorf("%w: default_hyperparameters: %w", ErrInvalidParams, err)
	}
	if p.MinDelegateTake > p.MaxDelegateTake || p.MaxDelegateTake > TakeDenominator {
		return fmt.Errorf("%w: delegate take bounds must satisfy min <= max <= %d, got [%d, %d]",
			ErrInvalidParams, TakeDenominator, p.MinDelegateTake, p.MaxDelegateTake)
	}
	if p.DefaultDelegateTake < p.MinDelegateTake || p.DefaultDelegateTake > p.MaxDelegateTake {
		return fmt.Errorf("%w: default_delegate_take %d outside [%d, %d]",
			ErrInvalidParams, p.DefaultDelegateTake, p.MinDelegateTake, p.MaxDelegateTake)
	}
	if err := p.DefaultModel.Validate(); err != nil {
		return fmt.Errorf("%w: default_model: %w", ErrInvalidParams, err)
	}
	return p.validateMarket()
}

func (p Params) validateMarket() error {
	if p.SwapFee > MaxSwapFee {
		return fmt.Errorf("%w: swap_fee must be at most %d basis points, got %d", ErrInvalidParams, MaxSwapFee, p.SwapFee)
	}
	if p.PriceEmaHalfLife == 0 || p.PriceEmaHalfLife > MaxPriceEMAHalfLife {
		return fmt.Errorf("%w: price_ema_half_life must be 1 to %d blocks, got %d", ErrInvalidParams, MaxPriceEMAHalfLife, p.PriceEmaHalfLife)
	}
	if p.RootWeight > TakeDenominator {
		return fmt.Errorf("%w: root_weight must be at most %d basis points, got %d", ErrInvalidParams, TakeDenominator, p.RootWeight)
	}
	return nil
}

func (p Params) validateBounds() error {
	lo, hi := p.MinHyperparameters.numeric(), p.MaxHyperparameters.numeric()
	for i := range lo {
		if lo[i].value.IsNil() || hi[i].value.IsNil() || lo[i].value.IsNegative() {
			return fmt.Errorf("%w: bounds of %s must be set and non-negative", ErrInvalidParams, lo[i].name)
		}
		if lo[i].value.GT(hi[i].value) {
			return fmt.Errorf("%w: min %s (%s) is above its max (%s)", ErrInvalidParams, lo[i].name, lo[i].value, hi[i].value)
		}
	}
	if hi := p.MaxHyperparameters; hi.Kappa > u16Max || hi.MaxWeightLimit > u16Max || hi.BondsPenalty > u16Max ||
		hi.AlphaLow > u16Max || hi.AlphaHigh > u16Max || hi.BondsMovingAverage > bondsMovingAverageScale {
		return fmt.Errorf("%w: fraction bounds exceed their scale (u16 fields 65535, bonds_moving_average 1000000)", ErrInvalidParams)
	}
	return nil
}

// CheckHyperparameters checks h against the bounds in p and the rules that tie fields together.
func (p Params) CheckHyperparameters(h Hyperparameters) error {
	vals, lo, hi := h.numeric(), p.MinHyperparameters.numeric(), p.MaxHyperparameters.numeric()
	for i := range vals {
		if vals[i].value.IsNil() {
			return fmt.Errorf("%w: %s must be set", ErrHyperparameterOutOfBounds, vals[i].name)
		}
		if vals[i].value.LT(lo[i].value) || vals[i].value.GT(hi[i].value) {
			return fmt.Errorf("%w: %s = %s, allowed [%s, %s]", ErrHyperparameterOutOfBounds,
				vals[i].name, vals[i].value, lo[i].value, hi[i].value)
		}
	}
	if h.MaxAllowedValidators > h.MaxAllowedUids {
		return fmt.Errorf("%w: max_allowed_validators %d above max_allowed_uids %d",
			ErrHyperparameterOutOfBounds, h.MaxAllowedValidators, h.MaxAllowedUids)
	}
	if h.MinBurn.GT(h.MaxBurn) {
		return fmt.Errorf("%w: min_burn %s above max_burn %s", ErrHyperparameterOutOfBounds, h.MinBurn, h.MaxBurn)
	}
	if h.AlphaLow > h.AlphaHigh {
		return fmt.Errorf("%w: alpha_low %d above alpha_high %d", ErrHyperparameterOutOfBounds, h.AlphaLow, h.AlphaHigh)
	}
	return nil
}

type namedValue struct {
	name  string
	value math.Int
}

// numeric lists every bounded hyperparameter in a fixed order, so that a value and its two bounds
// line up by index. weights_version_key and the booleans are free and not listed.
func (h Hyperparameters) numeric() []namedValue {
	u := func(name string, v uint64) namedValue { return namedValue{name, math.NewIntFromUint64(v)} }
	return []namedValue{
		u("tempo", h.Tempo),
		u("max_allowed_uids", uint64(h.MaxAllowedUids)),
		u("max_allowed_validators", uint64(h.MaxAllowedValidators)),
		u("immunity_period", h.ImmunityPeriod),
		u("min_allowed_weights", uint64(h.MinAllowedWeights)),
		u("max_weight_limit", uint64(h.MaxWeightLimit)),
		u("weights_rate_limit", h.WeightsRateLimit),
		u("activity_cutoff", h.ActivityCutoff),
		u("kappa", uint64(h.Kappa)),
		u("bonds_moving_average", h.BondsMovingAverage),
		u("bonds_penalty", uint64(h.BondsPenalty)),
		u("alpha_low", uint64(h.AlphaLow)),
		u("alpha_high", uint64(h.AlphaHigh)),
		u("alpha_sigmoid_steepness", uint64(h.AlphaSigmoidSteepness)),
		u("commit_reveal_period", h.CommitRevealPeriod),
		u("serving_rate_limit", h.ServingRateLimit),
		{"min_burn", h.MinBurn},
		{"max_burn", h.MaxBurn},
		u("target_registrations_per_interval", uint64(h.TargetRegistrationsPerInterval)),
		u("adjustment_interval", h.AdjustmentInterval),
		u("max_registrations_per_block", uint64(h.MaxRegistrationsPerBlock)),
		{"min_validator_stake", h.MinValidatorStake},
	}
}

// CheckOwnerChange reports the first change from old to next that a subnet owner may not make.
// Governance alone sets how often epochs run, how large a subnet and its validator set grow, and the
// pace of registration; and only governance may turn commit-reveal off (it stops weight copying).
func CheckOwnerChange(old, next Hyperparameters) error {
	fixed := []struct {
		name    string
		changed bool
	}{
		{"tempo", old.Tempo != next.Tempo},
		{"max_allowed_uids", old.MaxAllowedUids != next.MaxAllowedUids},
		{"max_allowed_validators", old.MaxAllowedValidators != next.MaxAllowedValidators},
		{"target_registrations_per_interval", old.TargetRegistrationsPerInterval != next.TargetRegistrationsPerInterval},
		{"adjustment_interval", old.AdjustmentInterval != next.AdjustmentInterval},
		{"max_registrations_per_block", old.MaxRegistrationsPerBlock != next.MaxRegistrationsPerBlock},
		{"commit_reveal_enabled", old.CommitRevealEnabled && !next.CommitRevealEnabled},
	}
	for _, f := range fixed {
		if f.changed {
			return fmt.Errorf("%w: %s", ErrHyperparameterNotSettable, f.name)
		}
	}
	return nil
}
