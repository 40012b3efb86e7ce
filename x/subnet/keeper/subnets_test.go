package keeper_test

import (
	"reflect"
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestGenesisCreatesRootSubnetOwnedByAuthority(t *testing.T) {
	f := newFixture(t, nil)
	root, err := f.k.GetSubnet(f.ctx, types.RootNetuid)
	if err != nil {
		t.Fatal(err)
	}
	if root.Owner != f.authority || !root.Lock.IsZero() {
		t.Fatalf("root = owner %s lock %s, want authority %s and no lock", root.Owner, root.Lock, f.authority)
	}
}

func TestCreateSubnetLocksCostThatDoublesAndDecays(t *testing.T) {
	f := newFixture(t, nil)
	params := types.DefaultParams()
	floor := params.MinSubnetLock
	interval := int64(params.SubnetLockReductionInterval)

	f.at(10)
	netuid, owner := f.createSubnet("alpha")
	if netuid != 1 {
		t.Fatalf("first netuid = %d, want 1", netuid)
	}
	s, _ := f.k.GetSubnet(f.ctx, netuid)
	if !s.Lock.Equal(floor) || s.Owner != f.str(owner) || s.RegisteredAt != 10 {
		t.Fatalf("subnet = %+v, want lock %s owner %s at 10", s, floor, f.str(owner))
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(floor) {
		t.Fatalf("lock pool = %s, want %s", got, floor)
	}
	if got := f.bank.moduleBalance(types.ModuleName); !got.IsZero() {
		t.Fatalf("stake pool = %s, want 0: locks must not mix with stake", got)
	}
	if !reflect.DeepEqual(s.Hyperparameters, params.DefaultHyperparameters) {
		t.Fatal("new subnet does not start with the default hyperparameters")
	}

	cases := []struct {
		height int64
		want   math.Int
	}{
		{10, floor.MulRaw(2)},
		{10 + interval/2, floor.MulRaw(2).Sub(floor.QuoRaw(2))}, // halfway from 2x back to 1x
		{10 + interval, floor},
		{10 + 10*interval, floor},
	}
	for _, c := range cases {
		f.at(c.height)
		got, err := f.k.SubnetCreationCost(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(c.want) {
			t.Fatalf("cost at %d = %s, want %s", c.height, got, c.want)
		}
	}

	f.at(10)
	second, _ := f.createSubnet("beta")
	s2, _ := f.k.GetSubnet(f.ctx, second)
	if second != 2 || !s2.Lock.Equal(floor.MulRaw(2)) {
		t.Fatalf("second subnet %d locked %s, want netuid 2 and %s", second, s2.Lock, floor.MulRaw(2))
	}
	res, err := f.queries.SubnetCreationCost(f.ctx, &types.QuerySubnetCreationCostRequest{})
	if err != nil || !res.Cost.Equal(floor.MulRaw(4)) {
		t.Fatalf("creation cost after two = %v (%v), want %s", res, err, floor.MulRaw(4))
	}
}

func TestCreateSubnetRefusals(t *testing.T) {
	f := newFixture(t, nil)
	poor := f.account("poor", 5)
	before := f.exported()
	_, err := f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(poor), Name: "x"})
	requireErrorIs(t, err, types.ErrInsufficientFundsForLock)
	if !reflect.DeepEqual(before, f.exported()) || !f.bank.balance(poor).Equal(math.NewInt(5)) {
		t.Fatal("a refused creation changed state")
	}
	_, err = f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(poor), Name: " padded"})
	requireErrorIs(t, err, types.ErrInvalidSubnetName)
	_, err = f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: "cosmos1xyz", Name: "x"})
	requireErrorIs(t, err, types.ErrInvalidAddress)

	// max_subnets counts the root subnet.
	gs := types.DefaultGenesis()
	gs.Params.MaxSubnets = 3
	f = newFixture(t, gs)
	f.createSubnet("one")
	f.createSubnet("two")
	rich := f.account("rich", 1_000_000_000_000)
	_, err = f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(rich), Name: "three"})
	requireErrorIs(t, err, types.ErrMaxSubnets)
}

