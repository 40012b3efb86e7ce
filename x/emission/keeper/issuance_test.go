package keeper_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// With root alone nothing can earn the subnets' part, so only the fee collector's share is minted.
func TestMintWithRootOnlyPaysFeeCollectorOnly(t *testing.T) {
	f := newFixture(t, nil)
	f.runTo(11)
	fee := types.PartOf(types.DefaultBlockEmission, types.DefaultFeeCollectorShare)
	requireEqualInt(t, "fee collector", f.bank.moduleBalance(feeCollector), 10*fee.Int64())
	requireEqualInt(t, "total issued", f.ledger().TotalIssued, 10*fee.Int64())
	requireEqualInt(t, "module account", f.bank.moduleBalance(types.ModuleName), 0)
}

// Each block mints block_emission: 10% to the fee collector, the rest split among the subnets' pools by
// their price averages (even while every pool is at its opening price 1), the remainder of the split to
// the lowest netuid; each subnet accrues its alpha block emission for its epoch.
func TestMintSplitsFeeAndEvenSubnetShares(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) {
		g.Params.BlockEmission = math.NewInt(1_000_001)
	})
	a, _ := f.createSubnet("alpha")
	b, _ := f.createSubnet("beta")
	c, _ := f.createSubnet("gamma")
	reserves := []math.Int{f.pool(a).MindReserve, f.pool(b).MindReserve, f.pool(c).MindReserve}
	lockPool := f.bank.moduleBalance(subnettypes.LockPoolName)
	f.ctx = f.ctx.WithBlockHeight(2)
	if err := f.k.BeginBlock(f.ctx); err != nil {
		t.Fatal(err)
	}
	// fee = floor(1_000_001 / 10) = 100_000; subnets share 900_001: 300_000 each, 1 left to netuid a.
	requireEqualInt(t, "fee collector", f.bank.moduleBalance(feeCollector), 100_000)
	for i, netuid := range []uint32{a, b, c} {
		want := int64(300_000)
		if i == 0 {
			want++
		}
		p := f.pool(netuid)
		requireEqualInt(t, "umind injected into the pool", p.MindReserve.Sub(reserves[i]), want)
		requireEqualInt(t, "alpha injected alongside at price 1", p.AlphaReserve.Sub(reserves[i]), want)
		requireEqualInt(t, "pending alpha", f.pending(netuid), types.DefaultAlphaBlockEmission.Int64())
		requireEqualInt(t, "alpha emitted", p.AlphaEmitted, types.DefaultAlphaBlockEmission.Int64())
	}
	requireEqualInt(t, "lock pool account", f.bank.moduleBalance(subnettypes.LockPoolName).Sub(lockPool), 900_001)
	requireEqualInt(t, "total issued", f.ledger().TotalIssued, 1_000_001)
	requireEqualInt(t, "to pools", f.ledger().ToPools, 900_001)
	if err := f.k.CheckLedger(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.sk.CheckPools(f.ctx); err != nil {
		t.Fatal(err)
	}

	res, err := f.queries.SubnetShares(f.ctx, &types.QuerySubnetSharesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Shares) != 3 || res.Shares[0].EffectiveShare != 333_333 || res.Shares[0].Share != 21_845 ||
		!res.Shares[0].Pending.Equal(types.DefaultAlphaBlockEmission) {
		t.Fatalf("shares: %+v", res.Shares)
	}
}

// A subnet's alpha block emission halves on its own schedule, as its emitted alpha crosses each half
// of alpha_issuance_cap, whatever the MIND issuance does.
func TestAlphaEmissionHalvesPerSubnet(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) {
		g.Params.AlphaBlockEmission = math.NewInt(1000)
		g.Params.AlphaIssuanceCap = math.NewInt(4000)
	})
	netuid, _ := f.createSubnet("alpha")
	var accrued []int64
	for range 8 {
		before := f.pool(netuid).AlphaEmitted
		f.ctx = f.ctx.WithBlockHeight(f.height() + 1)
		if err := f.k.BeginBlock(f.ctx); err != nil {
			t.Fatal(err)
		}
		accrued = append(accrued, f.pool(netuid).AlphaEmitted.Sub(before).Int64())
	}
	want := []int64{1000, 1000, 500, 500, 250, 250, 125, 125}
	for i := range want {
		if accrued[i] != want[i] {
			t.Fatalf("alpha per block %v, want %v", accrued, want)
		}
	}
}

