package types

import errorsmod "cosmossdk.io/errors"

// Errors a user of x/emission can get. Codes are part of the module's API: never renumber one.
var (
	ErrInvalidParams    = errorsmod.Register(ModuleName, 2, "invalid module parameters")
	ErrInvalidAddress   = errorsmod.Register(ModuleName, 3, "invalid address")
	ErrInvalidGenesis   = errorsmod.Register(ModuleName, 4, "invalid x/emission genesis")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 5, "signer is not the module authority (the gov module account): change params by governance proposal")

	ErrUnknownHotkey           = errorsmod.Register(ModuleName, 10, "hotkey has no owner: register it on a subnet with `mindnetd tx subnet register` first")
	ErrNotHotkeyOwner          = errorsmod.Register(ModuleName, 11, "the signer is not the coldkey that owns this hotkey")
	ErrAlreadyRootMember       = errorsmod.Register(ModuleName, 12, "hotkey already holds a seat on the root subnet")
	ErrRootFullStakeTooLow     = errorsmod.Register(ModuleName, 13, "the root subnet is full and the hotkey's total stake does not beat its lowest member's: add stake and try again")
	ErrUnknownSubnet           = errorsmod.Register(ModuleName, 14, "unknown netuid: list subnets with `mindnetd q subnet subnets`")
	ErrIssuanceInvariantBroken = errorsmod.Register(ModuleName, 15, "x/emission issuance ledger does not balance")
)
