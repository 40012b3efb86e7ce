package keeper_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"cosmossdk.io/core/address"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/cosmos/cosmos-sdk/codec"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/store/v2"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/emission"
	"github.com/mindnet/mindnet/x/emission/keeper"
	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/subnet"
	subnetkeeper "github.com/mindnet/mindnet/x/subnet/keeper"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

const denom = "umind"

// feeCollector is the fee collector's module account name (x/auth's).
const feeCollector = authtypes.FeeCollectorName

// fakeBank is x/bank's rules for the calls x/emission and x/subnet make: sends fail whole when the
// sender is short, only x/emission may mint, only x/emission and x/subnet may burn. It tracks supply.
type fakeBank struct {
	balances map[string]math.Int
	supply   math.Int
	blocked  map[string]bool
}

func newFakeBank() *fakeBank {
	return &fakeBank{balances: map[string]math.Int{}, supply: math.ZeroInt(), blocked: map[string]bool{}}
}

func (b *fakeBank) balance(addr sdk.AccAddress) math.Int {
	if v, ok := b.balances[string(addr)]; ok {
		return v
	}
	return math.ZeroInt()
}

func (b *fakeBank) moduleBalance(name string) math.Int {
	return b.balance(authtypes.NewModuleAddress(name))
}

func (b *fakeBank) fund(addr sdk.AccAddress, amount int64) {
	b.balances[string(addr)] = b.balance(addr).AddRaw(amount)
	b.supply = b.supply.AddRaw(amount)
}

func (b *fakeBank) move(from, to sdk.AccAddress, amt sdk.Coins) error {
	a := amt.AmountOf(denom)
	if b.balance(from).LT(a) {
		return fmt.Errorf("%w: %s < %s", sdkerrors.ErrInsufficientFunds, b.balance(from), a)
	}
	b.balances[string(from)] = b.balance(from).Sub(a)
	b.balances[string(to)] = b.balance(to).Add(a)
	return nil
}

