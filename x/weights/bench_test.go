package weights_test

import (
	"fmt"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

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
// validators UIDs are the chain's test accounts, with validator permits.
func seedFullSubnet(b *testing.B, c *apptest.Chain, size, validators int) {
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
	owner := c.Accounts[0].String()
	if err := k.Subnets.Set(ctx, 1, subnettypes.Subnet{
		Netuid: 1, Owner: owner, Name: "bench", Lock: math.ZeroInt(), Hyperparameters: hp, NeuronCount: uint32(size),
		Burn: hp.MinBurn,
	}); err != nil {
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
	}
	cp := c.App.GetConsensusParams(ctx)
	cp.Block.MaxGas = -1
	if err := c.App.StoreConsensusParams(ctx, cp); err != nil {
		b.Fatal(err)
	}
}
