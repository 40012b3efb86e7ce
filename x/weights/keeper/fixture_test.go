package keeper_test

import (
	"bytes"
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
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights"
	"github.com/mindnet/mindnet/x/weights/keeper"
	"github.com/mindnet/mindnet/x/weights/types"
)

// fakeSubnets is x/subnet as x/weights sees it (types.SubnetKeeper), with x/subnet's errors for
// missing subnets, hotkeys and neurons. Tests set permits and stake directly, which in the chain come
// from the epoch and from staking.
type fakeSubnets struct {
	subnets map[uint32]subnettypes.Subnet
	neurons map[neuronKey]subnettypes.Neuron
	uids    map[string]uint32 // netuid/hotkey bytes -> uid
	stake   map[string]math.Int
}

func newFakeSubnets() *fakeSubnets {
	return &fakeSubnets{
		subnets: map[uint32]subnettypes.Subnet{},
		neurons: map[neuronKey]subnettypes.Neuron{},
		uids:    map[string]uint32{},
		stake:   map[string]math.Int{},
	}
}

// neuronKey is a comparable (netuid, uid); collections.Pair holds pointers and cannot key a Go map.
type neuronKey struct{ netuid, uid uint32 }

func uidKey(netuid uint32, hotkey sdk.AccAddress) string { return fmt.Sprintf("%d/%s", netuid, hotkey) }

func (f *fakeSubnets) GetSubnet(_ context.Context, netuid uint32) (subnettypes.Subnet, error) {
	s, ok := f.subnets[netuid]
	if !ok {
		return subnettypes.Subnet{}, fmt.Errorf("%w: netuid %d", subnettypes.ErrUnknownSubnet, netuid)
	}
	return s, nil
}

func (f *fakeSubnets) UIDOf(_ context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error) {
	uid, ok := f.uids[uidKey(netuid, hotkey)]
	if !ok {
		return 0, fmt.Errorf("%w: netuid %d", subnettypes.ErrHotkeyNotRegistered, netuid)
	}
	return uid, nil
}

func (f *fakeSubnets) GetNeuron(_ context.Context, netuid, uid uint32) (subnettypes.Neuron, error) {
	n, ok := f.neurons[neuronKey{netuid, uid}]
	if !ok {
		return subnettypes.Neuron{}, fmt.Errorf("%w: %d/%d", subnettypes.ErrUnknownNeuron, netuid, uid)
	}
	return n, nil
}

func (f *fakeSubnets) VoiceOf(_ context.Context, _ uint32, hotkey sdk.AccAddress) (math.Int, error) {
	if s, ok := f.stake[string(hotkey)]; ok {
		return s, nil
	}
	return math.ZeroInt(), nil
}

func (f *fakeSubnets) SetNeuronLastUpdate(_ context.Context, netuid, uid uint32, height int64) error {
	key := neuronKey{netuid, uid}
	n, ok := f.neurons[key]
	if !ok {
		return fmt.Errorf("%w: %d/%d", subnettypes.ErrUnknownNeuron, netuid, uid)
	}
	n.LastUpdate = height
	f.neurons[key] = n
	return nil
}

type fixture struct {
	t       testing.TB
	ctx     sdk.Context
	k       *keeper.Keeper
	subnets *fakeSubnets
	msgs    types.MsgServer
	queries types.QueryServer
	ac      address.Codec
}

// newFixture returns a keeper over a real in-memory store with default genesis, at block height 100.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(weights.AppModule{})
	ac := addresscodec.NewBech32Codec("mind")
	subnets := newFakeSubnets()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ac, subnets)
	f := &fixture{
		t: t, ctx: tctx.Ctx.WithBlockHeight(100), k: k, subnets: subnets,
		msgs: keeper.NewMsgServerImpl(k), queries: keeper.NewQueryServerImpl(k), ac: ac,
	}
	if err := k.InitGenesis(f.ctx, types.DefaultGenesis()); err != nil {
		t.Fatalf("init genesis: %v", err)
	}
	return f
}

func (f *fixture) at(height int64) { f.ctx = f.ctx.WithBlockHeight(height) }

func account(label string) sdk.AccAddress {
	return sdk.AccAddress(fmt.Appendf(nil, "%-20s", label)[:20])
}

