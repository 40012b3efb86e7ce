package keeper_test

import (
	"testing"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

func TestAfterNeuronReplacedClearsOldHoldersRowOnly(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 3)
	if err := f.k.Hooks().AfterNeuronReplaced(f.ctx, 1, 1, f.str(f.hotkey(1, 1)), f.str(account("new"))); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.k.GetRow(f.ctx, 1, 1); ok {
		t.Fatal("replaced UID's row survived")
	}
	for _, uid := range []uint32{0, 2} {
		if _, ok, _ := f.k.GetRow(f.ctx, 1, uid); !ok {
			t.Fatalf("row of uid %d cleared", uid)
		}
	}
	// A UID with no row is replaced without error.
	if err := f.k.Hooks().AfterNeuronReplaced(f.ctx, 1, 6, "", ""); err != nil {
		t.Fatal(err)
	}
}

func TestAfterNeuronReplacedLiftsRateLimitForNewHolder(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 4, func(h *subnettypes.Hyperparameters) { h.WeightsRateLimit = 100 })
	hk := f.validator(1, 2, 5000)
	if err := f.set(hk, 1, []uint32{0}, []uint32{1}, 0); err != nil {
		t.Fatal(err)
	}
	f.at(101)
	requireErrorIs(t, f.set(hk, 1, []uint32{1}, []uint32{1}, 0), types.ErrRateLimited)
	// The UID changes hands: the old row goes, and the new holder is not bound by the old one's limit.
	if err := f.k.Hooks().AfterNeuronReplaced(f.ctx, 1, 2, f.str(hk), f.str(hk)); err != nil {
		t.Fatal(err)
	}
	if err := f.set(hk, 1, []uint32{1}, []uint32{1}, 0); err != nil {
		t.Fatal(err)
	}
}

func TestAfterSubnetDissolvedClearsOnlyThatSubnet(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 3)
	setRows(t, f, 2, 2)
	if err := f.k.Hooks().AfterSubnetDissolved(f.ctx, 1); err != nil {
		t.Fatal(err)
	}
	gs := f.exported()
	if len(gs.Rows) != 2 || gs.Rows[0].Netuid != 2 || gs.Rows[1].Netuid != 2 {
		t.Fatalf("rows left %v, want netuid 2's two", gs.Rows)
	}
}
