package weights_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/testutil/apptest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// TestBatchSetWeightsAllOrNothingThroughTheApp delivers, through FinalizeBlock, a MsgBatchSetWeights
// whose first entry is valid and whose second is refused: the transaction fails with the second
// entry's registered code and the first entry's row is not stored, nor does its neuron's last_update
// move. The same batch with the second entry fixed then stores both rows, so the first entry was
// indeed one the chain accepts.
func TestBatchSetWeightsAllOrNothingThroughTheApp(t *testing.T) {
	c := apptest.New(t, 2, smallOpenSubnets)
	owner, miner := c.Accounts[0], c.Accounts[1]
	for netuid := uint32(1); netuid <= 2; netuid++ {
		c.NextBlock(t, c.SignedTx(t, 0, &subnettypes.MsgCreateSubnet{Owner: owner.String(), Name: "text"}))
		c.NextBlock(t, c.SignedTx(t, 0, &subnettypes.MsgRegisterNeuron{Coldkey: owner.String(), Hotkey: owner.String(), Netuid: netuid}))
		c.NextBlock(t, c.SignedTx(t, 1, &subnettypes.MsgRegisterNeuron{Coldkey: miner.String(), Hotkey: miner.String(), Netuid: netuid}))
	}
	c.NextBlock(t, c.SignedTx(t, 0, &subnettypes.MsgAddStake{Coldkey: owner.String(), Hotkey: owner.String(), Amount: math.NewInt(1_000_000)}))
	ctx := c.App.NewContext(true)
	before, err := c.App.SubnetKeeper.GetNeuron(ctx, 1, 0)
	if err != nil {
		t.Fatal(err)
	}

	// The owner holds no validator permit yet: a self-weight is valid, a row over both UIDs is not.
	selfWeight := types.WeightsEntry{Netuid: 1, Uids: []uint32{0}, Weights: []uint32{7}}
	refused := types.WeightsEntry{Netuid: 2, Uids: []uint32{0, 1}, Weights: []uint32{1, 1}}
	res := c.NextBlockResults(t, c.SignedTx(t, 0, &types.MsgBatchSetWeights{Hotkey: owner.String(), Entries: []types.WeightsEntry{selfWeight, refused}}))
	if tx := res.TxResults[0]; tx.Codespace != types.ModuleName || tx.Code != types.ErrOwnerSelfWeightOnly.ABCICode() {
		t.Fatalf("batch with a refused second entry: code %s/%d %q, want %s/%d", tx.Codespace, tx.Code, tx.Log, types.ModuleName, types.ErrOwnerSelfWeightOnly.ABCICode())
	}
	var all types.QueryWeightsResponse
	for netuid := uint32(1); netuid <= 2; netuid++ {
		query(t, c, "Weights", &types.QueryWeightsRequest{Netuid: netuid}, &all)
		if len(all.Rows) != 0 {
			t.Fatalf("netuid %d holds rows %v after a refused batch", netuid, all.Rows)
		}
	}
	after, err := c.App.SubnetKeeper.GetNeuron(c.App.NewContext(true), 1, 0)
	if err != nil || after.LastUpdate != before.LastUpdate {
		t.Fatalf("last_update of 1/0 moved from %d to %d (%v) in a refused batch", before.LastUpdate, after.LastUpdate, err)
	}

	fixed := types.WeightsEntry{Netuid: 2, Uids: []uint32{0}, Weights: []uint32{3}}
	res = c.NextBlockResults(t, c.SignedTx(t, 0, &types.MsgBatchSetWeights{Hotkey: owner.String(), Entries: []types.WeightsEntry{selfWeight, fixed}}))
	if tx := res.TxResults[0]; tx.Code != 0 {
		t.Fatalf("valid batch refused: %s/%d %q", tx.Codespace, tx.Code, tx.Log)
	}
	for netuid := uint32(1); netuid <= 2; netuid++ {
		var row types.QueryWeightRowResponse
		query(t, c, "WeightRow", &types.QueryWeightRowRequest{Netuid: netuid, Uid: 0}, &row)
		if len(row.Row.Uids) != 1 || row.Row.Uids[0] != 0 || row.Row.SetAt != c.App.LastBlockHeight() {
			t.Fatalf("netuid %d row %v after a valid batch at block %d", netuid, row.Row, c.App.LastBlockHeight())
		}
	}
}
