package indexer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/chain/chaintest"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
)

// BenchmarkTenThousandBlocks indexes a 10,000-block chain in 500-block steps, as the indexer follows
// a live node: two subnets with a 10-block tempo and 256 UIDs each (2,000 epochs, 512,000 UID rows),
// the store keeping 100 epochs per subnet. At each quarter it prints the store's size on disk (after
// a compaction) and the heap in use (after a GC): both must level off once the store holds its 100
// epochs, however long the run. Run with -benchtime 1x; docs/explorer.md records the figures.
func BenchmarkTenThousandBlocks(b *testing.B) {
	const blocks, uids, keep = 10_000, 256, 100
	for b.Loop() {
		f := &chaintest.Fake{Head: chain.Status{EarliestHeight: 1}, Events: map[int64][]chain.Event{}}
		for h := int64(1); h <= blocks; h++ {
			if h%10 == 0 {
				f.Events[h] = []chain.Event{epochEvent(1), epochEvent(2)}
			}
		}
		f.GraphAt = func(netuid uint32, height int64) (*metagraph.Snapshot, error) {
			ns := make([]metagraph.Neuron, uids)
			for i := range ns {
				ns[i] = metagraph.Neuron{UID: uint32(i), Hotkey: fmt.Sprintf("mind1%038d", i), Stake: uint64(height) * 1000, Emission: uint64(i), Incentive: float64(i) / uids}
			}
			return metagraph.NewSnapshot(netuid, height, ns, time.Time{}), nil
		}
		db, err := store.Open(b.TempDir(), keep)
		if err != nil {
			b.Fatal(err)
		}
		ix := New(Config{Poll: time.Millisecond, Window: 16}, f, db, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		var ms runtime.MemStats
		for head := int64(500); head <= blocks; head += 500 {
			f.Lock()
			f.Head.Height = head
			f.Unlock()
			if err := ix.Step(context.Background()); err != nil {
				b.Fatal(err)
			}
			if head%2500 == 0 {
				if err := db.Compact(); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				eps, _ := db.Epochs(1, 1_000_000)
				b.Logf("block %5d: %3d epochs kept per subnet, store %6.2f MiB on disk, heap in use %6.2f MiB",
					head, len(eps), float64(db.DiskUsage())/(1<<20), float64(ms.HeapInuse)/(1<<20))
			}
		}
		b.ReportMetric(float64(db.DiskUsage())/(1<<20), "MiB-store")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap")
		db.Close()
	}
}
