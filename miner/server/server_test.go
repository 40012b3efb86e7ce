package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/metagraph"
)

// echoEngine is a test double: it "generates" the prompt's bytes back, one token per byte.
type echoEngine struct{ block chan struct{} }

func (e *echoEngine) Generate(ctx context.Context, req inference.Request) (inference.Result, error) {
	return e.GenerateStream(ctx, req, func(inference.Token) error { return nil })
}

func (e *echoEngine) GenerateStream(ctx context.Context, req inference.Request, on func(inference.Token) error) (inference.Result, error) {
	if e.block != nil {
		select {
		case <-e.block:
		case <-ctx.Done():
			return inference.Result{}, ctx.Err()
		}
	}
	var res inference.Result
	for i := 0; i < req.MaxTokens && i < len(req.Prompt); i++ {
		t := inference.Token{ID: int(req.Prompt[i]), Text: req.Prompt[i : i+1], Logprob: -0.5}
		if err := on(t); err != nil {
			return inference.Result{}, err
		}
		res.Tokens = append(res.Tokens, t)
		res.Text += t.Text
	}
	res.Finish = inference.FinishLength
	return res, nil
}

func (e *echoEngine) Score(context.Context, string, []int) ([]inference.Scored, error) {
	return nil, nil
}
func (e *echoEngine) Info() inference.Info {
	return inference.Info{Model: "echo", Backend: "test", EOSID: -1}
}

type staticView struct{ snap *metagraph.Snapshot }

func (v staticView) View() (*metagraph.Snapshot, error) { return v.snap, nil }

