package scoring

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/validator/tasks"
)

const roundSeed = 20260704

// TestScoringTable asks real miners over loopback and scores what they answer, plus answers altered
// after the fact, in one round so that copy detection sees them all.
func TestScoringTable(t *testing.T) {
	n := newNetwork(t)
	var leaked inference.Result // what the copier hands back: honest's sampled answer
	engines := map[string]inference.Engine{
		"honest":  n.ref,
		"honest2": n.ref,
		"other":   n.alt,
		"random":  doctored{Engine: n.ref, alter: randomTokens(n.ref, 9)},
		"truncated": doctored{Engine: n.ref, alter: func(_ inference.Request, r inference.Result) inference.Result {
			r.Tokens = r.Tokens[:len(r.Tokens)/2]
			return retext(n.ref, r)
		}},
		"malformed": doctored{Engine: n.ref, alter: func(_ inference.Request, r inference.Result) inference.Result { r.Tokens[3].ID = 5000; return r }},
		"empty": doctored{Engine: n.ref, alter: func(inference.Request, inference.Result) inference.Result {
			return inference.Result{Finish: inference.FinishEOS}
		}},
		"slow":   doctored{Engine: n.ref, wait: sleep(700 * time.Millisecond)},
		"stuck":  doctored{Engine: n.ref, wait: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }},
		"copier": doctored{Engine: n.ref, alter: func(inference.Request, inference.Result) inference.Result { return leaked }},
	}
	names := []string{"honest", "honest2", "other", "random", "truncated", "malformed", "empty", "slow", "stuck", "copier"}
	miners := n.serve(t, names, engines)
	greedy, sampled := groups(t, n.gen, roundSeed)
	task := func(name string, group uint32) tasks.Task {
		return n.gen.Task(roundSeed, group, miners[name].signer.Address())
	}
	const timeout = 10 * time.Second

	type row struct {
		name   string
		out    Outcome
		reason string
		detail string // a substring the detail must hold
		code   string // a verifier reason code the verdict must hold
	}
	var rows []row
	add := func(name string, o Outcome, reason, detail string) {
		rows = append(rows, row{name: name, out: o, reason: reason, detail: detail})
	}
	addCode := func(name string, o Outcome, code string) {
		rows = append(rows, row{name: name, out: o, reason: ReasonFailed, code: code})
	}

	honest := n.ask(t, miners["honest"], task("honest", greedy), timeout)
	add("honest, greedy", honest, ReasonOK, "latency credit")
	add("honest, sampled", n.ask(t, miners["honest2"], task("honest2", sampled), timeout), ReasonOK, "")
	addCode("other model, greedy", n.ask(t, miners["other"], task("other", greedy), timeout), verify.ReasonNotGreedy)
	addCode("other model, sampled", n.ask(t, miners["other"], task("other", sampled), timeout), verify.ReasonDrift)
	addCode("random tokens", n.ask(t, miners["random"], task("random", greedy), timeout), verify.ReasonNotGreedy)
	addCode("truncated", n.ask(t, miners["truncated"], task("truncated", greedy), timeout), verify.ReasonShort)
	add("token id out of vocabulary", n.ask(t, miners["malformed"], task("malformed", greedy), timeout), ReasonMalformed, "id 5000 outside the vocabulary")
	add("empty", n.ask(t, miners["empty"], task("empty", greedy), timeout), ReasonEmpty, "")

	slowTask := task("slow", greedy)
	slowTask.Deadline = 300 * time.Millisecond // the miner sleeps 700 ms; the call itself may run on
	add("slow, past the deadline", n.ask(t, miners["slow"], slowTask, timeout), ReasonLate, "deadline 300ms")
	add("timeout", n.ask(t, miners["stuck"], task("stuck", greedy), 300*time.Millisecond), ReasonTimeout, "")

	// A miner whose answer is a (truncated) JSON document instead of a protobuf body.
	jsonConn := jsonMiner(t, `{"text":"\tfmt.Println(","tokens":[{"id":17,"logprob":-0.1},{"id":`)
	jsonTask := task("honest", greedy)
	start := time.Now()
	ans, err := n.client.Generate(t.Context(), jsonConn, miners["honest"].signer.Address(), jsonTask.Proto())
	add("malformed JSON body", Outcome{UID: miners["honest"].uid, Hotkey: miners["honest"].signer.Address(), Task: jsonTask, Answer: ans, Err: err, Latency: time.Since(start)}, ReasonMalformed, "does not decode")

	stranger := axonclient.New(signer(t, "stranger"), netuid, nil)
	refusedTask := task("honest", greedy)
	start = time.Now()
	ans, err = stranger.Generate(t.Context(), miners["honest"].conn, miners["honest"].signer.Address(), refusedTask.Proto())
	add("refused by the miner", Outcome{UID: miners["honest"].uid, Hotkey: miners["honest"].signer.Address(), Task: refusedTask, Answer: ans, Err: err, Latency: time.Since(start)}, ReasonCallFailed, "PermissionDenied")

	// Answers altered after the call.
	badSig := clone(honest)
	badSig.Answer.Proof.Signature[10] ^= 0x40
	add("bad signature", badSig, ReasonBadSignature, "does not verify")
	unsigned := clone(honest)
	unsigned.Answer.Proof = axonauth.Envelope{}
	unsigned.Err = fmt.Errorf("%w: no signature metadata", axonclient.ErrUnsignedResponse)
	add("unsigned", unsigned, ReasonUnsigned, "")
	tampered := clone(honest)
	tampered.Answer.Response.Tokens[0].Logprob -= 0.5
	add("answer altered after signing", tampered, ReasonBadSignature, "")
	otherSigner := clone(honest)
	otherSigner.Hotkey = miners["honest2"].signer.Address()
	add("signed by another miner than the UID's", otherSigner, ReasonWrongRequest, "addressed to")
	wrongTask := clone(honest)
	wrongTask.Task = task("honest", sampled)
	add("answer to another task", wrongTask, ReasonWrongRequest, "is not task")

	// Copying: honest answers its sampled task; the copier returns those very tokens for its own.
	source := n.ask(t, miners["honest"], task("honest", sampled), timeout)
	if source.Err != nil {
		t.Fatal(source.Err)
	}
	leaked, err = toResult(source.Answer.Response, 0)
	if err != nil {
		t.Fatal(err)
	}
	add("copied from (source)", source, ReasonCopied, fmt.Sprintf("UID %d", miners["copier"].uid))
	add("copied (copier)", n.ask(t, miners["copier"], task("copier", sampled), timeout), ReasonCopied, fmt.Sprintf("UID %d", miners["honest"].uid))

	outcomes := make([]Outcome, len(rows))
	for i, r := range rows {
		outcomes[i] = r.out
	}
	results, err := n.scorer.ScoreRound(t.Context(), outcomes)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(rows) {
		t.Fatalf("%d results for %d outcomes", len(results), len(rows))
	}
	for i, r := range rows {
		got := results[i]
		t.Logf("%-40s %.3f %s", r.name, got.Score, got)
		if got.Reason != r.reason || !strings.Contains(got.Detail, r.detail) {
			t.Errorf("%s: got %s, want reason %s with %q", r.name, got, r.reason, r.detail)
		}
		if r.code != "" && (got.Verdict == nil || !slices.ContainsFunc(got.Verdict.Reasons, func(v verify.Reason) bool { return v.Code == r.code })) {
			t.Errorf("%s: verdict lacks %s: %+v", r.name, r.code, got.Verdict)
		}
		if r.reason == ReasonOK {
			if got.Score < DefaultConfig().CorrectnessWeight || got.Score > 1 {
				t.Errorf("%s: honest answer scored %v", r.name, got.Score)
			}
		} else if got.Score != 0 {
			t.Errorf("%s: scored %v, want 0", r.name, got.Score)
		}
		if got.UID != r.out.UID || got.TaskID != r.out.Task.ID {
			t.Errorf("%s: result for UID %d task %s", r.name, got.UID, got.TaskID)
		}
	}
}

