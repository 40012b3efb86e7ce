package metagraph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Axon is where a neuron serves, as it announced on chain.
type Axon struct {
	IP       string
	Port     uint32
	Protocol uint32
	Version  uint32
}

// Neuron is one UID of the subnet as the chain reports it.
type Neuron struct {
	UID             uint32
	Hotkey          string
	Coldkey         string
	Stake           uint64 // umind behind the hotkey
	ValidatorPermit bool
	Active          bool
	Incentive       float64
	Dividends       float64
	Trust           float64
	Consensus       float64
	Rank            float64
	ValidatorTrust  float64
	PruningScore    float64
	Emission        uint64
	LastUpdate      int64
	RegisteredAt    int64
	Axon            *Axon // nil until the neuron serves
}

// Model is the model the subnet serves, as recorded on chain.
type Model struct {
	Name          string
	Digest        string   // 64 lowercase hex digits (inference/modelid)
	Precisions    []string // serving precisions validators accept: "float32", "half"
	ContextLength uint32   // most tokens, prompt and answer together, a task may use
}

// Snapshot is the metagraph of one subnet at one height.
type Snapshot struct {
	Netuid    uint32
	Height    int64
	Neurons   []Neuron
	FetchedAt time.Time
	// Model is the subnet's model at Height; zero when the source does not report one.
	Model Model

	byHotkey map[string]int
}

// NewSnapshot indexes neurons by hotkey.
func NewSnapshot(netuid uint32, height int64, neurons []Neuron, fetchedAt time.Time) *Snapshot {
	s := &Snapshot{Netuid: netuid, Height: height, Neurons: neurons, FetchedAt: fetchedAt, byHotkey: make(map[string]int, len(neurons))}
	for i, n := range neurons {
		s.byHotkey[n.Hotkey] = i
	}
	return s
}

// ByHotkey returns the neuron that hotkey holds on this subnet.
func (s *Snapshot) ByHotkey(hotkey string) (Neuron, bool) {
	i, ok := s.byHotkey[hotkey]
	if !ok {
		return Neuron{}, false
	}
	return s.Neurons[i], true
}

// Source fetches a subnet's metagraph from the chain.
type Source interface {
	Fetch(ctx context.Context, netuid uint32) (*Snapshot, error)
}

// Errors from View.
var (
	ErrNoView = errors.New("no metagraph yet: the chain node has not answered since start")
	ErrStale  = errors.New("metagraph view is too old: the chain node has not answered for too long")
)

// Config sets how the cache refreshes.
type Config struct {
	Netuid          uint32
	RefreshInterval time.Duration // between successful refreshes
	MinBackoff      time.Duration // first retry after a failure; doubles up to MaxBackoff
	MaxBackoff      time.Duration
	MaxStaleness    time.Duration // how long the last good view may serve while the node is down
	FetchTimeout    time.Duration // per fetch
}

// DefaultConfig returns the cache settings the binaries use unless configured otherwise.
func DefaultConfig(netuid uint32) Config {
	return Config{
		Netuid:          netuid,
		RefreshInterval: 12 * time.Second,
		MinBackoff:      time.Second,
		MaxBackoff:      30 * time.Second,
		MaxStaleness:    5 * time.Minute,
		FetchTimeout:    10 * time.Second,
	}
}

// Cache holds the latest good snapshot and refreshes it.
type Cache struct {
	cfg    Config
	src    Source
	log    *slog.Logger
	now    func() time.Time
	onSync func(ok bool)

	mu       sync.RWMutex
	current  *Snapshot
	lastErr  error
	failures int
}

// New returns a cache over src. now is the clock (time.Now in production); onSync, if not nil, is told
// the outcome of every refresh (for metrics).
func New(cfg Config, src Source, log *slog.Logger, now func() time.Time, onSync func(ok bool)) *Cache {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Cache{cfg: cfg, src: src, log: log.With("component", "metagraph", "netuid", cfg.Netuid), now: now, onSync: onSync}
}

// View returns the latest snapshot, or an error when there is none or it is older than MaxStaleness.
func (c *Cache) View() (*Snapshot, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.current == nil {
		if c.lastErr != nil {
			return nil, fmt.Errorf("%w (last error: %v)", ErrNoView, c.lastErr)
		}
		return nil, ErrNoView
	}
	if age := c.now().Sub(c.current.FetchedAt); age > c.cfg.MaxStaleness {
		return nil, fmt.Errorf("%w: last good view is %s old (limit %s), last error: %v", ErrStale, age.Round(time.Second), c.cfg.MaxStaleness, c.lastErr)
	}
	return c.current, nil
}

// Refresh fetches once and returns how long to wait before the next refresh.
func (c *Cache) Refresh(ctx context.Context) time.Duration {
	fetchCtx, cancel := context.WithTimeout(ctx, c.cfg.FetchTimeout)
	defer cancel()
	snap, err := c.src.Fetch(fetchCtx, c.cfg.Netuid)

	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.lastErr = err
		c.failures++
		wait := backoff(c.cfg.MinBackoff, c.cfg.MaxBackoff, c.failures)
		c.log.Warn("metagraph refresh failed", "err", err, "failures", c.failures, "retry_in", wait)
		c.notify(false)
		return wait
	}
	if c.failures > 0 {
		c.log.Info("metagraph refresh recovered", "failures", c.failures, "height", snap.Height)
	}
	c.current, c.lastErr, c.failures = snap, nil, 0
	c.notify(true)
	return c.cfg.RefreshInterval
}

func (c *Cache) notify(ok bool) {
	if c.onSync != nil {
		c.onSync(ok)
	}
}

// Run refreshes until ctx is done. It returns nil on cancellation.
func (c *Cache) Run(ctx context.Context) error {
	for {
		wait := c.Refresh(ctx)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
	}
}

// backoff returns min·2^(failures-1), capped at max.
func backoff(min, max time.Duration, failures int) time.Duration {
	wait := min
	for i := 1; i < failures && wait < max; i++ {
		wait *= 2
	}
	if wait > max {
		wait = max
	}
	return wait
}
