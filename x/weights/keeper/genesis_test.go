package keeper_test

import (
	"reflect"
	"testing"

	"github.com/mindnet/mindnet/x/weights/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 8, nil)
	f.openSubnet(2, 4, nil)
	for _, v := range []struct{ netuid, uid uint32 }{{1, 3}, {1, 0}, {2, 1}} {
		hk := f.validator(v.netuid, v.uid, 5000)
		if err := f.set(hk, v.netuid, []uint32{2, 1}, []uint32{5, 9}, 0); err != nil {
			t.Fatal(err)
		}
	}
	gs := f.exported()
	gs.Params.GasPerWeight = 77
	if err := gs.Validate(); err != nil {
		t.Fatalf("exported genesis invalid: %v", err)
	}
	if len(gs.Rows) != 3 || gs.Rows[0].Uid != 0 || gs.Rows[1].Uid != 3 || gs.Rows[2].Netuid != 2 {
		t.Fatalf("rows not in (netuid, uid) order: %v", gs.Rows)
	}

	g := newFixture(t)
	if err := g.k.InitGenesis(g.ctx, gs); err != nil {
		t.Fatal(err)
	}
	if got := g.exported(); !reflect.DeepEqual(got, gs) {
		t.Fatalf("round trip:\n got %v\nwant %v", got, gs)
	}
}

func TestGenesisValidateRefusesMalformedRows(t *testing.T) {
	row := func(netuid, uid uint32, uids, ws []uint32) types.WeightRow {
		return types.WeightRow{Netuid: netuid, Uid: uid, Uids: uids, Weights: ws}
	}
	cases := map[string]types.GenesisState{
		"params":          {Params: types.Params{GasPerWeight: types.MaxGasPerWeight + 1}},
		"length mismatch": {Params: types.DefaultParams(), Rows: []types.WeightRow{row(1, 0, []uint32{1}, nil)}},
		"not increasing":  {Params: types.DefaultParams(), Rows: []types.WeightRow{row(1, 0, []uint32{2, 1}, []uint32{65535, 1})}},
		"zero weight":     {Params: types.DefaultParams(), Rows: []types.WeightRow{row(1, 0, []uint32{1, 2}, []uint32{65535, 0})}},
		"not scaled":      {Params: types.DefaultParams(), Rows: []types.WeightRow{row(1, 0, []uint32{1}, []uint32{100})}},
		"duplicate row": {Params: types.DefaultParams(), Rows: []types.WeightRow{
			row(1, 0, []uint32{1}, []uint32{65535}), row(1, 0, []uint32{1}, []uint32{65535}),
		}},
		"out of order": {Params: types.DefaultParams(), Rows: []types.WeightRow{
			row(2, 0, []uint32{1}, []uint32{65535}), row(1, 5, []uint32{1}, []uint32{65535}),
		}},
	}
	for name, gs := range cases {
		t.Run(name, func(t *testing.T) {
			requireErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
			f := newFixture(t)
			requireErrorIs(t, f.k.InitGenesis(f.ctx, &gs), types.ErrInvalidGenesis)
		})
	}
}
