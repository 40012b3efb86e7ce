package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/inference"
)

// Config holds the miner's limits. Zero values are replaced by DefaultConfig's.
type Config struct {
	Netuid         uint16
	MaxBodyBytes   int           // largest request accepted
	MaxTokens      int           // largest max_tokens accepted
	NonceWindow    time.Duration // how far a caller's clock may be from ours
	RequestTimeout time.Duration // per request, queueing included
	Slots          int           // concurrent generations
	QueueDepth     int           // requests waiting for a slot
	RateLimit      float64       // requests per second per caller
	RateBurst      float64
	Hardware       string // shown by Info
	Version        string
	// Serving, when set, says why the miner may not serve now (the subnet's model changed under it);
	// requests then get FailedPrecondition with that reason.
	Serving func() error
}

// DefaultConfig returns the miner defaults for netuid.
func DefaultConfig(netuid uint16) Config {
	return Config{
		Netuid:         netuid,
		MaxBodyBytes:   64 << 10,
		MaxTokens:      256,
		NonceWindow:    30 * time.Second,
		RequestTimeout: 60 * time.Second,
		Slots:          2,
		QueueDepth:     32,
		RateLimit:      5,
		RateBurst:      20,
	}
}

// Server implements the Axon gRPC service.
type Server struct {
	axonv1.UnimplementedAxonServer

	cfg       Config
	engine    inference.Engine
	signer    *axonauth.Signer
	policy    CallerPolicy
	verifier  *axonauth.Verifier
	nonces    *axonauth.NonceTracker
	limiter   *RateLimiter
	admission *Admission
	metrics   *Metrics
	log       *slog.Logger
	now       func() time.Time
}

// New returns an axon server that answers with engine and signs as signer.
func New(cfg Config, engine inference.Engine, signer *axonauth.Signer, policy CallerPolicy, log *slog.Logger, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Server{
		cfg:       cfg,
		engine:    engine,
		signer:    signer,
		policy:    policy,
		verifier:  axonauth.NewVerifier(0, 0),
		nonces:    axonauth.NewNonceTracker(cfg.NonceWindow),
		limiter:   NewRateLimiter(cfg.RateLimit, cfg.RateBurst),
		admission: NewAdmission(cfg.Slots, cfg.QueueDepth),
		log:       log.With("component", "axon", "netuid", cfg.Netuid, "hotkey", signer.Address()),
		now:       now,
	}
	s.metrics = NewMetrics(func() float64 { return float64(s.admission.Queued()) })
	return s
}

// Metrics returns the server's Prometheus series.
func (s *Server) Metrics() *Metrics { return s.metrics }

// GRPCOptions are the server options the axon needs: the body-size cap enforced by gRPC itself.
func (s *Server) GRPCOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(s.cfg.MaxBodyBytes)}
}

// caller is an authenticated, admitted caller.
type caller struct {
	env   axonauth.Envelope
	stake uint64
}

// authenticate runs every check on a request before any work is done, cheapest first, and returns a
// gRPC status that says what is wrong.
func (s *Server) authenticate(ctx context.Context, req proto.Message) (caller, error) {
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		return caller{}, status.Errorf(codes.InvalidArgument, "cannot encode request: %v", err)
	}
	if len(body) > s.cfg.MaxBodyBytes {
		return caller{}, status.Errorf(codes.ResourceExhausted, "request body is %d bytes; this miner accepts at most %d", len(body), s.cfg.MaxBodyBytes)
	}
	md, _ := metadata.FromIncomingContext(ctx)
	env, err := axonauth.EnvelopeFromMetadata(md)
	if err != nil {
		return caller{}, status.Errorf(codes.Unauthenticated, "%v", err)
	}
	if env.Miner != s.signer.Address() {
		return caller{}, status.Errorf(codes.PermissionDenied, "request is addressed to miner %q; this miner is %s", env.Miner, s.signer.Address())
	}
	if env.Netuid != s.cfg.Netuid {
		return caller{}, status.Errorf(codes.PermissionDenied, "request is for netuid %d; this miner serves netuid %d", env.Netuid, s.cfg.Netuid)
	}
	if err := s.verifier.VerifyRequest(body, env); err != nil {
		return caller{}, status.Errorf(codes.Unauthenticated, "%v", err)
	}
	stake, err := s.policy.Admit(env.Caller)
	if err != nil {
		return caller{}, status.Errorf(codes.PermissionDenied, "%v", err)
	}
	// A caller the chain admits will be back: precompute for its key (once, in the background).
	s.verifier.Prepare(env.PubKey)
	now := s.now()
	if err := s.nonces.Accept(env.Caller, env.Nonce, now); err != nil {
		return caller{}, status.Errorf(codes.Unauthenticated, "%v", err)
	}
	if err := s.limiter.Allow(env.Caller, now); err != nil {
		return caller{}, status.Errorf(codes.ResourceExhausted, "%v", err)
	}
	return caller{env: env, stake: stake}, nil
}

