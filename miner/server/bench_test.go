package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/builtin"
	"github.com/mindnet/mindnet/metagraph"
)

// benchServer starts an axon over engine on loopback with generous limits, and returns a signing
// client for a staked validator and the connection.
func benchServer(b *testing.B, engine inference.Engine, slots int) (*axonclient.Client, *grpc.ClientConn, string) {
	b.Helper()
	minerSigner, validator := signer(b, "miner"), signer(b, "validator")
	snap := metagraph.NewSnapshot(1, 1, []metagraph.Neuron{{UID: 0, Hotkey: validator.Address(), Stake: 1, ValidatorPermit: true}}, time.Now())
	cfg := DefaultConfig(1)
	cfg.RateLimit, cfg.RateBurst = 1e9, 1e9
	cfg.Slots, cfg.QueueDepth = slots, 1024
	srv := New(cfg, engine, minerSigner, CallerPolicy{Metagraph: staticView{snap}, RequirePermit: true}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	gs := grpc.NewServer(srv.GRPCOptions()...)
	axonv1.RegisterAxonServer(gs, srv)
	go func() { _ = gs.Serve(lis) }()
	b.Cleanup(gs.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = conn.Close() })
	return axonclient.New(validator, 1, nil), conn, minerSigner.Address()
}

var prompt64 = &axonv1.GenerateRequest{Prompt: "func (s *Server) handle(w http.ResponseWriter, r *http.Request) {", MaxTokens: 64}

// BenchmarkAxonOverhead measures what the axon adds to a request: signing, the gRPC round trip on
// loopback, signature, permission, nonce and rate checks, admission, response signing and the
// client's check of that signature. The engine answers instantly, so the time is all overhead.
func BenchmarkAxonOverhead(b *testing.B) {
	client, conn, miner := benchServer(b, &echoEngine{}, 4)
	req := &axonv1.GenerateRequest{Prompt: prompt64.GetPrompt(), MaxTokens: 64}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := client.Generate(context.Background(), conn, miner, req); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkBuiltinDirect is a 64-token greedy generation by the built-in engine, called directly.
func BenchmarkBuiltinDirect(b *testing.B) {
	engine, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	req := inference.Request{Prompt: prompt64.GetPrompt(), MaxTokens: 64}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := engine.Generate(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkBuiltinThroughAxon is the same generation asked through the axon.
func BenchmarkBuiltinThroughAxon(b *testing.B) {
	engine, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	client, conn, miner := benchServer(b, engine, 2)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := client.Generate(context.Background(), conn, miner, prompt64); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkBuiltinPaired is the fair comparison behind the issue's "under 5% of a 64-token
// generation": the same warm engine answers a direct call and a call through the axon in turn (the
// order swapping every iteration), so both arms meet the same machine load, the same engine state
// and the same concurrency (one request at a time). It reports each arm's p50 and the p50 of the
// paired differences, in milliseconds and as a share of the direct p50. Run it with -cpu 1 to see
// the overhead without the engine's worker goroutines competing with the client and server for a
// second core, and with -cpu 2 for the machine's normal setting.
func BenchmarkBuiltinPaired(b *testing.B) {
	engine, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	client, conn, miner := benchServer(b, engine, 2)
	direct := inference.Request{Prompt: prompt64.GetPrompt(), MaxTokens: 64}
	runDirect := func() time.Duration {
		start := time.Now()
		if _, err := engine.Generate(context.Background(), direct); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	runAxon := func() time.Duration {
		start := time.Now()
		if _, err := client.Generate(context.Background(), conn, miner, prompt64); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	runDirect() // warm both paths before timing
	runAxon()
	var dl, al, diff []time.Duration
	b.ResetTimer()
	for i := range b.N {
		var d, a time.Duration
		if i%2 == 0 {
			d, a = runDirect(), runAxon()
		} else {
			a, d = runAxon(), runDirect()
		}
		dl, al, diff = append(dl, d), append(al, a), append(diff, a-d)
	}
	b.StopTimer()
	med := func(xs []time.Duration) float64 {
		slices.Sort(xs)
		return float64(xs[len(xs)/2].Nanoseconds()) / 1e6
	}
	dm, am, om := med(dl), med(al), med(diff)
	b.ReportMetric(dm, "direct-p50-ms")
	b.ReportMetric(am, "axon-p50-ms")
	b.ReportMetric(om, "overhead-p50-ms")
	b.ReportMetric(100*om/dm, "overhead-%")
}

// BenchmarkSustainedLoad keeps `clients` callers sending 16-token generations to a built-in miner
// with 2 slots and reports throughput and latency percentiles; the sustainable rate is the highest
// whose p99 stays under twice its p50.
func BenchmarkSustainedLoad(b *testing.B) {
	engine, err := builtin.Load()
	if err != nil {
		b.Fatal(err)
	}
	sustained(b, engine, 16)
}

// BenchmarkAxonSustained is the same load on an engine that answers at once: the axon's own
// capacity (authentication, framing, admission, signing), all on the machine's cores.
func BenchmarkAxonSustained(b *testing.B) {
	sustained(b, &echoEngine{}, 64)
}

func sustained(b *testing.B, engine inference.Engine, maxTokens uint32) {
	for _, clients := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			client, conn, miner := benchServer(b, engine, 2)
			req := &axonv1.GenerateRequest{Prompt: prompt64.GetPrompt(), MaxTokens: maxTokens}
			var mu sync.Mutex
			lat := make([]time.Duration, 0, b.N)
			work := make(chan struct{}, b.N)
			for range b.N {
				work <- struct{}{}
			}
			close(work)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					for range work {
						t := time.Now()
						if _, err := client.Generate(context.Background(), conn, miner, req); err != nil {
							b.Error(err)
							return
						}
						mu.Lock()
						lat = append(lat, time.Since(t))
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
			reportPercentiles(b, lat)
		})
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}
