package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// The price-manipulation attack that broke spot-price shares: one very large buy just before the block
// that splits the emission, sold back right after. The average moves by at most
// EMAFactor(half-life)·(price − average) per block (ln 2 / 1000 ≈ 0.069% of the gap at the default
// half-life), so a buy that multiplies the price by 121 lifts the subnet's share of one block's umind
// from 50% by under 2.1 percentage points, and the round trip costs the attacker far more in fees than
// the pool gained.
func TestOneLargeSwapBarelyMovesTheShare(t *testing.T) {
	f := newFixture(t, func(g *subnettypes.GenesisState, _ *types.GenesisState) {
		g.Params.MinSubnetLock = math.NewInt(100_000_000) // 100 MIND pools
	})
	a, _ := f.createSubnet("alpha")
	b, _ := f.createSubnet("beta")
	hotkey, _, _ := f.neuron(a, "val", 0)
	f.nextBlock()
	attacker := f.account("attacker", 2_000_000_000)
	split := func() (math.Int, math.Int) {
		ra, rb := f.pool(a).MindReserve, f.pool(b).MindReserve
		f.nextBlock()
		return f.pool(a).MindReserve.Sub(ra), f.pool(b).MindReserve.Sub(rb)
	}
	evenA, evenB := split()
	if !evenA.Sub(evenB).Abs().LTE(math.OneInt()) {
		t.Fatalf("split before the attack: %s and %s", evenA, evenB)
	}

	spent := math.NewInt(1_000_000_000) // 10× the pool's umind: the price goes up about 121-fold
	priceBefore := f.pool(a).Price()
	alpha, err := f.sk.StakeInto(f.ctx, attacker, hotkey, a, spent, nil)
	if err != nil {
		t.Fatal(err)
	}
	ratio := f.pool(a).Price().Quo(priceBefore)
	if ratio.LT(math.LegacyNewDec(100)) {
		t.Fatalf("the buy moved the price only %s-fold", ratio)
	}
	gotA, gotB := split() // the block right after the buy: its split sees the moved average
	share := gotA.MulRaw(1_000_000).Quo(gotA.Add(gotB))
	if share.GT(math.NewInt(521_000)) {
		t.Fatalf("one swap lifted the subnet's share to %s ppm (bound 521,000)", share)
	}
	back, err := f.sk.UnstakeFrom(f.ctx, attacker, hotkey, a, alpha, nil)
	if err != nil {
		t.Fatal(err)
	}
	loss := spent.Sub(back)
	gain := gotA.Sub(evenA)
	if !loss.GT(gain.MulRaw(100)) {
		t.Fatalf("the round trip cost %s umind and moved %s more umind into the pool", loss, gain)
	}
	t.Logf("price ×%s for one block: share %s ppm (from 500,000); the pool got %s umind more; the attacker lost %s umind",
		ratio.TruncateInt(), share, gain, loss)
}
