package table

import (
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/metagraph"
)

func TestWriteShowsEveryNeuronInUIDOrderWithRolesAndProgress(t *testing.T) {
	snap := metagraph.NewSnapshot(1, 95, []metagraph.Neuron{
		{UID: 2, Hotkey: "mind1minerbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Incentive: 0.25, Emission: 10, Axon: &metagraph.Axon{IP: "127.0.0.1", Port: 8091}},
		{UID: 0, Hotkey: "mind1validatoraaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Stake: 1000, ValidatorPermit: true, Dividends: 1},
		{UID: 1, Hotkey: "mind1miner", Incentive: 0.75, Trust: 1, Consensus: 0.5, Axon: &metagraph.Axon{IP: "127.0.0.1", Port: 8093}},
	}, time.Unix(0, 0))
	snap.Model = metagraph.Model{Name: "gocode-tiny", Digest: strings.Repeat("ab", 32), Precisions: []string{"float32", "half"}}
	var out strings.Builder
	if err := Write(&out, View{Snapshot: snap, Tempo: 10, NextEpoch: 99, Labels: map[string]string{"mind1miner": "odd-model"}}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"subnet 1 at block 95", "model gocode-tiny abababababab (float32,half)", "next epoch at block 99", "6/10 blocks", "validator", "odd-model", "0.7500", "1.0000"} {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q:\n%s", want, text)
		}
	}
	lines := strings.Split(text, "\n")
	var uids []string
	for _, l := range lines[3:] {
		if f := strings.Fields(l); len(f) > 0 {
			uids = append(uids, f[0])
		}
	}
	if strings.Join(uids, ",") != "0,1,2" {
		t.Fatalf("rows in UID order: got %v", uids)
	}
	if Role(snap.Neurons[0]) != "miner" || Role(metagraph.Neuron{}) != "-" {
		t.Fatal("roles: a neuron serving an axon is a miner; one with neither stake nor axon has no role")
	}
}

func TestWriteShowsEachSubnetsPriceAndPool(t *testing.T) {
	snap := metagraph.NewSnapshot(1, 5, nil, time.Unix(0, 0))
	var out strings.Builder
	markets := []Market{
		{Netuid: 1, Price: "2.250000000000000000", PriceEMA: "1.062500000000000000", MindReserve: "150000000", AlphaReserve: "66666667", Share: 515_152},
		{Netuid: 2, Price: "1.000000000000000000", PriceEMA: "1.000000000000000000", MindReserve: "100000000", AlphaReserve: "100000000", Share: 484_848},
	}
	if err := Write(&out, View{Snapshot: snap, Markets: markets}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"PRICE EMA", "POOL(umind)", "2.250000", "1.062500", "150000000", "66666667", "51.52%", "48.48%"} {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q:\n%s", want, text)
		}
	}
}

func TestWriteRefusesAMissingSnapshot(t *testing.T) {
	if err := Write(&strings.Builder{}, View{}); err == nil {
		t.Fatal("rendered nothing without an error")
	}
}
