package keeper_test

import (
	"maps"
	"strings"
	"testing"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// The default lock (100 MIND) seeds a pool of 1e8 umind and 1e8 alpha at price 1; the default fee is
// 30 bps. Buying with 1e6 umind: fee 3000, net 997000, out = floor(1e8·997000 / 100997000) = 987158.
const (
	lock1       = 100_000_000
	buy1        = 1_000_000
	buy1Alpha   = 987_158
	sellHalf    = buy1Alpha / 2 // 493579: fee ceil(1480.737) = 1481, net 492098
	sellHalfOut = 499_491       // floor(101000000·492098 / (99012842+492098))
)

// marketFixture is a fixture with one subnet, a rich coldkey and a hotkey registered on the subnet.
type marketFixture struct {
	*fixture
	netuid     uint32
	owner      sdk.AccAddress
	cold, hot  sdk.AccAddress
	coldFunded math.Int
}

func newMarket(t *testing.T, gs *types.GenesisState) *marketFixture {
	t.Helper()
	f := newFixture(t, gs)
	netuid, owner := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.MaxRegistrationsPerBlock = 8 })
	cold, hot := f.account("cold", 1_000_000_000_000), f.account("hot", 0)
	f.mustRegister(cold, hot, netuid)
	return &marketFixture{fixture: f, netuid: netuid, owner: owner, cold: cold, hot: hot, coldFunded: f.bank.balance(cold)}
}

func decp(s string) *math.LegacyDec {
	d := math.LegacyMustNewDecFromStr(s)
	return &d
}

func (f *fixture) pool(netuid uint32) types.Pool {
	f.t.Helper()
	p, err := f.k.GetPool(f.ctx, netuid)
	if err != nil {
		f.t.Fatalf("pool of %d: %v", netuid, err)
	}
	return p
}

func (f *fixture) alpha(netuid uint32, hot, cold sdk.AccAddress) math.Int {
	f.t.Helper()
	a, err := f.k.AlphaStakeOf(f.ctx, netuid, hot, cold)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) rootStake(hot, cold sdk.AccAddress) math.Int {
	f.t.Helper()
	s, err := f.k.StakeOf(f.ctx, hot, cold)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) checkPools() {
	f.t.Helper()
	if err := f.k.CheckPools(f.ctx); err != nil {
		f.t.Fatalf("CheckPools: %v", err)
	}
}