func signer(t testing.TB, seed string) *axonauth.Signer {
	t.Helper()
	k := sha256.Sum256([]byte(seed))
	s, err := axonauth.NewSigner(k[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type fixture struct {
	miner, validator, weak, noPermit, stranger *axonauth.Signer
	srv                                        *Server
	conn                                       *grpc.ClientConn
	addr                                       string
	engine                                     *echoEngine
}

func newFixture(t *testing.T, mutate func(*Config)) *fixture {
	t.Helper()
	f := &fixture{
		miner: signer(t, "miner"), validator: signer(t, "validator"), weak: signer(t, "weak"),
		noPermit: signer(t, "nopermit"), stranger: signer(t, "stranger"), engine: &echoEngine{},
	}
	snap := metagraph.NewSnapshot(1, 100, []metagraph.Neuron{
		{UID: 0, Hotkey: f.validator.Address(), Stake: 1_000_000, ValidatorPermit: true},
		{UID: 1, Hotkey: f.weak.Address(), Stake: 10, ValidatorPermit: true},
		{UID: 2, Hotkey: f.noPermit.Address(), Stake: 1_000_000},
		{UID: 3, Hotkey: f.miner.Address()},
	}, time.Now())
	cfg := DefaultConfig(1)
	if mutate != nil {
		mutate(&cfg)
	}
	policy := CallerPolicy{Metagraph: staticView{snap}, RequirePermit: true, MinStake: 1000}
	f.srv = New(cfg, f.engine, f.miner, policy, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer(f.srv.GRPCOptions()...)
	axonv1.RegisterAxonServer(gs, f.srv)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(gs.Stop)
	f.addr = lis.Addr().String()
	f.conn, err = grpc.NewClient(f.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.conn.Close() })
	return f
}

func genReq() *axonv1.GenerateRequest {
	return &axonv1.GenerateRequest{Prompt: "package main", MaxTokens: 4}
}

func TestHonestValidatorGetsSignedAnswer(t *testing.T) {
	f := newFixture(t, nil)
	c := axonclient.New(f.validator, 1, nil)
	got, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq())
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if got.Response.GetText() != "pack" || len(got.Response.GetTokens()) != 4 {
		t.Fatalf("response %v", got.Response)
	}
	if got.Proof.Miner != f.miner.Address() {
		t.Fatalf("proof signed by %s", got.Proof.Miner)
	}

	var streamed []string
	final, err := c.GenerateStream(t.Context(), f.conn, f.miner.Address(), genReq(), func(tok *axonv1.Token) error {
		streamed = append(streamed, tok.GetText())
		return nil
	})
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	if strings.Join(streamed, "") != "pack" || final.Response.GetResult().GetText() != "pack" {
		t.Fatalf("streamed %q, final %v", streamed, final.Response)
	}

	info, err := c.Info(t.Context(), f.conn, f.miner.Address())
	if err != nil {
		t.Fatal(err)
	}
	if info.Response.GetHotkey() != f.miner.Address() || info.Response.GetModel() != "echo" {
		t.Fatalf("info %v", info.Response)
	}
}

// call sends req with the metadata md (nil: none) and returns the gRPC status.
func call(t *testing.T, f *fixture, md metadata.MD, req *axonv1.GenerateRequest) *status.Status {
	t.Helper()
	ctx := t.Context()
	if md != nil {
		ctx = metadata.NewOutgoingContext(ctx, md)
	}
	_, err := axonv1.NewAxonClient(f.conn).Generate(ctx, req)
	return status.Convert(err)
}

func signedMD(t *testing.T, s *axonauth.Signer, req proto.Message, netuid uint16, nonce uint64, miner string) metadata.MD {
	t.Helper()
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	env, err := s.SignRequest(body, netuid, nonce, miner)
	if err != nil {
		t.Fatal(err)
	}
	return axonauth.EnvelopeToMetadata(env)
}

func TestRefusals(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxBodyBytes = 4096; c.MaxTokens = 16 })
	now := uint64(time.Now().UnixNano())
	miner := f.miner.Address()
	var n uint64
	fresh := func() uint64 { n++; return now + n }

	tamperedSig := signedMD(t, f.validator, genReq(), 1, fresh(), miner)
	tamperedSig.Set(axonauth.MDSignature, "AAAA"+tamperedSig.Get(axonauth.MDSignature)[0][4:])
	replayed := signedMD(t, f.validator, genReq(), 1, fresh(), miner)
	if st := call(t, f, replayed, genReq()); st.Code() != codes.OK {
		t.Fatalf("first use of the replayed request failed: %v", st)
	}
	big := &axonv1.GenerateRequest{Prompt: strings.Repeat("x", 5000), MaxTokens: 4}

	cases := []struct {
		name string
		md   metadata.MD
		req  *axonv1.GenerateRequest
		code codes.Code
		msg  string
	}{
		{"unsigned", nil, genReq(), codes.Unauthenticated, "not signed"},
		{"bad signature", tamperedSig, genReq(), codes.Unauthenticated, "does not verify"},
		{"body swapped after signing", signedMD(t, f.validator, genReq(), 1, fresh(), miner), &axonv1.GenerateRequest{Prompt: "evil", MaxTokens: 4}, codes.Unauthenticated, "does not verify"},
		{"replayed", replayed, genReq(), codes.Unauthenticated, "replayed"},
		{"stale nonce", signedMD(t, f.validator, genReq(), 1, now-uint64(time.Hour), miner), genReq(), codes.Unauthenticated, "time window"},
		{"not registered", signedMD(t, f.stranger, genReq(), 1, fresh(), miner), genReq(), codes.PermissionDenied, "holds no UID"},
		{"no permit", signedMD(t, f.noPermit, genReq(), 1, fresh(), miner), genReq(), codes.PermissionDenied, "no validator permit"},
		{"stake below floor", signedMD(t, f.weak, genReq(), 1, fresh(), miner), genReq(), codes.PermissionDenied, "below this miner's floor"},
		{"for another miner", signedMD(t, f.validator, genReq(), 1, fresh(), f.stranger.Address()), genReq(), codes.PermissionDenied, "addressed to miner"},
		{"for another subnet", signedMD(t, f.validator, genReq(), 2, fresh(), miner), genReq(), codes.PermissionDenied, "netuid 2"},
		{"oversized body", signedMD(t, f.validator, big, 1, fresh(), miner), big, codes.ResourceExhausted, "larger than max"},
		{"too many tokens", signedMD(t, f.validator, &axonv1.GenerateRequest{Prompt: "a", MaxTokens: 17}, 1, fresh(), miner), &axonv1.GenerateRequest{Prompt: "a", MaxTokens: 17}, codes.InvalidArgument, "above this miner's limit"},
		{"bad sampling settings", signedMD(t, f.validator, &axonv1.GenerateRequest{Prompt: "a", MaxTokens: 2, TopP: 2}, 1, fresh(), miner), &axonv1.GenerateRequest{Prompt: "a", MaxTokens: 2, TopP: 2}, codes.InvalidArgument, "top-p"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := call(t, f, tc.md, tc.req)
			if st.Code() != tc.code || !strings.Contains(st.Message(), tc.msg) {
				t.Fatalf("got %s %q, want %s containing %q", st.Code(), st.Message(), tc.code, tc.msg)
			}
		})
	}
}

