package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/chain/chaintest"
	"github.com/mindnet/mindnet/explorer/indexer"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
)

// bigSubnet is a subnet of n UIDs whose first v hold validator permits and weight every UID.
func bigSubnet(n, v int) (*metagraph.Snapshot, []*weightsv1.WeightRow) {
	neurons := make([]metagraph.Neuron, n)
	for i := range neurons {
		neurons[i] = metagraph.Neuron{UID: uint32(i), Hotkey: fmt.Sprintf("mind1%038d", i), Coldkey: fmt.Sprintf("mind1%038d", i/8),
			Stake: uint64(1_000_000 + i), Incentive: float64(i%97) / 97, Trust: 0.5, Consensus: 0.25, Emission: uint64(i * 10),
			Active: true, LastUpdate: 90, RegisteredAt: 3, Axon: &metagraph.Axon{IP: "10.0.0.1", Port: uint32(1000 + i)}}
	}
	var rows []*weightsv1.WeightRow
	for r := 0; r < v; r++ {
		neurons[r].ValidatorPermit, neurons[r].Dividends = true, 1/float64(v)
		row := &weightsv1.WeightRow{Netuid: 1, Uid: uint32(r), SetAt: 95}
		for j := 0; j < n; j++ {
			row.Uids = append(row.Uids, uint32(j))
			row.Weights = append(row.Weights, uint32(1+(j*7+r)%65535))
		}
		rows = append(rows, row)
	}
	return metagraph.NewSnapshot(1, 1000, neurons, time.Time{}), rows
}

// BenchmarkSubnetPage4096 serves /subnets/1 for a subnet of 4096 UIDs (64 validators weighting every
// UID, 50 stored epochs), from an in-memory node: the figure is the explorer's own server time. The
// target is under 200 ms per page; docs/explorer.md records the measured figure.
func BenchmarkSubnetPage4096(b *testing.B) {
	const n, v, epochs = 4096, 64, 50
	snap, rows := bigSubnet(n, v)
	fake := &chaintest.Fake{
		Head:   chain.Status{Height: 1000, EarliestHeight: 1},
		Subnet: []*subnetv1.Subnet{{Netuid: 1, Name: "big", NeuronCount: n, Hyperparameters: &subnetv1.Hyperparameters{Tempo: 360, MaxAllowedUids: n}}},
		Graphs: map[uint32]*metagraph.Snapshot{1: snap},
		Rows:   map[uint32][]*weightsv1.WeightRow{1: rows},
	}
	db, err := store.Open(b.TempDir(), 1000)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for e := 0; e < epochs; e++ {
		if err := db.Commit(int64(10*(e+1)), []store.Epoch{{Netuid: 1, Pending: "1", Paid: "1", OwnerCut: "0", Carried: "0", Neurons: indexer.Rows(snap)}}); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := New(Config{Node: fake, Store: db, Head: func() (chain.Status, error) { return fake.Head, nil },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	var size int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/subnets/1?sort=incentive", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}