func (f *fixture) feeBps() uint32 {
	f.t.Helper()
	p, err := f.k.Params.Get(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return p.SwapFee
}

func (f *fixture) stakeInto(cold, hot sdk.AccAddress, netuid uint32, amount int64, limit *math.LegacyDec) (math.Int, error) {
	res, err := f.msgs.AddStake(f.ctx, &types.MsgAddStake{Coldkey: f.str(cold), Hotkey: f.str(hot), Netuid: netuid, Amount: math.NewInt(amount), LimitPrice: limit})
	if err != nil {
		return math.Int{}, err
	}
	return res.Staked, nil
}

func (f *fixture) mustStakeInto(cold, hot sdk.AccAddress, netuid uint32, amount int64) math.Int {
	f.t.Helper()
	got, err := f.stakeInto(cold, hot, netuid, amount, nil)
	if err != nil {
		f.t.Fatalf("stake %d into %d: %v", amount, netuid, err)
	}
	return got
}

func (f *fixture) unstakeFrom(cold, hot sdk.AccAddress, netuid uint32, amount math.Int, limit *math.LegacyDec) (math.Int, error) {
	res, err := f.msgs.RemoveStake(f.ctx, &types.MsgRemoveStake{Coldkey: f.str(cold), Hotkey: f.str(hot), Netuid: netuid, Amount: amount, LimitPrice: limit})
	if err != nil {
		return math.Int{}, err
	}
	return res.Returned, nil
}

func (f *fixture) moveStake(cold, origin sdk.AccAddress, originNetuid uint32, dest sdk.AccAddress, destNetuid uint32, amount math.Int, limit *math.LegacyDec) (math.Int, error) {
	res, err := f.msgs.MoveStake(f.ctx, &types.MsgMoveStake{
		Coldkey: f.str(cold), OriginHotkey: f.str(origin), OriginNetuid: originNetuid,
		DestinationHotkey: f.str(dest), DestinationNetuid: destNetuid, Amount: amount, LimitPrice: limit,
	})
	if err != nil {
		return math.Int{}, err
	}
	return res.Moved, nil
}

// snapshot is the whole module state and every balance, for "a refusal changes nothing" checks.
type snapshot struct {
	gs       *types.GenesisState
	balances map[string]math.Int
	burned   math.Int
}

func (f *fixture) snapshot() snapshot {
	return snapshot{gs: f.exported(), balances: maps.Clone(f.bank.balances), burned: f.bank.burned}
}

func (f *fixture) requireUnchanged(what string, s snapshot) {
	f.t.Helper()
	if !exportEqual(s.gs, f.exported()) {
		f.t.Fatalf("%s changed module state", what)
	}
	same := len(s.balances) == len(f.bank.balances) && s.burned.Equal(f.bank.burned)
	for k, v := range f.bank.balances {
		if w, ok := s.balances[k]; !ok || !w.Equal(v) {
			same = false
		}
	}
	if !same {
		f.t.Fatalf("%s changed balances", what)
	}
}

func TestStakeIntoRootKeepsPlainStake(t *testing.T) {
	f := newMarket(t, nil)
	poolBefore := f.pool(f.netuid)
	got, err := f.stakeInto(f.cold, f.hot, types.RootNetuid, 5_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(math.NewInt(5_000)) || !f.rootStake(f.hot, f.cold).Equal(math.NewInt(5_000)) {
		t.Fatalf("staked %s, root stake %s, want 5000", got, f.rootStake(f.hot, f.cold))
	}
	if got := f.bank.moduleBalance(types.ModuleName); !got.Equal(math.NewInt(5_000)) {
		t.Fatalf("stake pool %s, want 5000", got)
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(math.NewInt(lock1)) {
		t.Fatalf("lock pool %s, want the lock only", got)
	}
	if !f.alpha(f.netuid, f.hot, f.cold).IsZero() || !exportEqual(&types.GenesisState{Pools: []types.Pool{poolBefore}}, &types.GenesisState{Pools: []types.Pool{f.pool(f.netuid)}}) {
		t.Fatal("root stake touched the subnet's pool or alpha")
	}
	f.checkPools()

	returned, err := f.unstakeFrom(f.cold, f.hot, types.RootNetuid, math.NewInt(2_000), nil)
	if err != nil || !returned.Equal(math.NewInt(2_000)) {
		t.Fatalf("unstake root: %s, %v", returned, err)
	}
	if !f.bank.balance(f.cold).Equal(f.coldFunded.SubRaw(3_000)) || !f.rootStake(f.hot, f.cold).Equal(math.NewInt(3_000)) {
		t.Fatalf("after unstaking 2000 of 5000: balance %s, stake %s", f.bank.balance(f.cold), f.rootStake(f.hot, f.cold))
	}
	f.checkPools()
}

func TestStakeIntoSubnetBuysAlpha(t *testing.T) {
	f := newMarket(t, nil)
	before := f.pool(f.netuid)
	if !before.MindReserve.Equal(math.NewInt(lock1)) || !before.AlphaReserve.Equal(math.NewInt(lock1)) || !before.Price().Equal(math.LegacyOneDec()) {
		t.Fatalf("new subnet's pool = %+v, want the lock at price 1", before)
	}
	got := f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	if !got.Equal(math.NewInt(buy1Alpha)) {
		t.Fatalf("staked %s alpha, want %d", got, buy1Alpha)
	}
	if a := f.alpha(f.netuid, f.hot, f.cold); !a.Equal(math.NewInt(buy1Alpha)) {
		t.Fatalf("alpha position %s, want %d", a, buy1Alpha)
	}
	if total, _ := f.k.AlphaTotalOf(f.ctx, f.netuid, f.hot); !total.Equal(math.NewInt(buy1Alpha)) {
		t.Fatalf("alpha behind the hotkey %s, want %d", total, buy1Alpha)
	}
	after := f.pool(f.netuid)
	if !after.MindReserve.Equal(math.NewInt(lock1+buy1)) || !after.AlphaReserve.Equal(math.NewInt(lock1-buy1Alpha)) ||
		!after.AlphaOutstanding.Equal(math.NewInt(buy1Alpha)) {
		t.Fatalf("pool after the buy = %s/%s outstanding %s", after.MindReserve, after.AlphaReserve, after.AlphaOutstanding)
	}
	if !after.Price().GT(before.Price()) {
		t.Fatalf("price %s after a buy, %s before", after.Price(), before.Price())
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(math.NewInt(lock1 + buy1)) {
		t.Fatalf("lock pool %s, want lock + %d", got, buy1)
	}
	if !f.bank.moduleBalance(types.ModuleName).IsZero() || !f.rootStake(f.hot, f.cold).IsZero() {
		t.Fatal("a subnet stake went to root")
	}
	if !f.bank.balance(f.cold).Equal(f.coldFunded.SubRaw(buy1)) {
		t.Fatalf("coldkey balance %s, want %s", f.bank.balance(f.cold), f.coldFunded.SubRaw(buy1))
	}
	f.checkPools()
}

func TestUnstakeFromSubnetSellsAlpha(t *testing.T) {
	f := newMarket(t, nil)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	before := f.pool(f.netuid)
	returned, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.NewInt(sellHalf), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !returned.Equal(math.NewInt(sellHalfOut)) {
		t.Fatalf("returned %s umind, want %d", returned, sellHalfOut)
	}
	if !f.bank.balance(f.cold).Equal(f.coldFunded.SubRaw(buy1 - sellHalfOut)) {
		t.Fatalf("coldkey balance %s, want %s", f.bank.balance(f.cold), f.coldFunded.SubRaw(buy1-sellHalfOut))
	}
	after := f.pool(f.netuid)
	if !after.MindReserve.Equal(before.MindReserve.SubRaw(sellHalfOut)) || !after.AlphaReserve.Equal(before.AlphaReserve.AddRaw(sellHalf)) ||
		!after.AlphaOutstanding.Equal(math.NewInt(buy1Alpha-sellHalf)) {
		t.Fatalf("pool after the sale = %s/%s outstanding %s", after.MindReserve, after.AlphaReserve, after.AlphaOutstanding)
	}
	if !after.Price().LT(before.Price()) {
		t.Fatalf("price %s after a sale, %s before", after.Price(), before.Price())
	}
	if a := f.alpha(f.netuid, f.hot, f.cold); !a.Equal(math.NewInt(buy1Alpha - sellHalf)) {
		t.Fatalf("alpha left %s", a)
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(after.MindReserve) {
		t.Fatalf("lock pool %s, pool reserve %s", got, after.MindReserve)
	}
	f.checkPools()

	// Selling the rest drops the position and every index of it.
	if _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.NewInt(buy1Alpha-sellHalf), nil); err != nil {
		t.Fatal(err)
	}
	if total, _ := f.k.AlphaTotalOf(f.ctx, f.netuid, f.hot); !total.IsZero() || len(f.exported().AlphaStakes) != 0 {
		t.Fatalf("after selling everything: total %s, positions %+v", total, f.exported().AlphaStakes)
	}
	res, err := f.queries.Positions(f.ctx, &types.QueryPositionsRequest{Coldkey: f.str(f.cold)})
	if err != nil || len(res.Positions) != 0 {
		t.Fatalf("positions after selling everything = %+v (%v)", res, err)
	}
	if !f.bank.balance(f.cold).LT(f.coldFunded) {
		t.Fatal("a buy and sell of everything made money")
	}
	f.checkPools()
}

func TestMoveStakeWithinSubnetSwapsNothing(t *testing.T) {
	f := newMarket(t, nil)
	hot2 := f.account("hot2", 0)
	f.mustRegister(f.cold, hot2, f.netuid)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	poolBefore, lockBefore, stakeBefore := f.pool(f.netuid), f.bank.moduleBalance(types.LockPoolName), f.bank.moduleBalance(types.ModuleName)

	moved, err := f.moveStake(f.cold, f.hot, f.netuid, hot2, f.netuid, math.NewInt(400_000), decp("1"))
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Equal(math.NewInt(400_000)) {
		t.Fatalf("moved %s, want all 400000 (no swap)", moved)
	}
	if !f.alpha(f.netuid, f.hot, f.cold).Equal(math.NewInt(buy1Alpha-400_000)) || !f.alpha(f.netuid, hot2, f.cold).Equal(math.NewInt(400_000)) {
		t.Fatalf("positions after the move: %s and %s", f.alpha(f.netuid, f.hot, f.cold), f.alpha(f.netuid, hot2, f.cold))
	}
	if after := f.pool(f.netuid); !exportEqual(&types.GenesisState{Pools: []types.Pool{poolBefore}}, &types.GenesisState{Pools: []types.Pool{after}}) {
		t.Fatalf("pool changed on a same-subnet move: %+v -> %+v", poolBefore, after)
	}
	if !f.bank.moduleBalance(types.LockPoolName).Equal(lockBefore) || !f.bank.moduleBalance(types.ModuleName).Equal(stakeBefore) {
		t.Fatal("a same-subnet move moved coins")
	}
	f.checkPools()
}

func TestMoveStakeBetweenSubnetsSwapsTwice(t *testing.T) {
	f := newMarket(t, nil)
	two, _ := f.createSubnet("beta")
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	fee := f.feeBps()
	p1, p2 := f.pool(f.netuid), f.pool(two)
	amount := math.NewInt(300_000)
	sold, err := p1.Sell(amount, fee)
	if err != nil {
		t.Fatal(err)
	}
	bought, err := p2.Buy(sold.Out, fee)
	if err != nil {
		t.Fatal(err)
	}
	lockBefore, stakeBefore := f.bank.moduleBalance(types.LockPoolName), f.bank.moduleBalance(types.ModuleName)

	moved, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, two, amount, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Equal(bought.Out) || !f.alpha(two, f.hot, f.cold).Equal(bought.Out) {
		t.Fatalf("moved %s, position on %d %s; want %s (sell then buy)", moved, two, f.alpha(two, f.hot, f.cold), bought.Out)
	}
	if !f.alpha(f.netuid, f.hot, f.cold).Equal(math.NewInt(buy1Alpha).Sub(amount)) {
		t.Fatalf("origin position %s", f.alpha(f.netuid, f.hot, f.cold))
	}
	a1, a2 := f.pool(f.netuid), f.pool(two)
	if !a1.MindReserve.Equal(sold.Pool.MindReserve) || !a1.AlphaReserve.Equal(sold.Pool.AlphaReserve) || !a1.Price().LT(p1.Price()) {
		t.Fatalf("origin pool %s/%s, want %s/%s and a lower price", a1.MindReserve, a1.AlphaReserve, sold.Pool.MindReserve, sold.Pool.AlphaReserve)
	}
	if !a2.MindReserve.Equal(bought.Pool.MindReserve) || !a2.AlphaReserve.Equal(bought.Pool.AlphaReserve) || !a2.AlphaOutstanding.Equal(bought.Out) || !a2.Price().GT(p2.Price()) {
		t.Fatalf("destination pool %+v, want reserves %s/%s and a higher price", a2, bought.Pool.MindReserve, bought.Pool.AlphaReserve)
	}
	// Both pools live in the lock pool account: the umind in between never leaves it.
	if !f.bank.moduleBalance(types.LockPoolName).Equal(lockBefore) || !f.bank.moduleBalance(types.ModuleName).Equal(stakeBefore) {
		t.Fatal("a subnet-to-subnet move changed a module balance")
	}
	f.checkPools()
}

func TestMoveStakeRootToSubnetBuys(t *testing.T) {
	f := newMarket(t, nil)
	if err := f.addStake(f.cold, f.hot, 5_000_000); err != nil {
		t.Fatal(err)
	}
	hot2 := f.account("hot2", 0)
	f.mustRegister(f.cold, hot2, f.netuid)
	bought, err := f.pool(f.netuid).Buy(math.NewInt(2_000_000), f.feeBps())
	if err != nil {
		t.Fatal(err)
	}
	moved, err := f.moveStake(f.cold, f.hot, types.RootNetuid, hot2, f.netuid, math.NewInt(2_000_000), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Equal(bought.Out) || !f.alpha(f.netuid, hot2, f.cold).Equal(bought.Out) {
		t.Fatalf("moved %s, alpha %s, want %s", moved, f.alpha(f.netuid, hot2, f.cold), bought.Out)
	}
	if !f.rootStake(f.hot, f.cold).Equal(math.NewInt(3_000_000)) {
		t.Fatalf("root stake left %s, want 3000000", f.rootStake(f.hot, f.cold))
	}
	if got := f.bank.moduleBalance(types.ModuleName); !got.Equal(math.NewInt(3_000_000)) {
		t.Fatalf("stake pool %s, want 3000000", got)
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(math.NewInt(lock1 + 2_000_000)) {
		t.Fatalf("lock pool %s, want lock + 2000000", got)
	}
	if p := f.pool(f.netuid); !p.MindReserve.Equal(bought.Pool.MindReserve) || !p.AlphaOutstanding.Equal(bought.Out) {
		t.Fatalf("pool %+v", p)
	}
	f.checkPools()
}

func TestMoveStakeSubnetToRootSells(t *testing.T) {
	f := newMarket(t, nil)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	sold, err := f.pool(f.netuid).Sell(math.NewInt(sellHalf), f.feeBps())
	if err != nil {
		t.Fatal(err)
	}
	if !sold.Out.Equal(math.NewInt(sellHalfOut)) {
		t.Fatalf("planned sale gives %s, want %d", sold.Out, sellHalfOut)
	}
	moved, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, types.RootNetuid, math.NewInt(sellHalf), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !moved.Equal(math.NewInt(sellHalfOut)) || !f.rootStake(f.hot, f.cold).Equal(math.NewInt(sellHalfOut)) {
		t.Fatalf("moved %s, root stake %s, want %d", moved, f.rootStake(f.hot, f.cold), sellHalfOut)
	}
	if !f.alpha(f.netuid, f.hot, f.cold).Equal(math.NewInt(buy1Alpha - sellHalf)) {
		t.Fatalf("alpha left %s", f.alpha(f.netuid, f.hot, f.cold))
	}
	if got := f.bank.moduleBalance(types.ModuleName); !got.Equal(math.NewInt(sellHalfOut)) {
		t.Fatalf("stake pool %s, want %d", got, sellHalfOut)
	}
	if got := f.bank.moduleBalance(types.LockPoolName); !got.Equal(math.NewInt(lock1 + buy1 - sellHalfOut)) {
		t.Fatalf("lock pool %s, want %d", got, lock1+buy1-sellHalfOut)
	}
	if !f.bank.balance(f.cold).Equal(f.coldFunded.SubRaw(buy1)) {
		t.Fatal("a move paid the coldkey")
	}
	f.checkPools()
}

func TestMoveStakeRootToRootMovesBetweenHotkeys(t *testing.T) {
	f := newMarket(t, nil)
	hot2 := f.account("hot2", 0)
	f.mustRegister(f.cold, hot2, f.netuid)
	if err := f.addStake(f.cold, f.hot, 1_000); err != nil {
		t.Fatal(err)
	}
	moved, err := f.moveStake(f.cold, f.hot, types.RootNetuid, hot2, types.RootNetuid, math.NewInt(600), decp("1"))
	if err != nil || !moved.Equal(math.NewInt(600)) {
		t.Fatalf("moved %s, %v", moved, err)
	}
	if !f.rootStake(f.hot, f.cold).Equal(math.NewInt(400)) || !f.rootStake(hot2, f.cold).Equal(math.NewInt(600)) {
		t.Fatalf("root stakes after the move: %s and %s", f.rootStake(f.hot, f.cold), f.rootStake(hot2, f.cold))
	}
	if total, _ := f.k.TotalStakeOf(f.ctx, hot2); !total.Equal(math.NewInt(600)) {
		t.Fatalf("total behind the destination %s", total)
	}
	f.checkPools()
}

// TestStakeRefusalsChangeNothing tries every refusal of the three stake messages and checks that each
// leaves the module state and every balance as they were.
func TestStakeRefusalsChangeNothing(t *testing.T) {
	f := newMarket(t, nil)
	two, _ := f.createSubnet("beta")
	hot2 := f.account("hot2", 0)
	f.mustRegister(f.cold, hot2, f.netuid)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	if err := f.addStake(f.cold, f.hot, 1_000); err != nil {
		t.Fatal(err)
	}
	stranger := f.account("stranger", 0)
	poor := f.account("poor", 10)
	alphaHeld := f.alpha(f.netuid, f.hot, f.cold)
	price := f.pool(f.netuid).Price()
	// The exact rate of a subnet-to-subnet move of 100000 alpha, for a limit just above it.
	sold, _ := f.pool(f.netuid).Sell(math.NewInt(100_000), f.feeBps())
	bought, _ := f.pool(two).Buy(sold.Out, f.feeBps())
	rate := math.LegacyNewDecFromInt(bought.Out).QuoInt64(100_000)
	above := rate.Add(math.LegacyNewDecWithPrec(1, 6))

	cases := []struct {
		name string
		do   func() error
		want error
	}{
		{"add: unknown hotkey on a subnet", func() error { _, err := f.stakeInto(f.cold, stranger, f.netuid, 1_000, nil); return err }, types.ErrUnknownHotkey},
		{"add: unknown hotkey on root", func() error { _, err := f.stakeInto(f.cold, stranger, types.RootNetuid, 1_000, nil); return err }, types.ErrUnknownHotkey},
		{"add: unknown netuid", func() error { _, err := f.stakeInto(f.cold, f.hot, 9, 1_000, nil); return err }, types.ErrUnknownSubnet},
		{"add: too poor", func() error { _, err := f.stakeInto(poor, f.hot, f.netuid, 11, nil); return err }, types.ErrInsufficientFundsForStake},
		{"add: too poor on root", func() error { _, err := f.stakeInto(poor, f.hot, types.RootNetuid, 11, nil); return err }, types.ErrInsufficientFundsForStake},
		{"add: price limit", func() error { _, err := f.stakeInto(f.cold, f.hot, f.netuid, 1_000, &price); return err }, types.ErrPriceLimit},
		{"add: all fee", func() error { _, err := f.stakeInto(f.cold, f.hot, f.netuid, 1, nil); return err }, types.ErrSwapTooSmall},
		{"add: zero", func() error { _, err := f.stakeInto(f.cold, f.hot, f.netuid, 0, nil); return err }, types.ErrInvalidAmount},
		{"add: zero limit price", func() error { _, err := f.stakeInto(f.cold, f.hot, f.netuid, 1_000, decp("0")); return err }, types.ErrInvalidLimitPrice},
		{"remove: more than held", func() error { _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, alphaHeld.AddRaw(1), nil); return err }, types.ErrInsufficientStake},
		{"remove: nothing held", func() error { _, err := f.unstakeFrom(poor, f.hot, f.netuid, math.NewInt(1), nil); return err }, types.ErrInsufficientStake},
		{"remove: unknown netuid", func() error { _, err := f.unstakeFrom(f.cold, f.hot, 9, math.NewInt(1), nil); return err }, types.ErrUnknownSubnet},
		{"remove: price limit", func() error { _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.NewInt(1_000), &price); return err }, types.ErrPriceLimit},
		{"remove: all fee", func() error { _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.NewInt(1), nil); return err }, types.ErrSwapTooSmall},
		{"remove: zero", func() error { _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.ZeroInt(), nil); return err }, types.ErrInvalidAmount},
		{"remove: root more than staked", func() error {
			_, err := f.unstakeFrom(f.cold, f.hot, types.RootNetuid, math.NewInt(1_001), nil)
			return err
		}, types.ErrInsufficientStake},
		{"move: same stake", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, f.netuid, math.NewInt(10), nil)
			return err
		}, types.ErrSameStake},
		{"move: zero", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, hot2, f.netuid, math.ZeroInt(), nil)
			return err
		}, types.ErrInvalidAmount},
		{"move: unknown destination hotkey", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, stranger, f.netuid, math.NewInt(10), nil)
			return err
		}, types.ErrUnknownHotkey},
		{"move: unknown destination netuid", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, 9, math.NewInt(100_000), nil)
			return err
		}, types.ErrUnknownSubnet},
		{"move: unknown origin netuid", func() error {
			_, err := f.moveStake(f.cold, f.hot, 9, f.hot, f.netuid, math.NewInt(10), nil)
			return err
		}, types.ErrUnknownSubnet},
		{"move: more alpha than held, same subnet", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, hot2, f.netuid, alphaHeld.AddRaw(1), nil)
			return err
		}, types.ErrInsufficientStake},
		{"move: more alpha than held, across subnets", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, two, alphaHeld.AddRaw(1), nil)
			return err
		}, types.ErrInsufficientStake},
		{"move: more root stake than staked", func() error {
			_, err := f.moveStake(f.cold, f.hot, types.RootNetuid, f.hot, f.netuid, math.NewInt(1_001), nil)
			return err
		}, types.ErrInsufficientStake},
		{"move: limit above the same-subnet rate of 1", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, hot2, f.netuid, math.NewInt(10), decp("1.000001"))
			return err
		}, types.ErrPriceLimit},
		{"move: limit just above the cross-subnet rate", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, two, math.NewInt(100_000), &above)
			return err
		}, types.ErrPriceLimit},
		{"move: root to subnet, limit above the rate", func() error {
			_, err := f.moveStake(f.cold, f.hot, types.RootNetuid, f.hot, f.netuid, math.NewInt(1_000), decp("1"))
			return err
		}, types.ErrPriceLimit},
		{"move: sale all fee", func() error {
			_, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, two, math.NewInt(1), nil)
			return err
		}, types.ErrSwapTooSmall},
		{"move: root to subnet all fee", func() error {
			_, err := f.moveStake(f.cold, f.hot, types.RootNetuid, f.hot, f.netuid, math.NewInt(1), nil)
			return err
		}, types.ErrSwapTooSmall},
		// The keeper refuses what the message checks would have caught.
		{"keeper add: zero", func() error {
			_, err := f.k.StakeInto(f.ctx, f.cold, f.hot, f.netuid, math.ZeroInt(), nil)
			return err
		}, types.ErrInvalidAmount},
		{"keeper remove: negative", func() error {
			_, err := f.k.UnstakeFrom(f.ctx, f.cold, f.hot, f.netuid, math.NewInt(-5), nil)
			return err
		}, types.ErrInvalidAmount},
		{"keeper move: zero", func() error {
			_, err := f.k.MoveStake(f.ctx, f.cold, f.hot, f.netuid, hot2, two, math.ZeroInt(), nil)
			return err
		}, types.ErrInvalidAmount},
		{"keeper move: same stake", func() error {
			_, err := f.k.MoveStake(f.ctx, f.cold, f.hot, types.RootNetuid, f.hot, types.RootNetuid, math.NewInt(5), nil)
			return err
		}, types.ErrSameStake},
	}
	for _, c := range cases {
		before := f.snapshot()
		requireErrorIs(t, c.do(), c.want)
		f.requireUnchanged(c.name, before)
	}
	f.checkPools()

	// The limit is a bound, not a wish: at exactly the rate the cross-subnet move goes through.
	moved, err := f.moveStake(f.cold, f.hot, f.netuid, f.hot, two, math.NewInt(100_000), &rate)
	if err != nil || !moved.Equal(bought.Out) {
		t.Fatalf("move at its own rate: %s, %v; want %s", moved, err, bought.Out)
	}
	f.checkPools()
}

