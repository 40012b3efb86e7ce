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
	ErrInsufficientStake   = errorsmod.Register(ModuleName, 14, "hotkey stake is below the subnet's min_validator_stake: add root stake with `mindnetd tx subnet add-stake HOTKEY 0 AMOUNT` or alpha on the subnet with `mindnetd tx subnet add-stake HOTKEY NETUID AMOUNT`")
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

// Commit-reveal, batch and root errors.
var (
	ErrCommitRevealDisabled  = errorsmod.Register(ModuleName, 30, "commit-reveal is off for this subnet: set weights directly with set-weights")
	ErrInvalidCommitHash     = errorsmod.Register(ModuleName, 31, "commit hash must be 32 bytes: compute it with x/weights/types.CommitHash (commit-weights does)")
	ErrSaltLength            = errorsmod.Register(ModuleName, 32, "salt must be 8 to 64 bytes: use a fresh random salt of 32 bytes")
	ErrTooManyPendingCommits = errorsmod.Register(ModuleName, 33, "too many pending commits for this UID: reveal or wait for one to expire before committing again")
	ErrDuplicateCommit       = errorsmod.Register(ModuleName, 34, "this commit hash is already pending: commit each row with a fresh salt")
	ErrNoPendingCommit       = errorsmod.Register(ModuleName, 35, "no pending commit for this hotkey on this subnet: commit with commit-weights first")
	ErrRevealMismatch        = errorsmod.Register(ModuleName, 36, "no pending commit matches this reveal: give exactly the netuid, uids, weights (same order), salt and version_key that were committed")
	ErrRevealTooEarly        = errorsmod.Register(ModuleName, 37, "reveal before the commit's reveal window: wait until its reveal_start block")
	ErrRevealTooLate         = errorsmod.Register(ModuleName, 38, "the commit's reveal window has passed and it expired: commit again and reveal within the window")
	ErrAlreadyRevealed       = errorsmod.Register(ModuleName, 39, "this commit was already revealed: a reveal counts once; commit a new row to change weights")
	ErrNoEpochs              = errorsmod.Register(ModuleName, 40, "the subnet has no reveal windows (tempo or commit_reveal_period is 0, or too large): ask governance to fix them")
	ErrEmptyBatch            = errorsmod.Register(ModuleName, 41, "a batch needs at least one entry")
	ErrBatchTooLarge         = errorsmod.Register(ModuleName, 42, "too many entries in one batch: split it")
	ErrDuplicateBatchNetuid  = errorsmod.Register(ModuleName, 43, "a netuid appears more than once in the batch: give each subnet one row")
	ErrInvalidRootTarget     = errorsmod.Register(ModuleName, 44, "a root weight must target an existing subnet other than the root (netuid 0)")
	ErrInvalidAuthority      = errorsmod.Register(ModuleName, 45, "signer is not the x/weights authority (the gov module account): change params by governance proposal")
)
