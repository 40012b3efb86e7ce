package keeper_test

import (
	"math/rand"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// At its epoch a subnet pays its owner owner_cut of the pending alpha, as alpha held behind the
// owner's own address, and the rest through Yuma as alpha stake; nothing stays pending once someone
// earns, and every paid unit is counted in the pool's outstanding alpha.
func TestEpochPaysOwnerCut(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	f.neuron(netuid, "val", 5_000_000)
	balance := f.bank.balance(owner)
	f.runTo(int64(subnettypes.NextEpochBlock(netuid, f.subnetTempo(netuid), uint64(f.height()+1))) - 1)
	// The epoch block accrues its own alpha before the epoch pays.
	pending := f.pending(netuid).Add(types.AlphaBlockEmissionAt(f.params(), f.pool(netuid).AlphaEmitted))
	f.nextBlock()
	cut := f.alphaOf(netuid, owner, owner)
	if want := types.PartOf(pending, types.DefaultOwnerCut); !cut.Equal(want) || !cut.IsPositive() {
		t.Fatalf("owner cut %s alpha, want %s of %s", cut, want, pending)
	}
	if got := f.pool(netuid).AlphaOutstanding; !got.Equal(pending) {
		t.Fatalf("alpha outstanding %s after paying %s", got, pending)
	}
	if !f.bank.balance(owner).Equal(balance) {
		t.Fatal("the owner's cut moved umind")
	}
	requireEqualInt(t, "pending after the epoch", f.pending(netuid), 0)
	f.stakePoolBalanced()
}

// A validator's dividends: the delegate keeps its take, the rest is shared among everyone whose stake
// makes up its voice (here root stake at root_weight 100%, and one alpha nominator), by their part of
// it; a miner's incentive goes to the hotkey's owner. Every payout is alpha on the subnet.
func TestEpochDelegationSplit(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	val, valOwner, vuid := f.neuron(netuid, "val", 3_000_000)
	miner, minerOwner, muid := f.neuron(netuid, "miner", 0)
	nominator := f.account("nominator", 2_000_000)
	f.stake(nominator, val, 1_000_000)
	if err := f.sk.SetDelegateTake(f.ctx, val, 1_000); err != nil { // 10%
		t.Fatal(err)
	}
	f.nextBlock() // the block's emission fills the pool, which the fixture's lock of 1 umind opened
	alphaNominator := f.account("alpha-nominator", 3_000_000)
	if _, err := f.sk.StakeInto(f.ctx, alphaNominator, val, netuid, math.NewInt(2_000_000), nil); err != nil {
		t.Fatal(err)
	}
	f.setWeights(netuid, vuid, []uint32{muid}, []uint32{1})
	f.runToEpoch(netuid) // first epoch: permits are granted; weights of unpermitted rows do not count
	f.nextBlock()

	ownerAlpha, nomAlpha, alphaNomAlpha, minerAlpha := f.alphaOf(netuid, val, valOwner), f.alphaOf(netuid, val, nominator),
		f.alphaOf(netuid, val, alphaNominator), f.alphaOf(netuid, miner, minerOwner)
	voice, err := f.sk.VoiceOf(f.ctx, netuid, val)
	if err != nil {
		t.Fatal(err)
	}
	f.runToEpoch(netuid)
	v, m := f.neuronAt(netuid, vuid).Scores, f.neuronAt(netuid, muid).Scores
	if m.Incentive != 65535 || v.Dividends != 65535 || m.Consensus == 0 || !v.ValidatorPermit {
		t.Fatalf("scores: validator %+v, miner %+v", v, m)
	}
	rest := v.Emission.Add(m.Emission).Int64()
	// Miners and validators split rest in halves; an odd unit of dust goes to the lower UID (the validator).
	validatorPart := rest / 2
	if got := m.Emission.Int64(); got != rest/2 {
		t.Fatalf("miner emission %d of %d", got, rest)
	}
	kept := validatorPart * 1_000 / 10_000
	shared := validatorPart - kept
	// The root nominator also holds the alpha its first-epoch dividends became: it is paid for both.
	nomShare := shared*1_000_000/voice.Int64() + shared*nomAlpha.Int64()/voice.Int64()
	alphaNomShare := shared * alphaNomAlpha.Int64() / voice.Int64()
	requireEqualInt(t, "root nominator's alpha growth", f.alphaOf(netuid, val, nominator).Sub(nomAlpha), nomShare)
	requireEqualInt(t, "alpha nominator's alpha growth", f.alphaOf(netuid, val, alphaNominator).Sub(alphaNomAlpha), alphaNomShare)
	requireEqualInt(t, "validator owner's alpha growth", f.alphaOf(netuid, val, valOwner).Sub(ownerAlpha), v.Emission.Int64()-nomShare-alphaNomShare)
	requireEqualInt(t, "miner owner's alpha growth", f.alphaOf(netuid, miner, minerOwner).Sub(minerAlpha), m.Emission.Int64())
	f.stakePoolBalanced()

	bonds, err := f.queries.Bonds(f.ctx, &types.QueryBondsRequest{Netuid: netuid, Uid: vuid})
	if err != nil {
		t.Fatal(err)
	}
	if len(bonds.Row.Uids) != 1 || bonds.Row.Uids[0] != muid || bonds.Row.Values[0] != 65535 {
		t.Fatalf("validator bonds: %+v", bonds.Row)
	}
}

// With root_weight at 0, root stake earns nothing on a subnet and gives no voice there: a validator
// backed only by root stake holds no permit's worth of stake, and its root nominators are paid nothing.
func TestRootWeightZeroSilencesRootStake(t *testing.T) {
	f := newFixture(t, func(g *subnettypes.GenesisState, _ *types.GenesisState) { g.Params.RootWeight = 0 })
	netuid, _ := f.createSubnet("alpha")
	val, _, _ := f.neuron(netuid, "val", 3_000_000)
	voice, err := f.sk.VoiceOf(f.ctx, netuid, val)
	if err != nil {
		t.Fatal(err)
	}
	requireEqualInt(t, "voice of root stake at root_weight 0", voice, 0)
	root, err := f.sk.VoiceOf(f.ctx, subnettypes.RootNetuid, val)
	if err != nil {
		t.Fatal(err)
	}
	requireEqualInt(t, "voice on root itself", root, 3_000_000)
}

// Over 50 tempos of random weights, stakes, takes and nominators, every minted umind is accounted for
// (CheckLedger after every block), the stake pool matches the stake records, and stake grows by exactly
// what the ledger says was paid as stake.
func TestStakeInvariantOverManyEpochs(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) {
		g.Params.BlockEmission = math.NewInt(1_234_567) // odd amounts, so rounding leaves dust
	})
	rng := rand.New(rand.NewSource(7))
	type member struct {
		hotkey sdk.AccAddress
		uid    uint32
	}
	var subnets []uint32
	members := map[uint32][]member{}
	for s := range 3 {
		netuid, _ := f.createSubnet(string(rune('a' + s)))
		subnets = append(subnets, netuid)
		for i := range 12 {
			hk, _, uid := f.neuron(netuid, string(rune('a'+s))+string(rune('A'+i)), int64(1_000_000+rng.Intn(9_000_000)))
			members[netuid] = append(members[netuid], member{hk, uid})
			if i%3 == 0 {
				f.stake(f.account("nom"+string(rune('a'+s))+string(rune('A'+i)), 5_000_000), hk, int64(1+rng.Intn(4_000_000)))
			}
			if err := f.sk.SetDelegateTake(f.ctx, hk, uint32(rng.Intn(1_801))); err != nil {
				t.Fatal(err)
			}
		}
	}
	stakeSum := func() math.Int {
		total := math.ZeroInt()
		if err := f.sk.TotalStake.Walk(f.ctx, nil, func(_ sdk.AccAddress, v math.Int) (bool, error) {
			total = total.Add(v)
			return false, nil
		}); err != nil {
			t.Fatal(err)
		}
		return total
	}
	startStake, startLedger := stakeSum(), f.ledger()
	end := f.height() + 50*10
	for f.height() < end {
		f.nextBlock()
		for _, netuid := range subnets {
			for _, m := range members[netuid] {
				if rng.Intn(8) != 0 {
					continue
				}
				var targets, weights []uint32
				for _, o := range members[netuid] {
					if rng.Intn(2) == 0 {
						targets = append(targets, o.uid)
						weights = append(weights, uint32(1+rng.Intn(1000)))
					}
				}
				if len(targets) > 0 {
					f.setWeights(netuid, m.uid, targets, weights)
				}
			}
		}
	}
	f.stakePoolBalanced()
	l := f.ledger()
	if !l.ToPools.IsPositive() {
		t.Fatalf("nothing injected into the pools: %+v", l)
	}
	// Every alpha unit the epochs paid is in a position: outstanding alpha equals what left pending.
	for _, netuid := range subnets {
		if !f.pool(netuid).AlphaOutstanding.IsPositive() {
			t.Fatalf("netuid %d paid no alpha", netuid)
		}
	}
	_ = startLedger
	if got := stakeSum(); !got.Equal(startStake) {
		t.Fatalf("root stake changed from %s to %s: epochs pay alpha, not root stake", startStake, got)
	}
	var rewarded int
	for _, netuid := range subnets {
		for _, m := range members[netuid] {
			if f.neuronAt(netuid, m.uid).Scores.Incentive > 0 {
				rewarded++
			}
		}
	}
	if rewarded == 0 {
		t.Fatal("no miner earned incentive in 50 tempos")
	}
}

