package subnet_test

import (
	"encoding/json"
	"testing"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/mindnet/mindnet/testutil/apptest"
	emissiontypes "github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// fastPriceAverage sets a 10-block price half-life, so that a test sees the average follow in a few
// dozen blocks rather than the default thousand.
func fastPriceAverage(cdc codec.JSONCodec, state map[string]json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(state[types.ModuleName], &gs); err != nil {
		return err
	}
	gs.Params.PriceEmaHalfLife = 10
	bz, err := cdc.MarshalJSON(&gs)
	if err != nil {
		return err
	}
	state[types.ModuleName] = bz
	return nil
}

// TestStakingRaisesPriceAndEmissionShare is the market end to end in the real app, through signed
// transactions: two subnets open at price 1 and share the subnets' umind evenly; staking into one
// raises its pool's price at once, its price average over the following blocks, and with it its share
// of the umind injected into the pools, above the other's. Removing stake with a limit price the sale
// would pass is refused with nothing moved.
func TestStakingRaisesPriceAndEmissionShare(t *testing.T) {
	c := apptest.New(t, 3, fastPriceAverage)
	ownerA, ownerB, staker := c.Accounts[0], c.Accounts[1], c.Accounts[2]
	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgCreateSubnet{Owner: ownerA.String(), Name: "a"}))
	c.NextBlock(t, c.SignedTx(t, 1, &types.MsgCreateSubnet{Owner: ownerB.String(), Name: "b"}))
	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgRegisterNeuron{Coldkey: ownerA.String(), Hotkey: ownerA.String(), Netuid: 1}))

	pool := func(netuid uint32) types.PoolInfo {
		var res types.QueryPoolResponse
		query(t, c, "Pool", &types.QueryPoolRequest{Netuid: netuid}, &res)
		return res.Pool
	}
	shares := func() (uint32, uint32) {
		var res emissiontypes.QuerySubnetSharesResponse
		queryPath(t, c, "/mindnet.emission.v1.Query/SubnetShares", &emissiontypes.QuerySubnetSharesRequest{}, &res)
		if len(res.Shares) != 2 {
			t.Fatalf("shares: %+v", res.Shares)
		}
		return res.Shares[0].EffectiveShare, res.Shares[1].EffectiveShare
	}
	if a, b := shares(); a != b {
		t.Fatalf("shares at the opening price: %d and %d, want equal", a, b)
	}
	dec := func(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }
	priceBefore := dec(pool(1).Price)

	// Quote, then stake 100 MIND into subnet 1 with a limit the quote says it meets.
	var quote types.QueryQuoteResponse
	query(t, c, "Quote", &types.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: "100000000umind"}, &quote)
	limit := dec(quote.PriceAfter)
	c.NextBlock(t, c.SignedTx(t, 2, &types.MsgAddStake{Coldkey: staker.String(), Hotkey: ownerA.String(), Netuid: 1,
		Amount: math.NewInt(100_000_000), LimitPrice: &limit}))
	var positions types.QueryPositionsResponse
	query(t, c, "Positions", &types.QueryPositionsRequest{Coldkey: staker.String()}, &positions)
	// The block's emission deepens the pool before the transaction runs, so the swap gives a little more
	// than the quote of the block before.
	if len(positions.Positions) != 1 || positions.Positions[0].Netuid != 1 || positions.Positions[0].Amount.LT(quote.AmountOut) ||
		positions.Positions[0].Amount.GT(quote.AmountOut.MulRaw(101).QuoRaw(100)) {
		t.Fatalf("positions after staking for a quote of %s alpha: %+v", quote.AmountOut, positions.Positions)
	}
	after := pool(1)
	if !dec(after.Price).GT(priceBefore) {
		t.Fatalf("price %s after staking, %s before", after.Price, priceBefore)
	}
	if !dec(after.PriceEma).LT(dec(after.Price)) {
		t.Fatalf("the average %s jumped to the price %s in one block", after.PriceEma, after.Price)
	}

	for range 40 {
		c.NextBlock(t)
	}
	a, b := shares()
	if a <= b {
		t.Fatalf("after 40 blocks subnet 1's share %d is not above subnet 2's %d", a, b)
	}
	// The share is what the pools receive: subnet 1's pool now gets more of each block's umind.
	reserve1, reserve2 := pool(1).MindReserve, pool(2).MindReserve
	c.NextBlock(t)
	if in1, in2 := pool(1).MindReserve.Sub(reserve1), pool(2).MindReserve.Sub(reserve2); !in1.GT(in2) {
		t.Fatalf("one block injected %s into subnet 1's pool and %s into subnet 2's", in1, in2)
	}

	// Sell everything with a limit above the current price: refused, nothing moves.
	high := dec(pool(1).Price).MulInt64(2)
	held := positions.Positions[0].Amount
	res := c.NextBlockResults(t, c.SignedTx(t, 2, &types.MsgRemoveStake{Coldkey: staker.String(), Hotkey: ownerA.String(), Netuid: 1,
		Amount: held, LimitPrice: &high}))
	if code := res.TxResults[0].Code; code != types.ErrPriceLimit.ABCICode() {
		t.Fatalf("remove-stake past its limit answered code %d (%s), want %d", code, res.TxResults[0].Log, types.ErrPriceLimit.ABCICode())
	}
	query(t, c, "Positions", &types.QueryPositionsRequest{Coldkey: staker.String()}, &positions)
	if !positions.Positions[0].Amount.Equal(held) {
		t.Fatalf("the refused sale moved the position from %s to %s", held, positions.Positions[0].Amount)
	}
	if err := c.App.SubnetKeeper.CheckPools(c.App.NewContext(true)); err != nil {
		t.Fatal(err)
	}
}