func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error {
	return b.move(from, authtypes.NewModuleAddress(module), amt)
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error {
	if b.blocked[string(to)] {
		return fmt.Errorf("%w: %s may not receive funds", sdkerrors.ErrUnauthorized, to)
	}
	return b.move(authtypes.NewModuleAddress(module), to, amt)
}

func (b *fakeBank) SendCoinsFromModuleToModule(_ context.Context, from, to string, amt sdk.Coins) error {
	return b.move(authtypes.NewModuleAddress(from), authtypes.NewModuleAddress(to), amt)
}

func (b *fakeBank) MintCoins(_ context.Context, module string, amt sdk.Coins) error {
	if module != types.ModuleName {
		return fmt.Errorf("module %s has no minter permission", module)
	}
	b.fund(authtypes.NewModuleAddress(module), amt.AmountOf(denom).Int64())
	return nil
}

func (b *fakeBank) BurnCoins(_ context.Context, module string, amt sdk.Coins) error {
	if module != types.ModuleName && module != subnettypes.ModuleName {
		return fmt.Errorf("module %s has no burner permission", module)
	}
	mod := authtypes.NewModuleAddress(module)
	a := amt.AmountOf(denom)
	if b.balance(mod).LT(a) {
		return sdkerrors.ErrInsufficientFunds
	}
	b.balances[string(mod)] = b.balance(mod).Sub(a)
	b.supply = b.supply.Sub(a)
	return nil
}

func (b *fakeBank) GetBalance(_ context.Context, addr sdk.AccAddress, d string) sdk.Coin {
	return sdk.NewCoin(d, b.balance(addr))
}

// fakeWeights stands in for x/weights: rows as x/weights stores them (largest entry 65535), set
// directly by tests; setting a row moves the setter's last_update as x/weights does.
type fakeWeights struct {
	rows    map[uint32]map[uint32]weightstypes.WeightRow
	subnets *subnetkeeper.Keeper
}

func (w *fakeWeights) IterateRows(_ context.Context, netuid uint32, fn func(uint32, weightstypes.WeightRow) (bool, error)) error {
	rows := w.rows[netuid]
	uids := make([]uint32, 0, len(rows))
	for uid := range rows {
		uids = append(uids, uid)
	}
	slices.Sort(uids)
	for _, uid := range uids {
		stop, err := fn(uid, rows[uid])
		if err != nil || stop {
			return err
		}
	}
	return nil
}

type fixture struct {
	t         testing.TB
	ctx       sdk.Context
	k         *keeper.Keeper
	sk        *subnetkeeper.Keeper
	bank      *fakeBank
	weights   *fakeWeights
	msgs      types.MsgServer
	queries   types.QueryServer
	smsgs     subnettypes.MsgServer
	ac        address.Codec
	cdc       codec.Codec
	authority string
}

// testHyperparameters make subnets quick to exercise: a short tempo, cheap registration, many
// registrations per block, plain set-weights.
func testHyperparameters(h *subnettypes.Hyperparameters) {
	h.Tempo = 9
	h.MinBurn = math.NewInt(1)
	h.MaxRegistrationsPerBlock = 64
	h.TargetRegistrationsPerInterval = 64
	h.CommitRevealEnabled = false
	h.MaxAllowedUids = 64
	h.ImmunityPeriod = 0
	h.WeightsRateLimit = 0
}

// newFixture returns x/emission over real x/subnet state, both on an in-memory IAVL store, at block
// height 1. edit may change either genesis before init.
func newFixture(t testing.TB, edit func(*subnettypes.GenesisState, *types.GenesisState)) *fixture {
	t.Helper()
	return newFixtureOpts(t, nil, edit)
}

// newFixtureOpts is newFixture with the bank prepared by prep before genesis (for imports, whose module
// accounts must already hold their coins).
func newFixtureOpts(t testing.TB, prep func(*fakeBank), edit func(*subnettypes.GenesisState, *types.GenesisState)) *fixture {
	t.Helper()
	skey := storetypes.NewKVStoreKey(subnettypes.StoreKey)
	ekey := storetypes.NewKVStoreKey(types.StoreKey)
	// Each store gets its own prefix of one database (a nil db when mounting), so the multistore can
	// commit: the benchmark reads committed IAVL trees, as a node does.
	cms := store.NewCommitMultiStore(dbm.NewMemDB(), log.NewNopLogger())
	cms.MountStoreWithDB(skey, storetypes.StoreTypeIAVL, nil)
	cms.MountStoreWithDB(ekey, storetypes.StoreTypeIAVL, nil)
	if err := cms.LoadLatestVersion(); err != nil {
		t.Fatal(err)
	}
	ctx := sdk.NewContext(cms, cmtproto.Header{}, false, log.NewNopLogger())
	enc := moduletestutil.MakeTestEncodingConfig(subnet.AppModule{}, emission.AppModule{})
	ac := addresscodec.NewBech32Codec("mind")
	authority, err := ac.BytesToString(authtypes.NewModuleAddress("gov"))
	if err != nil {
		t.Fatal(err)
	}
	bank := newFakeBank()
	if prep != nil {
		prep(bank)
	}
	sk := subnetkeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(skey), ac, bank, denom, authority)
	weights := &fakeWeights{rows: map[uint32]map[uint32]weightstypes.WeightRow{}, subnets: sk}
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(ekey), ac, bank, sk, weights,
		denom, feeCollector, subnettypes.ModuleName, authority)
	sk.SetHooks(k.Hooks())
	f := &fixture{
		t: t, ctx: ctx.WithBlockHeight(1), k: k, sk: sk, bank: bank, weights: weights,
		msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k),
		smsgs: subnetkeeper.NewMsgServerImpl(sk), ac: ac, cdc: enc.Codec, authority: authority,
	}
	sgs, egs := subnettypes.DefaultGenesis(), types.DefaultGenesis()
	testHyperparameters(&sgs.Params.DefaultHyperparameters)
	sgs.Params.MinSubnetLock = math.NewInt(1)
	if edit != nil {
		edit(sgs, egs)
	}
	if err := sk.InitGenesis(f.ctx, sgs); err != nil {
		t.Fatalf("init x/subnet genesis: %v", err)
	}
	if err := k.InitGenesis(f.ctx, egs); err != nil {
		t.Fatalf("init x/emission genesis: %v", err)
	}
	return f
}

