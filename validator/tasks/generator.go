package tasks

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/inference"
)

// Config says how tasks are drawn.
type Config struct {
	// SampledPermille is the share of task groups, in thousandths, that ask for seeded sampling;
	// the rest ask for greedy decoding, whose answers the verifier checks token by token.
	SampledPermille int
	// MaxTokens lists the answer lengths a task may ask for; one is drawn per group.
	MaxTokens []int
	// Temperatures lists the sampling temperatures a sampled task may ask for.
	Temperatures []float64
	// TopP is the nucleus mass of sampled tasks.
	TopP float64
	// BaseDeadline plus DeadlinePerToken for every token asked is how long a miner has to answer,
	// counted by the validator from sending the request to receiving the whole answer.
	BaseDeadline     time.Duration
	DeadlinePerToken time.Duration
	// ContextLength, when above 0, bounds prompt and answer together in tokens (the subnet's model
	// record says how much context its validators' tasks may use); CountTokens counts a prompt's
	// tokens as the subnet's model does, BOS included. A task whose prompt leaves less room asks
	// for fewer tokens.
	ContextLength int
	CountTokens   func(prompt string) int
}

// DefaultConfig suits the built-in model: answers of 32 or 48 tokens fit its 256-token context
// after the longest prompt; one group in four samples. The deadline (3.6 s for 32 tokens) leaves a
// CPU miner running the built-in engine (4,500 to 9,000 tokens/s on one core, by the CPU) room for
// a queue of other validators' requests; faster miners earn more through the latency and throughput
// terms of the score, not through the deadline.
func DefaultConfig() Config {
	return Config{
		SampledPermille:  250,
		MaxTokens:        []int{32, 48},
		Temperatures:     []float64{0.7, 0.8, 1.0},
		TopP:             0.95,
		BaseDeadline:     2 * time.Second,
		DeadlinePerToken: 50 * time.Millisecond,
	}
}

// ErrConfig marks a task configuration that cannot be used.
var ErrConfig = errors.New("tasks: bad config")

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.SampledPermille < 0 || c.SampledPermille > 1000:
		return fmt.Errorf("%w: sampled permille %d outside [0, 1000]", ErrConfig, c.SampledPermille)
	case len(c.MaxTokens) == 0:
		return fmt.Errorf("%w: no max tokens to choose from", ErrConfig)
	case c.SampledPermille > 0 && len(c.Temperatures) == 0:
		return fmt.Errorf("%w: sampled tasks but no temperatures", ErrConfig)
	case c.TopP <= 0 || c.TopP > 1 || math.IsNaN(c.TopP):
		return fmt.Errorf("%w: top-p %v outside (0, 1]", ErrConfig, c.TopP)
	case c.BaseDeadline <= 0 || c.DeadlinePerToken < 0:
		return fmt.Errorf("%w: deadline %v + %v per token", ErrConfig, c.BaseDeadline, c.DeadlinePerToken)
	}
	for _, n := range c.MaxTokens {
		if n < 1 {
			return fmt.Errorf("%w: max tokens %d", ErrConfig, n)
		}
	}
	for _, t := range c.Temperatures {
		if !(t > 0) || math.IsInf(t, 0) {
			return fmt.Errorf("%w: temperature %v must be positive (greedy tasks are the unsampled share)", ErrConfig, t)
		}
	}
	return nil
}

// Generator draws tasks from a prompt set.
type Generator struct {
	set *Set
	cfg Config
}

// NewGenerator returns a generator over set.
func NewGenerator(set *Set, cfg Config) (*Generator, error) {
	if set == nil || set.Len() == 0 {
		return nil, fmt.Errorf("%w: empty prompt set", ErrConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.MaxTokens = slices.Clone(cfg.MaxTokens)
	cfg.Temperatures = slices.Clone(cfg.Temperatures)
	return &Generator{set: set, cfg: cfg}, nil
}

// Task is one question for one miner.
type Task struct {
	// ID is unique to (round seed, index, miner); it is the nonce in the prompt's nonce line.
	ID string
	// Group is shared by the tasks of one round seed and index: same prompt body, same settings.
	Group string
	// Source names the prompt of the set that the task varies.
	Source   string
	Request  inference.Request
	Deadline time.Duration
}

// Sampled reports whether the task asks for sampling rather than greedy decoding.
func (t Task) Sampled() bool { return !t.Request.Greedy() }

// Proto is the axon request that asks a miner the task.
func (t Task) Proto() *axonv1.GenerateRequest {
	return &axonv1.GenerateRequest{
		Prompt:      t.Request.Prompt,
		MaxTokens:   uint32(t.Request.MaxTokens),
		Temperature: t.Request.Temperature,
		TopP:        t.Request.TopP,
		Seed:        t.Request.Seed,
		Stop:        slices.Clone(t.Request.Stop),
	}
}

// NonceLinePrefix starts the nonce line of every task's prompt; the task ID follows.
const NonceLinePrefix = "// mindnet task "

// withNonce puts the nonce line in front of the body's last line. Everything before it is the same for
// every miner of a group, so the validator prefills that part once per group (inference.PrefixScorer);
// the line after it keeps the point where the code continues (its indentation) intact; and because the
// nonce comes late, every token the miner is asked to produce still depends on it.
func withNonce(body, id string) string {
	cut := 0
	if len(body) > 1 {
		cut = strings.LastIndexByte(body[:len(body)-1], '\n') + 1
	}
	return body[:cut] + NonceLinePrefix + id + "\n" + body[cut:]
}

// Task returns task number index of the round with seed roundSeed, for the miner whose hotkey is
// miner. The same arguments always give the same task.
func (g *Generator) Task(roundSeed uint64, index uint32, miner string) Task {
	var in [12]byte
	binary.BigEndian.PutUint64(in[:8], roundSeed)
	binary.BigEndian.PutUint32(in[8:12], index)
	group := sha256.Sum256(append([]byte("mindnet-task-group-v1"), in[:]...))
	own := sha256.Sum256(append(append([]byte("mindnet-task-miner-v1"), group[:]...), miner...))

	rng := rand.New(rand.NewChaCha8(group))
	p := g.set.prompts[rng.IntN(g.set.Len())]
	req := inference.Request{MaxTokens: g.cfg.MaxTokens[rng.IntN(len(g.cfg.MaxTokens))]}
	if rng.IntN(1000) < g.cfg.SampledPermille {
		req.Temperature = g.cfg.Temperatures[rng.IntN(len(g.cfg.Temperatures))]
		req.TopP = g.cfg.TopP
		req.Seed = binary.BigEndian.Uint64(own[8:16])
	}
	id := hex.EncodeToString(own[:8])
	req.Prompt = withNonce(p.render(rng), id)
	if g.cfg.ContextLength > 0 && g.cfg.CountTokens != nil {
		if room := g.cfg.ContextLength - g.cfg.CountTokens(req.Prompt); room < req.MaxTokens {
			req.MaxTokens = max(1, room)
		}
	}
	return Task{
		ID:       id,
		Group:    hex.EncodeToString(group[:8]),
		Source:   p.Name,
		Request:  req,
		Deadline: g.cfg.BaseDeadline + time.Duration(req.MaxTokens)*g.cfg.DeadlinePerToken,
	}
}