func TestStakeLimitPriceAllowsSwapsWithinIt(t *testing.T) {
	f := newMarket(t, nil)
	res, _ := f.pool(f.netuid).Buy(math.NewInt(buy1), f.feeBps())
	limit := res.Pool.Price()
	if _, err := f.stakeInto(f.cold, f.hot, f.netuid, buy1, &limit); err != nil {
		t.Fatalf("buy with a limit at its own price after: %v", err)
	}
	sold, _ := f.pool(f.netuid).Sell(math.NewInt(sellHalf), f.feeBps())
	floor := sold.Pool.Price()
	if _, err := f.unstakeFrom(f.cold, f.hot, f.netuid, math.NewInt(sellHalf), &floor); err != nil {
		t.Fatalf("sale with a limit at its own price after: %v", err)
	}
	f.checkPools()
}

func TestVoiceOfCountsAlphaAndRootWeight(t *testing.T) {
	gs := types.DefaultGenesis()
	gs.Params.RootWeight = 2_500
	f := newMarket(t, gs)
	if err := f.addStake(f.cold, f.hot, 1_003); err != nil {
		t.Fatal(err)
	}
	nominator := f.account("nominator", 1_000_000_000)
	alphaCold := f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	alphaNom := f.mustStakeInto(nominator, f.hot, f.netuid, 50_000)

	voice, err := f.k.VoiceOf(f.ctx, f.netuid, f.hot)
	if err != nil {
		t.Fatal(err)
	}
	// 1003 × 2500 / 10000 = 250.75, rounded down.
	if want := alphaCold.Add(alphaNom).AddRaw(250); !voice.Equal(want) {
		t.Fatalf("voice on the subnet = %s, want alpha %s + %s + 250", voice, alphaCold, alphaNom)
	}
	if root, _ := f.k.VoiceOf(f.ctx, types.RootNetuid, f.hot); !root.Equal(math.NewInt(1_003)) {
		t.Fatalf("voice on root = %s, want the root stake 1003", root)
	}
	two, _ := f.createSubnet("beta")
	if other, _ := f.k.VoiceOf(f.ctx, two, f.hot); !other.Equal(math.NewInt(250)) {
		t.Fatalf("voice on a subnet without alpha = %s, want 250", other)
	}
	if w, _ := f.k.RootWeight(f.ctx); w != 2_500 {
		t.Fatalf("RootWeight = %d", w)
	}
}

