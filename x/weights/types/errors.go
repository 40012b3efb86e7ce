package types

import errorsmod "cosmossdk.io/errors"

// Errors a user of x/weights can get. Codes are part of the module's API: never renumber one.
var (
	ErrInvalidParams  = errorsmod.Register(ModuleName, 2, "invalid module parameters")
	ErrInvalidAddress = errorsmod.Register(ModuleName, 3, "invalid address")
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 4, "invalid x/weights genesis")

	ErrUnknownSubnet       = errorsmod.Register(ModuleName, 10, "unknown netuid: list subnets with `mindnetd q subnet subnets`")
	ErrHotkeyNotRegistered = errorsmod.Register(ModuleName, 11, "hotkey holds no UID on this subnet: register it with `mindnetd tx subnet register`")
	ErrNoValidatorPermit   = errorsmod.Register(ModuleName, 12, "hotkey holds no validator permit on this subnet: permits go to the top neurons by stake at each epoch")
	ErrOwnerSelfWeightOnly = errorsmod.Register(ModuleName, 13, "without a validator permit the subnet owner may only set a self-weight (its own UID alone)")
	ErrInsufficientStake   = errorsmod.Register(ModuleName, 14, "hotkey stake is below the subnet's min_validator_stake: add stake with `mindnetd tx subnet add-stake`")
	ErrLengthMismatch      = errorsmod.Register(ModuleName, 15, "uids and weights differ in length: give one weight per UID")
	ErrDuplicateUID        = errorsmod.Register(ModuleName, 16, "a UID appears more than once: give each UID one weight")
	ErrUIDOutOfRange       = errorsmod.Register(ModuleName, 17, "UID not below the subnet's size: see `mindnetd q subnet metagraph`")
	ErrTooFewWeights       = errorsmod.Register(ModuleName, 18, "too few non-zero weights: the subnet needs min(min_allowed_weights, subnet size)")
	ErrMaxWeightExceeded   = errorsmod.Register(ModuleName, 19, "a weight exceeds max_weight_limit after normalisation: spread the weights over more UIDs")
	ErrOutdatedVersionKey  = errorsmod.Register(ModuleName, 20, "version_key below the subnet's weights_version_key: upgrade the validator software")
	ErrRateLimited         = errorsmod.Register(ModuleName, 21, "weights set too recently for this UID: wait weights_rate_limit blocks")
	ErrCommitRevealEnabled = errorsmod.Register(ModuleName, 22, "commit-reveal is on for this subnet: use commit-weights and reveal-weights instead of set-weights")
	ErrWeightTooLarge      = errorsmod.Register(ModuleName, 23, "weight above 65535: weights are u16 values")
	ErrTooManyWeights      = errorsmod.Register(ModuleName, 24, "row longer than the subnet's size")
)
