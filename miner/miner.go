package miner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/miner/config"
	"github.com/mindnet/mindnet/miner/server"
	"github.com/mindnet/mindnet/modelwatch"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// ErrNotRegistered says the hotkey holds no UID; its message gives the command that fixes it.
var ErrNotRegistered = errors.New("hotkey is not registered on the subnet")

// Miner is a configured miner, connected to its chain node.
type Miner struct {
	cfg     config.Config
	log     *slog.Logger
	chain   *chainclient.Client
	signer  *axonauth.Signer
	engine  inference.Engine
	model   *folder.Folder
	watch   *modelwatch.Watch
	subnet  modelwatch.Model // the subnet's model record, once CheckModel has read it
	version string
}

// New loads the hotkey, connects to the node and builds the engine.
func New(cfg config.Config, log *slog.Logger, version string) (*Miner, error) {
	enc, err := chainclient.NewEncoding()
	if err != nil {
		return nil, err
	}
	kr, err := chainclient.OpenKeyring(enc, cfg.Chain.KeyringBackend, cfg.Chain.KeyringDir, os.Stdin)
	if err != nil {
		return nil, err
	}
	key, _, err := chainclient.PrivateKey(kr, cfg.Chain.Hotkey)
	if err != nil {
		return nil, fmt.Errorf("load hotkey: %w", err)
	}
	signer, err := axonauth.NewSigner(key)
	if err != nil {
		return nil, err
	}
	chain, err := chainclient.Dial(cfg.Chain.GRPC, enc, kr, cfg.Chain.ChainID)
	if err != nil {
		return nil, err
	}
	model, err := folder.Open(cfg.Model.Dir)
	if err != nil {
		_ = chain.Close()
		return nil, err
	}
	engine, err := NewEngine(cfg, model)
	if err != nil {
		_ = chain.Close()
		return nil, err
	}
	return &Miner{cfg: cfg, log: log.With("netuid", cfg.Netuid, "hotkey", signer.Address()), chain: chain, signer: signer, engine: engine, model: model, version: version}, nil
}

// CheckModel compares model.dir with the model the subnet records on chain and refuses a mismatch,
// printing both digests; Run then keeps comparing.
func (m *Miner) CheckModel(ctx context.Context) error {
	w, rec, err := modelwatch.Check(ctx, modelwatch.GRPCSource(m.chain.Conn), uint32(m.cfg.Netuid), m.model, m.log)
	if err != nil {
		return err
	}
	m.watch, m.subnet = w, rec
	m.log.Info("serving the subnet's model", "model", rec.Name, "digest", rec.Digest, "precisions", strings.Join(rec.Precisions, ","), "model_dir", m.model.Describe())
	return nil
}

// Hotkey returns the miner's hotkey address.
func (m *Miner) Hotkey() string { return m.signer.Address() }

// Close releases the node connection.
func (m *Miner) Close() error { return m.chain.Close() }

// CheckRegistration returns the miner's neuron, or ErrNotRegistered with the command to run.
func (m *Miner) CheckRegistration(ctx context.Context) (*subnetv1.NeuronInfo, error) {
	q := subnetv1.NewQueryClient(m.chain.Conn)
	res, err := q.NeuronByHotkey(ctx, &subnetv1.QueryNeuronByHotkeyRequest{Netuid: uint32(m.cfg.Netuid), Hotkey: m.Hotkey()})
	// Over gRPC the chain's registered error arrives as text; its description is part of the module's API.
	if err != nil && strings.Contains(status.Convert(err).Message(), subnettypes.ErrHotkeyNotRegistered.Error()) {
		return nil, fmt.Errorf("%w: %s holds no UID on netuid %d; register it with\n  mindnet-miner register --netuid %d\nor\n  mindnetd tx subnet register %d %s --from <coldkey>",
			ErrNotRegistered, m.Hotkey(), m.cfg.Netuid, m.cfg.Netuid, m.cfg.Netuid, m.Hotkey())
	}
	if err != nil {
		return nil, fmt.Errorf("look up neuron: %w", err)
	}
	return res.GetNeuron(), nil
}

// advertised is the address the miner announces on chain.
func (m *Miner) advertised() (string, uint32, error) {
	host, portStr, err := net.SplitHostPort(m.cfg.Axon.Listen)
	if err != nil {
		return "", 0, fmt.Errorf("axon.listen %q: %w", m.cfg.Axon.Listen, err)
	}
	ip := m.cfg.Axon.ExternalIP
	if ip == "" {
		ip = host
	}
	if parsed := net.ParseIP(ip); parsed == nil || parsed.IsUnspecified() {
		return "", 0, fmt.Errorf("cannot announce %q: set axon.external_ip to the address validators can reach", ip)
	}
	port := m.cfg.Axon.ExternalPort
	if port == 0 {
		p, err := strconv.ParseUint(portStr, 10, 16)
		if err != nil {
			return "", 0, fmt.Errorf("axon.listen port: %w", err)
		}
		port = uint32(p)
	}
	return ip, port, nil
}