func TestQuoteKeeperChangesNothing(t *testing.T) {
	f := newMarket(t, nil)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	p := f.pool(f.netuid)
	before := f.snapshot()

	res, pool, err := f.k.Quote(f.ctx, f.netuid, "buy", math.NewInt(buy1))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := p.Buy(math.NewInt(buy1), f.feeBps())
	if !res.Out.Equal(want.Out) || !res.Fee.Equal(math.NewInt(3_000)) || !pool.MindReserve.Equal(p.MindReserve) || !res.Pool.MindReserve.Equal(want.Pool.MindReserve) {
		t.Fatalf("quote buy = %+v on %+v, want %+v", res, pool, want)
	}
	res, _, err = f.k.Quote(f.ctx, f.netuid, "sell", math.NewInt(sellHalf))
	if err != nil || !res.Out.Equal(math.NewInt(sellHalfOut)) {
		t.Fatalf("quote sell %d = %s, %v; want %d", sellHalf, res.Out, err, sellHalfOut)
	}
	f.requireUnchanged("quoting", before)

	_, _, err = f.k.Quote(f.ctx, f.netuid, "hold", math.NewInt(10))
	requireErrorIs(t, err, types.ErrInvalidSwapSide)
	_, _, err = f.k.Quote(f.ctx, types.RootNetuid, "buy", math.NewInt(10))
	requireErrorIs(t, err, types.ErrNoPool)
	_, _, err = f.k.Quote(f.ctx, 9, "buy", math.NewInt(10))
	requireErrorIs(t, err, types.ErrUnknownSubnet)
	_, _, err = f.k.Quote(f.ctx, f.netuid, "buy", math.NewInt(1))
	requireErrorIs(t, err, types.ErrSwapTooSmall)
}

