package keeper_test

import (
	"reflect"
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

func TestSetWeightsStoresNormalisedSortedSparseRow(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 8, nil)
	hk := f.validator(1, 2, 5000)

	res, err := f.msgs.SetWeights(f.ctx, &types.MsgSetWeights{
		Hotkey: f.str(hk), Netuid: 1, Uids: []uint32{7, 0, 3, 5}, Weights: []uint32{10, 40, 0, 20},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Uid != 2 {
		t.Fatalf("uid %d, want 2", res.Uid)
	}
	row, ok, err := f.k.GetRow(f.ctx, 1, 2)
	if err != nil || !ok {
		t.Fatalf("row: %v %v", ok, err)
	}
	// Zero dropped, sorted by UID, largest (40) scaled to 65535; 10 -> round(16383.75), 20 -> 32767.5 rounds up.
	want := types.WeightRow{Netuid: 1, Uid: 2, Uids: []uint32{0, 5, 7}, Weights: []uint32{65535, 32768, 16384}, SetAt: 100}
	if !row.Equal(want) {
		t.Fatalf("row %v, want %v", row, want)
	}
	if err := row.ValidateStored(); err != nil {
		t.Fatal(err)
	}
	if got := f.subnets.neurons[neuronKey{1, 2}].LastUpdate; got != 100 {
		t.Fatalf("last_update %d, want 100", got)
	}
	var found bool
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type != types.EventTypeWeightsSet {
			continue
		}
		found = true
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		if attrs[types.AttributeKeyUID] != "2" || attrs[types.AttributeKeyEntries] != "3" || attrs[types.AttributeKeyHotkey] != f.str(hk) {
			t.Fatalf("event attributes %v", attrs)
		}
	}
	if !found {
		t.Fatal("no weights_set event")
	}
}

func TestSetWeightsReplacesRow(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 4, nil)
	hk := f.validator(1, 0, 5000)
	if err := f.set(hk, 1, []uint32{1, 2}, []uint32{1, 1}, 0); err != nil {
		t.Fatal(err)
	}
	f.at(101)
	if err := f.set(hk, 1, []uint32{3}, []uint32{9}, 0); err != nil {
		t.Fatal(err)
	}
	row, _, _ := f.k.GetRow(f.ctx, 1, 0)
	if !reflect.DeepEqual(row.Uids, []uint32{3}) || row.SetAt != 101 {
		t.Fatalf("row %v", row)
	}
}

