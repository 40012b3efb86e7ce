package tasks

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference/builtin"
)

func generator(t testing.TB) *Generator {
	t.Helper()
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGenerator(set, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestTaskIsDeterministic(t *testing.T) {
	g := generator(t)
	for i := range uint32(20) {
		a, b := g.Task(42, i, "mind1miner"), g.Task(42, i, "mind1miner")
		if a.ID != b.ID || a.Request.Prompt != b.Request.Prompt || a.Request.Seed != b.Request.Seed ||
			a.Request.Temperature != b.Request.Temperature || a.Request.MaxTokens != b.Request.MaxTokens {
			t.Fatalf("task %d differs between two calls: %+v / %+v", i, a, b)
		}
		if err := a.Request.Validate(); err != nil {
			t.Fatalf("task %d: %v", i, err)
		}
	}
}

// TestGroupSharesBodyNotNonce: miners of one group get the same question with their own nonce line
// and, when sampling, their own seed.
func TestGroupSharesBodyNotNonce(t *testing.T) {
	g := generator(t)
	sampled := 0
	for i := range uint32(40) {
		a, b := g.Task(7, i, "mind1alice"), g.Task(7, i, "mind1bob")
		if a.Group != b.Group || a.Source != b.Source || a.Request.MaxTokens != b.Request.MaxTokens ||
			a.Request.Temperature != b.Request.Temperature || a.Deadline != b.Deadline {
			t.Fatalf("group %d: settings differ between miners", i)
		}
		if a.ID == b.ID {
			t.Fatalf("group %d: two miners share task ID %s", i, a.ID)
		}
		nonceA, nonceB := NonceLinePrefix+a.ID+"\n", NonceLinePrefix+b.ID+"\n"
		headA, tailA, okA := strings.Cut(a.Request.Prompt, nonceA)
		headB, tailB, okB := strings.Cut(b.Request.Prompt, nonceB)
		if !okA || !okB {
			t.Fatalf("group %d: prompt lacks its nonce line: %q", i, a.Request.Prompt)
		}
		if headA != headB || tailA != tailB {
			t.Fatalf("group %d: bodies differ", i)
		}
		// The nonce line stands before the body's last line, so the head is shared and the miner's
		// continuation still follows its own nonce.
		if strings.Contains(strings.TrimSuffix(tailA, "\n"), "\n") {
			t.Fatalf("group %d: more than the last line after the nonce: %q", i, tailA)
		}
		if a.Sampled() {
			sampled++
			if a.Request.Seed == b.Request.Seed {
				t.Fatalf("group %d: sampled tasks share a seed", i)
			}
		} else if a.Request.Seed != 0 || b.Request.Seed != 0 {
			t.Fatalf("greedy task carries a seed")
		}
	}
	if sampled == 0 {
		t.Fatal("no sampled task in 40 groups")
	}
}

func TestTasksAreUniqueAndMixed(t *testing.T) {
	g := generator(t)
	prompts := map[string]bool{}
	sources := map[string]bool{}
	sampled, n := 0, 0
	for seed := range uint64(40) {
		for i := range uint32(50) {
			task := g.Task(seed, i, "mind1miner")
			if prompts[task.Request.Prompt] {
				t.Fatalf("prompt repeated: %q", task.Request.Prompt)
			}
			prompts[task.Request.Prompt] = true
			sources[task.Source] = true
			if task.Sampled() {
				sampled++
				if task.Request.TopP != 0.95 || !slices.Contains([]float64{0.7, 0.8, 1.0}, task.Request.Temperature) {
					t.Fatalf("sampled task settings %+v", task.Request)
				}
			}
			if want := 2*time.Second + time.Duration(task.Request.MaxTokens)*50*time.Millisecond; task.Deadline != want {
				t.Fatalf("deadline %v, want %v", task.Deadline, want)
			}
			n++
		}
	}
	// 2000 draws at 25%: the count is fixed by the seeds; the bounds only catch a broken mix.
	if sampled < n/5 || sampled > n*3/10 {
		t.Fatalf("%d of %d tasks sampled, want about a quarter", sampled, n)
	}
	if len(sources) < 150 {
		t.Fatalf("only %d of the prompts drawn in %d tasks", len(sources), n)
	}
}

// TestEveryPromptFitsTheModel encodes every prompt, with its nonce line and several variations, with
// the built-in model's tokenizer and checks that the largest answer still fits the context.
func TestEveryPromptFitsTheModel(t *testing.T) {
	m, err := builtin.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctxLen := m.Config().MaxPositionEmbeddings
	longest := slices.Max(DefaultConfig().MaxTokens)
	set, _ := Default()
	worst, worstName := 0, ""
	for i := range set.Len() {
		p := set.Prompt(i)
		for seed := range uint64(8) {
			text := NonceLinePrefix + "0123456789abcdef\n" + p.render(rngFor(seed))
			if n := len(m.EncodePrompt(text)); n > worst {
				worst, worstName = n, p.Name
			}
		}
	}
	t.Logf("longest prompt: %s, %d tokens with BOS; context %d, max answer %d", worstName, worst, ctxLen, longest)
	if worst+longest > ctxLen {
		t.Fatalf("prompt %s takes %d tokens: with %d answer tokens it overflows the %d-token context", worstName, worst, longest, ctxLen)
	}
}

func TestProtoCarriesTheRequest(t *testing.T) {
	g := generator(t)
	for i := range uint32(20) {
		task := g.Task(3, i, "mind1miner")
		p := task.Proto()
		if p.GetPrompt() != task.Request.Prompt || int(p.GetMaxTokens()) != task.Request.MaxTokens ||
			p.GetTemperature() != task.Request.Temperature || p.GetTopP() != task.Request.TopP || p.GetSeed() != task.Request.Seed {
			t.Fatalf("proto %v for %+v", p, task.Request)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.SampledPermille = 1001 },
		func(c *Config) { c.MaxTokens = nil },
		func(c *Config) { c.MaxTokens = []int{0} },
		func(c *Config) { c.Temperatures = nil },
		func(c *Config) { c.Temperatures = []float64{0} },
		func(c *Config) { c.TopP = 0 },
		func(c *Config) { c.BaseDeadline = 0 },
	}
	set, _ := Default()
	for i, mutate := range bad {
		c := DefaultConfig()
		mutate(&c)
		if _, err := NewGenerator(set, c); !errors.Is(err, ErrConfig) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if _, err := NewGenerator(nil, DefaultConfig()); !errors.Is(err, ErrConfig) {
		t.Errorf("nil set: %v", err)
	}
}