// clone deep-copies an outcome so that altering it leaves the original alone.
func clone(o Outcome) Outcome {
	o.Answer.Response = proto.Clone(o.Answer.Response).(*axonv1.GenerateResponse)
	o.Answer.Proof.Signature = bytes.Clone(o.Answer.Proof.Signature)
	o.Answer.Proof.PubKey = bytes.Clone(o.Answer.Proof.PubKey)
	return o
}

// TestFasterScoresHigher re-scores one real honest answer as if it had arrived after different
// latencies: the score falls as latency grows, never below the correctness weight before the
// deadline, and is zero after it.
func TestFasterScoresHigher(t *testing.T) {
	n := newNetwork(t)
	miners := n.serve(t, []string{"honest"}, map[string]inference.Engine{"honest": n.ref})
	greedy, _ := groups(t, n.gen, roundSeed)
	o := n.ask(t, miners["honest"], n.gen.Task(roundSeed, greedy, miners["honest"].signer.Address()), 10*time.Second)
	cfg := DefaultConfig()
	prev := math.Inf(1)
	for _, lat := range []time.Duration{time.Millisecond, cfg.TargetLatency, 400 * time.Millisecond, time.Second, 2 * time.Second, o.Task.Deadline} {
		o.Latency = lat
		r, err := n.scorer.Score(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		if r.Reason != ReasonOK || r.Score > prev || r.Score < cfg.CorrectnessWeight {
			t.Fatalf("latency %v: %s score %v (previous %v)", lat, r, r.Score, prev)
		}
		prev = r.Score
	}
	// At the deadline the latency credit is gone; only correctness and the (low) throughput count.
	tokens := len(o.Answer.Response.GetTokens())
	if want := cfg.CorrectnessWeight + cfg.ThroughputWeight*float64(tokens)/o.Task.Deadline.Seconds()/cfg.TargetThroughput; math.Abs(prev-want) > 1e-12 {
		t.Fatalf("at the deadline the score is %v, want %v", prev, want)
	}
	o.Latency = time.Millisecond
	if r, _ := n.scorer.Score(t.Context(), o); r.Score != 1 {
		t.Fatalf("instant answer scored %v", r.Score)
	}
	o.Latency = o.Task.Deadline + time.Millisecond
	if r, _ := n.scorer.Score(t.Context(), o); r.Reason != ReasonLate || r.Score != 0 {
		t.Fatalf("late answer: %s %v", r, r.Score)
	}
}

func TestCredits(t *testing.T) {
	const ms = time.Millisecond
	for _, c := range []struct {
		lat, target, deadline time.Duration
		want                  float64
	}{
		{10 * ms, 250 * ms, 1250 * ms, 1},
		{250 * ms, 250 * ms, 1250 * ms, 1},
		{750 * ms, 250 * ms, 1250 * ms, 0.5},
		{1250 * ms, 250 * ms, 1250 * ms, 0},
		{2000 * ms, 250 * ms, 1250 * ms, 0},
	} {
		if got := LatencyCredit(c.lat, c.target, c.deadline); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("latency credit(%v): %v, want %v", c.lat, got, c.want)
		}
	}
	for _, c := range []struct {
		lat    time.Duration
		tokens int
		want   float64
	}{
		{100 * ms, 32, 1},    // 320 tokens/s
		{256 * ms, 32, 0.5},  // 125 tokens/s
		{1000 * ms, 25, 0.1}, // 25 tokens/s
		{0, 32, 1},
	} {
		if got := ThroughputCredit(c.lat, c.tokens, 250); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("throughput credit(%v, %d): %v, want %v", c.lat, c.tokens, got, c.want)
		}
	}
}

