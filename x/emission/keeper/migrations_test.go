package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/emission/keeper"
	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Migrate1to2 takes x/emission's state as version 1 left it (pending umind held by the module account,
// a ledger without to_pools, params without the alpha schedule), after x/subnet's migration has
// opened the pools: each subnet's pending umind goes into its pool at its price, becomes as much
// pending alpha, and the books balance under the new invariant.
func TestMigrate1to2InjectsPendingUmindIntoThePools(t *testing.T) {
	f := newFixture(t, nil)
	a, _ := f.createSubnet("alpha")
	b, _ := f.createSubnet("beta")
	// Version 1's state: 700 and 300 umind pending, held by the module account and counted as issued.
	f.bank.fund(authtypes.NewModuleAddress(types.ModuleName), 1_000)
	for netuid, amount := range map[uint32]int64{a: 700, b: 300} {
		if err := f.k.Pending.Set(f.ctx, netuid, math.NewInt(amount)); err != nil {
			t.Fatal(err)
		}
	}
	l := f.ledger()
	l.TotalIssued, l.ToPools = l.TotalIssued.AddRaw(1_000), math.Int{}
	if err := f.k.Ledger.Set(f.ctx, l); err != nil {
		t.Fatal(err)
	}
	p := f.params()
	p.AlphaBlockEmission, p.AlphaIssuanceCap = math.Int{}, math.Int{}
	if err := f.k.Params.Set(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	before := []subnettypes.Pool{f.pool(a), f.pool(b)}

	if err := keeper.NewMigrator(f.k).Migrate1to2(f.ctx); err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		netuid uint32
		amount int64
	}{{a, 700}, {b, 300}} {
		requireEqualInt(t, "umind into the pool", f.pool(c.netuid).MindReserve.Sub(before[i].MindReserve), c.amount)
		requireEqualInt(t, "pending alpha", f.pending(c.netuid), c.amount)
		requireEqualInt(t, "alpha emitted", f.pool(c.netuid).AlphaEmitted.Sub(before[i].AlphaEmitted), c.amount)
	}
	requireEqualInt(t, "to_pools", f.ledger().ToPools, 1_000)
	requireEqualInt(t, "module account", f.bank.moduleBalance(types.ModuleName), 0)
	if got := f.params(); !got.AlphaBlockEmission.Equal(types.DefaultAlphaBlockEmission) || !got.AlphaIssuanceCap.Equal(types.DefaultIssuanceCap) {
		t.Fatalf("params after the migration: %+v", got)
	}
	if err := f.k.CheckLedger(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.sk.CheckPools(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.nextBlock() // and the chain goes on under the new rules
}
