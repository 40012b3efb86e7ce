package indexer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/chain/chaintest"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
	emissiontypes "github.com/mindnet/mindnet/x/emission/types"
)

// epochEvent is x/emission's event for an epoch of netuid.
func epochEvent(netuid uint32) chain.Event {
	return chain.Event{Type: emissiontypes.EventTypeEpoch, Attributes: []chain.Attribute{
		{Key: emissiontypes.AttributeKeyNetuid, Value: strconv.Itoa(int(netuid))},
		{Key: emissiontypes.AttributeKeyAmount, Value: "1000"},
		{Key: emissiontypes.AttributeKeyOwnerCut, Value: "180"},
		{Key: emissiontypes.AttributeKeyPaid, Value: "820"},
		{Key: emissiontypes.AttributeKeyCarried, Value: "0"},
	}}
}

// graphAt is a metagraph whose UID 1's incentive grows with the height, so tests can tell heights apart.
func graphAt(netuid uint32, height int64, uids int) *metagraph.Snapshot {
	ns := make([]metagraph.Neuron, uids)
	for i := range ns {
		ns[i] = metagraph.Neuron{UID: uint32(i), Hotkey: fmt.Sprintf("mind1hk%d", i), Stake: 100, Emission: uint64(height)}
	}
	if uids > 1 {
		ns[1].Incentive = float64(height) / 1000
	}
	return metagraph.NewSnapshot(netuid, height, ns, time.Time{})
}

// fakeChain has head blocks, with an epoch of netuid 1 every 10 blocks and of netuid 2 every 15, and
// a mint event in every block that the indexer must ignore.
func fakeChain(head int64) *chaintest.Fake {
	f := &chaintest.Fake{Head: chain.Status{Height: head, EarliestHeight: 1}, Events: map[int64][]chain.Event{}}
	for h := int64(1); h <= head; h++ {
		evs := []chain.Event{{Type: emissiontypes.EventTypeMint, Attributes: []chain.Attribute{{Key: "amount", Value: "5"}}}}
		if h%10 == 0 {
			evs = append(evs, epochEvent(1))
		}
		if h%15 == 0 {
			evs = append(evs, epochEvent(2))
		}
		f.Events[h] = evs
	}
	f.GraphAt = func(netuid uint32, height int64) (*metagraph.Snapshot, error) { return graphAt(netuid, height, 4), nil }
	return f
}

type recorder struct {
	mu      sync.Mutex
	updates []Update
}

func (r *recorder) add(u Update) { r.mu.Lock(); r.updates = append(r.updates, u); r.mu.Unlock() }
func (r *recorder) kinds() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[string]int{}
	for _, u := range r.updates {
		m[u.Kind]++
	}
	return m
}

func TestStepIndexesEveryEpochWithItsMetagraph(t *testing.T) {
	f := fakeChain(45)
	db, err := store.Open(t.TempDir(), 100)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := &recorder{}
	ix := New(Config{Poll: time.Millisecond, Window: 7}, f, db, nil, rec.add)
	if err := ix.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Cursor(); c != 45 {
		t.Fatalf("cursor %d, want 45", c)
	}
	eps, _ := db.Epochs(1, 100)
	if len(eps) != 4 || eps[0].Height != 10 || eps[3].Height != 40 || eps[0].Paid != "820" || eps[0].UIDs != 4 {
		t.Fatalf("netuid 1 epochs: %+v", eps)
	}
	if eps2, _ := db.Epochs(2, 100); len(eps2) != 3 || eps2[2].Height != 45 {
		t.Fatalf("netuid 2 epochs: %+v", eps2)
	}
	rows, _ := db.Rows(1, 30)
	if len(rows) != 4 || rows[1].Incentive != U16(0.030) || rows[1].Emission != 30 {
		t.Fatalf("rows at 30 read the wrong height: %+v", rows)
	}
	if k := rec.kinds(); k["epoch"] != 7 || k["block"] != 1 {
		t.Fatalf("updates %v, want 7 epochs and 1 block", k)
	}
}

func TestRestartResumesAfterTheCursorWithoutRereading(t *testing.T) {
	dir := t.TempDir()
	f := fakeChain(30)
	db, err := store.Open(dir, 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := New(DefaultConfig(), f, db, nil, nil).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if n := f.Calls("BlockEvents"); n != 30 {
		t.Fatalf("first run read %d blocks, want 30", n)
	}

	f2 := fakeChain(50)
	db, err = store.Open(dir, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := New(DefaultConfig(), f2, db, nil, nil).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f2.Calls("BlockEvents"); n != 20 {
		t.Fatalf("after restart it read %d blocks, want only the 20 new ones", n)
	}
	if eps, _ := db.Epochs(1, 100); len(eps) != 5 {
		t.Fatalf("epochs after resume: %d, want 5", len(eps))
	}
}

func TestBackfillStartsAtTheOldestBlockTheNodeKeeps(t *testing.T) {
	f := fakeChain(100)
	f.Head.EarliestHeight = 61
	db, err := store.Open(t.TempDir(), 100)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := New(DefaultConfig(), f, db, nil, nil).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.Calls("BlockEvents"); n != 40 {
		t.Fatalf("read %d blocks, want the 40 the node keeps", n)
	}
	if eps, _ := db.Epochs(1, 100); len(eps) != 4 || eps[0].Height != 70 {
		t.Fatalf("epochs %+v", eps)
	}
}

func TestPrunedStateKeepsTheEpochTotals(t *testing.T) {
	f := fakeChain(20)
	f.GraphAt = func(uint32, int64) (*metagraph.Snapshot, error) {
		return nil, errors.New("version mismatch: state pruned")
	}
	db, err := store.Open(t.TempDir(), 100)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := New(DefaultConfig(), f, db, nil, nil).Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	eps, _ := db.Epochs(1, 10)
	if len(eps) != 2 || eps[0].UIDs != 0 || eps[0].Pending != "1000" {
		t.Fatalf("epochs %+v", eps)
	}
}

func TestNodeDownIsReportedOnceAndRecovers(t *testing.T) {
	f := fakeChain(10)
	db, err := store.Open(t.TempDir(), 100)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := &recorder{}
	ix := New(DefaultConfig(), f, db, nil, rec.add)
	ctx := context.Background()
	f.SetDown(true)
	for i := 0; i < 3; i++ {
		if err := ix.Step(ctx); !errors.Is(err, chain.ErrUnavailable) {
			t.Fatalf("step with the node down: %v", err)
		}
	}
	if _, err := ix.Head(); err == nil {
		t.Fatal("Head reports no error while the node is down")
	}
	f.SetDown(false)
	if err := ix.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if k := rec.kinds(); k["down"] != 1 || k["up"] != 1 {
		t.Fatalf("updates %v, want one down and one up", k)
	}
	if st, err := ix.Head(); err != nil || st.Height != 10 {
		t.Fatalf("head after recovery %+v, %v", st, err)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	f := fakeChain(5)
	db, err := store.Open(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- New(Config{Poll: 5 * time.Millisecond, Window: 4}, f, db, nil, nil).Run(ctx) }()
	for c, _ := db.Cursor(); c < 5; c, _ = db.Cursor() {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
