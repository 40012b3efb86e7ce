package app_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// A chain's exported state, imported into a fresh node, must give back the same state: the same
// export byte for byte, and the same hash for every module store.
func TestExportImportReproducesState(t *testing.T) {
	chain := apptest.New(t, 3)
	// Put something beyond genesis into state: a signed transfer, a subnet with its pool, a neuron and an
	// alpha position bought through the pool (so the export carries pools, positions and a moving price
	// average).
	amount := sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 12345))
	chain.NextBlock(t, chain.SignedTx(t, 0, banktypes.NewMsgSend(chain.Accounts[0], chain.Accounts[1], amount)))
	owner := chain.Accounts[0].String()
	chain.NextBlock(t, chain.SignedTx(t, 0, &subnettypes.MsgCreateSubnet{Owner: owner, Name: "exported"}))
	chain.NextBlock(t, chain.SignedTx(t, 0, &subnettypes.MsgRegisterNeuron{Coldkey: owner, Hotkey: owner, Netuid: 1}))
	chain.NextBlock(t, chain.SignedTx(t, 2, &subnettypes.MsgAddStake{Coldkey: chain.Accounts[2].String(), Hotkey: owner, Netuid: 1,
		Amount: sdkmath.NewInt(5_000_000)}))
	pos, err := chain.App.SubnetKeeper.AlphaStakeOf(chain.App.NewContext(true), 1, chain.Accounts[0], chain.Accounts[2])
	if err != nil || !pos.IsPositive() {
		t.Fatalf("setup: no alpha position (%s, %v)", pos, err)
	}
	for range 3 {
		chain.NextBlock(t)
	}

	exported, err := chain.App.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatalf("export: %v", err)
	}

	imported, firstHash := importExport(t, chain, exported)
	_, secondHash := importExport(t, chain, exported)
	if !bytes.Equal(firstHash, secondHash) {
		t.Errorf("two nodes importing the same export disagree on the app hash: %X vs %X", firstHash, secondHash)
	}

	reexported, err := imported.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatalf("re-export: %v", err)
	}
	// The imported node has run one block since the export, and every block changes state (x/emission
	// mints, x/distribution pays it out). The original chain runs the very same block, so the two
	// exports must then agree byte for byte.
	runBlock(t, chain.App, exported.Height, chain)
	expected, err := chain.App.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatalf("export after the same block: %v", err)
	}
	var before, after map[string]json.RawMessage
	if err := json.Unmarshal(expected.AppState, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(reexported.AppState, &after); err != nil {
		t.Fatal(err)
	}
	for module, state := range before {
		if !bytes.Equal(state, after[module]) {
			t.Errorf("module %s: state differs after export and import\nbefore: %s\nafter:  %s", module, state, after[module])
		}
	}
	if len(after) != len(before) {
		t.Errorf("export has %d modules before import and %d after", len(before), len(after))
	}
	if got, want := imported.BankKeeper.GetBalance(imported.NewContext(true), chain.Accounts[1], app.BondDenom), apptest.AccountBalance.AmountOf(app.BondDenom).AddRaw(12345); !got.Amount.Equal(want) {
		t.Errorf("imported balance = %s, want %s", got.Amount, want)
	}
}

// importExport starts a fresh node from an exported genesis, runs its first block and returns the node
// and that block's app hash.
func importExport(t *testing.T, chain *apptest.Chain, exported servertypes.ExportedApp) (*app.MindnetApp, []byte) {
	t.Helper()
	imported := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()),
		baseapp.SetChainID(apptest.ChainID))
	consensusParams := exported.ConsensusParams
	if _, err := imported.InitChain(&abci.RequestInitChain{
		ChainId:         apptest.ChainID,
		Time:            chain.Time(),
		InitialHeight:   exported.Height,
		ConsensusParams: &consensusParams,
		AppStateBytes:   exported.AppState,
	}); err != nil {
		t.Fatalf("init chain from export: %v", err)
	}
	return imported, runBlock(t, imported, exported.Height, chain)
}

// runBlock finalizes and commits an empty block at height with the chain's last block time and
// proposer, and returns its app hash.
func runBlock(t *testing.T, node *app.MindnetApp, height int64, chain *apptest.Chain) []byte {
	t.Helper()
	res, err := node.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: height, Time: chain.Time(), NextValidatorsHash: chain.ValSet.Hash(),
		// The proposer matters: x/distribution records it and exports it.
		ProposerAddress: chain.ValSet.Proposer.Address,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := node.Commit(); err != nil {
		t.Fatal(err)
	}
	return res.AppHash
}
