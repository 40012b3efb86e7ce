package app_test

import (
	"testing"

	"cosmossdk.io/log/v2"
	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Regression: on goleveldb every query failed with "failed to load state at height N; version does not
// exist" because the empty x/evidence store's IAVL root read back as missing. The node's default
// backend must serve queries while a module store is still empty.
func TestQueriesWorkOnDefaultDiskBackend(t *testing.T) {
	db, err := dbm.NewDB("application", app.DefaultDBBackend, t.TempDir())
	if err != nil {
		t.Fatalf("open %s: %v", app.DefaultDBBackend, err)
	}

	genesis := apptest.New(t, 1)
	chain := &apptest.Chain{
		App:     app.New(log.NewNopLogger(), db, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()), baseapp.SetChainID(apptest.ChainID)),
		ValSet:  genesis.ValSet,
		Genesis: genesis.Genesis,
	}
	if _, err := chain.App.InitChain(&abci.RequestInitChain{
		ChainId: apptest.ChainID, Time: apptest.GenesisTime, InitialHeight: 1,
		ConsensusParams: simtestutil.DefaultConsensusParams, AppStateBytes: genesis.Genesis,
	}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		chain.NextBlock(t)
	}

	bz, err := (&subnettypes.QueryParamsRequest{}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	res, err := chain.App.Query(t.Context(), &abci.RequestQuery{Path: "/mindnet.subnet.v1.Query/Params", Data: bz})
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != 0 {
		t.Fatalf("query on %s failed: %s", app.DefaultDBBackend, res.Log)
	}
}

// Regression: Pebble panics on a second Close, and the SDK's start command closes the app twice on
// shutdown, so Ctrl-C crashed the node.
func TestAppSurvivesDoubleClose(t *testing.T) {
	db, err := dbm.NewDB("application", app.DefaultDBBackend, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mindnet := app.New(log.NewNopLogger(), db, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	if err := mindnet.Close(); err != nil {
		t.Fatalf("first close: %v", err)
	}
	if err := mindnet.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}
