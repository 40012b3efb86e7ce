package app_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/mindnet/mindnet/testutil/apptest"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

func TestAppProducesBlocksFromGenesis(t *testing.T) {
	chain := apptest.New(t, 2)
	hashes := map[string]bool{}
	for range 5 {
		hashes[string(chain.NextBlock(t))] = true
	}
	if got := chain.App.LastBlockHeight(); got != 6 {
		t.Fatalf("last block height = %d, want 6", got)
	}
	if len(hashes) == 0 {
		t.Fatal("no app hash returned")
	}

	req := subnettypes.QueryParamsRequest{}
	bz, err := req.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	res, err := chain.App.Query(t.Context(), &abci.RequestQuery{Path: "/mindnet.subnet.v1.Query/Params", Data: bz})
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if res.Code != 0 {
		t.Fatalf("query failed: code %d: %s", res.Code, res.Log)
	}
	var out subnettypes.QueryParamsResponse
	if err := out.Unmarshal(res.Value); err != nil {
		t.Fatal(err)
	}
	if out.Params.MaxSubnets != subnettypes.DefaultMaxSubnets {
		t.Fatalf("max_subnets = %d, want default %d", out.Params.MaxSubnets, subnettypes.DefaultMaxSubnets)
	}
}