func (f *fixture) height() int64 { return f.ctx.BlockHeight() }

// nextBlock moves to the next height and runs the pools' price averages (x/subnet's begin-blocker)
// and x/emission's begin- and end-blocker there, then checks the ledger and the pools.
func (f *fixture) nextBlock() {
	f.t.Helper()
	f.ctx = f.ctx.WithBlockHeight(f.height() + 1).WithEventManager(sdk.NewEventManager())
	if err := f.sk.UpdatePriceEMAs(f.ctx); err != nil {
		f.t.Fatalf("price averages at block %d: %v", f.height(), err)
	}
	if err := f.k.BeginBlock(f.ctx); err != nil {
		f.t.Fatalf("begin block %d: %v", f.height(), err)
	}
	if err := f.k.EndBlock(f.ctx); err != nil {
		f.t.Fatalf("end block %d: %v", f.height(), err)
	}
	if err := f.k.CheckLedger(f.ctx); err != nil {
		f.t.Fatalf("block %d: %v", f.height(), err)
	}
	if err := f.sk.CheckPools(f.ctx); err != nil {
		f.t.Fatalf("block %d: %v", f.height(), err)
	}
}

// runTo runs blocks until height h.
func (f *fixture) runTo(h int64) {
	f.t.Helper()
	for f.height() < h {
		f.nextBlock()
	}
}

// runToEpoch runs blocks up to and including netuid's next epoch block.
func (f *fixture) runToEpoch(netuid uint32) {
	f.t.Helper()
	s, err := f.sk.GetSubnet(f.ctx, netuid)
	if err != nil {
		f.t.Fatal(err)
	}
	f.runTo(int64(subnettypes.NextEpochBlock(netuid, s.Hyperparameters.Tempo, uint64(f.height()+1))))
}

// account returns a deterministic address for a label, funded with balance umind.
func (f *fixture) account(label string, balance int64) sdk.AccAddress {
	addr := sdk.AccAddress(fmt.Appendf(nil, "%-20s", label)[:20])
	if balance > 0 {
		f.bank.fund(addr, balance)
	}
	return addr
}

