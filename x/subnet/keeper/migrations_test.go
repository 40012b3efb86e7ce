package keeper_test

import (
	"testing"

	"github.com/mindnet/mindnet/x/subnet/keeper"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// TestMigrate1to2GivesSubnetsTheBuiltInModel writes state as version 1 left it (no default model in
// params, no model on any subnet) and checks the migration records the built-in model everywhere but
// on root.
func TestMigrate1to2GivesSubnetsTheBuiltInModel(t *testing.T) {
	f := newFixture(t, nil)
	one, _ := f.createSubnet("one")
	two, _ := f.createSubnet("two")
	params, err := f.k.Params.Get(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	params.DefaultModel = types.SubnetModel{}
	if err := f.k.Params.Set(f.ctx, params); err != nil {
		t.Fatal(err)
	}
	for _, netuid := range []uint32{one, two} {
		s, _ := f.k.GetSubnet(f.ctx, netuid)
		s.Model = types.SubnetModel{}
		if err := f.k.Subnets.Set(f.ctx, netuid, s); err != nil {
			t.Fatal(err)
		}
	}

	if err := keeper.NewMigrator(f.k).Migrate1to2(f.ctx); err != nil {
		t.Fatal(err)
	}
	params, _ = f.k.Params.Get(f.ctx)
	if !sameModel(params.DefaultModel, types.DefaultModel()) {
		t.Fatalf("params.default_model = %+v", params.DefaultModel)
	}
	for _, netuid := range []uint32{one, two} {
		if got := f.model(netuid); !sameModel(got, types.DefaultModel()) {
			t.Fatalf("subnet %d serves %+v after the migration", netuid, got)
		}
	}
	if got := f.model(types.RootNetuid); !got.IsEmpty() {
		t.Fatalf("root got a model: %+v", got)
	}
	if err := f.exported().Validate(); err != nil {
		t.Fatalf("migrated state does not validate: %v", err)
	}
}