func TestRateLimitPerCaller(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateLimit = 0.001; c.RateBurst = 2 })
	c := axonclient.New(f.validator, 1, nil)
	for i := range 2 {
		if _, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq()); err != nil {
			t.Fatalf("request %d within burst: %v", i, err)
		}
	}
	_, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq())
	if st := status.Convert(err); st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), "too many requests") {
		t.Fatalf("third request: %v", err)
	}
}

func TestTamperedResponseIsDetected(t *testing.T) {
	f := newFixture(t, nil)
	// A man in the middle cannot alter an answer without the client noticing: re-verify a real
	// answer after changing one token.
	c := axonclient.New(f.validator, 1, nil)
	got, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq())
	if err != nil {
		t.Fatal(err)
	}
	got.Response.Tokens[0].Logprob = -0.1
	body, _ := proto.MarshalOptions{Deterministic: true}.Marshal(got.Response)
	if err := axonauth.VerifyResponse(body, got.Request.Signature, got.Proof); !errors.Is(err, axonauth.ErrBadSignature) {
		t.Fatalf("altered answer verified: %v", err)
	}
}

func TestHTTPGateway(t *testing.T) {
	f := newFixture(t, nil)
	gw, err := NewGateway(t.Context(), f.addr)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(gw)
	t.Cleanup(hs.Close)

	req := genReq()
	body, _ := protojson.Marshal(req)
	md := signedMD(t, f.validator, req, 1, uint64(time.Now().UnixNano()), f.miner.Address())
	httpReq, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, hs.URL+"/mindnet/axon/v1/generate", bytes.NewReader(body))
	for k, v := range md {
		httpReq.Header.Set(k, v[0])
	}
	resp, err := hs.Client().Do(httpReq)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("gateway: %s: %s", resp.Status, out)
	}
	var parsed struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(out, &parsed); err != nil || parsed.Text != "pack" {
		t.Fatalf("gateway answer %s (%v)", out, err)
	}
	if resp.Header.Get("Grpc-Metadata-X-Mindnet-Signature") == "" {
		t.Fatalf("gateway answer carries no miner signature; headers: %v", resp.Header)
	}

	// Unsigned HTTP requests are refused with 401.
	resp2, err := hs.Client().Post(hs.URL+"/mindnet/axon/v1/generate", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned HTTP request: %s", resp2.Status)
	}
}

// Regression: a validator's concurrent requests to one miner carry increasing nonces but may be
// admitted out of order; with a "strictly above the last nonce" rule some were refused as replays.
func TestConcurrentRequestsFromOneValidator(t *testing.T) {
	// The queue holds every request, so that only the nonce check could refuse one.
	f := newFixture(t, func(c *Config) { c.RateBurst, c.QueueDepth = 1000, 64 })
	c := axonclient.New(f.validator, 1, nil)
	errs := make(chan error, 64)
	for range 64 {
		go func() {
			_, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq())
			errs <- err
		}()
	}
	for range 64 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent request refused: %v", err)
		}
	}
}

// A miner whose model is no longer the subnet's refuses with FailedPrecondition, and serves again once
// it is.
func TestNotServingWhileTheModelDiffers(t *testing.T) {
	var reason atomic.Pointer[error]
	f := newFixture(t, func(c *Config) {
		c.Serving = func() error {
			if p := reason.Load(); p != nil {
				return *p
			}
			return nil
		}
	})
	c := axonclient.New(f.validator, 1, nil)
	changed := errors.New("the subnet's model changed")
	reason.Store(&changed)
	_, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq())
	if st := status.Convert(err); st.Code() != codes.FailedPrecondition || !strings.Contains(st.Message(), "model changed") {
		t.Fatalf("while the model differs: %v", err)
	}
	reason.Store(nil)
	if _, err := c.Generate(t.Context(), f.conn, f.miner.Address(), genReq()); err != nil {
		t.Fatalf("after: %v", err)
	}
}
