package apptest

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/mindnet/mindnet/app"
)

// ChainID is the chain id of every apptest chain.
const ChainID = "mindnet-test-1"

// GenesisTime is the fixed genesis time: tests never read the wall clock.
var GenesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// BlockInterval is the block time apptest chains advance by.
const BlockInterval = time.Second

// Chain is an in-memory Mindnet app with a one-validator genesis, driven block by block.
type Chain struct {
	App      *app.MindnetApp
	DB       dbm.DB
	ValSet   *cmttypes.ValidatorSet
	Accounts []sdk.AccAddress
	Keys     []cryptotypes.PrivKey
	// Delegator holds every bonded token of the genesis validator, so its vote alone carries a
	// governance proposal; DelegatorKey signs for it (SignedTxWithKey). It is funded like Accounts
	// but is not one of them.
	Delegator    sdk.AccAddress
	DelegatorKey cryptotypes.PrivKey
	Genesis      []byte
	time         time.Time
}

// GenesisEdit changes a new chain's genesis app state (module name to JSON) before InitChain: for
// example, to shorten x/gov's voting period.
type GenesisEdit func(cdc codec.JSONCodec, state map[string]json.RawMessage) error

// AccountBalance is what each funded test account holds at genesis.
var AccountBalance = sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)))

// New initialises a chain from genesis with numAccounts funded accounts and commits block 1. The
// edits are applied to the genesis app state in order.
func New(t testing.TB, numAccounts int, edits ...GenesisEdit) *Chain {
	t.Helper()
	db := dbm.NewMemDB()
	mindnet := app.New(log.NewNopLogger(), db, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()),
		baseapp.SetChainID(ChainID))

	valSet, err := simtestutil.CreateRandomValidatorSet()
	if err != nil {
		t.Fatalf("create validator set: %v", err)
	}
	accounts := make([]sdk.AccAddress, numAccounts+1)
	keys := make([]cryptotypes.PrivKey, numAccounts+1)
	genAccs := make([]authtypes.GenesisAccount, len(accounts))
	balances := make([]banktypes.Balance, len(accounts))
	for i := range accounts {
		keys[i] = secp256k1.GenPrivKey()
		accounts[i] = sdk.AccAddress(keys[i].PubKey().Address())
		genAccs[i] = authtypes.NewBaseAccount(accounts[i], nil, uint64(i), 0)
		balances[i] = banktypes.Balance{Address: accounts[i].String(), Coins: AccountBalance}
	}
	// GenesisStateWithValSet delegates the validator's bonded tokens from genAccs[0]: the Delegator.
	genesisState, err := simtestutil.GenesisStateWithValSet(mindnet.AppCodec(), mindnet.DefaultGenesis(), valSet, genAccs, balances...)
	if err != nil {
		t.Fatalf("build genesis: %v", err)
	}
	for i, edit := range edits {
		if err := edit(mindnet.AppCodec(), genesisState); err != nil {
			t.Fatalf("genesis edit %d: %v", i, err)
		}
	}
	stateBytes, err := cmtjson.MarshalIndent(genesisState, "", " ")
	if err != nil {
		t.Fatalf("encode genesis: %v", err)
	}

	c := &Chain{App: mindnet, DB: db, ValSet: valSet, Accounts: accounts[1:], Keys: keys[1:],
		Delegator: accounts[0], DelegatorKey: keys[0], Genesis: stateBytes, time: GenesisTime}
	if _, err := mindnet.InitChain(&abci.RequestInitChain{
		ChainId:         ChainID,
		Time:            GenesisTime,
		ConsensusParams: simtestutil.DefaultConsensusParams,
		AppStateBytes:   stateBytes,
		InitialHeight:   1,
	}); err != nil {
		t.Fatalf("init chain: %v", err)
	}
	c.NextBlock(t)
	return c
}

// NextBlock finalizes and commits one block of txs, fails the test if any tx fails, and returns the
// block's app hash.
func (c *Chain) NextBlock(t testing.TB, txs ...[]byte) []byte {
	t.Helper()
	res := c.NextBlockResults(t, txs...)
	for i, tx := range res.TxResults {
		if tx.Code != 0 {
			t.Fatalf("tx %d in block %d failed: code %d: %s", i, c.App.LastBlockHeight(), tx.Code, tx.Log)
		}
	}
	return res.AppHash
}

// NextBlockResults finalizes and commits one block of txs and returns the block's results, failed
// txs included, for tests that expect a tx to be refused.
func (c *Chain) NextBlockResults(t testing.TB, txs ...[]byte) *abci.ResponseFinalizeBlock {
	t.Helper()
	c.time = c.time.Add(BlockInterval)
	res, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height:             c.App.LastBlockHeight() + 1,
		Time:               c.time,
		Txs:                txs,
		NextValidatorsHash: c.ValSet.Hash(),
		ProposerAddress:    c.ValSet.Proposer.Address,
	})
	if err != nil {
		t.Fatalf("finalize block %d: %v", c.App.LastBlockHeight()+1, err)
	}
	if _, err := c.App.Commit(); err != nil {
		t.Fatalf("commit block: %v", err)
	}
	return res
}

// Time is the time of the last committed block.
func (c *Chain) Time() time.Time { return c.time }

// GenesisState decodes the chain's genesis app state.
func (c *Chain) GenesisState() (map[string]json.RawMessage, error) {
	var gs map[string]json.RawMessage
	if err := json.Unmarshal(c.Genesis, &gs); err != nil {
		return nil, fmt.Errorf("decode genesis: %w", err)
	}
	return gs, nil
}

// SignedTx signs msgs with the key of test account signer (an index into Accounts) and returns the
// encoded transaction, ready for NextBlock.
func (c *Chain) SignedTx(t testing.TB, signer int, msgs ...sdk.Msg) []byte {
	t.Helper()
	return c.signedTx(t, c.Keys[signer], int64(signer), msgs...)
}

// SignedTxWithKey signs msgs with key, whose account must exist (for example DelegatorKey), and
// returns the encoded transaction, ready for NextBlock.
func (c *Chain) SignedTxWithKey(t testing.TB, key cryptotypes.PrivKey, msgs ...sdk.Msg) []byte {
	t.Helper()
	return c.signedTx(t, key, 0, msgs...)
}

// signedTx signs with key; seed fixes the mock tx's random memo.
func (c *Chain) signedTx(t testing.TB, key cryptotypes.PrivKey, seed int64, msgs ...sdk.Msg) []byte {
	t.Helper()
	ctx := c.App.NewContext(true)
	addr := sdk.AccAddress(key.PubKey().Address())
	acc := c.App.AccountKeeper.GetAccount(ctx, addr)
	if acc == nil {
		t.Fatalf("account %s not found", addr)
	}
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(seed)), c.App.TxConfig(), msgs,
		sdk.NewCoins(), simtestutil.DefaultGenTxGas, ChainID,
		[]uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, key)
	if err != nil {
		t.Fatalf("sign tx: %v", err)
	}
	bz, err := c.App.TxConfig().TxEncoder()(tx)
	if err != nil {
		t.Fatalf("encode tx: %v", err)
	}
	return bz
}
