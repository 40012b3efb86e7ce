package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/status"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/openai"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/modelwatch"
	"github.com/mindnet/mindnet/validator/config"
	"github.com/mindnet/mindnet/validator/round"
	"github.com/mindnet/mindnet/validator/scoreboard"
	"github.com/mindnet/mindnet/validator/scoring"
	"github.com/mindnet/mindnet/validator/state"
	"github.com/mindnet/mindnet/validator/submit"
	"github.com/mindnet/mindnet/validator/tasks"
	"github.com/mindnet/mindnet/validator/weights"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// ErrNotRegistered says the hotkey holds no UID; its message gives the command that fixes it.
var ErrNotRegistered = errors.New("hotkey is not registered on the subnet")

// Service is a configured validator, connected to its chain node.
type Service struct {
	cfg      config.Config
	log      *slog.Logger
	chain    *chainclient.Client
	signer   *axonauth.Signer
	engine   inference.Engine
	verifier verify.Verifier
	model    *folder.Folder
	watch    *modelwatch.Watch
	scorer   *scoring.Scorer
	gen      *tasks.Generator
	store    *state.Store
	metrics  *Metrics

	boardMu sync.Mutex
	board   *scoreboard.Board

	lastRound atomic.Int64 // unix nanoseconds of the last completed round
}

// New loads the hotkey, connects to the node, builds the reference engine and opens the state file.
func New(cfg config.Config, log *slog.Logger) (*Service, error) {
	enc, err := NewEncoding()
	if err != nil {
		return nil, err
	}
	kr, err := chainclient.OpenKeyring(enc, cfg.Chain.KeyringBackend, cfg.Chain.KeyringDir, os.Stdin)
	if err != nil {
		return nil, err
	}
	key, hotkey, err := chainclient.PrivateKey(kr, cfg.Chain.Hotkey)
	if err != nil {
		return nil, fmt.Errorf("load hotkey: %w", err)
	}
	signer, err := axonauth.NewSigner(key)
	if err != nil {
		return nil, err
	}
	engine, verifier, model, err := newReference(cfg)
	if err != nil {
		return nil, err
	}
	scorer, err := scoring.New(verifier, scoring.DefaultConfig())
	if err != nil {
		return nil, err
	}
	set, err := tasks.Load(cfg.Tasks.Prompts)
	if err != nil {
		return nil, err
	}
	gen, err := tasks.NewGenerator(set, tasks.DefaultConfig())
	if err != nil {
		return nil, err
	}
	store, err := state.Open(cfg.State.Path, uint32(cfg.Netuid), hotkey, nil)
	if err != nil {
		return nil, err
	}
	saved := store.Snapshot()
	board, err := scoreboard.Restore(cfg.Scores.Alpha, saved.Scores)
	if err != nil {
		return nil, fmt.Errorf("restore scores from %s: %w", cfg.State.Path, err)
	}
	chain, err := chainclient.Dial(cfg.Chain.GRPC, enc, kr, cfg.Chain.ChainID)
	if err != nil {
		return nil, err
	}
	s := &Service{
		cfg: cfg, log: log.With("netuid", cfg.Netuid, "hotkey", hotkey), chain: chain, signer: signer,
		engine: engine, verifier: verifier, model: model, scorer: scorer, gen: gen, store: store, metrics: NewMetrics(), board: board,
	}
	s.metrics.SetScores(board.Entries())
	s.metrics.Pending.Set(float64(len(saved.Pending)))
	if len(saved.Scores) > 0 || len(saved.Pending) > 0 {
		s.log.Info("resumed from state file", "path", cfg.State.Path, "scored_uids", len(saved.Scores), "pending_commits", len(saved.Pending), "rounds", saved.Rounds)
	}
	return s, nil
}

// NewReference builds the engine answers are verified against, with its verifier: the built-in engine
// running the subnet's model folder (model.dir, the built-in model by default), or an OpenAI-compatible
// server serving that model, for which the folder supplies the tokenizer and special tokens.
func NewReference(cfg config.Config) (inference.Engine, verify.Verifier, error) {
	engine, v, _, err := newReference(cfg)
	return engine, v, err
}