func TestQuoteQuery(t *testing.T) {
	f := newMarket(t, nil)
	res, err := f.queries.Quote(f.ctx, &types.QueryQuoteRequest{Netuid: f.netuid, Side: "BUY", Amount: "1000000umind"})
	if err != nil {
		t.Fatal(err)
	}
	after := types.NewPool(f.netuid, math.NewInt(lock1))
	after.MindReserve, after.AlphaReserve = math.NewInt(lock1+buy1), math.NewInt(lock1-buy1Alpha)
	// Slippage: 1 − 987158 alpha × price 1 / 1000000 umind = 0.012842.
	if !res.AmountOut.Equal(math.NewInt(buy1Alpha)) || !res.Fee.Equal(math.NewInt(3_000)) ||
		res.PriceBefore != "1.000000000000000000" || res.PriceAfter != after.Price().String() ||
		res.Slippage != "0.012842000000000000" {
		t.Fatalf("quote = %+v", res)
	}
	sell, err := f.queries.Quote(f.ctx, &types.QueryQuoteRequest{Netuid: f.netuid, Side: "sell", Amount: "1000"})
	// Selling 1000 at price 1: fee 3, net 997, out floor(1e8·997/100000997) = 996.
	if err != nil || !sell.AmountOut.Equal(math.NewInt(996)) || sell.Slippage != "0.004000000000000000" ||
		!math.LegacyMustNewDecFromStr(sell.PriceAfter).LT(math.LegacyMustNewDecFromStr(sell.PriceBefore)) {
		t.Fatalf("quote sell = %+v, %v", sell, err)
	}
	_, err = f.queries.Quote(f.ctx, &types.QueryQuoteRequest{Netuid: f.netuid, Side: "hold", Amount: "1000"})
	requireErrorIs(t, err, types.ErrInvalidSwapSide)
	_, err = f.queries.Quote(f.ctx, &types.QueryQuoteRequest{Netuid: f.netuid, Side: "buy", Amount: "1.5"})
	requireErrorIs(t, err, types.ErrInvalidAmount)
	_, err = f.queries.Quote(f.ctx, &types.QueryQuoteRequest{Netuid: types.RootNetuid, Side: "buy", Amount: "1000"})
	requireErrorIs(t, err, types.ErrNoPool)
}

