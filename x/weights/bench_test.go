package weights_test

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/testutil/apptest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// BenchmarkBlockOf256FullRows delivers, through the app's FinalizeBlock (ante handler, signature
// checks, message routing, the real x/subnet keeper), one block in which 256 validators of a
// 4096-neuron subnet each set a 4096-entry row. It reports the time per transaction, the gas each used
// and the bytes each stored row takes. The subnet is seeded straight into x/subnet's store (4096
// registrations would take thousands of blocks), with commit-reveal off, no stake floor and no rate
// limit; the block gas limit is lifted, since 256 full rows need far more than the default 100M (see
// the gas figure).
func BenchmarkBlockOf256FullRows(b *testing.B) {
	const size, validators = 4096, 256
	c := apptest.New(b, validators)
	seedFullSubnet(b, c, size, validators)
	uids := make([]uint32, size)
	ws := make([]uint32, size)
	for i := range uids {
		uids[i], ws[i] = uint32(i), uint32(i%1000+1)
	}
	var gasUsed int64
	var perTx time.Duration
	for b.Loop() {
		b.StopTimer()
		txs := make([][]byte, validators)
		for v := range validators {
			msg := &types.MsgSetWeights{Hotkey: c.Accounts[v].String(), Netuid: 1, Uids: uids, Weights: ws}
			txs[v] = c.SignedTx(b, v, msg)
		}
		b.StartTimer()
		start := time.Now()
		res := c.NextBlockResults(b, txs...)
		perTx = time.Since(start) / validators
		b.StopTimer()
		for i, tx := range res.TxResults {
			if tx.Code != 0 {
				b.Fatalf("tx %d: code %d: %s", i, tx.Code, tx.Log)
			}
		}
		gasUsed = res.TxResults[0].GasUsed
		b.StartTimer()
	}
	var row types.QueryWeightRowResponse
	query(b, c, "WeightRow", &types.QueryWeightRowRequest{Netuid: 1, Uid: 0}, &row)
	if len(row.Row.Uids) != size {
		b.Fatalf("stored row has %d entries", len(row.Row.Uids))
	}
	b.ReportMetric(float64(perTx.Microseconds()), "µs/tx")
	b.ReportMetric(float64(gasUsed), "gas/tx")
	b.ReportMetric(float64(gasUsed*validators), "gas/block")
	// The stored value; the key adds 1 prefix byte and 8 bytes of (netuid, uid).
	b.ReportMetric(float64(row.Row.Size()), "row-bytes")
}

// seedFullSubnet writes subnet 1 with size neurons into x/subnet's committed state: the first
// validators UIDs are the chain's test accounts, with validator permits. Commit-reveal is off, and
// there is no stake floor and no rate limit, unless edit changes the hyperparameters.
func seedFullSubnet(b testing.TB, c *apptest.Chain, size, validators int, edit ...func(*subnettypes.Hyperparameters)) {
	b.Helper()
	ctx := c.App.NewUncachedContext(false, cmtproto.Header{Height: c.App.LastBlockHeight(), ChainID: apptest.ChainID})
	k := c.App.SubnetKeeper
	params, err := k.Params.Get(ctx)
	if err != nil {
		b.Fatal(err)
	}
	hp := params.DefaultHyperparameters
	hp.CommitRevealEnabled, hp.WeightsRateLimit, hp.MinValidatorStake = false, 0, math.ZeroInt()
	hp.MaxAllowedUids, hp.MaxAllowedValidators = uint32(size), uint32(validators)
	for _, e := range edit {
		e(&hp)
	}
	owner := c.Accounts[0].String()
	if err := k.Subnets.Set(ctx, 1, subnettypes.Subnet{
		Netuid: 1, Owner: owner, Name: "bench", Lock: math.ZeroInt(), Hyperparameters: hp, NeuronCount: uint32(size),
		Burn: hp.MinBurn,
	}); err != nil {
		b.Fatal(err)
	}
	// Every subnet but root has a pool; this one opened with no lock, so its pool is empty.
	if err := k.Pools.Set(ctx, 1, subnettypes.NewPool(1, math.ZeroInt())); err != nil {
		b.Fatal(err)
	}
	for uid := range size {
		hotkey := sdk.AccAddress(fmt.Appendf(nil, "bench-miner-%08d", uid))
		if uid < validators {
			hotkey = c.Accounts[uid]
		}
		n := subnettypes.Neuron{Netuid: 1, Uid: uint32(uid), Hotkey: hotkey.String(), Coldkey: hotkey.String(), RegisteredAt: 1,
			Scores: subnettypes.NeuronScores{Emission: math.ZeroInt(), ValidatorPermit: uid < validators}}
		if err := k.Neurons.Set(ctx, collections.Join(uint32(1), uint32(uid)), n); err != nil {
			b.Fatal(err)
		}
		if err := k.UIDs.Set(ctx, collections.Join(uint32(1), hotkey), uint32(uid)); err != nil {
			b.Fatal(err)
		}
		if err := k.HotkeyOwners.Set(ctx, hotkey, hotkey); err != nil {
			b.Fatal(err)
		}
	}
	cp := c.App.GetConsensusParams(ctx)
	cp.Block.MaxGas = -1
	if err := c.App.StoreConsensusParams(ctx, cp); err != nil {
		b.Fatal(err)
	}
}

