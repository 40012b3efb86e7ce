package round

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/validator/scoring"
	"github.com/mindnet/mindnet/validator/tasks"
)

// ErrConfig marks round settings that cannot be used.
var ErrConfig = errors.New("round: bad config")

// Config says how big a round is.
type Config struct {
	// SampleSize is how many serving miners a round queries (all of them when fewer serve).
	SampleSize int
	// TasksPerMiner is how many tasks each sampled miner gets.
	TasksPerMiner int
	// MaxInFlight bounds the calls open at once across the round.
	MaxInFlight int
	// Grace is added to each task's deadline to make the call's timeout.
	Grace time.Duration
}

// DefaultConfig queries up to 32 miners with one task each, 16 calls at a time, and waits 1 s past
// a task's deadline before giving up on a call.
func DefaultConfig() Config {
	return Config{SampleSize: 32, TasksPerMiner: 1, MaxInFlight: 16, Grace: time.Second}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.SampleSize < 1 || c.TasksPerMiner < 1 || c.MaxInFlight < 1 || c.Grace < 0 {
		return fmt.Errorf("%w: sample %d, tasks per miner %d, in flight %d (each ≥ 1), grace %v (≥ 0)", ErrConfig, c.SampleSize, c.TasksPerMiner, c.MaxInFlight, c.Grace)
	}
	return nil
}

// Caller sends one task to one miner; *axonclient.Client with a connection pool is the real one.
type Caller interface {
	Generate(ctx context.Context, miner metagraph.Neuron, req *axonv1.GenerateRequest) (axonclient.Signed[*axonv1.GenerateResponse], error)
}

// Scorer scores a round's outcomes; *scoring.Scorer is the real one.
type Scorer interface {
	ScoreRound(ctx context.Context, outcomes []scoring.Outcome) ([]scoring.Result, error)
}

// Runner runs rounds.
type Runner struct {
	cfg    Config
	self   string // the validator's hotkey, never queried
	gen    *tasks.Generator
	caller Caller
	scorer Scorer
	log    *slog.Logger
}

// New returns a runner for the validator whose hotkey is self.
func New(cfg Config, self string, gen *tasks.Generator, caller Caller, scorer Scorer, log *slog.Logger) (*Runner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if gen == nil || caller == nil || scorer == nil {
		return nil, fmt.Errorf("%w: a task generator, a caller and a scorer are needed", ErrConfig)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Runner{cfg: cfg, self: self, gen: gen, caller: caller, scorer: scorer, log: log.With("component", "round")}, nil
}

// Report is what a round did.
type Report struct {
	Seed     uint64
	Sampled  []metagraph.Neuron
	Outcomes []scoring.Outcome
	Results  []scoring.Result
	// Unscored counts outcomes the validator could not score (its own engine failed); ScoreErr says why.
	Unscored int
	ScoreErr error
	Elapsed  time.Duration
}

// NewSeed draws a round seed from crypto/rand.
func NewSeed() (uint64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, fmt.Errorf("draw round seed: %w", err)
	}
	return binary.BigEndian.Uint64(b[:]), nil
}

// Serving returns the neurons of snap that serve an axon, other than self, in UID order.
func Serving(snap *metagraph.Snapshot, self string) []metagraph.Neuron {
	var out []metagraph.Neuron
	for _, n := range snap.Neurons {
		if n.Axon != nil && n.Hotkey != self {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b metagraph.Neuron) int { return int(a.UID) - int(b.UID) })
	return out
}

// Sample draws up to k of the serving miners, by the seed, in UID order.
func Sample(serving []metagraph.Neuron, k int, seed uint64) []metagraph.Neuron {
	if len(serving) <= k {
		return slices.Clone(serving)
	}
	rng := mrand.New(mrand.NewPCG(seed, seed^0x6d696e646e6574)) // "mindnet"
	idx := rng.Perm(len(serving))[:k]
	slices.Sort(idx)
	out := make([]metagraph.Neuron, k)
	for i, j := range idx {
		out[i] = serving[j]
	}
	return out
}

