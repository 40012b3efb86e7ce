package types

import errorsmod "cosmossdk.io/errors"

// Errors a user of x/subnet can get. Codes are part of the module's API: never renumber one.
var (
	ErrInvalidParams    = errorsmod.Register(ModuleName, 2, "invalid module parameters")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 3, "signer is not the module authority (the gov module account)")
)
