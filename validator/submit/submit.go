package submit

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/mindnet/mindnet/validator/state"
	"github.com/mindnet/mindnet/validator/weights"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Kinds of weight transaction, as logged, counted and saved.
const (
	KindSet    = "set"
	KindCommit = "commit"
	KindReveal = "reveal"
)

// Outcomes of a submission attempt, for metrics.
const (
	OutcomeOK      = "ok"
	OutcomeRefused = "refused" // the chain said no; not retried this tempo
	OutcomeError   = "error"   // gave up after retries
	OutcomeRetry   = "retry"   // failed, will try again
)

// SaltBytes is the length of every commit's salt.
const SaltBytes = 32

// Errors.
var (
	// ErrRefused wraps a chain's refusal of a transaction (check or delivery failed on a rule).
	ErrRefused = errors.New("refused by the chain")
	// ErrNothingToSubmit says the validator has no scores to weigh yet.
	ErrNothingToSubmit = errors.New("no scores to submit yet")
	// ErrConfig marks settings that cannot be used.
	ErrConfig = errors.New("submit: bad config")
)

// Hyperparameters are the subnet settings that decide when and how weights are submitted.
type Hyperparameters struct {
	Tempo               uint64
	WeightsRateLimit    uint64
	WeightsVersionKey   uint64
	CommitRevealEnabled bool
	CommitRevealPeriod  uint64
	MinAllowedWeights   uint32
	MaxWeightLimit      uint32
}

// Limits returns the bounds a weight vector must keep.
func (h Hyperparameters) Limits() weights.Limits {
	return weights.Limits{MinAllowedWeights: uint16(min(h.MinAllowedWeights, weights.MaxWeight)), MaxWeightLimit: uint16(min(h.MaxWeightLimit, weights.MaxWeight))}
}

// Row is a weight row in the chain's terms.
type Row struct {
	UIDs    []uint32
	Weights []uint32
}

// RowOf converts a validator/weights vector.
func RowOf(v weights.Vector) Row {
	r := Row{UIDs: make([]uint32, len(v.UIDs)), Weights: make([]uint32, len(v.Weights))}
	for i := range v.UIDs {
		r.UIDs[i], r.Weights[i] = uint32(v.UIDs[i]), uint32(v.Weights[i])
	}
	return r
}

// Receipt is where a transaction landed.
type Receipt struct {
	Height int64
	TxHash string
}

// Chain is what the submitter needs from a node. Implementations wrap a refusal by the chain's rules
// in ErrRefused.
type Chain interface {
	Height(ctx context.Context) (int64, error)
	Hyperparameters(ctx context.Context, netuid uint32) (Hyperparameters, error)
	SetWeights(ctx context.Context, netuid uint32, row Row, versionKey uint64) (Receipt, error)
	CommitWeights(ctx context.Context, netuid uint32, hash []byte) (Receipt, error)
	RevealWeights(ctx context.Context, netuid uint32, row Row, salt []byte, versionKey uint64) (Receipt, error)
	// CommitHash is x/weights' hash of a row, as its reveal check recomputes it.
	CommitHash(hotkey string, netuid uint32, row Row, salt []byte, versionKey uint64) ([]byte, error)
}

// Observer is told about every attempt (for metrics); nil is allowed.
type Observer interface {
	Submission(kind, outcome string)
}

