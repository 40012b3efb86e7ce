package keeper_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/subnet"
	"github.com/mindnet/mindnet/x/subnet/keeper"
	"github.com/mindnet/mindnet/x/subnet/types"
)

const denom = "umind"

// fakeBank is a bank with x/bank's rules for the calls x/subnet makes: sends fail whole when the
// sender is short, and only the subnet module account may burn.
type fakeBank struct {
	balances map[string]math.Int
	burned   math.Int
}

func newFakeBank() *fakeBank {
	return &fakeBank{balances: map[string]math.Int{}, burned: math.ZeroInt()}
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

func (b *fakeBank) mint(addr sdk.AccAddress, amount int64) {
	b.balances[string(addr)] = b.balance(addr).AddRaw(amount)
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
	return b.move(authtypes.NewModuleAddress(module), to, amt)
}

func (b *fakeBank) SendCoinsFromModuleToModule(_ context.Context, from, to string, amt sdk.Coins) error {
	return b.move(authtypes.NewModuleAddress(from), authtypes.NewModuleAddress(to), amt)
}

func (b *fakeBank) GetBalance(_ context.Context, addr sdk.AccAddress, d string) sdk.Coin {
	return sdk.NewCoin(d, b.balance(addr))
}

func (b *fakeBank) BurnCoins(_ context.Context, module string, amt sdk.Coins) error {
	if module != types.ModuleName {
		return fmt.Errorf("module %s has no burner permission", module)
	}
	mod := authtypes.NewModuleAddress(module)
	a := amt.AmountOf(denom)
	if b.balance(mod).LT(a) {
		return sdkerrors.ErrInsufficientFunds
	}
	b.balances[string(mod)] = b.balance(mod).Sub(a)
	b.burned = b.burned.Add(a)
	return nil
}

type fixture struct {
	t         testing.TB
	ctx       sdk.Context
	k         *keeper.Keeper
	bank      *fakeBank
	msgs      types.MsgServer
	queries   types.QueryServer
	ac        address.Codec
	authority string
}

// newFixture returns a keeper over a real in-memory IAVL store, initialised from genesis gs (the
// default genesis when nil), at block height 1.
func newFixture(t testing.TB, gs *types.GenesisState) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(subnet.AppModule{})
	ac := addresscodec.NewBech32Codec("mind")
	authority, err := ac.BytesToString(authtypes.NewModuleAddress("gov"))
	if err != nil {
		t.Fatal(err)
	}
	bank := newFakeBank()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ac, bank, denom, authority)
	f := &fixture{
		t: t, ctx: tctx.Ctx.WithBlockHeight(1), k: k, bank: bank,
		msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k), ac: ac, authority: authority,
	}
	if gs == nil {
		gs = types.DefaultGenesis()
	}
	if err := k.InitGenesis(f.ctx, gs); err != nil {
		t.Fatalf("init genesis: %v", err)
	}
	return f
}

func (f *fixture) at(height int64) { f.ctx = f.ctx.WithBlockHeight(height) }

// account returns a deterministic address for a label, funded with balance umind.
func (f *fixture) account(label string, balance int64) sdk.AccAddress {
	addr := sdk.AccAddress(fmt.Appendf(nil, "%-20s", label)[:20])
	if balance > 0 {
		f.bank.mint(addr, balance)
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

// createSubnet opens a subnet for a fresh, funded owner and returns its netuid.
func (f *fixture) createSubnet(label string) (uint32, sdk.AccAddress) {
	f.t.Helper()
	owner := f.account(label, 1_000_000_000_000)
	res, err := f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(owner), Name: label})
	if err != nil {
		f.t.Fatalf("create subnet: %v", err)
	}
	return res.Netuid, owner
}

// setHyper lets governance change a subnet's hyperparameters through the message server.
func (f *fixture) setHyper(netuid uint32, change func(*types.Hyperparameters)) {
	f.t.Helper()
	h, err := f.k.Hyperparameters(f.ctx, netuid)
	if err != nil {
		f.t.Fatal(err)
	}
	change(&h)
	if _, err := f.msgs.SetHyperparameters(f.ctx, &types.MsgSetHyperparameters{Authority: f.authority, Netuid: netuid, Hyperparameters: h}); err != nil {
		f.t.Fatalf("set hyperparameters: %v", err)
	}
}

func (f *fixture) register(coldkey, hotkey sdk.AccAddress, netuid uint32) (uint32, error) {
	res, err := f.msgs.RegisterNeuron(f.ctx, &types.MsgRegisterNeuron{Coldkey: f.str(coldkey), Hotkey: f.str(hotkey), Netuid: netuid})
	if err != nil {
		return 0, err
	}
	return res.Uid, nil
}

func (f *fixture) mustRegister(coldkey, hotkey sdk.AccAddress, netuid uint32) uint32 {
	f.t.Helper()
	uid, err := f.register(coldkey, hotkey, netuid)
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	return uid
}

// exported is the whole module state, for "nothing changed" checks.
func (f *fixture) exported() *types.GenesisState {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return gs
}

func requireErrorIs(t testing.TB, err, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