// TestSetWeightsRefusals covers every rule of the issue: each refusal is its named error and changes
// nothing, neither the weights store nor the neuron's last_update.
func TestSetWeightsRefusals(t *testing.T) {
	type setup func(f *fixture)
	cases := []struct {
		name    string
		setup   setup
		hotkey  func(f *fixture) string
		netuid  uint32
		uids    []uint32
		weights []uint32
		version uint64
		want    error
	}{
		{name: "bad address", hotkey: func(*fixture) string { return "mind1notanaddress" }, netuid: 1, uids: []uint32{1}, weights: []uint32{1}, want: types.ErrInvalidAddress},
		{name: "unknown subnet", netuid: 9, uids: []uint32{1}, weights: []uint32{1}, want: types.ErrUnknownSubnet},
		{name: "commit-reveal on", setup: func(f *fixture) {
			f.openSubnet(3, 8, func(h *subnettypes.Hyperparameters) { h.CommitRevealEnabled = true })
		},
			netuid: 3, uids: []uint32{1}, weights: []uint32{1}, want: types.ErrCommitRevealEnabled},
		{name: "hotkey holds no uid", hotkey: func(f *fixture) string { return f.str(account("stranger")) }, netuid: 1, uids: []uint32{1}, weights: []uint32{1}, want: types.ErrHotkeyNotRegistered},
		{name: "no validator permit", hotkey: func(f *fixture) string { return f.str(f.hotkey(1, 6)) }, netuid: 1, uids: []uint32{1, 2}, weights: []uint32{1, 1}, want: types.ErrNoValidatorPermit},
		{name: "non-owner self-weight without permit", hotkey: func(f *fixture) string { return f.str(f.hotkey(1, 6)) }, netuid: 1, uids: []uint32{6}, weights: []uint32{1}, want: types.ErrNoValidatorPermit},
		{name: "owner without permit weights others", hotkey: func(f *fixture) string { return f.str(f.makeOwnerNeuron(1, 7, 5000)) }, netuid: 1, uids: []uint32{1, 7}, weights: []uint32{1, 1}, want: types.ErrOwnerSelfWeightOnly},
		{name: "stake below min_validator_stake", hotkey: func(f *fixture) string { return f.str(f.validator(1, 5, 999)) }, netuid: 1, uids: []uint32{1, 2}, weights: []uint32{1, 1}, want: types.ErrInsufficientStake},
		{name: "length mismatch", netuid: 1, uids: []uint32{1, 2}, weights: []uint32{1}, want: types.ErrLengthMismatch},
		{name: "duplicate uid", netuid: 1, uids: []uint32{1, 2, 1}, weights: []uint32{1, 1, 1}, want: types.ErrDuplicateUID},
		{name: "weight above u16", netuid: 1, uids: []uint32{1}, weights: []uint32{65536}, want: types.ErrWeightTooLarge},
		{name: "uid out of range", netuid: 1, uids: []uint32{1, 8}, weights: []uint32{1, 1}, want: types.ErrUIDOutOfRange},
		{name: "row longer than subnet", setup: func(f *fixture) { f.openSubnet(4, 2, nil); f.validator(4, 0, 5000) },
			hotkey: func(f *fixture) string { return f.str(f.hotkey(4, 0)) }, netuid: 4, uids: []uint32{0, 1, 2}, weights: []uint32{1, 1, 1}, want: types.ErrTooManyWeights},
		{name: "too few non-zero weights", setup: func(f *fixture) {
			f.openSubnet(5, 8, func(h *subnettypes.Hyperparameters) { h.MinAllowedWeights = 3 })
			f.validator(5, 0, 5000)
		}, hotkey: func(f *fixture) string { return f.str(f.hotkey(5, 0)) }, netuid: 5, uids: []uint32{1, 2, 3}, weights: []uint32{1, 1, 0}, want: types.ErrTooFewWeights},
		{name: "above max_weight_limit", setup: func(f *fixture) {
			// 32767/65535 is just under half: a 1:1 row gives floor(65535/2) = 32767, 2:1 gives 43690.
			f.openSubnet(6, 8, func(h *subnettypes.Hyperparameters) { h.MaxWeightLimit = 32767 })
			f.validator(6, 0, 5000)
		}, hotkey: func(f *fixture) string { return f.str(f.hotkey(6, 0)) }, netuid: 6, uids: []uint32{1, 2}, weights: []uint32{2, 1}, want: types.ErrMaxWeightExceeded},
		{name: "outdated version key", setup: func(f *fixture) {
			f.openSubnet(7, 8, func(h *subnettypes.Hyperparameters) { h.WeightsVersionKey = 5 })
			f.validator(7, 0, 5000)
		}, hotkey: func(f *fixture) string { return f.str(f.hotkey(7, 0)) }, netuid: 7, uids: []uint32{1}, weights: []uint32{1}, version: 4, want: types.ErrOutdatedVersionKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.openSubnet(1, 8, nil)
			f.validator(1, 0, 5000)
			// A stored row elsewhere, to see that a refusal leaves existing state alone.
			if err := f.set(f.hotkey(1, 0), 1, []uint32{1, 2}, []uint32{3, 4}, 0); err != nil {
				t.Fatal(err)
			}
			f.at(200)
			if tc.setup != nil {
				tc.setup(f)
			}
			hotkey := f.str(f.hotkey(1, 0))
			if tc.hotkey != nil {
				hotkey = tc.hotkey(f)
			}
			before := f.exported()
			neuronsBefore := map[neuronKey]int64{}
			for k, n := range f.subnets.neurons {
				neuronsBefore[k] = n.LastUpdate
			}
			_, err := f.msgs.SetWeights(f.ctx, &types.MsgSetWeights{Hotkey: hotkey, Netuid: tc.netuid, Uids: tc.uids, Weights: tc.weights, VersionKey: tc.version})
			requireErrorIs(t, err, tc.want)
			if after := f.exported(); !reflect.DeepEqual(before, after) {
				t.Fatalf("state changed on refusal:\nbefore %v\nafter  %v", before, after)
			}
			for k, n := range f.subnets.neurons {
				if neuronsBefore[k] != n.LastUpdate {
					t.Fatalf("last_update of %v moved on refusal", k)
				}
			}
		})
	}
}

