package keeper_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func otherModel() types.SubnetModel {
	return types.SubnetModel{
		Name:          "HuggingFaceTB/SmolLM2-135M",
		Digest:        strings.Repeat("5e", 32),
		Precisions:    []string{types.PrecisionFloat32, types.PrecisionHalf},
		ContextLength: 8192,
	}
}

func (f *fixture) model(netuid uint32) types.SubnetModel {
	f.t.Helper()
	s, err := f.k.GetSubnet(f.ctx, netuid)
	if err != nil {
		f.t.Fatal(err)
	}
	return s.Model
}

func TestCreateSubnetRecordsItsModel(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("default")
	if got := f.model(netuid); !sameModel(got, types.DefaultModel()) {
		t.Fatalf("subnet created without a model serves %+v, want the built-in %+v", got, types.DefaultModel())
	}
	if got := f.model(types.RootNetuid); !got.IsEmpty() {
		t.Fatalf("root subnet serves %+v, want no model", got)
	}

	owner := f.account("chooser", 1_000_000_000_000)
	m := otherModel()
	res, err := f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(owner), Name: "chosen", Model: &m})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.model(res.Netuid); !sameModel(got, m) {
		t.Fatalf("subnet serves %+v, want %+v", got, m)
	}

	// A bad model refuses the whole creation: no subnet, no lock taken.
	before := f.exported()
	balance := f.bank.balance(owner)
	bad := otherModel()
	bad.Precisions = []string{"int8"}
	_, err = f.msgs.CreateSubnet(f.ctx, &types.MsgCreateSubnet{Owner: f.str(owner), Name: "bad", Model: &bad})
	requireErrorIs(t, err, types.ErrInvalidPrecision)
	if !exportEqual(before, f.exported()) || !f.bank.balance(owner).Equal(balance) {
		t.Fatal("a refused creation changed state")
	}
}

// TestSetSubnetModelTakesEffectAtTheNextEpoch walks block by block through a tempo: the model changes
// at the end of the subnet's first epoch block after the request, not before.
func TestSetSubnetModelTakesEffectAtTheNextEpoch(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.Tempo = 10 })
	// netuid 1, tempo 10: epochs at blocks b with (b + 2) % 11 == 0, that is 9, 20, 31, ...
	f.at(12)
	m := otherModel()
	res, err := f.msgs.SetSubnetModel(f.ctx, &types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: m})
	if err != nil {
		t.Fatal(err)
	}
	if res.EffectiveBlock != 20 {
		t.Fatalf("effective block %d, want 20", res.EffectiveBlock)
	}
	q, err := f.queries.Model(f.ctx, &types.QueryModelRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	if !sameModel(q.Model, types.DefaultModel()) || q.Pending == nil || !sameModel(*q.Pending, m) || q.EffectiveBlock != 20 {
		t.Fatalf("model query = %+v, want the built-in model with %s pending until 20", q, m.Name)
	}
	for h := int64(12); h < 20; h++ {
		f.at(h)
		if err := f.k.ApplyPendingModels(f.ctx); err != nil {
			t.Fatal(err)
		}
		if !sameModel(f.model(netuid), types.DefaultModel()) {
			t.Fatalf("model changed at block %d, before the epoch at 20", h)
		}
	}
	f.at(20)
	if err := f.k.ApplyPendingModels(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.model(netuid); !sameModel(got, m) {
		t.Fatalf("after the epoch the subnet serves %+v, want %+v", got, m)
	}
	q, err = f.queries.Model(f.ctx, &types.QueryModelRequest{Netuid: netuid})
	if err != nil || !sameModel(q.Model, m) || q.Pending != nil || q.EffectiveBlock != 0 {
		t.Fatalf("model query after the change = %+v, %v", q, err)
	}
	meta, err := f.queries.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: netuid})
	if err != nil || !sameModel(meta.Model, m) {
		t.Fatalf("metagraph model = %+v, %v", meta.Model, err)
	}
}

// A request sent in an epoch block waits for the next epoch: the one running at the end of that
// block closes a tempo that was scored against the old model.
func TestSetSubnetModelInAnEpochBlockWaitsAWholeTempo(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.Tempo = 10 })
	f.at(20)
	first := otherModel()
	res, err := f.msgs.SetSubnetModel(f.ctx, &types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: first})
	if err != nil || res.EffectiveBlock != 31 {
		t.Fatalf("effective block %v (%v), want 31", res, err)
	}
	if err := f.k.ApplyPendingModels(f.ctx); err != nil {
		t.Fatal(err)
	}
	if !sameModel(f.model(netuid), types.DefaultModel()) {
		t.Fatal("a request in the epoch block took effect in the same block")
	}
	// A second request before the epoch replaces the first.
	f.at(25)
	second := otherModel()
	second.Name, second.Precisions = "second", []string{types.PrecisionHalf}
	if _, err := f.msgs.SetSubnetModel(f.ctx, &types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: second}); err != nil {
		t.Fatal(err)
	}
	f.at(31)
	if err := f.k.ApplyPendingModels(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.model(netuid); !sameModel(got, second) {
		t.Fatalf("subnet serves %+v, want the second request %+v", got, second)
	}
}