func newReference(cfg config.Config) (inference.Engine, verify.Verifier, *folder.Folder, error) {
	model, err := folder.Open(cfg.Model.Dir)
	if err != nil {
		return nil, verify.Verifier{}, nil, err
	}
	tol := verify.DefaultTolerance
	if cfg.Engine.Precision == "half" {
		tol = verify.HalfPrecisionTolerance
	}
	var engine inference.Engine
	switch cfg.Engine.Kind {
	case "openai":
		engine, err = openai.New(openai.Config{
			BaseURL: cfg.Engine.OpenAIURL, Model: cfg.Engine.Model, APIKey: os.Getenv(cfg.Engine.APIKeyEnv),
			Tokenizer: model.Tokenizer, TokenIDs: cfg.Engine.TokenIDs, BOSID: model.BOSID(), EOSID: model.EOSID(),
		})
	default:
		engine, err = model.Load()
	}
	if err != nil {
		return nil, verify.Verifier{}, nil, err
	}
	return engine, verify.Verifier{Reference: engine, Tokenizer: model.Tokenizer, Tolerance: tol}, model, nil
}

// CheckModel compares model.dir with the model the subnet records on chain and refuses a mismatch,
// printing both digests; Run then keeps comparing and skips rounds while they differ. Where the subnet
// accepts half-precision serving, answers are verified with the half-precision tolerance.
func (s *Service) CheckModel(ctx context.Context) error {
	w, rec, err := modelwatch.Check(ctx, modelwatch.GRPCSource(s.chain.Conn), uint32(s.cfg.Netuid), s.model, s.log)
	if err != nil {
		return err
	}
	s.watch = w
	if rec.ContextLength > 0 {
		tcfg := tasks.DefaultConfig()
		tcfg.ContextLength = int(rec.ContextLength)
		tcfg.CountTokens = func(p string) int { return 1 + len(s.model.Tokenizer.Encode(p)) } // BOS, at most one
		set, err := tasks.Load(s.cfg.Tasks.Prompts)
		if err != nil {
			return err
		}
		if s.gen, err = tasks.NewGenerator(set, tcfg); err != nil {
			return err
		}
	}
	if rec.AllowsHalf() && s.verifier.Tolerance != verify.HalfPrecisionTolerance {
		s.verifier.Tolerance = verify.HalfPrecisionTolerance
		if s.scorer, err = scoring.New(s.verifier, scoring.DefaultConfig()); err != nil {
			return err
		}
	}
	s.log.Info("verifying the subnet's model", "model", rec.Name, "digest", rec.Digest, "precisions", strings.Join(rec.Precisions, ","),
		"model_dir", s.model.Describe(), "tolerance_nats", s.verifier.Tolerance.LogprobTolerance)
	return nil
}

// Hotkey returns the validator's hotkey address.
func (s *Service) Hotkey() string { return s.signer.Address() }

// Metrics returns the validator's metrics.
func (s *Service) Metrics() *Metrics { return s.metrics }

// Close releases the node connection.
func (s *Service) Close() error { return s.chain.Close() }

// CheckRegistration returns the validator's neuron, or ErrNotRegistered with the command to run.
func (s *Service) CheckRegistration(ctx context.Context) (*subnetv1.NeuronInfo, error) {
	q := subnetv1.NewQueryClient(s.chain.Conn)
	res, err := q.NeuronByHotkey(ctx, &subnetv1.QueryNeuronByHotkeyRequest{Netuid: uint32(s.cfg.Netuid), Hotkey: s.Hotkey()})
	// Over gRPC the chain's registered error arrives as text; its description is part of the module's API.
	if err != nil && strings.Contains(status.Convert(err).Message(), subnettypes.ErrHotkeyNotRegistered.Error()) {
		return nil, fmt.Errorf("%w: %s holds no UID on netuid %d; register it with\n  mindnetd tx subnet register %d %s --from <coldkey>\nand stake behind it (root stake, netuid 0; netuid %d instead buys alpha on this subnet) with\n  mindnetd tx subnet add-stake %s 0 <amount>umind --from <coldkey>",
			ErrNotRegistered, s.Hotkey(), s.cfg.Netuid, s.cfg.Netuid, s.Hotkey(), s.cfg.Netuid, s.Hotkey())
	}
	if err != nil {
		return nil, fmt.Errorf("look up neuron: %w", err)
	}
	n := res.GetNeuron()
	if !n.GetValidatorPermit() {
		s.log.Warn("the hotkey holds no validator permit yet: miners that require one refuse its calls and the chain refuses its weights; permits go to the top neurons by stake at each epoch", "uid", n.GetUid(), "stake", n.GetStake())
	}
	return n, nil
}