func TestPoolAndPoolsQueries(t *testing.T) {
	f := newMarket(t, nil)
	two, _ := f.createSubnet("beta")
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)

	one, err := f.queries.Pool(f.ctx, &types.QueryPoolRequest{Netuid: f.netuid})
	if err != nil {
		t.Fatal(err)
	}
	p := f.pool(f.netuid)
	// Prices answer as decimal strings, not the 10^18-scaled integers a cosmos.Dec carries on the wire.
	if !one.Pool.MindReserve.Equal(p.MindReserve) || !one.Pool.AlphaOutstanding.Equal(math.NewInt(buy1Alpha)) || one.Pool.Price != p.Price().String() ||
		!strings.HasPrefix(one.Pool.Price, "1.") || one.Pool.PriceEma != p.PriceEma.String() {
		t.Fatalf("pool query = %+v", one)
	}
	_, err = f.queries.Pool(f.ctx, &types.QueryPoolRequest{Netuid: types.RootNetuid})
	requireErrorIs(t, err, types.ErrNoPool)
	_, err = f.queries.Pool(f.ctx, &types.QueryPoolRequest{Netuid: 9})
	requireErrorIs(t, err, types.ErrUnknownSubnet)

	all, err := f.queries.Pools(f.ctx, &types.QueryPoolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Pools) != 2 || all.Pools[0].Netuid != f.netuid || all.Pools[1].Netuid != two ||
		all.Pools[1].Price != "1.000000000000000000" || all.Pools[0].Price != p.Price().String() {
		t.Fatalf("pools query = %+v", all)
	}
}

