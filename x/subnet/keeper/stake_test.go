package keeper_test

import (
	"math/rand"
	"reflect"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func (f *fixture) addStake(cold, hot sdk.AccAddress, amount int64) error {
	_, err := f.msgs.AddStake(f.ctx, &types.MsgAddStake{Coldkey: f.str(cold), Hotkey: f.str(hot), Amount: math.NewInt(amount)})
	return err
}

func (f *fixture) removeStake(cold, hot sdk.AccAddress, amount int64) error {
	_, err := f.msgs.RemoveStake(f.ctx, &types.MsgRemoveStake{Coldkey: f.str(cold), Hotkey: f.str(hot), Amount: math.NewInt(amount)})
	return err
}

func TestStakeAddRemoveAndNominators(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	owner := f.account("owner", 1_000_000_000)
	nominator := f.account("nominator", 500)
	hot := f.account("hot", 0)
	f.mustRegister(owner, hot, netuid)
	ownerStart := f.bank.balance(owner)

	if err := f.addStake(owner, hot, 1_000); err != nil {
		t.Fatal(err)
	}
	if err := f.addStake(nominator, hot, 300); err != nil {
		t.Fatal(err)
	}
	res, err := f.queries.Stake(f.ctx, &types.QueryStakeRequest{Hotkey: f.str(hot)})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Total.Equal(math.NewInt(1_300)) || res.Owner != f.str(owner) || res.Take != types.DefaultDelegateTake || len(res.Nominators) != 2 {
		t.Fatalf("stake = %+v", res)
	}
	if got := f.bank.moduleBalance(types.ModuleName); !got.Equal(math.NewInt(1_300)) {
		t.Fatalf("module holds %s, want 1300", got)
	}

	if err := f.removeStake(nominator, hot, 300); err != nil {
		t.Fatal(err)
	}
	if !f.bank.balance(nominator).Equal(math.NewInt(500)) {
		t.Fatalf("nominator balance = %s, want all 500 back in the same block", f.bank.balance(nominator))
	}
	byCold, err := f.queries.StakesByColdkey(f.ctx, &types.QueryStakesByColdkeyRequest{Coldkey: f.str(nominator)})
	if err != nil || len(byCold.Stakes) != 0 {
		t.Fatalf("nominator stakes = %+v (%v), want none", byCold, err)
	}
	byCold, err = f.queries.StakesByColdkey(f.ctx, &types.QueryStakesByColdkeyRequest{Coldkey: f.str(owner)})
	if err != nil || len(byCold.Stakes) != 1 || !byCold.Stakes[0].Amount.Equal(math.NewInt(1_000)) {
		t.Fatalf("owner stakes = %+v (%v)", byCold, err)
	}
	if want := ownerStart.SubRaw(1_000); !f.bank.balance(owner).Equal(want) {
		t.Fatalf("owner balance = %s, want %s", f.bank.balance(owner), want)
	}
}

func TestStakeRefusals(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 1_000_000_000)
	hot := f.account("hot", 0)
	f.mustRegister(cold, hot, netuid)
	if err := f.addStake(cold, hot, 100); err != nil {
		t.Fatal(err)
	}
	poor := f.account("poor", 10)

	before := f.exported()
	requireErrorIs(t, f.addStake(cold, f.account("unregistered", 0), 5), types.ErrUnknownHotkey)
	requireErrorIs(t, f.addStake(poor, hot, 11), types.ErrInsufficientFundsForStake)
	requireErrorIs(t, f.addStake(cold, hot, 0), types.ErrInvalidAmount)
	requireErrorIs(t, f.removeStake(cold, hot, 101), types.ErrInsufficientStake)
	requireErrorIs(t, f.removeStake(poor, hot, 1), types.ErrInsufficientStake)
	_, err := f.msgs.AddStake(f.ctx, &types.MsgAddStake{Coldkey: f.str(cold), Hotkey: f.str(hot), Amount: math.NewInt(-5)})
	requireErrorIs(t, err, types.ErrInvalidAmount)
	if !reflect.DeepEqual(before, f.exported()) || !f.bank.balance(poor).Equal(math.NewInt(10)) {
		t.Fatal("refused stake change altered state")
	}
}

func TestDelegateTakeWithinBounds(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 1_000_000_000)
	hot := f.account("hot", 0)
	f.mustRegister(cold, hot, netuid)
	set := func(h sdk.AccAddress, take uint32) error {
		_, err := f.msgs.SetDelegateTake(f.ctx, &types.MsgSetDelegateTake{Hotkey: f.str(h), Take: take})
		return err
	}
	if take, _ := f.k.DelegateTake(f.ctx, hot); take != 1_800 {
		t.Fatalf("default take = %d, want 1800 (18%%)", take)
	}
	requireErrorIs(t, set(hot, 1_801), types.ErrTakeOutOfBounds)
	requireErrorIs(t, set(hot, 10_001), types.ErrTakeOutOfBounds)
	requireErrorIs(t, set(f.account("nobody", 0), 100), types.ErrUnknownHotkey)
	if err := set(hot, 900); err != nil {
		t.Fatal(err)
	}
	if take, _ := f.k.DelegateTake(f.ctx, hot); take != 900 {
		t.Fatalf("take = %d, want 900", take)
	}
}

// TestStakeInvariantUnderRandomSequences checks DESIGN's rule that the module account's balance equals
// the sum of stake records, and each hotkey's total the sum of its records, after every step of random
// add/remove sequences (refused steps included).
func TestStakeInvariantUnderRandomSequences(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		f := newFixture(t, nil)
		netuid, _ := f.createSubnet("alpha")
		rng := rand.New(rand.NewSource(seed))
		var colds, hots []sdk.AccAddress
		for i := range 4 {
			colds = append(colds, f.account("cold"+string(rune('a'+i)), 1_000_000+rng.Int63n(1_000_000)))
		}
		for i := range 3 {
			hot := f.account("hot"+string(rune('a'+i)), 0)
			f.at(int64(10 + i))
			f.mustRegister(colds[i], hot, netuid)
			hots = append(hots, hot)
		}
		for step := range 300 {
			cold, hot := colds[rng.Intn(len(colds))], hots[rng.Intn(len(hots))]
			amount := 1 + rng.Int63n(400_000)
			if rng.Intn(2) == 0 {
				_ = f.addStake(cold, hot, amount)
			} else {
				_ = f.removeStake(cold, hot, amount)
			}
			checkStakeInvariant(t, f, seed, step)
		}
	}
}

func checkStakeInvariant(t *testing.T, f *fixture, seed int64, step int) {
	t.Helper()
	sum := math.ZeroInt()
	perHotkey := map[string]math.Int{}
	for _, st := range f.exported().Stakes {
		sum = sum.Add(st.Amount)
		if v, ok := perHotkey[st.Hotkey]; ok {
			perHotkey[st.Hotkey] = v.Add(st.Amount)
		} else {
			perHotkey[st.Hotkey] = st.Amount
		}
	}
	if got := f.bank.moduleBalance(types.ModuleName); !got.Equal(sum) {
		t.Fatalf("seed %d step %d: module balance %s != sum of stakes %s", seed, step, got, sum)
	}
	for hot, want := range perHotkey {
		addr, _ := f.ac.StringToBytes(hot)
		if got, _ := f.k.TotalStakeOf(f.ctx, addr); !got.Equal(want) {
			t.Fatalf("seed %d step %d: total of %s = %s, want %s", seed, step, hot, got, want)
		}
	}
}
