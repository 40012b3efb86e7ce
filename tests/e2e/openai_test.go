//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/devnet"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/testutil/liars"
	"github.com/mindnet/mindnet/testutil/openaitest"
)

// TestOpenAIMinersEarnLikeBuiltinAndLiarsDoNot runs, on one devnet, a miner on the built-in engine, two
// miners in front of mindnet-serve with docs/mining.md's flags (tokens as text, as vLLM names them by
// default, and as ids), and miners in front of servers that lie in every way testutil/liars knows. The
// subnet validator verifies through a mindnet-serve of its own (engine.kind openai, docs/validating.md).
// Over five
// epochs the OpenAI miners must earn within 10% of the built-in miner's incentive, each liar under 10%
// of the least honest miner's, and the honest miners must hold over 90% of the incentive together.
func TestOpenAIMinersEarnLikeBuiltinAndLiarsDoNot(t *testing.T) {
	root := repoRoot(t)
	tiny, err := folder.Open("")
	if err != nil {
		t.Fatal(err)
	}
	honest := openaitest.Handler(t, "", devnet.ServedModel)
	other := openaitest.Handler(t, filepath.Join(root, "inference", "llama", "testdata", "gocode-alt"), devnet.ServedModel)
	cfg := devnet.DefaultConfig(root)
	cfg.Bin = buildBinaries(t, root)
	// Logs outlive a failed run for a look afterwards.
	dir, err := os.MkdirTemp("", "mindnet-openai-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Dir = dir
	t.Cleanup(func() {
		if !t.Failed() {
			_ = os.RemoveAll(dir)
		}
	})
	cfg.HonestMiners, cfg.OpenAIMiners, cfg.OddMiners = 1, 2, 0
	cfg.ValidatorOpenAI = true
	cfg.Log = func(format string, args ...any) { t.Logf(format, args...) }
	for _, kind := range liars.Kinds {
		// The start-up check's one completion is answered honestly, so the lies reach the validator.
		h, err := liars.Wrap(honest, liars.Config{Kind: kind, Honest: 1, Delay: 20 * time.Second, Tokenizer: tiny.Tokenizer, Other: other})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		cfg.ExtraMiners = append(cfg.ExtraMiners, devnet.ExtraMiner{Name: "liar-" + kind,
			Engine: []string{"--engine.kind", "openai", "--engine.openai_url", srv.URL + "/v1", "--engine.model", devnet.ServedModel}})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	net, err := devnet.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("devnet: %v", err)
	}
	t.Cleanup(func() {
		net.Stop()
		if t.Failed() {
			for _, l := range net.Logs() {
				t.Logf("log kept at %s", l)
			}
		}
	})
	role := func(hotkey string) string { return net.Labels[hotkey] }

	// Scores are moving averages (alpha 0.1 a round, a round every 4 s) that start at zero for every
	// miner when the validator first reaches it, and miners announce their axons one after another; a
	// miner reached a few rounds later trails for a while (1-0.9^n). Weights also reach the chain a
	// commit-reveal period after they are set. So counting starts eight epochs after the first payout.
	tempo := int64(cfg.Tempo)
	var first int64
	deadline := time.Now().Add(10 * time.Minute)
	total := map[string]float64{}
	samples, last := 0, int64(0)
	for samples < 5 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d epochs sampled in time", samples)
		}
		time.Sleep(2 * time.Second)
		m, err := restMetagraph(t, net.Netuid)
		if err != nil {
			continue
		}
		b := blocks(m)
		if first == 0 {
			if paid(m) {
				first = b
			}
			continue
		}
		if b < first+8*tempo || b < last+tempo {
			continue
		}
		last = b
		samples++
		var line []string
		for _, n := range m.Neurons {
			total[role(n.Hotkey)] += float64(n.Incentive)
			line = append(line, fmt.Sprintf("%s=%d", role(n.Hotkey), n.Incentive))
		}
		t.Logf("block %d: %s", b, strings.Join(line, " "))
	}
	for _, p := range net.Miners {
		if !p.Running() {
			t.Errorf("%s exited; see %s", p.Name, p.Log)
		}
	}

	builtin := total["miner-1"]
	if builtin == 0 {
		t.Fatal("the built-in miner earned nothing")
	}
	minHonest, honestSum, all := builtin, builtin, 0.0
	for _, name := range []string{"openai-1", "openai-2"} {
		got := total[name]
		t.Logf("%s earned %.0f, the built-in miner %.0f (ratio %.3f)", name, got, builtin, got/builtin)
		if got < 0.9*builtin || got > 1.1*builtin {
			t.Errorf("%s earned %.0f, not within 10%% of the built-in miner's %.0f", name, got, builtin)
		}
		minHonest = min(minHonest, got)
		honestSum += got
	}
	for name, v := range total {
		all += v
		if strings.HasPrefix(name, "liar-") {
			t.Logf("%s earned %.0f (%.3f of the least honest miner)", name, v, v/minHonest)
			if v >= 0.1*minHonest {
				t.Errorf("%s earned %.0f, not under 10%% of the least honest miner's %.0f", name, v, minHonest)
			}
		}
	}
	if honestSum < 0.9*all {
		t.Errorf("the honest miners hold %.0f of %.0f incentive: the liars took their share", honestSum, all)
	}
}
