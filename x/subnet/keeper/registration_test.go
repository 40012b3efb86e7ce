package keeper_test

import (
	"context"
	"reflect"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestRegisterAssignsNextUIDAndBurns(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 10_000_000)
	burn, _ := f.k.RegistrationCost(f.ctx, netuid)

	for i, label := range []string{"hot0", "hot1", "hot2"} {
		f.at(int64(2 + i))
		uid := f.mustRegister(cold, f.account(label, 0), netuid)
		if uid != uint32(i) {
			t.Fatalf("uid = %d, want %d", uid, i)
		}
	}
	if want := math.NewInt(10_000_000).Sub(burn.MulRaw(3)); !f.bank.balance(cold).Equal(want) {
		t.Fatalf("coldkey balance = %s, want %s", f.bank.balance(cold), want)
	}
	if !f.bank.burned.Equal(burn.MulRaw(3)) || !f.bank.moduleBalance(types.ModuleName).IsZero() {
		t.Fatalf("burned %s, module holds %s: registration must burn, not keep", f.bank.burned, f.bank.moduleBalance(types.ModuleName))
	}
	s, _ := f.k.GetSubnet(f.ctx, netuid)
	if s.NeuronCount != 3 {
		t.Fatalf("neuron_count = %d, want 3", s.NeuronCount)
	}
	n, err := f.queries.NeuronByHotkey(f.ctx, &types.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: f.str(f.account("hot1", 0))})
	if err != nil || n.Neuron.Uid != 1 || n.Neuron.Coldkey != f.str(cold) || n.Neuron.RegisteredAt != 3 {
		t.Fatalf("neuron by hotkey = %+v (%v)", n, err)
	}
}

func TestRegisterRefusals(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	other, _ := f.createSubnet("beta")
	cold := f.account("cold", 10_000_000)
	thief := f.account("thief", 10_000_000)
	poor := f.account("poor", 1)
	hot := f.account("hot", 0)
	f.mustRegister(cold, hot, netuid)

	before := f.exported()
	balances := []math.Int{f.bank.balance(cold), f.bank.balance(thief), f.bank.balance(poor)}
	_, err := f.register(thief, hot, other)
	requireErrorIs(t, err, types.ErrHotkeyOwnedByOtherColdkey)
	_, err = f.register(cold, hot, netuid)
	requireErrorIs(t, err, types.ErrHotkeyAlreadyRegistered)
	_, err = f.register(cold, hot, 77)
	requireErrorIs(t, err, types.ErrUnknownSubnet)
	_, err = f.register(poor, f.account("hot-poor", 0), netuid+1)
	requireErrorIs(t, err, types.ErrInsufficientFundsForBurn)
	// max_registrations_per_block is 1 by default and this block already had one on netuid.
	_, err = f.register(cold, f.account("hot-second", 0), netuid)
	requireErrorIs(t, err, types.ErrTooManyRegistrationsInBlock)

	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("a refused registration changed state")
	}
	for i, a := range []math.Int{f.bank.balance(cold), f.bank.balance(thief), f.bank.balance(poor)} {
		if !a.Equal(balances[i]) {
			t.Fatalf("balance %d changed from %s to %s", i, balances[i], a)
		}
	}

	// The same coldkey may bring its hotkey to a second subnet.
	if _, err := f.register(cold, hot, other); err != nil {
		t.Fatalf("owner registering its hotkey elsewhere: %v", err)
	}
}