func (f *fixture) str(addr sdk.AccAddress) string {
	s, err := f.ac.BytesToString(addr)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// createSubnet opens a subnet for a fresh, funded owner and returns its netuid and owner.
func (f *fixture) createSubnet(label string) (uint32, sdk.AccAddress) {
	f.t.Helper()
	owner := f.account(label, 1_000_000_000)
	res, err := f.smsgs.CreateSubnet(f.ctx, &subnettypes.MsgCreateSubnet{Owner: f.str(owner), Name: label})
	if err != nil {
		f.t.Fatalf("create subnet: %v", err)
	}
	return res.Netuid, owner
}

// neuron registers a hotkey owned by a fresh coldkey on netuid and stakes stake umind behind it from
// that coldkey. It returns hotkey, coldkey and UID.
func (f *fixture) neuron(netuid uint32, label string, stake int64) (sdk.AccAddress, sdk.AccAddress, uint32) {
	f.t.Helper()
	coldkey := f.account("cold-"+label, stake+1_000_000)
	hotkey := f.account("hot-"+label, 0)
	res, err := f.smsgs.RegisterNeuron(f.ctx, &subnettypes.MsgRegisterNeuron{Coldkey: f.str(coldkey), Hotkey: f.str(hotkey), Netuid: netuid})
	if err != nil {
		f.t.Fatalf("register %s: %v", label, err)
	}
	if stake > 0 {
		f.stake(coldkey, hotkey, stake)
	}
	return hotkey, coldkey, res.Uid
}

func (f *fixture) stake(coldkey, hotkey sdk.AccAddress, amount int64) {
	f.t.Helper()
	if err := f.sk.AddStake(f.ctx, coldkey, hotkey, math.NewInt(amount)); err != nil {
		f.t.Fatalf("add stake: %v", err)
	}
}

func (f *fixture) stakeOf(hotkey, coldkey sdk.AccAddress) math.Int {
	f.t.Helper()
	v, err := f.sk.StakeOf(f.ctx, hotkey, coldkey)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// setWeights stores uid's row on netuid as x/weights would: scaled so the largest weight is 65535, at
// this block.
func (f *fixture) setWeights(netuid, uid uint32, targets, weights []uint32) {
	f.t.Helper()
	top := slices.Max(weights)
	row := weightstypes.WeightRow{Netuid: netuid, Uid: uid, SetAt: f.height()}
	order := make([]int, len(targets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(targets[a]) - int(targets[b]) })
	for _, i := range order {
		if weights[i] == 0 {
			continue
		}
		row.Uids = append(row.Uids, targets[i])
		row.Weights = append(row.Weights, uint32(uint64(weights[i])*65535/uint64(top)))
	}
	if f.weights.rows[netuid] == nil {
		f.weights.rows[netuid] = map[uint32]weightstypes.WeightRow{}
	}
	f.weights.rows[netuid][uid] = row
	if err := f.sk.SetNeuronLastUpdate(f.ctx, netuid, uid, f.height()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) neuronAt(netuid, uid uint32) subnettypes.Neuron {
	f.t.Helper()
	n, err := f.sk.GetNeuron(f.ctx, netuid, uid)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// alphaOf is the alpha coldkey holds behind hotkey on netuid.
func (f *fixture) alphaOf(netuid uint32, hotkey, coldkey sdk.AccAddress) math.Int {
	f.t.Helper()
	v, err := f.sk.AlphaStakeOf(f.ctx, netuid, hotkey, coldkey)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// pool is netuid's pool.
func (f *fixture) pool(netuid uint32) subnettypes.Pool {
	f.t.Helper()
	p, err := f.sk.GetPool(f.ctx, netuid)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) pending(netuid uint32) math.Int {
	f.t.Helper()
	v, err := f.k.PendingOf(f.ctx, netuid)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func (f *fixture) ledger() types.Ledger {
	f.t.Helper()
	l, err := f.k.Ledger.Get(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

func (f *fixture) params() types.Params {
	f.t.Helper()
	p, err := f.k.Params.Get(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// stakePoolBalanced checks x/subnet's own invariant: its module account holds the sum of stake.
func (f *fixture) stakePoolBalanced() {
	f.t.Helper()
	total := math.ZeroInt()
	err := f.sk.TotalStake.Walk(f.ctx, nil, func(_ sdk.AccAddress, v math.Int) (bool, error) {
		total = total.Add(v)
		return false, nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if got := f.bank.moduleBalance(subnettypes.ModuleName); !got.Equal(total) {
		f.t.Fatalf("stake pool holds %s, stake records sum to %s", got, total)
	}
}

func requireEqualInt(t testing.TB, what string, got math.Int, want int64) {
	t.Helper()
	if !got.Equal(math.NewInt(want)) {
		t.Fatalf("%s: got %s, want %d", what, got, want)
	}
}

func (f *fixture) subnetTempo(netuid uint32) uint64 {
	f.t.Helper()
	s, err := f.sk.GetSubnet(f.ctx, netuid)
	if err != nil {
		f.t.Fatal(err)
	}
	return s.Hyperparameters.Tempo
}
