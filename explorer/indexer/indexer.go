package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
	emissiontypes "github.com/mindnet/mindnet/x/emission/types"
)

// Update is what the indexer tells its listener.
type Update struct {
	Kind   string // "block", "epoch", "down" or "up"
	Height int64
	Netuid uint32 // epochs only
	Err    string // "down" only
}

// Config sets the indexer's pace.
type Config struct {
	// Poll is how often it asks the node for a new head once caught up.
	Poll time.Duration
	// Window is how many blocks' events it fetches at once while catching up.
	Window int
	// MaxBackoff caps the wait between retries while the node is down.
	MaxBackoff time.Duration
}

// DefaultConfig polls every second (the localnet's block time) and fetches 16 blocks at a time.
func DefaultConfig() Config {
	return Config{Poll: time.Second, Window: 16, MaxBackoff: 15 * time.Second}
}

// Indexer writes epochs from node into db.
type Indexer struct {
	cfg    Config
	node   chain.Reader
	db     *store.Store
	log    *slog.Logger
	notify func(Update)

	mu     sync.RWMutex
	status chain.Status
	err    error
}

// New returns an indexer. notify (may be nil) receives updates in order, from the indexer's goroutine.
func New(cfg Config, node chain.Reader, db *store.Store, log *slog.Logger, notify func(Update)) *Indexer {
	if cfg.Window < 1 {
		cfg.Window = 1
	}
	if notify == nil {
		notify = func(Update) {}
	}
	if log == nil {
		log = slog.Default()
	}
	return &Indexer{cfg: cfg, node: node, db: db, log: log.With("component", "indexer"), notify: notify}
}

// Head returns the node's status as last seen, and the last error talking to it (nil when it answered).
func (ix *Indexer) Head() (chain.Status, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.status, ix.err
}

