package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and route. Its module account holds all stake and
	// passes registration burns through to the bank module's burn.
	ModuleName = "subnet"

	// LockPoolName is the module account that holds the subnets' pools: the creation locks that seeded
	// them and every umind swapped in since. It is kept apart from root stake so that the stake pool's
	// balance always equals the sum of root stake records, and its own the sum of the pools' reserves.
	LockPoolName = "subnet_lock"

	// StoreKey is the key of the module's KV store.
	StoreKey = ModuleName

	// RootNetuid is the root subnet, created at genesis; its weights set the other subnets' shares.
	RootNetuid uint32 = 0
)

// Store prefixes. Each collection in the keeper owns exactly one; never reuse a number.
var (
	ParamsKey          = collections.NewPrefix(0)
	SubnetsKey         = collections.NewPrefix(1)
	LockStateKey       = collections.NewPrefix(2)
	NeuronsKey         = collections.NewPrefix(3)
	UIDsKey            = collections.NewPrefix(4)
	HotkeyOwnersKey    = collections.NewPrefix(5)
	StakesKey          = collections.NewPrefix(6)
	TotalStakeKey      = collections.NewPrefix(7)
	StakesByColdkeyKey = collections.NewPrefix(8)
	DelegateTakesKey   = collections.NewPrefix(9)
	PruneOrderKey      = collections.NewPrefix(10)
	PendingModelsKey   = collections.NewPrefix(11)
	PoolsKey           = collections.NewPrefix(12)
	AlphaStakesKey     = collections.NewPrefix(13)
	AlphaTotalsKey     = collections.NewPrefix(14)
	AlphaByColdkeyKey  = collections.NewPrefix(15)
)