func TestSetWeightsMaxWeightLimitBoundary(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 8, func(h *subnettypes.Hyperparameters) { h.MaxWeightLimit = 32767 })
	hk := f.validator(1, 0, 5000)
	// floor(65535*1/2) = 32767: exactly at the limit passes.
	if err := f.set(hk, 1, []uint32{1, 2}, []uint32{1, 1}, 0); err != nil {
		t.Fatalf("row at the limit: %v", err)
	}
	// A self-weight is exempt from max_weight_limit (and min_allowed_weights).
	f.at(101)
	if err := f.set(hk, 1, []uint32{0}, []uint32{1}, 0); err != nil {
		t.Fatalf("self-weight: %v", err)
	}
}

func TestSetWeightsMinAllowedWeightsCappedBySubnetSize(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 2, func(h *subnettypes.Hyperparameters) { h.MinAllowedWeights = 8 })
	hk := f.validator(1, 0, 5000)
	// min(8, 2) = 2 non-zero weights suffice on a 2-neuron subnet.
	if err := f.set(hk, 1, []uint32{0, 1}, []uint32{1, 1}, 0); err != nil {
		t.Fatal(err)
	}
}

func TestSetWeightsOwnerSelfWeightWithoutPermit(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 8, nil)
	owner := f.makeOwnerNeuron(1, 3, 5000)
	if err := f.set(owner, 1, []uint32{3}, []uint32{7}, 0); err != nil {
		t.Fatal(err)
	}
	row, ok, _ := f.k.GetRow(f.ctx, 1, 3)
	if !ok || !reflect.DeepEqual(row.Weights, []uint32{types.MaxWeight}) {
		t.Fatalf("row %v", row)
	}
}

func TestSetWeightsRateLimitPerUID(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 8, func(h *subnettypes.Hyperparameters) { h.WeightsRateLimit = 10 })
	a := f.validator(1, 0, 5000)
	b := f.validator(1, 1, 5000)
	if err := f.set(a, 1, []uint32{2}, []uint32{1}, 0); err != nil {
		t.Fatal(err)
	}
	// Another UID is not limited by a's row.
	if err := f.set(b, 1, []uint32{2}, []uint32{1}, 0); err != nil {
		t.Fatal(err)
	}
	f.at(109)
	before := f.exported()
	requireErrorIs(t, f.set(a, 1, []uint32{3}, []uint32{1}, 0), types.ErrRateLimited)
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("rate-limited set changed state")
	}
	f.at(110)
	if err := f.set(a, 1, []uint32{3}, []uint32{1}, 0); err != nil {
		t.Fatalf("after the limit: %v", err)
	}
}

func TestSetWeightsVersionKeyAtOrAboveSubnetPasses(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 8, func(h *subnettypes.Hyperparameters) { h.WeightsVersionKey = 5 })
	hk := f.validator(1, 0, 5000)
	if err := f.set(hk, 1, []uint32{1}, []uint32{1}, 5); err != nil {
		t.Fatal(err)
	}
	f.at(101)
	if err := f.set(hk, 1, []uint32{1}, []uint32{1}, 6); err != nil {
		t.Fatal(err)
	}
}

// TestSetWeightsGasProportionalToRowLength: beyond store costs, each entry costs gas_per_weight.
func TestSetWeightsGasProportionalToRowLength(t *testing.T) {
	gasFor := func(n uint32) uint64 {
		f := newFixture(t)
		f.openSubnet(1, 512, nil)
		hk := f.validator(1, 0, 5000)
		uids := make([]uint32, n)
		ws := make([]uint32, n)
		for i := range n {
			uids[i], ws[i] = i, 1
		}
		f.ctx = f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		if err := f.set(hk, 1, uids, ws, 0); err != nil {
			t.Fatal(err)
		}
		return f.ctx.GasMeter().GasConsumed()
	}
	small, large := gasFor(10), gasFor(500)
	if min := 490 * uint64(types.DefaultGasPerWeight); large-small < min {
		t.Fatalf("gas %d for 10 entries, %d for 500: want at least %d more", small, large, min)
	}
}

// TestSetWeightsChargesRefusedRows: a row refused for its content still pays for its length.
func TestSetWeightsChargesRefusedRows(t *testing.T) {
	f := newFixture(t)
	f.ctx = f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
	n := 100
	uids := make([]uint32, n)
	ws := make([]uint32, n)
	for i := range uids {
		uids[i], ws[i] = uint32(i), 1
	}
	requireErrorIs(t, f.set(account("x"), 42, uids, ws, 0), types.ErrUnknownSubnet)
	if got := f.ctx.GasMeter().GasConsumed(); got < uint64(n)*types.DefaultGasPerWeight {
		t.Fatalf("gas %d, want at least %d", got, uint64(n)*types.DefaultGasPerWeight)
	}
}
