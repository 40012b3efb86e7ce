package types

import errorsmod "cosmossdk.io/errors"

// Errors a user of x/subnet can get. Codes are part of the module's API: never renumber one.
var (
	ErrInvalidParams    = errorsmod.Register(ModuleName, 2, "invalid module parameters")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 3, "signer is not the module authority (the gov module account)")

	ErrInvalidAddress              = errorsmod.Register(ModuleName, 10, "invalid address")
	ErrInvalidSubnetName           = errorsmod.Register(ModuleName, 11, "invalid subnet name: use 1 to 64 printable characters")
	ErrUnknownSubnet               = errorsmod.Register(ModuleName, 12, "unknown netuid: list subnets with `mindnetd q subnet subnets`")
	ErrMaxSubnets                  = errorsmod.Register(ModuleName, 13, "the chain holds max_subnets subnets and every one is still immune: try again later")
	ErrInsufficientFundsForLock    = errorsmod.Register(ModuleName, 14, "insufficient funds for the subnet creation lock: check `mindnetd q subnet subnet-creation-cost`")
	ErrNotSubnetOwner              = errorsmod.Register(ModuleName, 15, "signer is not the subnet owner")
	ErrHyperparameterOutOfBounds   = errorsmod.Register(ModuleName, 16, "hyperparameter outside the governance bounds: check `mindnetd q subnet params`")
	ErrHyperparameterNotSettable   = errorsmod.Register(ModuleName, 17, "only governance may change this hyperparameter")
	ErrRootSubnet                  = errorsmod.Register(ModuleName, 18, "the root subnet (netuid 0) is governed by the chain")
	ErrHotkeyOwnedByOtherColdkey   = errorsmod.Register(ModuleName, 20, "hotkey is owned by another coldkey: use a fresh hotkey")
	ErrHotkeyAlreadyRegistered     = errorsmod.Register(ModuleName, 21, "hotkey already holds a UID on this subnet")
	ErrSubnetFullAllImmune         = errorsmod.Register(ModuleName, 22, "subnet is full and every neuron is still immune: try again after the immunity period")
	ErrInsufficientFundsForBurn    = errorsmod.Register(ModuleName, 23, "insufficient funds for the registration burn: check `mindnetd q subnet registration-cost`")
	ErrTooManyRegistrationsInBlock = errorsmod.Register(ModuleName, 24, "max_registrations_per_block reached on this subnet: try again next block")
	ErrHotkeyNotRegistered         = errorsmod.Register(ModuleName, 25, "hotkey holds no UID on this subnet")
	ErrUnknownNeuron               = errorsmod.Register(ModuleName, 26, "no neuron at this UID")
	ErrInvalidIP                   = errorsmod.Register(ModuleName, 30, "invalid axon IP: give a specified IPv4 or IPv6 address")
	ErrInvalidPort                 = errorsmod.Register(ModuleName, 31, "invalid axon port: must be 1 to 65535")
	ErrServingRateLimited          = errorsmod.Register(ModuleName, 32, "axon served too recently: wait serving_rate_limit blocks")
	ErrInvalidAmount               = errorsmod.Register(ModuleName, 40, "amount must be a positive number of umind")
	ErrUnknownHotkey               = errorsmod.Register(ModuleName, 41, "hotkey was never registered: stake only behind a registered hotkey")
	ErrInsufficientStake           = errorsmod.Register(ModuleName, 42, "not enough stake behind this hotkey from this coldkey")
	ErrInsufficientFundsForStake   = errorsmod.Register(ModuleName, 43, "insufficient funds to stake this amount")
	ErrTakeOutOfBounds             = errorsmod.Register(ModuleName, 44, "delegate take outside the governance bounds: check `mindnetd q subnet params`")
	ErrInvalidGenesis              = errorsmod.Register(ModuleName, 50, "invalid x/subnet genesis")
	ErrInvalidModelName            = errorsmod.Register(ModuleName, 60, "invalid model name: use 1 to 128 printable characters")
	ErrInvalidModelDigest          = errorsmod.Register(ModuleName, 61, "invalid model digest: give 64 lowercase hex digits, as `mindnetd debug model-digest DIR` prints")
	ErrInvalidPrecision            = errorsmod.Register(ModuleName, 62, "invalid serving precisions: list one or both of float32 and half, each once")
	ErrInvalidContextLength        = errorsmod.Register(ModuleName, 63, "invalid model context length: must be 1 to 1048576 tokens")
)