// Run runs one round with seed over snap. It returns an error only when the context ended before the
// calls were made; answers that could not be scored are counted in the report.
func (r *Runner) Run(ctx context.Context, snap *metagraph.Snapshot, seed uint64) (Report, error) {
	started := time.Now()
	rep := Report{Seed: seed, Sampled: Sample(Serving(snap, r.self), r.cfg.SampleSize, seed)}
	type job struct {
		miner metagraph.Neuron
		task  tasks.Task
	}
	var jobs []job
	for _, m := range rep.Sampled {
		for i := range r.cfg.TasksPerMiner {
			jobs = append(jobs, job{miner: m, task: r.gen.Task(seed, uint32(i), m.Hotkey)})
		}
	}
	rep.Outcomes = make([]scoring.Outcome, len(jobs))
	sem := make(chan struct{}, r.cfg.MaxInFlight)
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return rep, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			rep.Outcomes[i] = r.ask(ctx, j.miner, j.task)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	results, err := r.scorer.ScoreRound(ctx, rep.Outcomes)
	rep.Results, rep.ScoreErr = results, err
	rep.Unscored = len(rep.Outcomes) - len(results)
	rep.Elapsed = time.Since(started)
	return rep, nil
}

// ask makes one call under the task's timeout, timed from sending to holding the whole answer. The
// clock starts before the timeout does, so that a call cut off by it is never timed at less than it.
func (r *Runner) ask(ctx context.Context, m metagraph.Neuron, task tasks.Task) scoring.Outcome {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, task.Deadline+r.cfg.Grace)
	defer cancel()
	ans, err := r.caller.Generate(ctx, m, task.Proto())
	return scoring.Outcome{UID: uint16(m.UID), Hotkey: m.Hotkey, Task: task, Answer: ans, Err: err, Latency: time.Since(start)}
}

// Pool calls miners through axonclient over one gRPC connection per axon address, kept between
// rounds. It is safe for concurrent use.
type Pool struct {
	client *axonclient.Client

	mu    sync.Mutex
	conns map[string]*grpc.ClientConn
}

// NewPool returns a pool that signs with client.
func NewPool(client *axonclient.Client) *Pool {
	return &Pool{client: client, conns: map[string]*grpc.ClientConn{}}
}

// Address is where a neuron's axon listens.
func Address(a *metagraph.Axon) string {
	return net.JoinHostPort(a.IP, strconv.FormatUint(uint64(a.Port), 10))
}

// Generate implements Caller.
func (p *Pool) Generate(ctx context.Context, miner metagraph.Neuron, req *axonv1.GenerateRequest) (axonclient.Signed[*axonv1.GenerateResponse], error) {
	if miner.Axon == nil {
		return axonclient.Signed[*axonv1.GenerateResponse]{}, fmt.Errorf("UID %d serves no axon", miner.UID)
	}
	conn, err := p.conn(Address(miner.Axon))
	if err != nil {
		return axonclient.Signed[*axonv1.GenerateResponse]{}, err
	}
	return p.client.Generate(ctx, conn, miner.Hotkey, req)
}

func (p *Pool) conn(addr string) (*grpc.ClientConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c, nil
	}
	c, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("dial axon %s: %w", addr, err)
	}
	p.conns[addr] = c
	return c, nil
}

// Prune closes the connections to addresses no neuron of snap serves at any more.
func (p *Pool) Prune(snap *metagraph.Snapshot) {
	live := map[string]bool{}
	for _, n := range snap.Neurons {
		if n.Axon != nil {
			live[Address(n.Axon)] = true
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for addr, c := range p.conns {
		if !live[addr] {
			_ = c.Close()
			delete(p.conns, addr)
		}
	}
}

// Close closes every connection.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for addr, c := range p.conns {
		_ = c.Close()
		delete(p.conns, addr)
	}
}
