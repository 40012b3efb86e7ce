package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and route.
	ModuleName = "subnet"

	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName
)

// Store prefixes. Each collection in the keeper owns exactly one; never reuse a number.
var (
	ParamsKey = collections.NewPrefix(0)
)
