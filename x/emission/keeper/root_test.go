package keeper_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

func (f *fixture) rootRegister(coldkey, hotkey string) (*types.MsgRootRegisterResponse, error) {
	return f.msgs.RootRegister(f.ctx, &types.MsgRootRegister{Coldkey: coldkey, Hotkey: hotkey})
}

func TestRootRegister(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) { g.Params.MaxRootMembers = 2 })
	netuid, _ := f.createSubnet("alpha")
	a, ac, _ := f.neuron(netuid, "a", 3_000_000)
	b, bc, _ := f.neuron(netuid, "b", 2_000_000)
	c, cc, _ := f.neuron(netuid, "c", 2_000_000)
	d, dc, _ := f.neuron(netuid, "d", 5_000_000)

	if _, err := f.rootRegister(f.str(bc), f.str(a)); !errors.Is(err, types.ErrNotHotkeyOwner) {
		t.Fatalf("another coldkey registered a's hotkey: %v", err)
	}
	if _, err := f.rootRegister(f.str(ac), f.str(f.account("stranger", 0))); !errors.Is(err, types.ErrUnknownHotkey) {
		t.Fatalf("unknown hotkey: %v", err)
	}
	for i, kp := range [][2]string{{f.str(ac), f.str(a)}, {f.str(bc), f.str(b)}} {
		res, err := f.rootRegister(kp[0], kp[1])
		if err != nil || res.Uid != uint32(i) || res.ReplacedHotkey != "" {
			t.Fatalf("register %d: %+v %v", i, res, err)
		}
	}
	if _, err := f.rootRegister(f.str(ac), f.str(a)); !errors.Is(err, types.ErrAlreadyRootMember) {
		t.Fatalf("registered twice: %v", err)
	}
	// Root is full; c's stake only ties b's, the lowest.
	if _, err := f.rootRegister(f.str(cc), f.str(c)); !errors.Is(err, types.ErrRootFullStakeTooLow) {
		t.Fatalf("tie replaced the lowest member: %v", err)
	}
	res, err := f.rootRegister(f.str(dc), f.str(d))
	if err != nil || res.Uid != 1 || res.ReplacedHotkey != f.str(b) {
		t.Fatalf("d should replace b at UID 1: %+v %v", res, err)
	}
	members, err := f.queries.RootMembers(f.ctx, &types.QueryRootMembersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(members.Members) != 2 || members.Members[1].Hotkey != f.str(d) || !members.Members[1].TotalStake.Equal(math.NewInt(5_000_000)) || members.MaxMembers != 2 {
		t.Fatalf("root members: %+v", members)
	}
	if !f.neuronAt(subnettypes.RootNetuid, 1).Scores.ValidatorPermit {
		t.Fatal("a root member holds no validator permit")
	}
}

// Root members' weights over netuids no longer set the subnets' shares: after a root epoch in which
// they weigh one subnet only, the umind still goes to the pools by their price averages (here all at
// price 1: an even split).
func TestRootWeightsNoLongerSetShares(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) {
		g.Params.BlockEmission = math.NewInt(999_999)
		g.Params.FeeCollectorShare = 0
	})
	a, _ := f.createSubnet("alpha")
	b, _ := f.createSubnet("beta")
	c, _ := f.createSubnet("gamma")
	v1, c1, _ := f.neuron(a, "v1", 6_000_000)
	if _, err := f.rootRegister(f.str(c1), f.str(v1)); err != nil {
		t.Fatal(err)
	}
	f.nextBlock()
	f.setWeights(subnettypes.RootNetuid, 0, []uint32{a}, []uint32{1})
	f.runToEpoch(subnettypes.RootNetuid)
	before := []math.Int{f.pool(a).MindReserve, f.pool(b).MindReserve, f.pool(c).MindReserve}
	f.nextBlock()
	for i, netuid := range []uint32{a, b, c} {
		requireEqualInt(t, "umind into each pool", f.pool(netuid).MindReserve.Sub(before[i]), 333_333)
	}
	if f.neuronAt(subnettypes.RootNetuid, 0).Scores.Consensus == 0 && f.neuronAt(subnettypes.RootNetuid, 0).Scores.ValidatorPermit == false {
		t.Fatal("the root epoch did not score its member")
	}
}
