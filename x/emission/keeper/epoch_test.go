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

// At its epoch a subnet pays its owner owner_cut of the pending emission as coins, and the rest as
// stake; nothing stays pending once someone earns.
func TestEpochPaysOwnerCut(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	f.neuron(netuid, "val", 5_000_000)
	before := f.bank.balance(owner)
	ledger := f.ledger()
	f.runToEpoch(netuid)
	after := f.ledger()
	paidOut := after.ToOwners.Add(after.ToStake).Sub(ledger.ToOwners).Sub(ledger.ToStake)
	cut := after.ToOwners.Sub(ledger.ToOwners)
	if !cut.Equal(types.PartOf(paidOut, types.DefaultOwnerCut)) || !cut.IsPositive() {
		t.Fatalf("owner cut %s of %s paid out", cut, paidOut)
	}
	if got := f.bank.balance(owner).Sub(before); !got.Equal(cut) {
		t.Fatalf("owner received %s, want %s", got, cut)
	}
	requireEqualInt(t, "pending after the epoch", f.pending(netuid), 0)
	f.stakePoolBalanced()
}

// A validator's dividends: the delegate keeps its take, the rest is shared among everyone staked
// behind it by stake; a miner's incentive goes to the hotkey's owner.
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
	f.nextBlock()
	f.setWeights(netuid, vuid, []uint32{muid}, []uint32{1})
	f.runToEpoch(netuid) // first epoch: permits are granted; weights of unpermitted rows do not count
	f.nextBlock()

	valOwnerStake, nomStake, minerStake := f.stakeOf(val, valOwner), f.stakeOf(val, nominator), f.stakeOf(miner, minerOwner)
	f.runToEpoch(netuid)
	v, m := f.neuronAt(netuid, vuid).Scores, f.neuronAt(netuid, muid).Scores
	if m.Incentive != 65535 || v.Dividends != 65535 || m.Consensus == 0 || !v.ValidatorPermit {
		t.Fatalf("scores: validator %+v, miner %+v", v, m)
	}
	rest := v.Emission.Add(m.Emission).Int64()
	// Miners and validators split rest in halves; an odd umind of dust goes to the lower UID (the validator).
	validatorPart := rest / 2
	if got := m.Emission.Int64(); got != rest/2 {
		t.Fatalf("miner emission %d of %d", got, rest)
	}
	kept := validatorPart * 1_000 / 10_000
	totalStake := valOwnerStake.Add(nomStake).Int64()
	nomShare := (validatorPart - kept) * nomStake.Int64() / totalStake
	requireEqualInt(t, "nominator's stake growth", f.stakeOf(val, nominator).Sub(nomStake), nomShare)
	requireEqualInt(t, "validator owner's stake growth", f.stakeOf(val, valOwner).Sub(valOwnerStake), v.Emission.Int64()-nomShare)
	requireEqualInt(t, "miner owner's stake growth", f.stakeOf(miner, minerOwner).Sub(minerStake), m.Emission.Int64())
	f.stakePoolBalanced()

	bonds, err := f.queries.Bonds(f.ctx, &types.QueryBondsRequest{Netuid: netuid, Uid: vuid})
	if err != nil {
		t.Fatal(err)
	}
	if len(bonds.Row.Uids) != 1 || bonds.Row.Uids[0] != muid || bonds.Row.Values[0] != 65535 {
		t.Fatalf("validator bonds: %+v", bonds.Row)
	}
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
	if got, want := stakeSum().Sub(startStake), l.ToStake.Sub(startLedger.ToStake); !got.Equal(want) {
		t.Fatalf("stake grew by %s, ledger paid %s as stake", got, want)
	}
	if !l.ToStake.IsPositive() || !l.ToOwners.IsPositive() {
		t.Fatalf("nothing paid: %+v", l)
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

// An epoch that cannot pay (here: the owner account refuses funds) changes nothing and keeps its
// emission pending; the block goes on.
func TestFailedEpochKeepsEmissionPending(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	_, coldkey, uid := f.neuron(netuid, "val", 5_000_000)
	f.bank.blocked[string(owner)] = true
	hotkey := f.account("hot-val", 0)
	stake := f.stakeOf(hotkey, coldkey)
	f.runToEpoch(netuid)
	if !f.pending(netuid).IsPositive() {
		t.Fatal("pending emission was lost")
	}
	if !f.stakeOf(hotkey, coldkey).Equal(stake) || f.neuronAt(netuid, uid).Scores.ValidatorPermit {
		t.Fatal("the failed epoch changed state")
	}
	var failed bool
	for _, e := range f.ctx.EventManager().Events() {
		failed = failed || e.Type == types.EventTypeEpochFailed
	}
	if !failed {
		t.Fatal("no epoch failure event")
	}
	delete(f.bank.blocked, string(owner))
	f.runToEpoch(netuid)
	requireEqualInt(t, "pending after a good epoch", f.pending(netuid), 0)
}

// A dissolved subnet's pending emission is burned and counted as burned.
func TestDissolvedSubnetBurnsPending(t *testing.T) {
	f := newFixture(t, func(g *subnettypes.GenesisState, _ *types.GenesisState) {
		g.Params.MaxSubnets = 2
		g.Params.SubnetImmunityPeriod = 0
	})
	netuid, _ := f.createSubnet("alpha")
	f.nextBlock()
	f.nextBlock()
	pending := f.pending(netuid)
	if !pending.IsPositive() {
		t.Fatal("nothing pending")
	}
	supply := f.bank.supply
	f.createSubnet("beta") // replaces alpha at the same netuid
	requireEqualInt(t, "pending after dissolve", f.pending(netuid), 0)
	// The new owner was funded with 1e9 umind; the burn took pending out of the supply.
	if want := supply.AddRaw(1_000_000_000).Sub(pending); !f.ledger().Burned.Equal(pending) || !f.bank.supply.Equal(want) {
		t.Fatalf("burned %s, supply %s; want burned %s, supply %s", f.ledger().Burned, f.bank.supply, pending, want)
	}
	if err := f.k.CheckLedger(f.ctx); err != nil {
		t.Fatal(err)
	}
}