// A UID that changes hands starts with no bonds and no validator holds bonds on it.
func TestBondsClearedOnReplacement(t *testing.T) {
	f := newFixture(t, func(g *subnettypes.GenesisState, _ *types.GenesisState) {
		g.Params.DefaultHyperparameters.MaxAllowedUids = 3
		g.Params.DefaultHyperparameters.MaxAllowedValidators = 3
	})
	netuid, _ := f.createSubnet("alpha")
	_, _, v1 := f.neuron(netuid, "v1", 4_000_000)
	_, _, v2 := f.neuron(netuid, "v2", 2_000_000)
	_, _, m := f.neuron(netuid, "m", 0)
	f.nextBlock()
	f.setWeights(netuid, v1, []uint32{v2, m}, []uint32{1, 3})
	f.setWeights(netuid, v2, []uint32{v1, m}, []uint32{1, 3})
	f.runToEpoch(netuid)
	f.nextBlock()
	f.runToEpoch(netuid)
	hasBond := func(holder, target uint32) bool {
		row, err := f.k.Bonds.Get(f.ctx, collections.Join(netuid, holder))
		if err != nil {
			return false
		}
		for _, u := range row.Uids {
			if u == target {
				return true
			}
		}
		return false
	}
	if !hasBond(v1, m) || !hasBond(v2, v1) {
		t.Fatal("setup: expected bonds on the miner and on v1")
	}
	// The subnet is full: the next registration replaces the UID with the lowest pruning score.
	pruned := uint32(0)
	lowest := uint32(1 << 31)
	for _, uid := range []uint32{v1, v2, m} {
		if s := f.neuronAt(netuid, uid).Scores.PruningScore; s < lowest {
			pruned, lowest = uid, s
		}
	}
	f.nextBlock()
	_, _, got := f.neuron(netuid, "newcomer", 0)
	if got != pruned {
		t.Fatalf("newcomer took UID %d, expected %d", got, pruned)
	}
	for _, holder := range []uint32{v1, v2, m} {
		if hasBond(holder, pruned) {
			t.Fatalf("UID %d still holds bonds on replaced UID %d", holder, pruned)
		}
	}
	if has, err := f.k.Bonds.Has(f.ctx, collections.Join(netuid, pruned)); err != nil || has {
		t.Fatalf("replaced UID %d kept its bond row (err %v)", pruned, err)
	}
}