// Run indexes until ctx is done; it returns nil then. A node that stops answering is retried with
// backoff, and reported once as down and once as up again.
func (ix *Indexer) Run(ctx context.Context) error {
	failures := 0
	for {
		err := ix.Step(ctx)
		wait := ix.cfg.Poll
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			failures++
			wait = backoff(ix.cfg.Poll, ix.cfg.MaxBackoff, failures)
			ix.log.Warn("indexing failed; retrying", "err", err, "failures", failures, "retry_in", wait)
		default:
			failures = 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Step reads the node's head and indexes every block up to it. It is Run's body, exported for tests.
func (ix *Indexer) Step(ctx context.Context) error {
	st, err := ix.node.Status(ctx)
	ix.setHead(st, err)
	if err != nil {
		return err
	}
	cursor, err := ix.db.Cursor()
	if err != nil {
		return err
	}
	from := cursor + 1
	if from < st.EarliestHeight {
		// The node pruned the blocks between our cursor and its oldest one; they are gone for good.
		if cursor > 0 {
			ix.log.Warn("the node no longer keeps blocks after the explorer's cursor; skipping them", "cursor", cursor, "earliest", st.EarliestHeight)
		}
		from = st.EarliestHeight
	}
	if from < 1 {
		from = 1
	}
	for from <= st.Height {
		to := min(from+int64(ix.cfg.Window)-1, st.Height)
		if err := ix.index(ctx, from, to); err != nil {
			return err
		}
		from = to + 1
	}
	if st.Height > cursor {
		ix.notify(Update{Kind: "block", Height: st.Height})
	}
	return nil
}

func (ix *Indexer) setHead(st chain.Status, err error) {
	ix.mu.Lock()
	wasDown := ix.err != nil
	if err == nil {
		ix.status = st
	}
	ix.err = err
	ix.mu.Unlock()
	switch {
	case err != nil && !wasDown:
		ix.notify(Update{Kind: "down", Err: err.Error()})
	case err == nil && wasDown:
		ix.notify(Update{Kind: "up", Height: st.Height})
	}
}

// index fetches the events of blocks from..to concurrently, then commits them in order.
func (ix *Indexer) index(ctx context.Context, from, to int64) error {
	events := make([][]chain.Event, to-from+1)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for h := from; h <= to; h++ {
		g.Go(func() error {
			ev, err := ix.node.BlockEvents(gctx, h)
			if err != nil {
				return fmt.Errorf("events of block %d: %w", h, err)
			}
			events[h-from] = ev
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, evs := range events {
		h := from + int64(i)
		epochs, err := ix.epochs(ctx, h, evs)
		if err != nil {
			return err
		}
		if err := ix.db.Commit(h, epochs); err != nil {
			return fmt.Errorf("commit block %d: %w", h, err)
		}
		for _, e := range epochs {
			ix.log.Info("indexed epoch", "netuid", e.Netuid, "height", h, "uids", len(e.Neurons))
			ix.notify(Update{Kind: "epoch", Height: h, Netuid: e.Netuid})
		}
	}
	return nil
}

// epochs turns block h's emission_epoch events into store records with the metagraph at h.
func (ix *Indexer) epochs(ctx context.Context, h int64, evs []chain.Event) ([]store.Epoch, error) {
	var out []store.Epoch
	var blockTime time.Time
	for _, ev := range evs {
		if ev.Type != emissiontypes.EventTypeEpoch {
			continue
		}
		netuid, err := strconv.ParseUint(ev.Attr(emissiontypes.AttributeKeyNetuid), 10, 32)
		if err != nil {
			ix.log.Warn("epoch event without a netuid; skipped", "height", h, "err", err)
			continue
		}
		if blockTime.IsZero() {
			b, err := ix.node.Block(ctx, h)
			if err != nil && !errors.Is(err, chain.ErrNotFound) {
				return nil, fmt.Errorf("header of block %d: %w", h, err)
			}
			blockTime = b.Time
		}
		e := store.Epoch{
			Netuid: uint32(netuid), Height: h, Time: blockTime,
			Pending:  ev.Attr(emissiontypes.AttributeKeyAmount),
			OwnerCut: ev.Attr(emissiontypes.AttributeKeyOwnerCut),
			Paid:     ev.Attr(emissiontypes.AttributeKeyPaid),
			Carried:  ev.Attr(emissiontypes.AttributeKeyCarried),
		}
		snap, err := ix.node.Metagraph(ctx, e.Netuid, h)
		switch {
		case errors.Is(err, chain.ErrUnavailable):
			return nil, err
		case err != nil:
			// Usually the node pruned the state at h: keep the epoch's totals without its rows.
			ix.log.Warn("metagraph at an epoch's height is not available; keeping the totals only", "netuid", e.Netuid, "height", h, "err", err)
		default:
			e.Neurons = Rows(snap)
		}
		out = append(out, e)
	}
	return out, nil
}

// Rows converts a metagraph snapshot into store rows.
func Rows(snap *metagraph.Snapshot) []store.Neuron {
	rows := make([]store.Neuron, len(snap.Neurons))
	for i, n := range snap.Neurons {
		rows[i] = store.Neuron{
			UID: n.UID, Hotkey: n.Hotkey, Stake: n.Stake, Emission: n.Emission,
			Incentive: U16(n.Incentive), Dividends: U16(n.Dividends), Trust: U16(n.Trust),
			Consensus: U16(n.Consensus), ValidatorTrust: U16(n.ValidatorTrust), ValidatorPermit: n.ValidatorPermit,
		}
	}
	return rows
}

// U16 turns a fraction back into the chain's u16 (metagraph.Snapshot divides by 65535).
func U16(f float64) uint16 {
	return uint16(math.Round(min(max(f, 0), 1) * 65535))
}

func backoff(base, limit time.Duration, failures int) time.Duration {
	wait := base
	for i := 1; i < failures && wait < limit; i++ {
		wait *= 2
	}
	return min(wait, limit)
}