func TestPositionsQueryListsRootThenAlpha(t *testing.T) {
	f := newMarket(t, nil)
	two, _ := f.createSubnet("beta")
	hot2 := f.account("hot2", 0)
	f.mustRegister(f.cold, hot2, f.netuid)
	if err := f.addStake(f.cold, hot2, 7_000); err != nil {
		t.Fatal(err)
	}
	a2 := f.mustStakeInto(f.cold, f.hot, two, 3_000_000)
	a1 := f.mustStakeInto(f.cold, hot2, f.netuid, buy1)
	a1b := f.mustStakeInto(f.cold, f.hot, f.netuid, 200_000)

	res, err := f.queries.Positions(f.ctx, &types.QueryPositionsRequest{Coldkey: f.str(f.cold)})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := f.pool(f.netuid), f.pool(two)
	value := func(p types.Pool, amount math.Int) math.Int {
		return math.LegacyNewDecFromInt(p.MindReserve).QuoInt(p.AlphaReserve).MulInt(amount).TruncateInt()
	}
	// Alpha by netuid, then hotkey ("hot" < "hot2" as addresses).
	want := []types.Position{
		{Netuid: types.RootNetuid, Hotkey: f.str(hot2), Amount: math.NewInt(7_000), MindValue: math.NewInt(7_000)},
		{Netuid: f.netuid, Hotkey: f.str(f.hot), Amount: a1b, MindValue: value(p1, a1b)},
		{Netuid: f.netuid, Hotkey: f.str(hot2), Amount: a1, MindValue: value(p1, a1)},
		{Netuid: two, Hotkey: f.str(f.hot), Amount: a2, MindValue: value(p2, a2)},
	}
	if len(res.Positions) != len(want) {
		t.Fatalf("positions = %+v, want %+v", res.Positions, want)
	}
	total := math.ZeroInt()
	for i, w := range want {
		g := res.Positions[i]
		if g.Netuid != w.Netuid || g.Hotkey != w.Hotkey || !g.Amount.Equal(w.Amount) || !g.MindValue.Equal(w.MindValue) {
			t.Fatalf("position %d = %+v, want %+v", i, g, w)
		}
		total = total.Add(w.MindValue)
	}
	if !res.TotalMindValue.Equal(total) {
		t.Fatalf("total mind value %s, want %s", res.TotalMindValue, total)
	}
	// Alpha bought above price 1 is worth more than it cost, less the price impact: the value of the
	// first buy at the spot price after it exceeds its alpha amount.
	if !res.Positions[2].MindValue.GT(a1) {
		t.Fatalf("alpha %s valued at %s umind at a price above 1", a1, res.Positions[2].MindValue)
	}
	empty, err := f.queries.Positions(f.ctx, &types.QueryPositionsRequest{Coldkey: f.str(f.account("nobody", 0))})
	if err != nil || len(empty.Positions) != 0 || !empty.TotalMindValue.IsZero() {
		t.Fatalf("positions of a stranger = %+v (%v)", empty, err)
	}
	_, err = f.queries.Positions(f.ctx, &types.QueryPositionsRequest{Coldkey: "cosmos1xyz"})
	requireErrorIs(t, err, types.ErrInvalidAddress)
}

