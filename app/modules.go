package app

import (
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensusparamtypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	evidencetypes "github.com/cosmos/cosmos-sdk/x/evidence/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	emissiontypes "github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// moduleAccountPermissions lists every module account and what it may do with coins. Order does not
// matter to the SDK (it is a map), but keep it grouped: SDK accounts first, Mindnet's after.
var moduleAccountPermissions = map[string][]string{
	authtypes.FeeCollectorName:     nil,
	distrtypes.ModuleName:          nil,
	stakingtypes.BondedPoolName:    {authtypes.Burner, authtypes.Staking},
	stakingtypes.NotBondedPoolName: {authtypes.Burner, authtypes.Staking},
	govtypes.ModuleName:            {authtypes.Burner},

	// x/subnet holds all stake and burns registration costs; subnet creation locks sit apart so that
	// the stake pool's balance always equals the sum of stake records.
	subnettypes.ModuleName:   {authtypes.Burner},
	subnettypes.LockPoolName: nil,

	// x/emission mints every block's emission and holds the subnets' pending emission; it burns the
	// pending emission of a dissolved subnet.
	emissiontypes.ModuleName: {authtypes.Minter, authtypes.Burner},
}

// ModuleAccountPermissions returns a copy of the module account permissions, for tests and tooling.
func ModuleAccountPermissions() map[string][]string {
	perms := make(map[string][]string, len(moduleAccountPermissions))
	for name, p := range moduleAccountPermissions {
		perms[name] = append([]string(nil), p...)
	}
	return perms
}

// BlockedAddresses returns the module accounts that may not receive funds by plain bank sends: a coin
// sent there by mistake would be stranded or would break a module's bookkeeping.
func BlockedAddresses() map[string]bool {
	blocked := make(map[string]bool, len(moduleAccountPermissions))
	for name := range moduleAccountPermissions {
		blocked[authtypes.NewModuleAddress(name).String()] = true
	}
	// The community pool is fed through gov, which must be able to receive.
	delete(blocked, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return blocked
}

// Block and genesis orders. They are consensus-relevant: changing one is a state-machine breaking change
// that needs a coordinated upgrade.

func preBlockerOrder() []string {
	return []string{upgradetypes.ModuleName, authtypes.ModuleName}
}

func beginBlockerOrder() []string {
	// x/emission first: it mints the block's emission and pays the fee collector's share, which
	// x/distribution then allocates in the same block. distribution before slashing so that fees are
	// allocated before a validator can be jailed, as the SDK's own app does; evidence after slashing.
	return []string{
		subnettypes.ModuleName, // pools' price averages, before x/emission reads them
		emissiontypes.ModuleName,
		distrtypes.ModuleName,
		slashingtypes.ModuleName,
		evidencetypes.ModuleName,
		stakingtypes.ModuleName,
		genutiltypes.ModuleName,
	}
}

func endBlockerOrder() []string {
	// x/bank first, as SDK v0.54 requires.
	return []string{
		banktypes.ModuleName,
		govtypes.ModuleName,
		stakingtypes.ModuleName,
		// x/emission's epochs after the block's transactions have set weights and stake.
		emissiontypes.ModuleName,
		// x/subnet after x/emission: a subnet's new model takes over once its epoch has closed the tempo
		// scored against the old one.
		subnettypes.ModuleName,
		genutiltypes.ModuleName,
	}
}

func initGenesisOrder() []string {
	// genutil after staking and auth: it delivers the genesis transactions, which need both.
	return []string{
		consensusparamtypes.ModuleName,
		authtypes.ModuleName,
		banktypes.ModuleName,
		distrtypes.ModuleName,
		stakingtypes.ModuleName,
		slashingtypes.ModuleName,
		govtypes.ModuleName,
		evidencetypes.ModuleName,
		upgradetypes.ModuleName,
		subnettypes.ModuleName,
		// x/weights after x/subnet: its rows name subnets and UIDs that x/subnet's genesis creates.
		weightstypes.ModuleName,
		// x/emission after x/bank (it checks its module account's balance) and after x/subnet and
		// x/weights.
		emissiontypes.ModuleName,
		genutiltypes.ModuleName,
	}
}

func exportGenesisOrder() []string {
	return initGenesisOrder()
}

// migrationOrder runs store migrations in genesis order, so x/subnet's (which opens the subnets' pools)
// runs before x/emission's (which injects the pending umind into them), with x/auth last as the SDK's
// default order has it.
func migrationOrder() []string {
	var order []string
	for _, name := range initGenesisOrder() {
		if name != authtypes.ModuleName {
			order = append(order, name)
		}
	}
	return append(order, authtypes.ModuleName)
}