func TestBurnAdjustsEachIntervalWithinBounds(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha") // created at height 1
	f.setHyper(netuid, func(h *types.Hyperparameters) {
		h.AdjustmentInterval = 10
		h.TargetRegistrationsPerInterval = 2
		h.MaxRegistrationsPerBlock = 10
		h.MinBurn = math.NewInt(1_000)
		h.MaxBurn = math.NewInt(1_000) // pulls the current burn down to 1000
	})
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.MaxBurn = math.NewInt(5_000) })
	cold := f.account("cold", 1_000_000_000)
	cost := func(height int64) int64 {
		f.at(height)
		c, err := f.k.RegistrationCost(f.ctx, netuid)
		if err != nil {
			t.Fatal(err)
		}
		return c.Int64()
	}
	regs := 0
	registerN := func(height int64, n int) {
		f.at(height)
		for range n {
			regs++
			f.mustRegister(cold, f.account("hot"+string(rune('a'+regs)), 0), netuid)
		}
	}

	if got := cost(5); got != 1_000 {
		t.Fatalf("starting burn = %d, want min_burn 1000", got)
	}
	registerN(5, 6) // interval [1, 11): 6 registrations against a target of 2 → ×(6+2)/4 = ×2
	if got := cost(10); got != 1_000 {
		t.Fatalf("burn before the interval ends = %d, want 1000", got)
	}
	if got := cost(11); got != 2_000 {
		t.Fatalf("burn after a busy interval = %d, want 2000", got)
	}
	registerN(12, 2) // on target: unchanged
	if got := cost(21); got != 2_000 {
		t.Fatalf("burn after an on-target interval = %d, want 2000", got)
	}
	registerN(22, 10) // ×(10+2)/4 = ×3 → 6000, capped at max_burn
	if got := cost(31); got != 5_000 {
		t.Fatalf("burn after a crowded interval = %d, want max_burn 5000", got)
	}
	if got := cost(41); got != 2_500 {
		t.Fatalf("burn after an empty interval = %d, want half, 2500", got)
	}
	if got := cost(1_000_000); got != 1_000 {
		t.Fatalf("burn after a long quiet spell = %d, want min_burn 1000", got)
	}
	// The lazily applied adjustments are stored on the next registration and keep their schedule.
	registerN(1_000_000, 1)
	if got := cost(1_000_001); got != 1_000 {
		t.Fatalf("burn after quiet spell and one registration = %d, want 1000", got)
	}
}

type recordingHooks struct {
	calls     []string
	dissolved []uint32
}

func (h *recordingHooks) AfterSubnetDissolved(_ context.Context, netuid uint32) error {
	h.dissolved = append(h.dissolved, netuid)
	return nil
}

func (h *recordingHooks) AfterNeuronReplaced(_ context.Context, netuid, uid uint32, oldHotkey, newHotkey string) error {
	h.calls = append(h.calls, oldHotkey+">"+newHotkey)
	_ = netuid
	_ = uid
	return nil
}

