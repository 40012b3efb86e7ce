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

// Root members' weights over netuids become the subnets' shares at the root epoch; until then, and for
// subnets nobody weighs, pending emission follows the shares (even while all are zero).
func TestRootEpochSetsShares(t *testing.T) {
	f := newFixture(t, func(_ *subnettypes.GenesisState, g *types.GenesisState) {
		g.Params.BlockEmission = math.NewInt(1_000_000)
		g.Params.FeeCollectorShare = 0
	})
	a, _ := f.createSubnet("alpha")
	b, _ := f.createSubnet("beta")
	c, _ := f.createSubnet("gamma")
	v1, c1, _ := f.neuron(a, "v1", 6_000_000)
	v2, c2, _ := f.neuron(a, "v2", 2_000_000)
	for _, kp := range [][2]string{{f.str(c1), f.str(v1)}, {f.str(c2), f.str(v2)}} {
		if _, err := f.rootRegister(kp[0], kp[1]); err != nil {
			t.Fatal(err)
		}
	}
	f.nextBlock()
	// Even split before any root epoch with weights.
	before := []math.Int{f.pending(a), f.pending(b), f.pending(c)}
	f.nextBlock()
	for i, netuid := range []uint32{a, b, c} {
		if got := f.pending(netuid).Sub(before[i]); !got.Equal(math.NewInt(333_333)) && !got.Equal(math.NewInt(333_334)) {
			t.Fatalf("netuid %d accrued %s in a block of the even split", netuid, got)
		}
	}
	// v1 (3/4 of root stake) weighs a:b = 3:1; v2 weighs b only. Consensus at kappa 1/2 follows v1.
	f.setWeights(subnettypes.RootNetuid, 0, []uint32{a, b}, []uint32{3, 1})
	f.setWeights(subnettypes.RootNetuid, 1, []uint32{b}, []uint32{1})
	f.runToEpoch(subnettypes.RootNetuid)
	shares := map[uint32]uint32{}
	for _, netuid := range []uint32{a, b, c} {
		s, err := f.sk.GetSubnet(f.ctx, netuid)
		if err != nil {
			t.Fatal(err)
		}
		shares[netuid] = s.EmissionShare
	}
	if shares[c] != 0 || shares[a] <= shares[b] || shares[b] == 0 || shares[a]+shares[b] < 65533 {
		t.Fatalf("shares after the root epoch: %v", shares)
	}
	before = []math.Int{f.pending(a), f.pending(b), f.pending(c)}
	f.ctx = f.ctx.WithBlockHeight(f.height() + 1)
	if err := f.k.BeginBlock(f.ctx); err != nil {
		t.Fatal(err)
	}
	gotA, gotB := f.pending(a).Sub(before[0]).Int64(), f.pending(b).Sub(before[1]).Int64()
	total := int64(shares[a] + shares[b])
	if gotA != 1_000_000*int64(shares[a])/total+(1_000_000-1_000_000*int64(shares[a])/total-1_000_000*int64(shares[b])/total) ||
		gotB != 1_000_000*int64(shares[b])/total || !f.pending(c).Equal(before[2]) {
		t.Fatalf("accrued a %d, b %d, c %s with shares %v", gotA, gotB, f.pending(c).Sub(before[2]), shares)
	}
	if err := f.k.CheckLedger(f.ctx); err != nil {
		t.Fatal(err)
	}
}
