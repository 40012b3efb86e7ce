package keeper_test

import (
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// TestGenesisRoundTrip fills every kind of state, exports it, imports it into a fresh store and checks
// that the second export is identical and that the rebuilt indexes answer as before.
func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	f.at(3)
	netuid, owner := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.MaxRegistrationsPerBlock = 4; h.Kappa = 40_000 })
	cold := f.account("cold", 1_000_000_000)
	nominator := f.account("nominator", 1_000_000)
	hot0, hot1 := f.account("hot0", 0), f.account("hot1", 0)
	f.mustRegister(cold, hot0, netuid)
	f.mustRegister(cold, hot1, netuid)
	if _, err := f.k.RegisterRootNeuron(f.ctx, hot1, nil); err != nil { // as x/emission's MsgRootRegister does
		t.Fatal(err)
	}
	if err := f.addStake(cold, hot0, 5_000); err != nil {
		t.Fatal(err)
	}
	if err := f.addStake(nominator, hot0, 700); err != nil {
		t.Fatal(err)
	}
	if _, err := f.msgs.SetDelegateTake(f.ctx, &types.MsgSetDelegateTake{Hotkey: f.str(hot0), Take: 1_000}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: f.str(hot1), Netuid: netuid, Ip: "192.0.2.1", Port: 9000}); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetNeuronScores(f.ctx, netuid, 0, types.NeuronScores{Rank: 9, PruningScore: 3, Emission: math.NewInt(12)}); err != nil {
		t.Fatal(err)
	}

	exported := f.exported()
	if err := exported.Validate(); err != nil {
		t.Fatalf("exported genesis does not validate: %v", err)
	}
	if len(exported.Subnets) != 2 || len(exported.Neurons) != 3 || len(exported.Stakes) != 2 ||
		len(exported.HotkeyOwners) != 2 || len(exported.DelegateTakes) != 1 {
		t.Fatalf("export missed state: %+v", exported)
	}

	g := newFixture(t, exported)
	g.at(3)
	again := g.exported()
	if !exportEqual(exported, again) {
		t.Fatalf("round trip changed state:\n%+v\n%+v", exported, again)
	}
	if uid, err := g.k.UIDOf(g.ctx, netuid, hot1); err != nil || uid != 1 {
		t.Fatalf("rebuilt uid index: %d, %v", uid, err)
	}
	if total, _ := g.k.TotalStakeOf(g.ctx, hot0); !total.Equal(math.NewInt(5_700)) {
		t.Fatalf("rebuilt total stake = %s, want 5700", total)
	}
	byCold, err := g.queries.StakesByColdkey(g.ctx, &types.QueryStakesByColdkeyRequest{Coldkey: g.str(nominator)})
	if err != nil || len(byCold.Stakes) != 1 {
		t.Fatalf("rebuilt stakes-by-coldkey = %+v (%v)", byCold, err)
	}
	cost1, _ := f.k.SubnetCreationCost(f.ctx)
	cost2, _ := g.k.SubnetCreationCost(g.ctx)
	if !cost1.Equal(cost2) {
		t.Fatalf("creation cost %s after import, %s before", cost2, cost1)
	}
	// A hotkey keeps its owner across the round trip.
	_, err = g.register(nominator, hot0, netuid)
	requireErrorIs(t, err, types.ErrHotkeyOwnedByOtherColdkey)
	_ = owner
}

func exportEqual(a, b *types.GenesisState) bool {
	ab, err := a.Marshal()
	if err != nil {
		return false
	}
	bb, err := b.Marshal()
	if err != nil {
		return false
	}
	return string(ab) == string(bb)
}

func TestGenesisValidateRejectsInconsistentState(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 1_000_000_000)
	f.mustRegister(cold, f.account("hot", 0), netuid)
	if err := f.addStake(cold, f.account("hot", 0), 10); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(gs *types.GenesisState){
		"duplicate subnet": func(gs *types.GenesisState) { gs.Subnets = append(gs.Subnets, gs.Subnets[1]) },
		"wrong count":      func(gs *types.GenesisState) { gs.Subnets[1].NeuronCount = 5 },
		"orphan neuron":    func(gs *types.GenesisState) { gs.Neurons[0].Netuid = 30 },
		"coldkey mismatch": func(gs *types.GenesisState) { gs.HotkeyOwners[0].Coldkey = gs.Subnets[0].Owner },
		"zero stake":       func(gs *types.GenesisState) { gs.Stakes[0].Amount = math.ZeroInt() },
		"unowned stake":    func(gs *types.GenesisState) { gs.HotkeyOwners = nil; gs.Neurons = nil; gs.Subnets[1].NeuronCount = 0 },
		"take out of range": func(gs *types.GenesisState) {
			gs.DelegateTakes = []types.DelegateTake{{Hotkey: gs.Stakes[0].Hotkey, Take: 9_000}}
		},
		"netuid too high": func(gs *types.GenesisState) { gs.Subnets[1].Netuid = 500 },
	}
	for name, corrupt := range cases {
		gs := f.exported()
		corrupt(gs)
		err := gs.Validate()
		if err == nil {
			t.Errorf("%s: validated", name)
		}
	}
}