func TestPruningReplacesLowestScoreNonImmuneOldestFirst(t *testing.T) {
	f := newFixture(t, nil)
	hooks := &recordingHooks{}
	f.k.SetHooks(hooks)
	netuid, _ := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) {
		h.MaxAllowedUids = 3
		h.MaxAllowedValidators = 3
		h.ImmunityPeriod = 10
	})
	cold := f.account("cold", 1_000_000_000)
	hot := []string{"h0", "h1", "h2"}
	for i, label := range hot {
		f.at(int64(1 + i)) // registered at 1, 2, 3
		f.mustRegister(cold, f.account(label, 0), netuid)
	}
	setScore := func(uid, score uint32) {
		if err := f.k.SetNeuronScores(f.ctx, netuid, uid, types.NeuronScores{PruningScore: score, Emission: math.ZeroInt()}); err != nil {
			t.Fatal(err)
		}
	}
	setScore(0, 5)
	setScore(1, 2)
	setScore(2, 1)

	f.at(5)
	before := f.exported()
	_, err := f.register(cold, f.account("newcomer", 0), netuid)
	requireErrorIs(t, err, types.ErrSubnetFullAllImmune)
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("refused registration changed state")
	}

	// At 12, uids 0 and 1 (registered at 1 and 2) are past immunity; uid 2 (at 3) is not, though it
	// scores lowest.
	f.at(12)
	if uid := f.mustRegister(cold, f.account("n1", 0), netuid); uid != 1 {
		t.Fatalf("replaced uid %d, want 1 (lowest score among non-immune)", uid)
	}
	if _, err := f.k.UIDOf(f.ctx, netuid, f.account("h1", 0)); err == nil {
		t.Fatal("replaced hotkey still indexed")
	}
	if len(hooks.calls) != 1 || hooks.calls[0] != f.str(f.account("h1", 0))+">"+f.str(f.account("n1", 0)) {
		t.Fatalf("hook calls = %v", hooks.calls)
	}

	// uids 0 (registered at 1) and 2 (at 3) tie on score; the older registration goes first.
	f.at(25)
	setScore(0, 1)
	setScore(1, 9)
	setScore(2, 1)
	if uid := f.mustRegister(cold, f.account("n2", 0), netuid); uid != 0 {
		t.Fatalf("replaced uid %d, want 0 (tie broken by oldest registration)", uid)
	}
	n, _ := f.k.GetNeuron(f.ctx, netuid, 0)
	if n.RegisteredAt != 25 || n.Scores.PruningScore != 0 || n.Hotkey != f.str(f.account("n2", 0)) {
		t.Fatalf("new neuron = %+v, want fresh record at 25", n)
	}
	s, _ := f.k.GetSubnet(f.ctx, netuid)
	if s.NeuronCount != 3 {
		t.Fatalf("neuron_count = %d after replacements, want 3", s.NeuronCount)
	}
	entries := 0
	if err := f.k.PruneOrder.Walk(f.ctx, nil, func(collections.Quad[uint32, uint32, uint64, uint32]) (bool, error) {
		entries++
		return false, nil
	}); err != nil || entries != 3 {
		t.Fatalf("prune index holds %d entries (%v), want one per neuron", entries, err)
	}
}

func TestSetNeuronScoresAndLastUpdate(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 1_000_000_000)
	f.mustRegister(cold, f.account("hot", 0), netuid)
	scores := types.NeuronScores{Rank: 1, Trust: 2, Consensus: 3, Incentive: 4, Dividends: 5, Emission: math.NewInt(6),
		ValidatorTrust: 7, ValidatorPermit: true, PruningScore: 8}
	if err := f.k.SetNeuronScores(f.ctx, netuid, 0, scores); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetNeuronLastUpdate(f.ctx, netuid, 0, 40); err != nil {
		t.Fatal(err)
	}
	requireErrorIs(t, f.k.SetNeuronScores(f.ctx, netuid, 9, scores), types.ErrUnknownNeuron)
	n, _ := f.k.GetNeuron(f.ctx, netuid, 0)
	if !n.Scores.Equal(&scores) || n.LastUpdate != 40 {
		t.Fatalf("neuron = %+v", n)
	}
}

// The root subnet admits hotkeys only through x/emission's MsgRootRegister (the largest stakes);
// a burn must not buy a seat there, whether or not the hotkey is registered elsewhere.
func TestRegisterRefusesRootSubnet(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 10_000_000)
	known, fresh := f.account("known", 0), f.account("fresh", 0)
	f.mustRegister(cold, known, netuid)
	f.at(f.ctx.BlockHeight() + 1)

	before := f.exported()
	balance := f.bank.balance(cold)
	_, err := f.register(cold, known, types.RootNetuid)
	requireErrorIs(t, err, types.ErrRootSubnet)
	_, err = f.register(cold, fresh, types.RootNetuid)
	requireErrorIs(t, err, types.ErrRootSubnet)
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("a refused root registration changed state")
	}
	if !f.bank.balance(cold).Equal(balance) {
		t.Fatalf("coldkey balance changed from %s to %s: a refused registration burned", balance, f.bank.balance(cold))
	}
	if root, _ := f.k.GetSubnet(f.ctx, types.RootNetuid); root.NeuronCount != 0 {
		t.Fatalf("root holds %d neurons", root.NeuronCount)
	}
}
