package subnet_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"cosmossdk.io/math"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	"github.com/mindnet/mindnet/x/subnet/types"
)

func query(t *testing.T, c *apptest.Chain, method string, req, res gogoproto.Message) {
	t.Helper()
	queryPath(t, c, "/mindnet.subnet.v1.Query/"+method, req, res)
}

// queryPath runs a gRPC query through ABCI, as a node answers it.
func queryPath(t *testing.T, c *apptest.Chain, path string, req, res gogoproto.Message) {
	t.Helper()
	bz, err := gogoproto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.App.Query(t.Context(), &abci.RequestQuery{Path: path, Data: bz})
	if err != nil || out.Code != 0 {
		t.Fatalf("query %s: %v %s", path, err, out.GetLog())
	}
	if err := gogoproto.Unmarshal(out.Value, res); err != nil {
		t.Fatal(err)
	}
}

// TestSubnetLifecycleThroughTransactions drives x/subnet through signed transactions in the real app,
// with the real bank: create a subnet, register a neuron, serve its axon, stake and unstake, and read
// the metagraph; the stake pool must always hold exactly the sum of stake records.
func TestSubnetLifecycleThroughTransactions(t *testing.T) {
	c := apptest.New(t, 3)
	owner, hot, nominator := c.Accounts[0], c.Accounts[1], c.Accounts[2]
	// Supply net of what x/emission has minted, so that only x/subnet's burns move it.
	supply := func() math.Int {
		ctx := c.App.NewContext(true)
		ledger, err := c.App.EmissionKeeper.Ledger.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.App.BankKeeper.GetSupply(ctx, app.BondDenom).Amount.Sub(ledger.TotalIssued)
	}
	moduleBalance := func(name string) math.Int {
		return c.App.BankKeeper.GetBalance(c.App.NewContext(true), authtypes.NewModuleAddress(name), app.BondDenom).Amount
	}
	supplyAtStart := supply()

	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgCreateSubnet{Owner: owner.String(), Name: "text generation"}))
	var sub types.QuerySubnetResponse
	query(t, c, "Subnet", &types.QuerySubnetRequest{Netuid: 1}, &sub)
	if sub.Subnet.Owner != owner.String() || !moduleBalance(types.LockPoolName).Equal(sub.Subnet.Lock) {
		t.Fatalf("subnet = %+v, lock pool holds %s", sub.Subnet, moduleBalance(types.LockPoolName))
	}

	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgRegisterNeuron{Coldkey: owner.String(), Hotkey: hot.String(), Netuid: 1}))
	burn := types.DefaultHyperparameters().MinBurn
	if got := supplyAtStart.Sub(supply()); !got.Equal(burn) {
		t.Fatalf("supply fell by %s, want the burn %s", got, burn)
	}

	c.NextBlock(t,
		c.SignedTx(t, 1, &types.MsgServeAxon{Hotkey: hot.String(), Netuid: 1, Ip: "203.0.113.9", Port: 8091, Protocol: 4}),
		c.SignedTx(t, 0, &types.MsgAddStake{Coldkey: owner.String(), Hotkey: hot.String(), Amount: math.NewInt(7_000)}),
		c.SignedTx(t, 2, &types.MsgAddStake{Coldkey: nominator.String(), Hotkey: hot.String(), Amount: math.NewInt(3_000)}),
	)
	if got := moduleBalance(types.ModuleName); !got.Equal(math.NewInt(10_000)) {
		t.Fatalf("stake pool = %s, want 10000", got)
	}

	var mg types.QueryMetagraphResponse
	query(t, c, "Metagraph", &types.QueryMetagraphRequest{Netuid: 1}, &mg)
	if len(mg.Neurons) != 1 {
		t.Fatalf("metagraph = %+v", mg)
	}
	n := mg.Neurons[0]
	if n.Hotkey != hot.String() || n.Coldkey != owner.String() || !n.Stake.Equal(math.NewInt(10_000)) ||
		n.Axon.Ip != "203.0.113.9" || n.Axon.Port != 8091 || !n.Active {
		t.Fatalf("neuron = %+v", n)
	}

	before := c.App.BankKeeper.GetBalance(c.App.NewContext(true), nominator, app.BondDenom).Amount
	c.NextBlock(t, c.SignedTx(t, 2, &types.MsgRemoveStake{Coldkey: nominator.String(), Hotkey: hot.String(), Amount: math.NewInt(3_000)}))
	after := c.App.BankKeeper.GetBalance(c.App.NewContext(true), nominator, app.BondDenom).Amount
	if !after.Sub(before).Equal(math.NewInt(3_000)) || !moduleBalance(types.ModuleName).Equal(math.NewInt(7_000)) {
		t.Fatalf("unstake: nominator gained %s, pool holds %s", after.Sub(before), moduleBalance(types.ModuleName))
	}
	var stake types.QueryStakeResponse
	query(t, c, "Stake", &types.QueryStakeRequest{Hotkey: hot.String()}, &stake)
	if !stake.Total.Equal(math.NewInt(7_000)) || len(stake.Nominators) != 1 {
		t.Fatalf("stake = %+v", stake)
	}
}
