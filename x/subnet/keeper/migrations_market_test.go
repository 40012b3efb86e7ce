package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/keeper"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// atVersion2 rewrites a fixture's state as version 2 left it: params without swap_fee,
// price_ema_half_life and root_weight, and no pools (the locks sit in the lock pool account).
func atVersion2(f *fixture) {
	f.t.Helper()
	params, err := f.k.Params.Get(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	params.SwapFee, params.PriceEmaHalfLife, params.RootWeight = 0, 0, 0
	if err := f.k.Params.Set(f.ctx, params); err != nil {
		f.t.Fatal(err)
	}
	for _, p := range f.exported().Pools {
		if err := f.k.Pools.Remove(f.ctx, p.Netuid); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestMigrate2to3SeedsPoolsFromLocks(t *testing.T) {
	f := newFixture(t, nil)
	one, _ := f.createSubnet("one")
	two, _ := f.createSubnet("two")
	cold, hot := f.account("cold", 1_000_000_000), f.account("hot", 0)
	f.mustRegister(cold, hot, one)
	if err := f.addStake(cold, hot, 4_000); err != nil {
		t.Fatal(err)
	}
	atVersion2(f)
	if len(f.exported().Pools) != 0 {
		t.Fatal("version 2 state still has pools")
	}
	_, err := f.k.GetPool(f.ctx, one)
	requireErrorIs(t, err, types.ErrNoPool)

	if err := keeper.NewMigrator(f.k).Migrate2to3(f.ctx); err != nil {
		t.Fatal(err)
	}
	params, _ := f.k.Params.Get(f.ctx)
	if params.SwapFee != types.DefaultSwapFee || params.PriceEmaHalfLife != types.DefaultPriceEMAHalfLife || params.RootWeight != types.DefaultRootWeight {
		t.Fatalf("params after the migration: swap_fee %d, price_ema_half_life %d, root_weight %d",
			params.SwapFee, params.PriceEmaHalfLife, params.RootWeight)
	}
	if err := params.Validate(); err != nil {
		t.Fatalf("migrated params do not validate: %v", err)
	}
	pools := f.exported().Pools
	if len(pools) != 2 {
		t.Fatalf("%d pools after the migration, want one per subnet but root", len(pools))
	}
	for _, netuid := range []uint32{one, two} {
		s, _ := f.k.GetSubnet(f.ctx, netuid)
		p := f.pool(netuid)
		if !p.MindReserve.Equal(s.Lock) || !p.AlphaReserve.Equal(s.Lock) || !p.AlphaOutstanding.IsZero() ||
			!p.Price().Equal(math.LegacyOneDec()) || !p.PriceEma.Equal(math.LegacyOneDec()) {
			t.Fatalf("pool of %d = %+v, want its lock %s at price 1", netuid, p, s.Lock)
		}
	}
	if _, err := f.k.GetPool(f.ctx, types.RootNetuid); err == nil {
		t.Fatal("root got a pool")
	}
	// The locks already in the lock pool account are the pools' umind; root stake stays root stake.
	f.checkPools()
	if !f.rootStake(hot, cold).Equal(math.NewInt(4_000)) {
		t.Fatalf("root stake %s after the migration", f.rootStake(hot, cold))
	}
	if err := f.exported().Validate(); err != nil {
		t.Fatalf("migrated state does not validate: %v", err)
	}
	// The market works on the migrated state.
	if _, err := f.stakeInto(cold, hot, one, 1_000_000, nil); err != nil {
		t.Fatalf("stake into a migrated subnet: %v", err)
	}
	f.checkPools()
}

func TestMigrate2to3TwiceChangesNothing(t *testing.T) {
	f := newFixture(t, nil)
	one, _ := f.createSubnet("one")
	f.createSubnet("two")
	atVersion2(f)
	m := keeper.NewMigrator(f.k)
	if err := m.Migrate2to3(f.ctx); err != nil {
		t.Fatal(err)
	}
	// Trade and change a market param after the first run; a second run must keep both.
	cold, hot := f.account("cold", 1_000_000_000), f.account("hot", 0)
	f.mustRegister(cold, hot, one)
	if _, err := f.stakeInto(cold, hot, one, 1_000_000, nil); err != nil {
		t.Fatal(err)
	}
	params, _ := f.k.Params.Get(f.ctx)
	params.SwapFee = 55
	if err := f.k.Params.Set(f.ctx, params); err != nil {
		t.Fatal(err)
	}
	once := f.exported()
	if err := m.Migrate2to3(f.ctx); err != nil {
		t.Fatal(err)
	}
	if twice := f.exported(); !exportEqual(once, twice) {
		t.Fatalf("second run changed state:\n%+v\n%+v", once, twice)
	}
	f.checkPools()
}