func TestSetSubnetModelRefusalsChangeNothing(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	stranger := f.account("stranger", 1)
	good := otherModel()
	with := func(change func(*types.SubnetModel)) types.SubnetModel {
		m := otherModel()
		change(&m)
		return m
	}
	cases := []struct {
		name   string
		msg    types.MsgSetSubnetModel
		reason error
	}{
		{"not the owner", types.MsgSetSubnetModel{Owner: f.str(stranger), Netuid: netuid, Model: good}, types.ErrNotSubnetOwner},
		{"governance is not the owner either", types.MsgSetSubnetModel{Owner: f.authority, Netuid: netuid, Model: good}, types.ErrNotSubnetOwner},
		{"root subnet", types.MsgSetSubnetModel{Owner: f.authority, Netuid: types.RootNetuid, Model: good}, types.ErrRootSubnet},
		{"unknown subnet", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: 9, Model: good}, types.ErrUnknownSubnet},
		{"bad owner address", types.MsgSetSubnetModel{Owner: "mind1nope", Netuid: netuid, Model: good}, types.ErrInvalidAddress},
		{"empty name", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.Name = "" })}, types.ErrInvalidModelName},
		{"name too long", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.Name = strings.Repeat("n", 129) })}, types.ErrInvalidModelName},
		{"upper-case digest", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.Digest = strings.ToUpper(m.Digest) })}, types.ErrInvalidModelDigest},
		{"short digest", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.Digest = m.Digest[:40] })}, types.ErrInvalidModelDigest},
		{"unknown precision", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.Precisions = []string{"bfloat16"} })}, types.ErrInvalidPrecision},
		{"no precision", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.Precisions = nil })}, types.ErrInvalidPrecision},
		{"zero context", types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: with(func(m *types.SubnetModel) { m.ContextLength = 0 })}, types.ErrInvalidContextLength},
	}
	for _, c := range cases {
		before := f.exported()
		_, err := f.msgs.SetSubnetModel(f.ctx, &c.msg)
		if err == nil {
			t.Fatalf("%s: accepted", c.name)
		}
		requireErrorIs(t, err, c.reason)
		if !exportEqual(before, f.exported()) {
			t.Fatalf("%s: refused request changed state", c.name)
		}
	}
}

func TestModelQueryStatusCodes(t *testing.T) {
	f := newFixture(t, nil)
	if _, err := f.queries.Model(f.ctx, nil); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("nil request: %v, want InvalidArgument", err)
	}
	if _, err := f.queries.Model(f.ctx, &types.QueryModelRequest{Netuid: 7}); status.Code(err) != codes.NotFound {
		t.Fatalf("unknown netuid: %v, want NotFound", err)
	}
}

// TestGenesisRoundTripKeepsModelsAndPendingChanges exports a subnet with a chosen model and a pending
// change, imports it into a fresh store, and checks that the change still lands at the same epoch.
func TestGenesisRoundTripKeepsModelsAndPendingChanges(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.Tempo = 10 })
	f.at(12)
	m := otherModel()
	if _, err := f.msgs.SetSubnetModel(f.ctx, &types.MsgSetSubnetModel{Owner: f.str(owner), Netuid: netuid, Model: m}); err != nil {
		t.Fatal(err)
	}
	exported := f.exported()
	if len(exported.PendingModels) != 1 || exported.PendingModels[0].RequestedAt != 12 {
		t.Fatalf("export missed the pending model: %+v", exported.PendingModels)
	}
	g := newFixture(t, exported)
	g.at(12)
	if again := g.exported(); !exportEqual(exported, again) {
		t.Fatalf("round trip changed state:\n%+v\n%+v", exported, again)
	}
	g.at(20)
	if err := g.k.ApplyPendingModels(g.ctx); err != nil {
		t.Fatal(err)
	}
	if got := g.model(netuid); !sameModel(got, m) {
		t.Fatalf("imported pending change gave %+v, want %+v", got, m)
	}
}

func TestGenesisGivesSubnetsWithoutAModelTheDefault(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	gs := f.exported()
	for i := range gs.Subnets {
		gs.Subnets[i].Model = types.SubnetModel{}
	}
	g := newFixture(t, gs)
	if got := g.model(netuid); !sameModel(got, types.DefaultModel()) {
		t.Fatalf("subnet without a model in genesis serves %+v", got)
	}
	if got := g.model(types.RootNetuid); !got.IsEmpty() {
		t.Fatalf("root got a model: %+v", got)
	}

	for name, change := range map[string]func(*types.GenesisState){
		"bad subnet model": func(gs *types.GenesisState) { gs.Subnets[1].Model = types.SubnetModel{Name: "x"} },
		"pending on root": func(gs *types.GenesisState) {
			gs.PendingModels = []types.PendingSubnetModel{{Netuid: types.RootNetuid, Model: otherModel()}}
		},
		"pending on unknown subnet": func(gs *types.GenesisState) {
			gs.PendingModels = []types.PendingSubnetModel{{Netuid: 5, Model: otherModel()}}
		},
		"pending twice": func(gs *types.GenesisState) {
			p := types.PendingSubnetModel{Netuid: netuid, Model: otherModel()}
			gs.PendingModels = []types.PendingSubnetModel{p, p}
		},
		"bad pending model": func(gs *types.GenesisState) {
			gs.PendingModels = []types.PendingSubnetModel{{Netuid: netuid, Model: types.SubnetModel{Name: "x"}}}
		},
	} {
		gs := f.exported()
		change(gs)
		if err := gs.Validate(); err == nil {
			t.Fatalf("%s: genesis accepted", name)
		} else {
			requireErrorIs(t, err, types.ErrInvalidGenesis)
		}
	}
}

func sameModel(a, b types.SubnetModel) bool { return a.Equal(&b) }
