package keeper_test

import (
	"testing"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/mindnet/mindnet/x/weights/types"
)

// setRows has uids 0..n-1 of netuid each set a row.
func setRows(t *testing.T, f *fixture, netuid, n uint32) {
	t.Helper()
	f.openSubnet(netuid, 8, nil)
	for uid := range n {
		hk := f.validator(netuid, uid, 5000)
		if err := f.set(hk, netuid, []uint32{7}, []uint32{uid + 1}, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestQueryWeightRow(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 2)
	res, err := f.queries.WeightRow(f.ctx, &types.QueryWeightRowRequest{Netuid: 1, Uid: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Row.Uid != 1 || len(res.Row.Uids) != 1 || res.Row.Uids[0] != 7 {
		t.Fatalf("row %v", res.Row)
	}
	// A UID that set nothing answers an empty row, not an error.
	res, err = f.queries.WeightRow(f.ctx, &types.QueryWeightRowRequest{Netuid: 1, Uid: 5})
	if err != nil || len(res.Row.Uids) != 0 || res.Row.Uid != 5 {
		t.Fatalf("empty row: %v %v", res, err)
	}
	if _, err := f.queries.WeightRow(f.ctx, nil); err == nil {
		t.Fatal("nil request accepted")
	}
}

func TestQueryWeightsMatrixPaginatedWithinSubnet(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 5)
	setRows(t, f, 2, 3)
	var seen []uint32
	var key []byte
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		res, err := f.queries.Weights(f.ctx, &types.QueryWeightsRequest{Netuid: 1, Pagination: &query.PageRequest{Key: key, Limit: 2}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			if r.Netuid != 1 {
				t.Fatalf("row of netuid %d in netuid 1's matrix", r.Netuid)
			}
			seen = append(seen, r.Uid)
		}
		if key = res.Pagination.NextKey; key == nil {
			break
		}
	}
	if len(seen) != 5 {
		t.Fatalf("saw uids %v, want 0..4", seen)
	}
	for i, u := range seen {
		if u != uint32(i) {
			t.Fatalf("saw uids %v, want 0..4 in order", seen)
		}
	}
}

func TestQueryWeightsSelectedUIDs(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 3)
	res, err := f.queries.Weights(f.ctx, &types.QueryWeightsRequest{Netuid: 1, Uids: []uint32{2, 6, 0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[0].Uid != 0 || res.Rows[1].Uid != 2 {
		t.Fatalf("rows %v, want uids 0 and 2", res.Rows)
	}
}

func TestQueryParams(t *testing.T) {
	f := newFixture(t)
	res, err := f.queries.Params(f.ctx, &types.QueryParamsRequest{})
	if err != nil || !res.Params.Equal(types.DefaultParams()) {
		t.Fatalf("params %v %v", res, err)
	}
}