// Run validates until ctx is cancelled.
func (s *Service) Run(ctx context.Context) error {
	cache := metagraph.New(metagraph.Config{
		Netuid: uint32(s.cfg.Netuid), RefreshInterval: s.cfg.Metagraph.Refresh, MinBackoff: time.Second,
		MaxBackoff: 30 * time.Second, MaxStaleness: s.cfg.Metagraph.MaxStaleness, FetchTimeout: 10 * time.Second,
	}, metagraph.NewGRPCSource(s.chain.Conn, nil), s.log, nil, s.metrics.MetagraphSynced)

	pool := round.NewPool(axonclient.New(s.signer, s.cfg.Netuid, nil))
	defer pool.Close()
	runner, err := round.New(round.Config{
		SampleSize: s.cfg.Round.SampleSize, TasksPerMiner: s.cfg.Round.TasksPerMiner,
		MaxInFlight: s.cfg.Round.MaxInFlight, Grace: s.cfg.Round.Grace,
	}, s.Hotkey(), s.gen, pool, s.scorer, s.log)
	if err != nil {
		return err
	}
	scfg := submit.DefaultConfig(uint32(s.cfg.Netuid), s.Hotkey())
	scfg.VersionKey, scfg.Attempts = s.cfg.Weights.VersionKey, s.cfg.Weights.Attempts
	scfg.MinBackoff, scfg.MaxBackoff = s.cfg.Weights.MinBackoff, s.cfg.Weights.MaxBackoff
	submitter, err := submit.New(scfg, NewChain(s.chain, s.cfg.Chain.Hotkey, s.Hotkey(), s.cfg.Chain.TxTimeout), s.store, s.log, s.metrics)
	if err != nil {
		return err
	}

	ops := http.NewServeMux()
	ops.Handle("/metrics", promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{}))
	ops.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if err := s.health(cache); err != nil {
			http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	opsServer := &http.Server{Addr: s.cfg.Ops.Listen, Handler: ops, ReadHeaderTimeout: 10 * time.Second}

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return cache.Run(ctx) })
	if s.watch != nil {
		g.Go(func() error { return s.watch.Run(ctx, s.cfg.Metagraph.Refresh) })
	}
	g.Go(func() error { return s.roundLoop(ctx, cache, runner, pool) })
	g.Go(func() error { return s.submitLoop(ctx, cache, submitter) })
	g.Go(func() error {
		s.log.Info("validating", "ops", s.cfg.Ops.Listen, "engine", s.engine.Info().Backend, "model", s.engine.Info().Model, "state", s.cfg.State.Path)
		if err := opsServer.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve %s: %w", s.cfg.Ops.Listen, err)
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		s.log.Info("shutting down: finishing the round and transaction in flight")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = opsServer.Shutdown(shutdownCtx)
		return nil
	})
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// health is healthy while the metagraph view is fresh and rounds keep completing.
func (s *Service) health(cache *metagraph.Cache) error {
	if _, err := cache.View(); err != nil {
		return err
	}
	if last := s.lastRound.Load(); last > 0 {
		limit := 3*s.cfg.Round.Interval + 2*time.Minute
		if age := time.Since(time.Unix(0, last)); age > limit {
			return fmt.Errorf("no round completed for %s", age.Round(time.Second))
		}
	}
	return nil
}

