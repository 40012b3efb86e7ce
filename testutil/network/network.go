// Package network starts in-process Mindnet networks of real CometBFT nodes for tests, on top of the
// SDK's testutil/network: each validator runs the full app with its RPC, gRPC and REST servers on
// loopback.
package network

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdknetwork "github.com/cosmos/cosmos-sdk/testutil/network"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/mindnet/mindnet/app"
)

// Network is the SDK's in-process network.
type Network = sdknetwork.Network

// DefaultConfig returns a network configuration for Mindnet with numValidators validators, 1 s blocks,
// umind as the bond denom and free transactions.
func DefaultConfig(numValidators int) sdknetwork.Config {
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(tempDir()))
	encoding := moduletestutil.TestEncodingConfig{
		InterfaceRegistry: tempApp.InterfaceRegistry(),
		Codec:             tempApp.AppCodec(),
		TxConfig:          tempApp.TxConfig(),
		Amino:             tempApp.LegacyAmino(),
	}
	cfg := sdknetwork.DefaultConfig(func() sdknetwork.TestFixture {
		return sdknetwork.TestFixture{
			AppConstructor: func(val sdknetwork.ValidatorI) servertypes.Application {
				return app.New(val.GetCtx().Logger, dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(val.GetCtx().Config.RootDir),
					baseapp.SetChainID(val.GetCtx().Viper.GetString("chain-id")),
					baseapp.SetMinGasPrices(val.GetAppConfig().MinGasPrices),
				)
			},
			GenesisState:   tempApp.DefaultGenesis(),
			EncodingConfig: encoding,
		}
	})
	cfg.NumValidators = numValidators
	cfg.BondDenom = app.BondDenom
	cfg.MinGasPrices = "0" + app.BondDenom
	cfg.ChainID = "mindnet-network-1"
	cfg.TimeoutCommit = time.Second
	cfg.AccountTokens = sdk.TokensFromConsensusPower(1000, sdk.DefaultPowerReduction)
	cfg.StakingTokens = sdk.TokensFromConsensusPower(500, sdk.DefaultPowerReduction)
	cfg.BondedTokens = sdkmath.Int(sdk.TokensFromConsensusPower(100, sdk.DefaultPowerReduction))
	return cfg
}

// New starts a network and stops it when the test ends.
func New(t testing.TB, cfg sdknetwork.Config) *Network {
	t.Helper()
	net, err := sdknetwork.New(t, t.TempDir(), cfg)
	if err != nil {
		t.Fatalf("start network: %v", err)
	}
	t.Cleanup(net.Cleanup)
	if _, err := net.WaitForHeight(1); err != nil {
		t.Fatalf("network produced no block: %v", err)
	}
	return net
}

// tempDir is a scratch home for the throw-away app that supplies codecs and default genesis.
func tempDir() string {
	return filepath.Join(os.TempDir(), "mindnet-network-codec")
}