func (s *Server) inferenceRequest(r *axonv1.GenerateRequest) (inference.Request, error) {
	if int(r.GetMaxTokens()) > s.cfg.MaxTokens {
		return inference.Request{}, status.Errorf(codes.InvalidArgument, "max_tokens %d is above this miner's limit of %d", r.GetMaxTokens(), s.cfg.MaxTokens)
	}
	req := inference.Request{
		Prompt: r.GetPrompt(), MaxTokens: int(r.GetMaxTokens()), Temperature: r.GetTemperature(),
		TopP: r.GetTopP(), Seed: r.GetSeed(), Stop: r.GetStop(), TopK: int(r.GetTopLogprobs()),
	}
	if err := req.Validate(); err != nil {
		return inference.Request{}, status.Errorf(codes.InvalidArgument, "%v", err)
	}
	return req, nil
}

// admit waits for an inference slot under the request timeout.
func (s *Server) admit(ctx context.Context, c caller) (context.Context, context.CancelFunc, func(), error) {
	if s.cfg.Serving != nil {
		if err := s.cfg.Serving(); err != nil {
			return nil, nil, nil, status.Errorf(codes.FailedPrecondition, "not serving: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
	release, err := s.admission.Acquire(ctx, c.stake)
	if err != nil {
		cancel()
		if errors.Is(err, ErrOverloaded) {
			return nil, nil, nil, status.Errorf(codes.ResourceExhausted, "%v", err)
		}
		return nil, nil, nil, status.FromContextError(err).Err()
	}
	return ctx, cancel, release, nil
}

// Generate implements Axon.Generate.
func (s *Server) Generate(ctx context.Context, r *axonv1.GenerateRequest) (resp *axonv1.GenerateResponse, err error) {
	start := s.now()
	defer func() { s.observe("Generate", start, err) }()

	c, err := s.authenticate(ctx, r)
	if err != nil {
		return nil, err
	}
	req, err := s.inferenceRequest(r)
	if err != nil {
		return nil, err
	}
	ctx, cancel, release, err := s.admit(ctx, c)
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer release()

	genStart := time.Now()
	res, err := s.engine.Generate(ctx, req)
	if err != nil {
		return nil, s.engineError(ctx, err)
	}
	s.observeTokens(len(res.Tokens), time.Since(genStart))
	resp = toResponse(res, s.engine.Info().Model)
	if err := s.signInto(ctx, resp, c.env, grpc.SetHeader); err != nil {
		return nil, err
	}
	return resp, nil
}

// GenerateStream implements Axon.GenerateStream.
func (s *Server) GenerateStream(r *axonv1.GenerateRequest, stream grpc.ServerStreamingServer[axonv1.GenerateStreamResponse]) (err error) {
	start := s.now()
	defer func() { s.observe("GenerateStream", start, err) }()

	c, err := s.authenticate(stream.Context(), r)
	if err != nil {
		return err
	}
	req, err := s.inferenceRequest(r)
	if err != nil {
		return err
	}
	ctx, cancel, release, err := s.admit(stream.Context(), c)
	if err != nil {
		return err
	}
	defer cancel()
	defer release()

	genStart := time.Now()
	res, err := s.engine.GenerateStream(ctx, req, func(t inference.Token) error {
		return stream.Send(&axonv1.GenerateStreamResponse{Token: toToken(t)})
	})
	if err != nil {
		return s.engineError(ctx, err)
	}
	s.observeTokens(len(res.Tokens), time.Since(genStart))
	final := &axonv1.GenerateStreamResponse{Done: true, Result: toResponse(res, s.engine.Info().Model)}
	if err := s.signInto(stream.Context(), final, c.env, func(ctx context.Context, md metadata.MD) error {
		stream.SetTrailer(md)
		return nil
	}); err != nil {
		return err
	}
	return stream.Send(final)
}

// Info implements Axon.Info. It is authenticated like every other call.
func (s *Server) Info(ctx context.Context, r *axonv1.InfoRequest) (resp *axonv1.InfoResponse, err error) {
	start := s.now()
	defer func() { s.observe("Info", start, err) }()
	c, err := s.authenticate(ctx, r)
	if err != nil {
		return nil, err
	}
	info := s.engine.Info()
	resp = &axonv1.InfoResponse{
		Model: info.Model, Engine: info.Backend, Hardware: s.cfg.Hardware, Version: s.cfg.Version,
		Netuid: uint32(s.cfg.Netuid), Hotkey: s.signer.Address(), MaxTokens: uint32(s.cfg.MaxTokens),
	}
	if err := s.signInto(ctx, resp, c.env, grpc.SetHeader); err != nil {
		return nil, err
	}
	return resp, nil
}

// signInto signs msg as the answer to the request in reqEnv and hands the signature to set.
func (s *Server) signInto(ctx context.Context, msg proto.Message, reqEnv axonauth.Envelope, set func(context.Context, metadata.MD) error) error {
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
	if err != nil {
		return status.Errorf(codes.Internal, "encode response: %v", err)
	}
	env, err := s.signer.SignResponse(body, reqEnv)
	if err != nil {
		return status.Errorf(codes.Internal, "sign response: %v", err)
	}
	if err := set(ctx, axonauth.EnvelopeToMetadata(env)); err != nil {
		return status.Errorf(codes.Internal, "attach response signature: %v", err)
	}
	return nil
}

func (s *Server) engineError(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, inference.ErrBadRequest):
		return status.Errorf(codes.InvalidArgument, "%v", err)
	case ctx.Err() != nil:
		return status.FromContextError(ctx.Err()).Err()
	default:
		s.log.Error("inference failed", "err", err)
		return status.Errorf(codes.Internal, "inference failed: %v", err)
	}
}

func (s *Server) observe(method string, start time.Time, err error) {
	code := status.Code(err)
	s.metrics.Requests.WithLabelValues(method, code.String()).Inc()
	s.metrics.Latency.WithLabelValues(method).Observe(s.now().Sub(start).Seconds())
	if err != nil && code != codes.Canceled {
		s.log.Info("request refused", "method", method, "code", code.String(), "reason", status.Convert(err).Message())
	}
}

func (s *Server) observeTokens(n int, d time.Duration) {
	s.metrics.Tokens.Add(float64(n))
	if d > 0 && n > 0 {
		s.metrics.TokensPerS.Observe(float64(n) / d.Seconds())
	}
}

func toToken(t inference.Token) *axonv1.Token {
	out := &axonv1.Token{Id: uint32(t.ID), Text: t.Text, Logprob: t.Logprob}
	for _, a := range t.Top {
		out.Top = append(out.Top, &axonv1.Alternative{Id: uint32(a.ID), Text: a.Text, Logprob: a.Logprob})
	}
	return out
}

func toResponse(res inference.Result, model string) *axonv1.GenerateResponse {
	out := &axonv1.GenerateResponse{
		Text: res.Text, FinishReason: string(res.Finish), Model: model, PromptTokens: uint32(res.PromptTokens),
	}
	for _, t := range res.Tokens {
		out.Tokens = append(out.Tokens, toToken(t))
	}
	return out
}