// roundLoop runs a round every round.interval once the metagraph is known. A round in progress when
// ctx ends is abandoned; nothing of it is saved.
func (s *Service) roundLoop(ctx context.Context, cache *metagraph.Cache, runner *round.Runner, pool *round.Pool) error {
	ticker := time.NewTicker(s.cfg.Round.Interval)
	defer ticker.Stop()
	for {
		if s.watch != nil && s.watch.Err() != nil {
			s.log.Warn("round skipped: the subnet's model is not the loaded one", "err", s.watch.Err())
		} else if snap, err := cache.View(); err != nil {
			s.log.Debug("no metagraph yet; round skipped", "err", err)
		} else if err := s.runRound(ctx, snap, runner, pool); err != nil && ctx.Err() == nil {
			s.log.Error("round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

func (s *Service) runRound(ctx context.Context, snap *metagraph.Snapshot, runner *round.Runner, pool *round.Pool) error {
	pool.Prune(snap)
	s.boardMu.Lock()
	reset, err := s.board.Sync(snap)
	s.boardMu.Unlock()
	if err != nil {
		return err
	}
	for _, uid := range reset {
		s.log.Info("UID changed hands or left; its score starts again", "uid", uid)
	}
	seed, err := round.NewSeed()
	if err != nil {
		return err
	}
	rep, err := runner.Run(ctx, snap, seed)
	if err != nil {
		return err
	}
	if len(rep.Sampled) == 0 {
		s.log.Info("no serving miners to query", "height", snap.Height)
		return nil
	}
	s.boardMu.Lock()
	var errs []error
	for _, r := range rep.Results {
		s.metrics.Queries.WithLabelValues(r.Reason).Inc()
		s.metrics.QueryLatency.Observe(r.Latency.Seconds())
		if r.Verdict != nil {
			s.metrics.Verification.Observe(r.VerifyTime.Seconds())
		}
		if r.Reason == scoring.ReasonOK {
			s.log.Debug("answer scored", "uid", r.UID, "hotkey", r.Hotkey, "task", r.TaskID, "score", r.Score, "detail", r.Detail)
		} else {
			s.log.Info("answer scored zero", "uid", r.UID, "hotkey", r.Hotkey, "task", r.TaskID, "reason", r.Reason, "detail", r.Detail)
		}
		if err := s.board.Observe(r.UID, r.Hotkey, r.Score); err != nil {
			errs = append(errs, err)
		}
	}
	entries := s.board.Entries()
	s.boardMu.Unlock()
	if rep.Unscored > 0 {
		s.metrics.Unscored.Add(float64(rep.Unscored))
		s.log.Error("answers left unscored: the reference engine failed", "count", rep.Unscored, "err", rep.ScoreErr)
	}
	if err := s.store.Update(func(st *state.State) {
		st.Scores, st.Alpha = entries, s.cfg.Scores.Alpha
		st.Rounds++
	}); err != nil {
		errs = append(errs, fmt.Errorf("save scores: %w", err))
	}
	s.metrics.SetScores(entries)
	s.metrics.Rounds.Inc()
	s.metrics.RoundDuration.Observe(rep.Elapsed.Seconds())
	s.lastRound.Store(time.Now().UnixNano())
	s.log.Info("round done", "seed", rep.Seed, "height", snap.Height, "miners", len(rep.Sampled), "answers", len(rep.Results), "elapsed", rep.Elapsed.Round(time.Millisecond))
	return errors.Join(errs...)
}

// submitLoop checks every weights.check_interval whether a weight transaction is due. A transaction
// in flight when ctx ends is given up: its commit, if any, is already saved.
func (s *Service) submitLoop(ctx context.Context, cache *metagraph.Cache, submitter *submit.Submitter) error {
	ticker := time.NewTicker(s.cfg.Weights.CheckInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
		err := submitter.Tick(ctx, func(hp submit.Hyperparameters) (submit.Row, error) {
			snap, err := cache.View()
			if err != nil {
				return submit.Row{}, err
			}
			s.boardMu.Lock()
			defer s.boardMu.Unlock()
			return Vector(s.board, snap, s.Hotkey(), hp)
		})
		if err != nil && ctx.Err() == nil {
			s.log.Warn("weights not submitted this check", "err", err)
		}
		st := s.store.Snapshot()
		s.metrics.Pending.Set(float64(len(st.Pending)))
		if st.Last != nil {
			s.metrics.LastHeight.WithLabelValues(st.Last.Kind).Set(float64(st.Last.Height))
		}
	}
}

// Vector turns the board into the row to submit: every UID of the subnet but the validator's own is a
// candidate (its own joins only when min_allowed_weights needs it, and the epoch masks self-weights
// anyway), scored by its moving average when the board knows it under the current hotkey, else 0.
// Before any answer was scored it returns submit.ErrNothingToSubmit.
func Vector(board *scoreboard.Board, snap *metagraph.Snapshot, self string, hp submit.Hyperparameters) (submit.Row, error) {
	observed := false
	var cands []weights.Score
	var own *weights.Score
	for _, n := range snap.Neurons {
		sc := weights.Score{UID: uint16(n.UID)}
		if e, ok := board.Get(uint16(n.UID)); ok && e.Hotkey == n.Hotkey {
			sc.Value = e.EMA
			observed = observed || e.Count > 0
		}
		if n.Hotkey == self {
			own = &sc
			continue
		}
		cands = append(cands, sc)
	}
	if !observed {
		return submit.Row{}, submit.ErrNothingToSubmit
	}
	lim := hp.Limits()
	if own != nil && len(cands) < min(int(lim.MinAllowedWeights), len(snap.Neurons)) {
		cands = append(cands, *own)
	}
	v, err := weights.FromScores(cands, lim)
	if err != nil {
		return submit.Row{}, err
	}
	if err := weights.Check(v, lim, len(snap.Neurons)); err != nil {
		return submit.Row{}, err
	}
	return submit.RowOf(v), nil
}
