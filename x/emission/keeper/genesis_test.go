package keeper_test

import (
	"maps"
	"testing"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Export after several epochs, import into a fresh chain with the same bank balances, export again:
// the two exports are identical.
func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	_, _, v := f.neuron(netuid, "v", 4_000_000)
	_, _, m := f.neuron(netuid, "m", 0)
	f.nextBlock()
	f.setWeights(netuid, v, []uint32{m}, []uint32{1})
	f.runToEpoch(netuid)
	f.nextBlock()
	f.runToEpoch(netuid)
	f.nextBlock()
	first, err := f.k.ExportGenesis(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Bonds) == 0 || len(first.Pending) == 0 || len(first.LastEpochs) == 0 {
		t.Fatalf("export is missing state: %+v", first)
	}
	subnetState, err := f.sk.ExportGenesis(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := newFixtureOpts(t,
		func(b *fakeBank) { maps.Copy(b.balances, f.bank.balances) },
		func(s *subnettypes.GenesisState, e *types.GenesisState) { *s, *e = *subnetState, *first })
	second, err := h.k.ExportGenesis(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, b := f.cdc.MustMarshalJSON(first), f.cdc.MustMarshalJSON(second)
	if string(a) != string(b) {
		t.Fatalf("re-export differs:\n%s\n%s", a, b)
	}
	bad := *first
	bad.Ledger.ToStake = bad.Ledger.ToStake.AddRaw(1)
	if err := bad.Validate(); err == nil {
		t.Fatal("accepted a ledger that does not balance")
	}
}
