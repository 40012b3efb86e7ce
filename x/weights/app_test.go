package weights_test

import (
	"encoding/json"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/mindnet/mindnet/testutil/apptest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

func query(t testing.TB, c *apptest.Chain, method string, req, res gogoproto.Message) {
	t.Helper()
	bz, err := gogoproto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.App.Query(t.Context(), &abci.RequestQuery{Path: "/mindnet.weights.v1.Query/" + method, Data: bz})
	if err != nil || out.Code != 0 {
		t.Fatalf("query %s: %v %s", method, err, out.GetLog())
	}
	if err := gogoproto.Unmarshal(out.Value, res); err != nil {
		t.Fatal(err)
	}
}

// smallOpenSubnets makes new subnets two neurons wide, with no immunity and commit-reveal off, as
// governance may set them.
func smallOpenSubnets(cdc codec.JSONCodec, state map[string]json.RawMessage) error {
	var gs subnettypes.GenesisState
	if err := cdc.UnmarshalJSON(state[subnettypes.ModuleName], &gs); err != nil {
		return err
	}
	hp := &gs.Params.DefaultHyperparameters
	hp.CommitRevealEnabled = false
	hp.MaxAllowedUids = 2
	hp.MaxAllowedValidators = 2
	hp.ImmunityPeriod = 0
	bz, err := cdc.MarshalJSON(&gs)
	state[subnettypes.ModuleName] = bz
	return err
}

// TestSetWeightsThroughTheApp drives x/weights through signed transactions in the real app, over the
// real x/subnet keeper: the subnet owner sets a self-weight, the row reads back through the query
// service and REST and the neuron's last_update moves; a non-self row without a permit is refused with its
// registered code; and when the owner's UID changes hands, x/subnet's hook clears its row.
func TestSetWeightsThroughTheApp(t *testing.T) {
	c := apptest.New(t, 3, smallOpenSubnets)
	owner, miner, newcomer := c.Accounts[0], c.Accounts[1], c.Accounts[2]

	c.NextBlock(t, c.SignedTx(t, 0, &subnettypes.MsgCreateSubnet{Owner: owner.String(), Name: "text"}))
	c.NextBlock(t, c.SignedTx(t, 0, &subnettypes.MsgRegisterNeuron{Coldkey: owner.String(), Hotkey: owner.String(), Netuid: 1}))
	c.NextBlock(t,
		c.SignedTx(t, 0, &subnettypes.MsgAddStake{Coldkey: owner.String(), Hotkey: owner.String(), Amount: math.NewInt(1_000_000)}),
		c.SignedTx(t, 1, &subnettypes.MsgRegisterNeuron{Coldkey: miner.String(), Hotkey: miner.String(), Netuid: 1}),
	)

	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgSetWeights{Hotkey: owner.String(), Netuid: 1, Uids: []uint32{0}, Weights: []uint32{5}}))
	height := c.App.LastBlockHeight()
	var row types.QueryWeightRowResponse
	query(t, c, "WeightRow", &types.QueryWeightRowRequest{Netuid: 1, Uid: 0}, &row)
	if len(row.Row.Uids) != 1 || row.Row.Uids[0] != 0 || row.Row.Weights[0] != types.MaxWeight || row.Row.SetAt != height {
		t.Fatalf("row %v, want the self-weight set at %d", row.Row, height)
	}
	var one struct {
		Row restRow `json:"row"`
	}
	restGet(t, c, "/mindnet/weights/v1/subnets/1/weights/0", &one)
	if one.Row.UID != 0 || len(one.Row.UIDs) != 1 || one.Row.Weights[0] != types.MaxWeight || one.Row.SetAt != fmt.Sprint(height) {
		t.Fatalf("REST row %+v", one.Row)
	}
	var matrix struct {
		Rows []restRow `json:"rows"`
	}
	restGet(t, c, "/mindnet/weights/v1/subnets/1/weights", &matrix)
	if len(matrix.Rows) != 1 || matrix.Rows[0].Netuid != 1 {
		t.Fatalf("REST matrix %+v", matrix.Rows)
	}
	n, err := c.App.SubnetKeeper.GetNeuron(c.App.NewContext(true), 1, 0)
	if err != nil || n.LastUpdate != height {
		t.Fatalf("last_update %d (%v), want %d", n.LastUpdate, err, height)
	}

	res := c.NextBlockResults(t, c.SignedTx(t, 0, &types.MsgSetWeights{Hotkey: owner.String(), Netuid: 1, Uids: []uint32{0, 1}, Weights: []uint32{1, 1}}))
	if tx := res.TxResults[0]; tx.Codespace != types.ModuleName || tx.Code != types.ErrOwnerSelfWeightOnly.ABCICode() {
		t.Fatalf("non-self row without permit: code %s/%d %q, want %s/%d", tx.Codespace, tx.Code, tx.Log, types.ModuleName, types.ErrOwnerSelfWeightOnly.ABCICode())
	}

	// The subnet is full and nobody is immune: the newcomer takes a UID from its holder.
	c.NextBlock(t, c.SignedTx(t, 2, &subnettypes.MsgRegisterNeuron{Coldkey: newcomer.String(), Hotkey: newcomer.String(), Netuid: 1}))
	n, err = c.App.SubnetKeeper.GetNeuron(c.App.NewContext(true), 1, 0)
	if err != nil || n.Hotkey != newcomer.String() {
		t.Fatalf("uid 0 held by %s (%v), want the newcomer %s", n.Hotkey, err, newcomer)
	}
	var all types.QueryWeightsResponse
	query(t, c, "Weights", &types.QueryWeightsRequest{Netuid: 1}, &all)
	if len(all.Rows) != 0 {
		t.Fatalf("rows after the owner's UID changed hands: %v", all.Rows)
	}
}
