package cmd

import (
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/mindnet/mindnet/app"
)

// DefaultTimeoutCommit is the pause after a block commits before the next height starts, as written by
// `mindnetd init`. 2 s leaves a globally spread validator set room to gossip votes; local networks
// (scripts/localnet.sh, make demo, the tests) use 1 s.
const DefaultTimeoutCommit = 2 * time.Second

// LocalnetTimeoutCommit is the timeout_commit that scripts/localnet.sh writes.
const LocalnetTimeoutCommit = 1 * time.Second

// initCometBFTConfig returns CometBFT's defaults with Mindnet's block pace.
func initCometBFTConfig() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Consensus.TimeoutCommit = DefaultTimeoutCommit
	return cfg
}

// initAppConfig returns the SDK's app.toml template and defaults with Mindnet's fee denom. A zero
// minimum gas price accepts free transactions: a public validator should raise it in app.toml.
// Application state is kept in app.DefaultDBBackend.
func initAppConfig() (string, any) {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	cfg.AppDBBackend = string(app.DefaultDBBackend)
	return serverconfig.DefaultConfigTemplate, *cfg
}