// EnsureServing submits MsgServeAxon when the announced address differs from the one on chain.
func (m *Miner) EnsureServing(ctx context.Context, neuron *subnetv1.NeuronInfo) error {
	ip, port, err := m.advertised()
	if err != nil {
		return err
	}
	if a := neuron.GetAxon(); a != nil && a.GetIp() == ip && a.GetPort() == port && a.GetProtocol() == ProtocolGRPC {
		m.log.Info("axon already announced", "ip", ip, "port", port)
		return nil
	}
	msg := &subnettypes.MsgServeAxon{Hotkey: m.Hotkey(), Netuid: uint32(m.cfg.Netuid), Ip: ip, Port: port, Protocol: ProtocolGRPC, Version: AxonVersion}
	res, err := m.chain.Send(ctx, m.cfg.Chain.Hotkey, time.Minute, msg)
	if err != nil {
		return fmt.Errorf("announce axon %s:%d: %w", ip, port, err)
	}
	m.log.Info("axon announced", "ip", ip, "port", port, "tx", res.TxHash, "height", res.Height)
	return nil
}

// Axon protocol identifiers announced in MsgServeAxon.
const (
	ProtocolGRPC = 4 // gRPC with the HTTP/JSON gateway on the next port
	AxonVersion  = 1
)

// Run serves until ctx is cancelled.
func (m *Miner) Run(ctx context.Context) error {
	policy := server.CallerPolicy{RequirePermit: m.cfg.Callers.RequirePermit, MinStake: m.cfg.Callers.MinStake}
	scfg := server.Config{
		Netuid: m.cfg.Netuid, MaxBodyBytes: m.cfg.Axon.MaxBodyBytes, MaxTokens: m.cfg.Axon.MaxTokens,
		NonceWindow: m.cfg.Axon.NonceWindow, RequestTimeout: m.cfg.Axon.RequestTimeout, Slots: m.cfg.Axon.Slots,
		QueueDepth: m.cfg.Axon.QueueDepth, RateLimit: m.cfg.Callers.RateLimit, RateBurst: m.cfg.Callers.RateBurst,
		Hardware: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()), Version: m.version,
	}
	if m.watch != nil {
		scfg.Serving = m.watch.Err
	}
	var srv *server.Server
	cache := metagraph.New(metagraph.Config{
		Netuid: uint32(m.cfg.Netuid), RefreshInterval: m.cfg.Metagraph.Refresh, MinBackoff: time.Second,
		MaxBackoff: 30 * time.Second, MaxStaleness: m.cfg.Metagraph.MaxStaleness, FetchTimeout: 10 * time.Second,
	}, metagraph.NewGRPCSource(m.chain.Conn, nil), m.log, nil, func(ok bool) {
		if srv != nil {
			srv.Metrics().MetagraphSynced(ok)
		}
	})
	policy.Metagraph = cache
	srv = server.New(scfg, m.engine, m.signer, policy, m.log, nil)

	lis, err := net.Listen("tcp", m.cfg.Axon.Listen)
	if err != nil {
		return fmt.Errorf("axon listen %s: %w", m.cfg.Axon.Listen, err)
	}
	grpcServer := grpc.NewServer(srv.GRPCOptions()...)
	axonv1.RegisterAxonServer(grpcServer, srv)

	gateway, err := server.NewGateway(ctx, lis.Addr().String())
	if err != nil {
		return err
	}
	httpServer := &http.Server{Addr: m.cfg.Axon.HTTPListen, Handler: gateway, ReadHeaderTimeout: 10 * time.Second}

	ops := http.NewServeMux()
	ops.Handle("/metrics", promhttp.HandlerFor(srv.Metrics().Registry, promhttp.HandlerOpts{}))
	ops.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if _, err := cache.View(); err != nil {
			http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	opsServer := &http.Server{Addr: m.cfg.Ops.Listen, Handler: ops, ReadHeaderTimeout: 10 * time.Second}

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return cache.Run(ctx) })
	if m.watch != nil {
		g.Go(func() error { return m.watch.Run(ctx, m.cfg.Metagraph.Refresh) })
	}
	g.Go(func() error {
		m.log.Info("axon serving", "grpc", lis.Addr().String(), "http", m.cfg.Axon.HTTPListen, "ops", m.cfg.Ops.Listen, "engine", m.engine.Info().Backend, "model", m.engine.Info().Model)
		return grpcServer.Serve(lis)
	})
	g.Go(func() error { return listenAndServe(httpServer) })
	g.Go(func() error { return listenAndServe(opsServer) })
	g.Go(func() error {
		<-ctx.Done()
		m.log.Info("shutting down: draining in-flight requests")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), m.cfg.Axon.RequestTimeout)
		defer cancel()
		stopped := make(chan struct{})
		go func() { grpcServer.GracefulStop(); close(stopped) }()
		select {
		case <-stopped:
		case <-shutdownCtx.Done():
			grpcServer.Stop()
		}
		_ = httpServer.Shutdown(shutdownCtx)
		_ = opsServer.Shutdown(shutdownCtx)
		return nil
	})
	err = g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func listenAndServe(s *http.Server) error {
	if err := s.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", s.Addr, err)
	}
	return nil
}