func (f *fixture) str(addr sdk.AccAddress) string {
	s, err := f.ac.BytesToString(addr)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// openSubnet makes a subnet of size neurons with commit-reveal off and permissive limits; neuron i has
// hotkey "hk<netuid>-<i>", and change adjusts the hyperparameters.
func (f *fixture) openSubnet(netuid, size uint32, change func(*subnettypes.Hyperparameters)) {
	hp := subnettypes.Hyperparameters{
		MinAllowedWeights: 1,
		MaxWeightLimit:    types.MaxWeight,
		WeightsRateLimit:  0,
		MinValidatorStake: math.NewInt(1000),
	}
	if change != nil {
		change(&hp)
	}
	f.subnets.subnets[netuid] = subnettypes.Subnet{
		Netuid: netuid, Owner: f.str(account("owner")), Hyperparameters: hp, NeuronCount: size,
	}
	for uid := range size {
		hk := f.hotkey(netuid, uid)
		f.subnets.neurons[neuronKey{netuid, uid}] = subnettypes.Neuron{Netuid: netuid, Uid: uid, Hotkey: f.str(hk)}
		f.subnets.uids[uidKey(netuid, hk)] = uid
	}
}

func (f *fixture) hotkey(netuid, uid uint32) sdk.AccAddress {
	return account(fmt.Sprintf("hk%d-%d", netuid, uid))
}

// validator gives the neuron at uid a permit and stake.
func (f *fixture) validator(netuid, uid uint32, stake int64) sdk.AccAddress {
	key := neuronKey{netuid, uid}
	n := f.subnets.neurons[key]
	n.Scores.ValidatorPermit = true
	f.subnets.neurons[key] = n
	hk := f.hotkey(netuid, uid)
	f.subnets.stake[string(hk)] = math.NewInt(stake)
	return hk
}

// makeOwnerNeuron puts the subnet owner's address on uid, with stake but no permit.
func (f *fixture) makeOwnerNeuron(netuid, uid uint32, stake int64) sdk.AccAddress {
	owner := account("owner")
	key := neuronKey{netuid, uid}
	n := f.subnets.neurons[key]
	delete(f.subnets.uids, uidKey(netuid, f.hotkey(netuid, uid)))
	n.Hotkey = f.str(owner)
	f.subnets.neurons[key] = n
	f.subnets.uids[uidKey(netuid, owner)] = uid
	f.subnets.stake[string(owner)] = math.NewInt(stake)
	return owner
}

func (f *fixture) set(hotkey sdk.AccAddress, netuid uint32, uids, ws []uint32, version uint64) error {
	_, err := f.msgs.SetWeights(f.ctx, &types.MsgSetWeights{Hotkey: f.str(hotkey), Netuid: netuid, Uids: uids, Weights: ws, VersionKey: version})
	return err
}

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

// Commit-reveal subnets in these tests have tempo 10 and commit_reveal_period 1. On netuid 1 the tempo
// index of block h is (h+12)/11, so blocks 98..108 form tempo 10 and a commit made at block 100 is
// revealed in blocks 109..119 (tempo 11); from block 120 on it has expired.
const (
	crTempo        = 10
	crWindowStart  = 109
	crWindowEnd    = 119
	crCommitHeight = 100
)

// openCRSubnet makes a subnet with commit-reveal on, tempo 10 and commit_reveal_period 1.
func (f *fixture) openCRSubnet(netuid, size uint32, change func(*subnettypes.Hyperparameters)) {
	f.openSubnet(netuid, size, func(h *subnettypes.Hyperparameters) {
		h.CommitRevealEnabled = true
		h.Tempo = crTempo
		h.CommitRevealPeriod = 1
		if change != nil {
			change(h)
		}
	})
}

// salt returns a distinct 16-byte salt for each n.
func salt(n byte) []byte { return bytes.Repeat([]byte{n}, 16) }

func (f *fixture) commit(hotkey sdk.AccAddress, netuid uint32, uids, ws []uint32, s []byte, version uint64) (*types.MsgCommitWeightsResponse, error) {
	hash := types.CommitHash(f.str(hotkey), netuid, uids, ws, s, version)
	return f.msgs.CommitWeights(f.ctx, &types.MsgCommitWeights{Hotkey: f.str(hotkey), Netuid: netuid, CommitHash: hash})
}

func (f *fixture) reveal(hotkey sdk.AccAddress, netuid uint32, uids, ws []uint32, s []byte, version uint64) (*types.MsgRevealWeightsResponse, error) {
	return f.msgs.RevealWeights(f.ctx, &types.MsgRevealWeights{Hotkey: f.str(hotkey), Netuid: netuid, Uids: uids, Weights: ws, Salt: s, VersionKey: version})
}

// events returns the attributes of every event of type typ emitted so far, in order.
func (f *fixture) events(typ string) []map[string]string {
	var out []map[string]string
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type != typ {
			continue
		}
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		out = append(out, attrs)
	}
	return out
}

// replaceNeuron hands (netuid, uid) to a new hotkey registered at height, as x/subnet does when a
// registration prunes the old holder, hook included.
func (f *fixture) replaceNeuron(netuid, uid uint32, newHotkey sdk.AccAddress, height int64) {
	f.t.Helper()
	key := neuronKey{netuid, uid}
	old := f.subnets.neurons[key]
	oldHotkey, err := f.ac.StringToBytes(old.Hotkey)
	if err != nil {
		f.t.Fatal(err)
	}
	delete(f.subnets.uids, uidKey(netuid, oldHotkey))
	f.subnets.neurons[key] = subnettypes.Neuron{Netuid: netuid, Uid: uid, Hotkey: f.str(newHotkey), RegisteredAt: height, LastUpdate: height}
	f.subnets.uids[uidKey(netuid, newHotkey)] = uid
	if err := f.k.Hooks().AfterNeuronReplaced(f.ctx, netuid, uid, old.Hotkey, f.str(newHotkey)); err != nil {
		f.t.Fatal(err)
	}
}