func TestTransferSubnetOwnership(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	stranger := f.account("stranger", 0)

	_, err := f.msgs.TransferSubnetOwnership(f.ctx, &types.MsgTransferSubnetOwnership{Owner: f.str(stranger), Netuid: netuid, NewOwner: f.str(stranger)})
	requireErrorIs(t, err, types.ErrNotSubnetOwner)
	_, err = f.msgs.TransferSubnetOwnership(f.ctx, &types.MsgTransferSubnetOwnership{Owner: f.authority, Netuid: types.RootNetuid, NewOwner: f.str(stranger)})
	requireErrorIs(t, err, types.ErrRootSubnet)
	_, err = f.msgs.TransferSubnetOwnership(f.ctx, &types.MsgTransferSubnetOwnership{Owner: f.str(owner), Netuid: 9, NewOwner: f.str(stranger)})
	requireErrorIs(t, err, types.ErrUnknownSubnet)

	if _, err := f.msgs.TransferSubnetOwnership(f.ctx, &types.MsgTransferSubnetOwnership{Owner: f.str(owner), Netuid: netuid, NewOwner: f.str(stranger)}); err != nil {
		t.Fatal(err)
	}
	s, _ := f.k.GetSubnet(f.ctx, netuid)
	if s.Owner != f.str(stranger) {
		t.Fatalf("owner = %s, want %s", s.Owner, f.str(stranger))
	}
}

func TestMaxSubnetsReplacesLowestEmissionShareAndRefundsLock(t *testing.T) {
	gs := types.DefaultGenesis()
	gs.Params.MaxSubnets = 3
	gs.Params.SubnetImmunityPeriod = 100
	f := newFixture(t, gs)
	hooks := &recordingHooks{}
	f.k.SetHooks(hooks)

	f.at(1)
	one, ownerOne := f.createSubnet("one")
	f.at(5)
	two, _ := f.createSubnet("two")
	// A model change waiting on the subnet that will be replaced must not carry over to its successor.
	if _, err := f.msgs.SetSubnetModel(f.ctx, &types.MsgSetSubnetModel{Owner: f.str(ownerOne), Netuid: one, Model: otherModel()}); err != nil {
		t.Fatal(err)
	}
	balanceOne := f.bank.balance(ownerOne)
	lockOne, _ := f.k.GetSubnet(f.ctx, one)
	cold := f.account("cold", 1_000_000_000)
	hot := f.account("hot", 0)
	f.mustRegister(cold, hot, one)
	if err := f.addStake(cold, hot, 50); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetSubnetEmissionShare(f.ctx, one, 5); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetSubnetEmissionShare(f.ctx, two, 10); err != nil {
		t.Fatal(err)
	}

	f.at(50)
	newcomer := f.account("newcomer", 1_000_000_000_000)
	before := f.exported()
	_, err := f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(newcomer), Name: "three"})
	requireErrorIs(t, err, types.ErrMaxSubnets)
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("refused creation changed state")
	}

	f.at(200)
	res, err := f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(newcomer), Name: "three"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Netuid != one {
		t.Fatalf("new subnet took netuid %d, want %d (lowest emission share)", res.Netuid, one)
	}
	s, _ := f.k.GetSubnet(f.ctx, one)
	if s.Name != "three" || s.NeuronCount != 0 || s.EmissionShare != 0 || !sameModel(s.Model, types.DefaultModel()) {
		t.Fatalf("replacement subnet = %+v", s)
	}
	if _, pending, _ := f.k.PendingModel(f.ctx, one); pending {
		t.Fatal("the dissolved subnet's pending model change survived it")
	}
	if got := f.bank.balance(ownerOne); !got.Equal(balanceOne.Add(lockOne.Lock)) {
		t.Fatalf("old owner balance %s, want its lock %s back on top of %s", got, lockOne.Lock, balanceOne)
	}
	if _, err := f.k.UIDOf(f.ctx, one, hot); err == nil {
		t.Fatal("neuron of the dissolved subnet is still indexed")
	}
	if total, _ := f.k.TotalStakeOf(f.ctx, hot); !total.Equal(math.NewInt(50)) {
		t.Fatalf("stake behind the hotkey = %s, want it kept (stake is per hotkey)", total)
	}
	sumLocks := math.ZeroInt()
	for _, sub := range f.exported().Subnets {
		sumLocks = sumLocks.Add(sub.Lock)
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(sumLocks) {
		t.Fatalf("lock pool %s, sum of locks %s", got, sumLocks)
	}
	if len(hooks.dissolved) != 1 || hooks.dissolved[0] != one {
		t.Fatalf("dissolve hooks = %v", hooks.dissolved)
	}
	// The hotkey can register on the new subnet under its old owner.
	f.mustRegister(cold, hot, one)
}
