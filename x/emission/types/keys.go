package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and route. Its module account mints every block's
	// emission and holds the subnets' pending emission until their epochs pay it out.
	ModuleName = "emission"

	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes. Each collection in the keeper owns exactly one; never reuse a number.
var (
	ParamsKey    = collections.NewPrefix(0)
	LedgerKey    = collections.NewPrefix(1)
	PendingKey   = collections.NewPrefix(2)
	BondsKey     = collections.NewPrefix(3)
	LastEpochKey = collections.NewPrefix(4)
)
