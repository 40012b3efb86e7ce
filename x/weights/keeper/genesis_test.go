package keeper_test

import (
	"bytes"
	"reflect"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

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

// TestGenesisRoundTripWithCommits: pending and revealed commits, with their windows and the last
// commit block, survive export and import, and a reveal after import works.
func TestGenesisRoundTripWithCommits(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	a, b := f.validator(1, 0, 5000), f.validator(1, 5, 5000)
	for i, hk := range []sdk.AccAddress{a, b, a} {
		if _, err := f.commit(hk, 1, []uint32{1}, []uint32{uint32(i) + 1}, salt(byte(i)), 0); err != nil {
			t.Fatal(err)
		}
	}
	f.at(crWindowStart)
	if _, err := f.reveal(a, 1, []uint32{1}, []uint32{1}, salt(0), 0); err != nil {
		t.Fatal(err)
	}
	gs := f.exported()
	if err := gs.Validate(); err != nil {
		t.Fatalf("exported genesis invalid: %v", err)
	}
	if len(gs.Commits) != 2 || gs.Commits[0].Uid != 0 || gs.Commits[1].Uid != 5 || len(gs.Commits[0].Commits) != 2 || gs.Commits[0].Commits[0].RevealedAt != crWindowStart {
		t.Fatalf("exported commits %v", gs.Commits)
	}

	g := newFixture(t)
	g.openCRSubnet(1, 8, nil)
	g.validator(1, 0, 5000)
	g.validator(1, 5, 5000)
	g.at(crWindowStart)
	if err := g.k.InitGenesis(g.ctx, gs); err != nil {
		t.Fatal(err)
	}
	if got := g.exported(); !reflect.DeepEqual(got, gs) {
		t.Fatalf("round trip:\n got %v\nwant %v", got, gs)
	}
	// The imported state behaves: the replay is refused, the other commit reveals.
	_, err := g.reveal(a, 1, []uint32{1}, []uint32{1}, salt(0), 0)
	requireErrorIs(t, err, types.ErrAlreadyRevealed)
	if _, err := g.reveal(a, 1, []uint32{1}, []uint32{3}, salt(2), 0); err != nil {
		t.Fatal(err)
	}
}

func TestGenesisValidateRefusesMalformedCommits(t *testing.T) {
	hash := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
	c := func(h []byte, at, start, end, revealed int64) types.WeightCommit {
		return types.WeightCommit{Hash: h, CommittedAt: at, RevealStart: start, RevealEnd: end, RevealedAt: revealed}
	}
	q := func(netuid, uid uint32, commits ...types.WeightCommit) types.CommitQueue {
		return types.CommitQueue{Netuid: netuid, Uid: uid, Hotkey: "mind1x", LastCommitAt: 100, Commits: commits}
	}
	ok := q(1, 0, c(hash(1), 100, 109, 119, 0))
	cases := map[string][]types.CommitQueue{
		"short hash":          {q(1, 0, c(hash(1)[:31], 100, 109, 119, 0))},
		"duplicate hash":      {q(1, 0, c(hash(1), 90, 109, 119, 0), c(hash(1), 100, 109, 119, 0))},
		"window before":       {q(1, 0, c(hash(1), 100, 100, 119, 0))},
		"window inverted":     {q(1, 0, c(hash(1), 100, 120, 119, 0))},
		"revealed outside":    {q(1, 0, c(hash(1), 100, 109, 119, 120))},
		"after last commit":   {q(1, 0, c(hash(1), 101, 109, 119, 0))},
		"no hotkey":           {{Netuid: 1, Uid: 0, Commits: []types.WeightCommit{c(hash(1), 100, 109, 119, 0)}}},
		"duplicate queue":     {ok, ok},
		"queues out of order": {q(2, 0), q(1, 3)},
	}
	for name, commits := range cases {
		t.Run(name, func(t *testing.T) {
			gs := types.GenesisState{Params: types.DefaultParams(), Commits: commits}
			requireErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
		})
	}
	if err := (types.GenesisState{Params: types.DefaultParams(), Commits: []types.CommitQueue{ok}}).Validate(); err != nil {
		t.Fatalf("valid queue refused: %v", err)
	}
}