// The block emission halves at 1/2, 3/4, 7/8 … of the cap, counted in issuance, and issuance never
// passes the cap.
func TestHalvingSchedule(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) {
		g.Params.BlockEmission = math.NewInt(1000)
		g.Params.IssuanceCap = math.NewInt(10_000)
		g.Params.FeeCollectorShare = types.PartsPerMillion // every umind to the fee collector: no subnet needed
	})
	q, err := f.queries.Issuance(f.ctx, &types.QueryIssuanceRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// From height 1: blocks 2..6 mint 1000 each and reach 5000; block 7 is the first to mint 500.
	if !q.BlockEmission.Equal(math.NewInt(1000)) || q.Halvings != 0 || !q.NextHalvingIssuance.Equal(math.NewInt(5000)) || q.NextHalvingHeight != 7 {
		t.Fatalf("issuance at start: %+v", q)
	}
	var minted []int64
	prev := int64(0)
	for range 60 {
		f.nextBlock()
		issued := f.ledger().TotalIssued.Int64()
		minted = append(minted, issued-prev)
		prev = issued
		if issued > 10_000 {
			t.Fatalf("issued %d passes the cap", issued)
		}
	}
	want := []int64{1000, 1000, 1000, 1000, 1000, 500, 500, 500, 500, 500, 250, 250, 250, 250, 250, 125}
	for i, w := range want {
		if minted[i] != w {
			t.Fatalf("block %d minted %d, want %d (all: %v)", i+2, minted[i], w, minted)
		}
	}
	if minted[len(minted)-1] != 0 {
		t.Fatalf("emission never stopped: %v", minted)
	}
	q, err = f.queries.Issuance(f.ctx, &types.QueryIssuanceRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !q.BlockEmission.IsZero() || q.NextHalvingHeight != 0 {
		t.Fatalf("issuance at the end: %+v", q)
	}
	requireEqualInt(t, "fee collector", f.bank.balance(authtypes.NewModuleAddress(feeCollector)), prev)
}

func TestBlockEmissionStopsAtCap(t *testing.T) {
	p := types.Params{BlockEmission: math.NewInt(100), IssuanceCap: math.NewInt(10)}
	if got := types.BlockEmissionAt(p, math.ZeroInt()); !got.Equal(math.NewInt(10)) {
		t.Fatalf("block emission above the cap: got %s, want what is left, 10", got)
	}
	if got := types.BlockEmissionAt(p, p.IssuanceCap); !got.IsZero() {
		t.Fatalf("block emission at the cap: %s", got)
	}
	p = types.DefaultParams()
	// Default schedule: the first halving at 10.5M MIND.
	if th := types.HalvingThreshold(p.IssuanceCap, 1); !th.Equal(math.NewInt(10_500_000_000_000)) {
		t.Fatalf("first halving threshold %s", th)
	}
	if k := types.Halvings(math.NewInt(15_750_000_000_000), p.IssuanceCap); k != 2 {
		t.Fatalf("halvings at 15.75M MIND: %d", k)
	}
}

func TestUpdateParams(t *testing.T) {
	f := newFixture(t, nil)
	p := f.params()
	p.OwnerCut = 0
	if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.str(f.account("mallory", 0)), Params: p}); err == nil {
		t.Fatal("a non-authority changed params")
	}
	bad := p
	bad.FeeCollectorShare = types.PartsPerMillion + 1
	if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: bad}); err == nil {
		t.Fatal("accepted a fee share above 100%")
	}
	if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p}); err != nil {
		t.Fatal(err)
	}
	if f.params().OwnerCut != 0 {
		t.Fatal("params not updated")
	}
}

// The alpha emission schedule is under governance with bounds: nil, negative or oversized values are
// refused through MsgUpdateParams, and a new schedule takes effect at the next block.
func TestAlphaEmissionParamsBounds(t *testing.T) {
	f := newFixture(t, nil)
	for _, edit := range []func(*types.Params){
		func(p *types.Params) { p.AlphaBlockEmission = math.NewInt(-1) },
		func(p *types.Params) { p.AlphaBlockEmission = types.MaxAlphaBlockEmission.AddRaw(1) },
		func(p *types.Params) { p.AlphaIssuanceCap = types.MaxAlphaIssuanceCap.AddRaw(1) },
		func(p *types.Params) { p.AlphaIssuanceCap = math.Int{} },
	} {
		bad := f.params()
		edit(&bad)
		if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: bad}); !errors.Is(err, types.ErrInvalidParams) {
			t.Fatalf("accepted alpha schedule %s / %s: %v", bad.AlphaBlockEmission, bad.AlphaIssuanceCap, err)
		}
	}
	p := f.params()
	p.AlphaBlockEmission = math.NewInt(7)
	if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p}); err != nil {
		t.Fatal(err)
	}
	netuid, _ := f.createSubnet("alpha")
	f.nextBlock()
	requireEqualInt(t, "alpha accrued at the new schedule", f.pending(netuid), 7)
}
