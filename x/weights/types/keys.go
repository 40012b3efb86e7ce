package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and route.
	ModuleName = "weights"

	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName

	// MaxWeight is the largest stored weight: every stored row is scaled so that its top entry is
	// MaxWeight, and max_weight_limit counts in 1/MaxWeight-ths.
	MaxWeight = 65535
)

// Store prefixes. Each collection in the keeper owns exactly one; never reuse a number.
var (
	ParamsKey  = collections.NewPrefix(0)
	WeightsKey = collections.NewPrefix(1)
)

// CommitsKey prefixes the commit queues, by (netuid, uid).
var CommitsKey = collections.NewPrefix(2)