// Config says how to submit.
type Config struct {
	Netuid uint32
	Hotkey string
	// VersionKey is sent with every row; the chain refuses one below the subnet's weights_version_key.
	VersionKey uint64
	// Attempts per transaction (at least 1); between them the wait doubles from MinBackoff up to MaxBackoff.
	Attempts   int
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

// DefaultConfig retries 4 times, waiting 2 s, 4 s, 8 s: long enough to ride out a node restart of a few
// blocks, short enough to stay inside a tempo.
func DefaultConfig(netuid uint32, hotkey string) Config {
	return Config{Netuid: netuid, Hotkey: hotkey, VersionKey: 1, Attempts: 4, MinBackoff: 2 * time.Second, MaxBackoff: 30 * time.Second}
}

// Submitter decides, at each Tick, what the tempo still needs and sends it.
type Submitter struct {
	cfg   Config
	chain Chain
	store *state.Store
	log   *slog.Logger
	obs   Observer
	salt  io.Reader
	sleep func(context.Context, time.Duration) error

	// refused remembers the tempo in which a kind of transaction was refused, so that a rule the
	// chain keeps is not hit again every tick.
	refused map[string]uint64
}

// New returns a submitter.
func New(cfg Config, chain Chain, store *state.Store, log *slog.Logger, obs Observer) (*Submitter, error) {
	if cfg.Attempts < 1 || cfg.MinBackoff <= 0 || cfg.MaxBackoff < cfg.MinBackoff || cfg.Hotkey == "" {
		return nil, fmt.Errorf("%w: attempts %d, backoff %v..%v, hotkey %q", ErrConfig, cfg.Attempts, cfg.MinBackoff, cfg.MaxBackoff, cfg.Hotkey)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Submitter{
		cfg: cfg, chain: chain, store: store, obs: obs, salt: rand.Reader, sleep: sleepCtx,
		log:     log.With("component", "submit", "netuid", cfg.Netuid),
		refused: map[string]uint64{},
	}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// VectorFunc builds the row to submit under the subnet's hyperparameters; ErrNothingToSubmit skips
// the tempo's submission for now.
type VectorFunc func(Hyperparameters) (Row, error)

// Tick looks at the chain and sends what is due: reveals of earlier commits, then this tempo's
// commit or set. It returns the first error that stopped it; the next Tick tries again.
func (s *Submitter) Tick(ctx context.Context, vector VectorFunc) error {
	height, err := s.chain.Height(ctx)
	if err != nil {
		return fmt.Errorf("read chain height: %w", err)
	}
	hp, err := s.chain.Hyperparameters(ctx, s.cfg.Netuid)
	if err != nil {
		return fmt.Errorf("read hyperparameters of netuid %d: %w", s.cfg.Netuid, err)
	}
	if hp.Tempo == 0 {
		return nil // the subnet runs no epochs: weights would never be read
	}
	epoch := subnettypes.EpochIndex(s.cfg.Netuid, hp.Tempo, uint64(height))
	if hp.CommitRevealEnabled {
		if err := s.reveal(ctx, height, epoch, hp); err != nil {
			return err
		}
		return s.commit(ctx, height, epoch, hp, vector)
	}
	return s.set(ctx, height, epoch, hp, vector)
}

// Next is the plan that status shows: the kind of the next weight transaction and the first block at
// which it may go.
type Next struct {
	Kind   string
	Height int64
}

// Plan returns the next submission after height under hp, for the saved state st.
func Plan(netuid uint32, height int64, hp Hyperparameters, st state.State) Next {
	if hp.Tempo == 0 {
		return Next{}
	}
	epoch := subnettypes.EpochIndex(netuid, hp.Tempo, uint64(height))
	if hp.CommitRevealEnabled {
		for _, c := range st.Pending {
			if due := c.Epoch + hp.CommitRevealPeriod; due >= epoch {
				at := max(height, epochStart(netuid, hp.Tempo, due))
				return Next{Kind: KindReveal, Height: at}
			}
		}
	}
	kind := KindSet
	if hp.CommitRevealEnabled {
		kind = KindCommit
	}
	at := height
	if done(st, kind, epoch) {
		at = epochStart(netuid, hp.Tempo, epoch+1)
	}
	if st.RowAt > 0 {
		at = max(at, st.RowAt+int64(min(hp.WeightsRateLimit, 1<<62)))
	}
	return Next{Kind: kind, Height: at}
}

// epochStart is the first block of tempo index i.
func epochStart(netuid uint32, tempo, i uint64) int64 {
	if i == 0 {
		return 0
	}
	return int64(subnettypes.EpochBlock(netuid, tempo, i-1) + 1)
}

// done reports whether a transaction of kind already landed (or, for commits, was sent) in epoch.
func done(st state.State, kind string, epoch uint64) bool {
	if st.Last != nil && st.Last.Kind == kind && st.Last.Epoch == epoch {
		return true
	}
	if kind == KindCommit {
		for _, c := range st.Pending {
			if c.Epoch == epoch {
				return true
			}
		}
	}
	return false
}

// rateLimited reports whether the rate limit still holds back a new row at height.
func rateLimited(st state.State, height int64, hp Hyperparameters) bool {
	return st.RowAt > 0 && height < st.RowAt+int64(min(hp.WeightsRateLimit, 1<<62))
}

func (s *Submitter) set(ctx context.Context, height int64, epoch uint64, hp Hyperparameters, vector VectorFunc) error {
	st := s.store.Snapshot()
	if done(st, KindSet, epoch) || rateLimited(st, height, hp) || s.refused[KindSet] == epoch+1 {
		return nil
	}
	row, err := vector(hp)
	if errors.Is(err, ErrNothingToSubmit) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("build weights: %w", err)
	}
	rc, err := s.send(ctx, KindSet, epoch, func(ctx context.Context) (Receipt, error) {
		return s.chain.SetWeights(ctx, s.cfg.Netuid, row, s.cfg.VersionKey)
	})
	if err != nil {
		return err
	}
	return s.landed(KindSet, rc, hp, len(row.UIDs))
}

func (s *Submitter) commit(ctx context.Context, height int64, epoch uint64, hp Hyperparameters, vector VectorFunc) error {
	st := s.store.Snapshot()
	if done(st, KindCommit, epoch) || rateLimited(st, height, hp) || s.refused[KindCommit] == epoch+1 {
		return nil
	}
	row, err := vector(hp)
	if errors.Is(err, ErrNothingToSubmit) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("build weights: %w", err)
	}
	salt := make([]byte, SaltBytes)
	if _, err := io.ReadFull(s.salt, salt); err != nil {
		return fmt.Errorf("draw salt: %w", err)
	}
	hash, err := s.chain.CommitHash(s.cfg.Hotkey, s.cfg.Netuid, row, salt, s.cfg.VersionKey)
	if err != nil {
		return fmt.Errorf("hash commit: %w", err)
	}
	c := state.Commit{Hash: hash, Salt: salt, UIDs: row.UIDs, Weights: row.Weights, VersionKey: s.cfg.VersionKey, Epoch: epoch}
	// Saved before the broadcast: see the package documentation.
	if err := s.store.Update(func(st *state.State) { st.Pending = append(st.Pending, c) }); err != nil {
		return fmt.Errorf("save pending commit: %w", err)
	}
	var ambiguous bool
	rc, err := s.send(ctx, KindCommit, epoch, func(ctx context.Context) (Receipt, error) {
		rc, err := s.chain.CommitWeights(ctx, s.cfg.Netuid, hash)
		if err != nil && !errors.Is(err, ErrRefused) {
			ambiguous = true
		}
		return rc, err
	})
	switch {
	case errors.Is(err, ErrRefused) && !ambiguous:
		// The chain holds no such commit: nothing to reveal. After an attempt whose fate is unknown a
		// refusal may mean the chain holds it already; then it stays pending, unconfirmed.
		return errors.Join(err, s.dropPending(hash))
	case err != nil:
		return err // kept unconfirmed: it may have landed
	}
	landedEpoch := subnettypes.EpochIndex(s.cfg.Netuid, hp.Tempo, uint64(rc.Height))
	if err := s.store.Update(func(st *state.State) {
		for i := range st.Pending {
			if string(st.Pending[i].Hash) == string(hash) {
				st.Pending[i].Height, st.Pending[i].Epoch, st.Pending[i].TxHash = rc.Height, landedEpoch, rc.TxHash
			}
		}
	}); err != nil {
		return fmt.Errorf("save confirmed commit: %w", err)
	}
	s.log.Info("weights committed", "height", rc.Height, "tx", rc.TxHash, "epoch", landedEpoch, "reveal_epoch", landedEpoch+hp.CommitRevealPeriod, "uids", len(row.UIDs))
	return s.landed(KindCommit, rc, hp, len(row.UIDs))
}

func (s *Submitter) reveal(ctx context.Context, height int64, epoch uint64, hp Hyperparameters) error {
	st := s.store.Snapshot()
	var errs []error
	for _, c := range st.Pending {
		due := c.Epoch + hp.CommitRevealPeriod
		last := due
		if !c.Confirmed() {
			last = due + 1 // it may have landed in the next tempo
		}
		switch {
		case epoch < due:
			continue
		case epoch > last:
			s.log.Warn("reveal window passed; commit forgotten", "commit_epoch", c.Epoch, "due_epoch", due, "epoch", epoch, "confirmed", c.Confirmed(), "tx", c.TxHash)
			s.observe(KindReveal, "missed")
			errs = append(errs, s.dropPending(c.Hash))
			continue
		case s.refused[KindReveal+string(c.Hash)] == epoch+1:
			continue
		}
		row := Row{UIDs: c.UIDs, Weights: c.Weights}
		rc, err := s.send(ctx, KindReveal, epoch, func(ctx context.Context) (Receipt, error) {
			return s.chain.RevealWeights(ctx, s.cfg.Netuid, row, c.Salt, c.VersionKey)
		})
		if errors.Is(err, ErrRefused) {
			s.refused[KindReveal+string(c.Hash)] = epoch + 1
			if c.Confirmed() || epoch == last {
				errs = append(errs, s.dropPending(c.Hash))
			}
			errs = append(errs, err)
			continue
		}
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		if err := s.dropPending(c.Hash); err != nil {
			return err
		}
		s.log.Info("weights revealed", "height", rc.Height, "tx", rc.TxHash, "commit_epoch", c.Epoch, "uids", len(row.UIDs))
		if err := s.landed(KindReveal, rc, hp, len(row.UIDs)); err != nil {
			return err
		}
	}
	return errors.Join(errs...)
}

func (s *Submitter) dropPending(hash []byte) error {
	return s.store.Update(func(st *state.State) {
		kept := st.Pending[:0]
		for _, c := range st.Pending {
			if string(c.Hash) != string(hash) {
				kept = append(kept, c)
			}
		}
		st.Pending = kept
	})
}

func (s *Submitter) landed(kind string, rc Receipt, hp Hyperparameters, uids int) error {
	sub := state.Submission{Kind: kind, Height: rc.Height, Epoch: subnettypes.EpochIndex(s.cfg.Netuid, hp.Tempo, uint64(rc.Height)), TxHash: rc.TxHash, UIDs: uids}
	if kind == KindSet {
		s.log.Info("weights set", "height", rc.Height, "tx", rc.TxHash, "epoch", sub.Epoch, "uids", uids)
	}
	if err := s.store.Update(func(st *state.State) {
		st.Last = &sub
		if kind != KindReveal {
			st.RowAt = rc.Height
		}
	}); err != nil {
		return fmt.Errorf("save last submission: %w", err)
	}
	return nil
}

// send runs one transaction with retries: every failure but a refusal is retried after a wait that
// doubles from MinBackoff up to MaxBackoff, up to Attempts tries.
func (s *Submitter) send(ctx context.Context, kind string, epoch uint64, tx func(context.Context) (Receipt, error)) (Receipt, error) {
	wait := s.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		rc, err := tx(ctx)
		if err == nil {
			s.observe(kind, OutcomeOK)
			return rc, nil
		}
		if errors.Is(err, ErrRefused) {
			s.refused[kind] = epoch + 1
			s.observe(kind, OutcomeRefused)
			s.log.Error("weights transaction refused", "kind", kind, "epoch", epoch, "attempt", attempt, "err", err)
			return Receipt{}, fmt.Errorf("%s weights: %w", kind, err)
		}
		if attempt >= s.cfg.Attempts || ctx.Err() != nil {
			s.observe(kind, OutcomeError)
			s.log.Error("weights transaction failed; giving up until the next tick", "kind", kind, "epoch", epoch, "attempts", attempt, "err", err)
			return Receipt{}, fmt.Errorf("%s weights after %d attempts: %w", kind, attempt, err)
		}
		s.observe(kind, OutcomeRetry)
		s.log.Warn("weights transaction failed; retrying", "kind", kind, "epoch", epoch, "attempt", attempt, "retry_in", wait, "err", err)
		if err := s.sleep(ctx, wait); err != nil {
			s.observe(kind, OutcomeError)
			return Receipt{}, fmt.Errorf("%s weights: %w", kind, err)
		}
		wait = min(2*wait, s.cfg.MaxBackoff)
	}
}

func (s *Submitter) observe(kind, outcome string) {
	if s.obs != nil {
		s.obs.Submission(kind, outcome)
	}
}
