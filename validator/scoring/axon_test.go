package scoring

import (
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/builtin"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/miner/server"
	"github.com/mindnet/mindnet/validator/tasks"
)

// This file runs real axon servers (package miner/server) on loopback, each backed by a real engine:
// the built-in model for honest miners, the gocode-alt model for a miner serving another model, and
// the built-in model behind a doctor that alters answers, delays or withholds them.

const netuid = 1

func signer(t testing.TB, seed string) *axonauth.Signer {
	t.Helper()
	k := sha256.Sum256([]byte(seed))
	s, err := axonauth.NewSigner(k[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// doctored wraps an engine: wait runs before generating (to delay or withhold the answer), alter
// rewrites the answer before the miner signs it.
type doctored struct {
	inference.Engine
	wait  func(ctx context.Context) error
	alter func(req inference.Request, res inference.Result) inference.Result
}

func (d doctored) Generate(ctx context.Context, req inference.Request) (inference.Result, error) {
	if d.wait != nil {
		if err := d.wait(ctx); err != nil {
			return inference.Result{}, err
		}
	}
	res, err := d.Engine.Generate(ctx, req)
	if err != nil || d.alter == nil {
		return res, err
	}
	return d.alter(req, res), nil
}

func sleep(d time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

type staticView struct{ snap *metagraph.Snapshot }

func (v staticView) View() (*metagraph.Snapshot, error) { return v.snap, nil }

// axonMiner is one miner serving on loopback.
type axonMiner struct {
	uid    uint16
	signer *axonauth.Signer
	conn   *grpc.ClientConn
}

type network struct {
	validator *axonauth.Signer
	client    *axonclient.Client
	ref       *llama.Model
	alt       *llama.Model
	scorer    *Scorer
	gen       *tasks.Generator
	snap      *metagraph.Snapshot
}

func newNetwork(t testing.TB) *network {
	t.Helper()
	ref, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	alt, err := llama.LoadDir("../../inference/llama/testdata/gocode-alt")
	if err != nil {
		t.Fatal(err)
	}
	set, err := tasks.Default()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := tasks.NewGenerator(set, tasks.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := New(verify.Verifier{Reference: ref, Tokenizer: ref.Tokenizer(), Tolerance: verify.DefaultTolerance}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	v := signer(t, "validator")
	return &network{validator: v, client: axonclient.New(v, netuid, nil), ref: ref, alt: alt, scorer: sc, gen: gen}
}

// serve starts miners (by name) backed by engines; the metagraph lists the validator as UID 0 and the
// miners from UID 1 in the order given.
func (n *network) serve(t testing.TB, names []string, engines map[string]inference.Engine) map[string]*axonMiner {
	t.Helper()
	neurons := []metagraph.Neuron{{UID: 0, Hotkey: n.validator.Address(), Stake: 1_000_000, ValidatorPermit: true}}
	miners := map[string]*axonMiner{}
	for i, name := range names {
		m := &axonMiner{uid: uint16(i + 1), signer: signer(t, "miner-"+name)}
		miners[name] = m
		neurons = append(neurons, metagraph.Neuron{UID: uint32(m.uid), Hotkey: m.signer.Address()})
	}
	n.snap = metagraph.NewSnapshot(netuid, 1, neurons, time.Now())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, name := range names {
		m := miners[name]
		srv := server.New(server.DefaultConfig(netuid), engines[name], m.signer,
			server.CallerPolicy{Metagraph: staticView{n.snap}, RequirePermit: true}, log, nil)
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		gs := grpc.NewServer(srv.GRPCOptions()...)
		axonv1.RegisterAxonServer(gs, srv)
		go func() { _ = gs.Serve(lis) }()
		t.Cleanup(gs.Stop)
		m.conn, err = grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = m.conn.Close() })
	}
	return miners
}

// ask sends task to m the way a validator round does: one call under a timeout, timed from sending
// to holding the whole answer.
func (n *network) ask(t testing.TB, m *axonMiner, task tasks.Task, timeout time.Duration) Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	start := time.Now()
	ans, err := n.client.Generate(ctx, m.conn, m.signer.Address(), task.Proto())
	return Outcome{UID: m.uid, Hotkey: m.signer.Address(), Task: task, Answer: ans, Err: err, Latency: time.Since(start)}
}

// groups returns the index of the first greedy and of the first sampled task group of round seed.
func groups(t testing.TB, gen *tasks.Generator, seed uint64) (greedy, sampled uint32) {
	t.Helper()
	foundG, foundS := false, false
	for i := uint32(0); i < 100 && !(foundG && foundS); i++ {
		task := gen.Task(seed, i, "probe")
		if task.Sampled() && !foundS {
			sampled, foundS = i, true
		} else if !task.Sampled() && !foundG {
			greedy, foundG = i, true
		}
	}
	if !foundG || !foundS {
		t.Fatal("no greedy or no sampled group in 100")
	}
	return greedy, sampled
}

// retext recomputes a doctored answer's text from its tokens, as a forger would, so that it is caught
// by the model checks and not by the text check. Invalid UTF-8 becomes U+FFFD, as a JSON server's
// would, since protobuf strings must be valid UTF-8.
func retext(m *llama.Model, res inference.Result) inference.Result {
	text, _ := m.Tokenizer().Decode(res.TokenIDs())
	res.Text = string([]rune(text))
	return res
}

func randomTokens(m *llama.Model, seed uint64) func(inference.Request, inference.Result) inference.Result {
	return func(_ inference.Request, res inference.Result) inference.Result {
		rng := rand.New(rand.NewPCG(seed, seed))
		vocab := m.Config().VocabSize
		toks := make([]inference.Token, len(res.Tokens))
		for i := range toks {
			toks[i] = inference.Token{ID: 2 + rng.IntN(vocab-2), Logprob: res.Tokens[i].Logprob} // no BOS/EOS
		}
		res.Tokens = toks
		return retext(m, res)
	}
}
