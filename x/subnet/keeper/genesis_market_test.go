package keeper_test

import (
	"maps"
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// TestGenesisRoundTripKeepsPoolsAndAlpha trades on two subnets, moves the price averages, exports,
// imports into a fresh store and checks that the second export is identical and that the rebuilt alpha
// totals and coldkey index answer as before.
func TestGenesisRoundTripKeepsPoolsAndAlpha(t *testing.T) {
	f := newMarket(t, nil)
	two, _ := f.createSubnet("beta")
	nominator := f.account("nominator", 1_000_000_000)
	if err := f.addStake(f.cold, f.hot, 9_000); err != nil {
		t.Fatal(err)
	}
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	f.mustStakeInto(nominator, f.hot, f.netuid, 300_000)
	f.mustStakeInto(nominator, f.hot, two, 700_000)
	if _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.NewInt(100_000), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.k.UpdatePriceEMAs(f.ctx); err != nil {
		t.Fatal(err)
	}

	exported := f.exported()
	if err := exported.Validate(); err != nil {
		t.Fatalf("exported genesis does not validate: %v", err)
	}
	if len(exported.Pools) != 2 || len(exported.AlphaStakes) != 3 {
		t.Fatalf("export has %d pools and %d alpha stakes, want 2 and 3", len(exported.Pools), len(exported.AlphaStakes))
	}
	if exported.Pools[0].PriceEma.Equal(math.LegacyOneDec()) {
		t.Fatal("the price average did not move before the export: the round trip would not show it kept")
	}

	g := newFixture(t, exported)
	g.bank.balances = maps.Clone(f.bank.balances) // the bank's genesis, which x/bank would import
	again := g.exported()
	if !exportEqual(exported, again) {
		t.Fatalf("round trip changed state:\n%+v\n%+v", exported.Pools, again.Pools)
	}
	for _, netuid := range []uint32{f.netuid, two} {
		want, _ := f.k.AlphaTotalOf(f.ctx, netuid, f.hot)
		if got, _ := g.k.AlphaTotalOf(g.ctx, netuid, f.hot); !got.Equal(want) || want.IsZero() {
			t.Fatalf("rebuilt alpha total on %d = %s, want %s", netuid, got, want)
		}
	}
	for _, cold := range []string{f.str(f.cold), f.str(nominator)} {
		a, errA := f.queries.Positions(f.ctx, &types.QueryPositionsRequest{Coldkey: cold})
		b, errB := g.queries.Positions(g.ctx, &types.QueryPositionsRequest{Coldkey: cold})
		if errA != nil || errB != nil || len(a.Positions) != len(b.Positions) || !a.TotalMindValue.Equal(b.TotalMindValue) {
			t.Fatalf("positions of %s: %+v (%v) before, %+v (%v) after", cold, a, errA, b, errB)
		}
	}
	if err := g.k.CheckPools(g.ctx); err != nil {
		t.Fatalf("imported state: %v", err)
	}
	// The imported market trades as the original does.
	want, err := f.unstakeFrom(nominator, f.hot, two, math.NewInt(50_000), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := g.unstakeFrom(nominator, f.hot, two, math.NewInt(50_000), nil)
	if err != nil || !got.Equal(want) {
		t.Fatalf("sale after import gave %s (%v), before %s", got, err, want)
	}
}

// TestGenesisWithoutPoolSeedsOneFromTheLock imports a genesis written before subnet markets: subnets
// with locks, no pools. Each subnet but root gets a pool of its lock at price 1.
func TestGenesisWithoutPoolSeedsOneFromTheLock(t *testing.T) {
	f := newFixture(t, nil)
	one, _ := f.createSubnet("one")
	two, _ := f.createSubnet("two")
	gs := f.exported()
	gs.Pools = nil
	locks := map[uint32]math.Int{}
	for _, s := range gs.Subnets {
		locks[s.Netuid] = s.Lock
	}

	g := newFixture(t, gs)
	for _, netuid := range []uint32{one, two} {
		p := g.pool(netuid)
		if !p.MindReserve.Equal(locks[netuid]) || !p.AlphaReserve.Equal(locks[netuid]) || !p.AlphaOutstanding.IsZero() ||
			!p.PriceEma.Equal(math.LegacyOneDec()) || !p.Price().Equal(math.LegacyOneDec()) || p.Netuid != netuid {
			t.Fatalf("seeded pool of %d = %+v, want lock %s at price 1", netuid, p, locks[netuid])
		}
	}
	if !locks[one].Equal(locks[two].QuoRaw(2)) {
		t.Fatalf("locks %s and %s: the test wants different locks per subnet", locks[one], locks[two])
	}
	if has, _ := g.k.Pools.Has(g.ctx, types.RootNetuid); has {
		t.Fatal("root got a pool")
	}
	g.bank.balances = maps.Clone(f.bank.balances)
	if err := g.k.CheckPools(g.ctx); err != nil {
		t.Fatalf("seeded pools do not match the lock pool: %v", err)
	}
}

func TestInitGenesisRefusesInconsistentMarket(t *testing.T) {
	f := newMarket(t, nil)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	gs := f.exported()
	gs.Pools[0].AlphaOutstanding = gs.Pools[0].AlphaOutstanding.AddRaw(1)
	g := newFixture(t, nil)
	if err := g.k.InitGenesis(g.ctx, gs); err == nil {
		t.Fatal("init accepted a pool whose alpha_outstanding is not the sum of its positions")
	}
}