func TestUpdatePriceEMAsMovesAverageTowardPrice(t *testing.T) {
	f := newMarket(t, nil)
	two, _ := f.createSubnet("beta")
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	p := f.pool(f.netuid)
	if !p.PriceEma.Equal(math.LegacyOneDec()) {
		t.Fatalf("average moved within the block of the swap: %s", p.PriceEma)
	}
	factor := types.EMAFactor(types.DefaultPriceEMAHalfLife)
	price := p.Price()
	ema := math.LegacyOneDec()
	for i := range 3 {
		if err := f.k.UpdatePriceEMAs(f.ctx); err != nil {
			t.Fatal(err)
		}
		ema = ema.Add(price.Sub(ema).Mul(factor))
		got := f.pool(f.netuid).PriceEma
		if !got.Equal(ema) {
			t.Fatalf("update %d: average %s, want %s", i+1, got, ema)
		}
		if !got.GT(math.LegacyOneDec()) || !got.LT(price) {
			t.Fatalf("update %d: average %s not between 1 and the price %s", i+1, got, price)
		}
	}
	if untouched := f.pool(two); !untouched.PriceEma.Equal(math.LegacyOneDec()) {
		t.Fatalf("a pool at its average moved: %s", untouched.PriceEma)
	}

	// A half-life of one block makes the average the price.
	params, _ := f.k.Params.Get(f.ctx)
	params.PriceEmaHalfLife = 1
	if err := f.k.Params.Set(f.ctx, params); err != nil {
		t.Fatal(err)
	}
	if err := f.k.UpdatePriceEMAs(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.pool(f.netuid).PriceEma; !got.Equal(price) {
		t.Fatalf("average %s with a half-life of 1, want the price %s", got, price)
	}
}

// TestDissolveSubnetPaysOutAlpha fills max_subnets so that a new creation replaces the subnet with the
// lowest emission share, and checks that the replaced subnet's alpha positions get their share of its
// pool's umind, its owner the rest, and that its pool and positions are gone.
func TestDissolveSubnetPaysOutAlpha(t *testing.T) {
	gs := types.DefaultGenesis()
	gs.Params.MaxSubnets = 3
	gs.Params.SubnetImmunityPeriod = 100
	f := newFixture(t, gs)
	f.at(1)
	one, ownerOne := f.createSubnet("one")
	f.at(5)
	two, _ := f.createSubnet("two")
	cold, nominator := f.account("cold", 1_000_000_000_000), f.account("nominator", 1_000_000_000)
	hot := f.account("hot", 0)
	f.mustRegister(cold, hot, one)
	if err := f.addStake(cold, hot, 40_000); err != nil {
		t.Fatal(err)
	}
	aCold := f.mustStakeInto(cold, hot, one, 5_000_000)
	aNom := f.mustStakeInto(nominator, hot, one, 2_000_000)
	aTwo := f.mustStakeInto(cold, hot, two, 1_000_000)
	if err := f.k.SetSubnetEmissionShare(f.ctx, one, 5); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetSubnetEmissionShare(f.ctx, two, 10); err != nil {
		t.Fatal(err)
	}
	f.checkPools()

	p := f.pool(one)
	subnetOne, _ := f.k.GetSubnet(f.ctx, one)
	alphaAll := p.AlphaOutstanding.Add(p.AlphaReserve)
	payCold := p.MindReserve.Mul(aCold).Quo(alphaAll)
	payNom := p.MindReserve.Mul(aNom).Quo(alphaAll)
	rest := p.MindReserve.Sub(payCold).Sub(payNom)
	if !rest.GTE(subnetOne.Lock) {
		t.Fatalf("owner's share %s is below the lock %s", rest, subnetOne.Lock)
	}
	coldBefore, nomBefore, ownerBefore := f.bank.balance(cold), f.bank.balance(nominator), f.bank.balance(ownerOne)

	f.at(200)
	newcomer := f.account("newcomer", 1_000_000_000_000)
	res, err := f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(newcomer), Name: "three"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Netuid != one {
		t.Fatalf("new subnet took netuid %d, want %d", res.Netuid, one)
	}
	if got := f.bank.balance(cold); !got.Equal(coldBefore.Add(payCold)) {
		t.Fatalf("cold got %s, want its share %s", got.Sub(coldBefore), payCold)
	}
	if got := f.bank.balance(nominator); !got.Equal(nomBefore.Add(payNom)) {
		t.Fatalf("nominator got %s, want its share %s", got.Sub(nomBefore), payNom)
	}
	if got := f.bank.balance(ownerOne); !got.Equal(ownerBefore.Add(rest)) {
		t.Fatalf("owner got %s, want the rest %s", got.Sub(ownerBefore), rest)
	}
	if !f.alpha(one, hot, cold).IsZero() || !f.alpha(one, hot, nominator).IsZero() {
		t.Fatal("positions on the dissolved subnet survived it")
	}
	if total, _ := f.k.AlphaTotalOf(f.ctx, one, hot); !total.IsZero() {
		t.Fatalf("alpha total on the dissolved subnet %s", total)
	}
	fresh := f.pool(one)
	if !fresh.MindReserve.Equal(res.Lock) || !fresh.AlphaReserve.Equal(res.Lock) || !fresh.AlphaOutstanding.IsZero() || !fresh.PriceEma.Equal(math.LegacyOneDec()) {
		t.Fatalf("the new subnet's pool %+v, want a fresh one seeded with %s", fresh, res.Lock)
	}
	// The other subnet and root stake are untouched.
	if !f.alpha(two, hot, cold).Equal(aTwo) || !f.rootStake(hot, cold).Equal(math.NewInt(40_000)) {
		t.Fatal("dissolving one subnet touched stake elsewhere")
	}
	pos, err := f.queries.Positions(f.ctx, &types.QueryPositionsRequest{Coldkey: f.str(nominator)})
	if err != nil || len(pos.Positions) != 0 {
		t.Fatalf("nominator positions after the dissolution = %+v (%v)", pos, err)
	}
	f.checkPools()
}

// TestCheckPoolsCatchesBrokenBookkeeping shows that CheckPools is not vacuous: it fails when the lock
// pool, the stake pool or alpha_outstanding drift from the records.
func TestCheckPoolsCatchesBrokenBookkeeping(t *testing.T) {
	f := newMarket(t, nil)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	f.checkPools()

	f.bank.mint(authtypes.NewModuleAddress(types.LockPoolName), 1)
	requireErrorIs(t, f.k.CheckPools(f.ctx), types.ErrPoolInvariantBroken)
	f.bank.balances[string(authtypes.NewModuleAddress(types.LockPoolName))] = f.bank.moduleBalance(types.LockPoolName).SubRaw(1)
	f.checkPools()

	f.bank.mint(authtypes.NewModuleAddress(types.ModuleName), 1)
	requireErrorIs(t, f.k.CheckPools(f.ctx), types.ErrPoolInvariantBroken)
	f.bank.balances[string(authtypes.NewModuleAddress(types.ModuleName))] = f.bank.moduleBalance(types.ModuleName).SubRaw(1)

	p := f.pool(f.netuid)
	p.AlphaOutstanding = p.AlphaOutstanding.AddRaw(1)
	if err := f.k.Pools.Set(f.ctx, f.netuid, p); err != nil {
		t.Fatal(err)
	}
	requireErrorIs(t, f.k.CheckPools(f.ctx), types.ErrPoolInvariantBroken)
}

// A block's emission enters the pool with alpha alongside at the pool's price (rounded down, so the
// price can only rise, by at most one alpha's worth), and counts the epoch's alpha in alpha_emitted;
// the epoch's payouts are new positions counted in alpha_outstanding.
func TestInjectEmissionKeepsPriceAndCreditAlphaCountsPositions(t *testing.T) {
	f := newMarket(t, nil)
	f.mustStakeInto(f.cold, f.hot, f.netuid, buy1)
	before := f.pool(f.netuid)

	f.bank.mint(authtypes.NewModuleAddress(types.LockPoolName), 10_000) // as emission moves it there first
	if err := f.k.InjectEmission(f.ctx, f.netuid, math.NewInt(10_000), math.NewInt(777)); err != nil {
		t.Fatal(err)
	}
	alphaIn := math.LegacyNewDec(10_000).Quo(before.Price()).TruncateInt()
	after := f.pool(f.netuid)
	if !after.MindReserve.Equal(before.MindReserve.AddRaw(10_000)) || !after.AlphaReserve.Equal(before.AlphaReserve.Add(alphaIn)) ||
		!after.AlphaOutstanding.Equal(before.AlphaOutstanding) || !after.AlphaEmitted.Equal(before.AlphaEmitted.AddRaw(777)) {
		t.Fatalf("pool after the injection = %+v", after)
	}
	if after.Price().LT(before.Price()) || after.Price().Sub(before.Price()).GT(math.LegacyNewDecWithPrec(1, 6)) {
		t.Fatalf("price %s after the injection, %s before", after.Price(), before.Price())
	}
	f.checkPools()

	held := f.alpha(f.netuid, f.hot, f.cold)
	owner := f.cold // any address may hold alpha behind itself: the owner's cut does
	credits := []types.StakeCredit{{Hotkey: f.hot, Coldkey: f.cold, Amount: math.NewInt(500)}, {Hotkey: owner, Coldkey: owner, Amount: math.NewInt(277)}}
	if err := f.k.CreditAlpha(f.ctx, f.netuid, credits); err != nil {
		t.Fatal(err)
	}
	if !f.alpha(f.netuid, f.hot, f.cold).Equal(held.AddRaw(500)) || !f.alpha(f.netuid, owner, owner).Equal(math.NewInt(277)) ||
		!f.pool(f.netuid).AlphaOutstanding.Equal(after.AlphaOutstanding.AddRaw(777)) {
		t.Fatalf("after crediting 777 alpha: pool %+v", f.pool(f.netuid))
	}
	f.checkPools()
	requireErrorIs(t, f.k.CreditAlpha(f.ctx, types.RootNetuid, credits), types.ErrNoPool)
	requireErrorIs(t, f.k.CreditAlpha(f.ctx, f.netuid, []types.StakeCredit{{Hotkey: f.hot, Coldkey: f.cold, Amount: math.NewInt(-1)}}), types.ErrInvalidAmount)
}