// failingEngine is a reference engine whose prefill fails, as a validator's GPU server might.
type failingEngine struct{ inference.Engine }

func (failingEngine) Score(context.Context, string, []int) ([]inference.Scored, error) {
	return nil, errors.New("reference server unavailable")
}

// TestReferenceFailureIsNotTheMinersFault: when the validator's own engine fails, the answer is not
// scored at all rather than scored zero.
func TestReferenceFailureIsNotTheMinersFault(t *testing.T) {
	n := newNetwork(t)
	miners := n.serve(t, []string{"honest"}, map[string]inference.Engine{"honest": n.ref})
	greedy, _ := groups(t, n.gen, roundSeed)
	o := n.ask(t, miners["honest"], n.gen.Task(roundSeed, greedy, miners["honest"].signer.Address()), 10*time.Second)
	broken, err := New(verify.Verifier{Reference: failingEngine{n.ref}, Tokenizer: n.ref.Tokenizer(), Tolerance: verify.DefaultTolerance}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := broken.Score(t.Context(), o); err == nil || !strings.Contains(err.Error(), "reference server unavailable") {
		t.Fatalf("got %v", err)
	}
	results, err := broken.ScoreRound(t.Context(), []Outcome{o})
	if err == nil || len(results) != 0 {
		t.Fatalf("round with a failing reference: %d results, %v", len(results), err)
	}
}

// TestChanceMatchesAreNotCopies: identical greedy answers (expected from honest miners), short
// sampled answers and likely ones are not flagged; the same sampled answer from one UID twice is not
// a copy either.
func TestChanceMatchesAreNotCopies(t *testing.T) {
	s := &Scorer{cfg: DefaultConfig()}
	vd := &verify.Verdict{Pass: true}
	mk := func(uid uint16, sampled bool, tokens int, surprise float64, d byte) Result {
		return Result{UID: uid, Reason: ReasonOK, Score: 0.9, Tokens: tokens, Verdict: vd, group: "g", sampled: sampled, surprise: surprise, digest: [32]byte{d}}
	}
	cases := map[string][]Result{
		"greedy":         {mk(1, false, 32, 80, 1), mk(2, false, 32, 80, 1)},
		"short":          {mk(1, true, 4, 80, 1), mk(2, true, 4, 80, 1)},
		"likely":         {mk(1, true, 32, 3, 1), mk(2, true, 32, 3, 1)},
		"different":      {mk(1, true, 32, 80, 1), mk(2, true, 32, 80, 2)},
		"same UID twice": {mk(1, true, 32, 80, 1), mk(1, true, 32, 80, 1)},
	}
	for name, rs := range cases {
		s.flagCopies(rs)
		for _, r := range rs {
			if r.Reason != ReasonOK {
				t.Errorf("%s: flagged: %s", name, r)
			}
		}
	}
	rs := []Result{mk(1, true, 32, 80, 1), mk(2, true, 32, 80, 1), mk(3, true, 32, 80, 1), mk(4, true, 32, 80, 2)}
	s.flagCopies(rs)
	for i, r := range rs {
		if (i < 3) != (r.Reason == ReasonCopied) {
			t.Errorf("UID %d: %s", r.UID, r)
		}
	}
	if !strings.Contains(rs[0].Detail, "UID 2, 3") {
		t.Errorf("detail does not name the others: %s", rs[0].Detail)
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.CorrectnessWeight = 0.5 },
		func(c *Config) { c.CorrectnessWeight, c.LatencyWeight = 0.4, 0.4 },
		func(c *Config) { c.LatencyWeight = math.NaN() },
		func(c *Config) { c.TargetLatency = 0 },
		func(c *Config) { c.TargetThroughput = 0 },
		func(c *Config) { c.MinCopyTokens = 0 },
	}
	for i, mutate := range bad {
		c := DefaultConfig()
		mutate(&c)
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if _, err := New(verify.Verifier{}, DefaultConfig()); !errors.Is(err, ErrConfig) {
		t.Errorf("scorer without a verifier: %v", err)
	}
}