// fullRowReveal seeds a 4096-neuron subnet under commit-reveal (tempo 10, reveal one tempo after the
// commit), commits a 4096-entry row from validator 0 through FinalizeBlock, advances to the first
// block of the reveal window and returns the signed reveal with the row it reveals.
func fullRowReveal(tb testing.TB) (*apptest.Chain, []byte, []uint32) {
	tb.Helper()
	const size = 4096
	c := apptest.New(tb, 1)
	seedFullSubnet(tb, c, size, 1, func(h *subnettypes.Hyperparameters) {
		h.CommitRevealEnabled, h.CommitRevealPeriod, h.Tempo = true, 1, 10
	})
	uids, ws := make([]uint32, size), make([]uint32, size)
	for i := range uids {
		uids[i], ws[i] = uint32(i), uint32(i%1000+1)
	}
	hotkey := c.Accounts[0].String()
	// Stake keeps validator 0's permit through the epoch between the commit and its reveal window.
	c.NextBlock(tb, c.SignedTx(tb, 0, &subnettypes.MsgAddStake{Coldkey: hotkey, Hotkey: hotkey, Amount: math.NewInt(1_000_000)}))
	salt := []byte("full-row-reveal-salt")
	commit := &types.MsgCommitWeights{Hotkey: hotkey, Netuid: 1, CommitHash: types.CommitHash(hotkey, 1, uids, ws, salt, 0)}
	res := c.NextBlockResults(tb, c.SignedTx(tb, 0, commit))
	if tx := res.TxResults[0]; tx.Code != 0 {
		tb.Fatalf("commit: %s/%d %s", tx.Codespace, tx.Code, tx.Log)
	}
	var pending types.QueryPendingCommitsResponse
	query(tb, c, "PendingCommits", &types.QueryPendingCommitsRequest{Netuid: 1, Hotkey: hotkey}, &pending)
	if len(pending.Commits) != 1 {
		tb.Fatalf("pending commits %v", pending.Commits)
	}
	for c.App.LastBlockHeight()+1 < pending.Commits[0].RevealStart {
		c.NextBlock(tb)
	}
	reveal := &types.MsgRevealWeights{Hotkey: hotkey, Netuid: 1, Uids: uids, Weights: ws, Salt: salt}
	return c, signedTxWithGas(tb, c, 0, revealGasLimit, reveal), uids
}

// revealGasLimit is the gas limit of the full-row reveal: above apptest's 10M default, which one
// full row under commit-reveal does not fit.
const revealGasLimit = 50_000_000

// signedTxWithGas is apptest's SignedTx with a chosen gas limit.
func signedTxWithGas(tb testing.TB, c *apptest.Chain, signer int, gas uint64, msgs ...sdk.Msg) []byte {
	tb.Helper()
	acc := c.App.AccountKeeper.GetAccount(c.App.NewContext(true), c.Accounts[signer])
	if acc == nil {
		tb.Fatalf("account %s not found", c.Accounts[signer])
	}
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(int64(signer))), c.App.TxConfig(), msgs,
		sdk.NewCoins(), gas, apptest.ChainID, []uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, c.Keys[signer])
	if err != nil {
		tb.Fatalf("sign tx: %v", err)
	}
	bz, err := c.App.TxConfig().TxEncoder()(tx)
	if err != nil {
		tb.Fatalf("encode tx: %v", err)
	}
	return bz
}

// TestFullRowRevealThroughTheApp reveals a 4096-entry row through FinalizeBlock on a 4096-neuron
// subnet, over the real x/subnet keeper (whose neuron reads the reveal pays for, to drop entries aimed
// at UIDs that changed hands after the commit), and checks that the whole row is stored and that the
// transaction fits the SDK's default block gas limit (100M). It logs the gas; see
// BenchmarkRevealFullRow for the figures.
func TestFullRowRevealThroughTheApp(t *testing.T) {
	c, tx, uids := fullRowReveal(t)
	res := c.NextBlockResults(t, tx)
	r := res.TxResults[0]
	if r.Code != 0 {
		t.Fatalf("reveal: %s/%d %s", r.Codespace, r.Code, r.Log)
	}
	var row types.QueryWeightRowResponse
	query(t, c, "WeightRow", &types.QueryWeightRowRequest{Netuid: 1, Uid: 0}, &row)
	if len(row.Row.Uids) != len(uids) || row.Row.SetAt != c.App.LastBlockHeight() {
		t.Fatalf("stored row has %d entries set at %d, want %d at %d", len(row.Row.Uids), row.Row.SetAt, len(uids), c.App.LastBlockHeight())
	}
	const defaultBlockGas = 100_000_000
	if r.GasUsed > defaultBlockGas {
		t.Fatalf("a full-row reveal used %d gas, more than a default block holds (%d)", r.GasUsed, defaultBlockGas)
	}
	t.Logf("full-row (4096 entries) reveal: %d gas", r.GasUsed)
}

// BenchmarkRevealFullRow times the FinalizeBlock of a block carrying one 4096-entry reveal on a
// 4096-neuron subnet and reports its gas. Each iteration builds a fresh chain (a reveal cannot be
// repeated); only the block with the reveal is timed.
func BenchmarkRevealFullRow(b *testing.B) {
	var gasUsed int64
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		c, tx, _ := fullRowReveal(b)
		b.StartTimer()
		start := time.Now()
		res := c.NextBlockResults(b, tx)
		elapsed = time.Since(start)
		b.StopTimer()
		if r := res.TxResults[0]; r.Code != 0 {
			b.Fatalf("reveal: %s/%d %s", r.Codespace, r.Code, r.Log)
		}
		gasUsed = res.TxResults[0].GasUsed
		b.StartTimer()
	}
	b.ReportMetric(float64(elapsed.Microseconds()), "µs/block")
	b.ReportMetric(float64(gasUsed), "gas/tx")
}