// An epoch that cannot pay (here: a voice beyond the epoch's 64 bits) changes nothing and keeps its
// alpha pending; the block goes on.
func TestFailedEpochKeepsEmissionPending(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	hotkey, coldkey, uid := f.neuron(netuid, "val", 5_000_000)
	huge := math.NewIntFromUint64(^uint64(0)).AddRaw(1)
	key := collections.Join(netuid, hotkey)
	if err := f.sk.AlphaTotals.Set(f.ctx, key, huge); err != nil {
		t.Fatal(err)
	}
	alpha := f.alphaOf(netuid, hotkey, coldkey)
	f.ctx = f.ctx.WithBlockHeight(int64(subnettypes.NextEpochBlock(netuid, f.subnetTempo(netuid), uint64(f.height()+1))) - 1)
	f.ctx = f.ctx.WithBlockHeight(f.height() + 1).WithEventManager(sdk.NewEventManager())
	if err := f.k.BeginBlock(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.k.EndBlock(f.ctx); err != nil {
		t.Fatal(err)
	}
	if !f.pending(netuid).IsPositive() {
		t.Fatal("pending emission was lost")
	}
	if !f.alphaOf(netuid, hotkey, coldkey).Equal(alpha) || f.neuronAt(netuid, uid).Scores.ValidatorPermit {
		t.Fatal("the failed epoch changed state")
	}
	var failed bool
	for _, e := range f.ctx.EventManager().Events() {
		failed = failed || e.Type == types.EventTypeEpochFailed
	}
	if !failed {
		t.Fatal("no epoch failure event")
	}
	if err := f.sk.AlphaTotals.Remove(f.ctx, key); err != nil {
		t.Fatal(err)
	}
	f.runToEpoch(netuid)
	requireEqualInt(t, "pending after a good epoch", f.pending(netuid), 0)
}

// A dissolved subnet's pending alpha goes with it: nobody is left to earn it and no umind backs it, so
// nothing is burned and the supply does not move; the pool's umind goes back to its owner.
func TestDissolvedSubnetDropsPendingAlpha(t *testing.T) {
	f := newFixture(t, func(g *subnettypes.GenesisState, _ *types.GenesisState) {
		g.Params.MaxSubnets = 2
		g.Params.SubnetImmunityPeriod = 0
	})
	netuid, owner := f.createSubnet("alpha")
	f.nextBlock()
	f.nextBlock()
	if !f.pending(netuid).IsPositive() {
		t.Fatal("nothing pending")
	}
	supply, ownerBalance, reserve := f.bank.supply, f.bank.balance(owner), f.pool(netuid).MindReserve
	f.createSubnet("beta") // replaces alpha at the same netuid
	requireEqualInt(t, "pending after dissolve", f.pending(netuid), 0)
	if !f.ledger().Burned.IsZero() || !f.bank.supply.Equal(supply.AddRaw(1_000_000_000)) {
		t.Fatalf("burned %s, supply %s; want nothing burned", f.ledger().Burned, f.bank.supply)
	}
	if got := f.bank.balance(owner).Sub(ownerBalance); !got.Equal(reserve) {
		t.Fatalf("old owner got %s back, the pool held %s", got, reserve)
	}
	if err := f.k.CheckLedger(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.sk.CheckPools(f.ctx); err != nil {
		t.Fatal(err)
	}
}
