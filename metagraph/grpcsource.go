package metagraph

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/grpc"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
)

// GRPCSource reads the metagraph from a chain node's gRPC server (x/subnet's Metagraph query).
type GRPCSource struct {
	client subnetv1.QueryClient
	now    func() time.Time
}

// NewGRPCSource returns a source that queries the node behind conn.
func NewGRPCSource(conn grpc.ClientConnInterface, now func() time.Time) *GRPCSource {
	if now == nil {
		now = time.Now
	}
	return &GRPCSource{client: subnetv1.NewQueryClient(conn), now: now}
}

// u16 is the chain's encoding of fractions in [0, 1]: 65535 is 1.
const u16 = 65535.0

// Fetch implements Source.
func (s *GRPCSource) Fetch(ctx context.Context, netuid uint32) (*Snapshot, error) {
	res, err := s.client.Metagraph(ctx, &subnetv1.QueryMetagraphRequest{Netuid: netuid})
	if err != nil {
		return nil, fmt.Errorf("query metagraph of netuid %d: %w", netuid, err)
	}
	neurons := make([]Neuron, 0, len(res.GetNeurons()))
	for _, n := range res.GetNeurons() {
		stake, err := parseAmount(n.GetStake())
		if err != nil {
			return nil, fmt.Errorf("uid %d stake: %w", n.GetUid(), err)
		}
		emission, err := parseAmount(n.GetEmission())
		if err != nil {
			return nil, fmt.Errorf("uid %d emission: %w", n.GetUid(), err)
		}
		neuron := Neuron{
			UID: n.GetUid(), Hotkey: n.GetHotkey(), Coldkey: n.GetColdkey(), Stake: stake,
			ValidatorPermit: n.GetValidatorPermit(), Active: n.GetActive(),
			Incentive: float64(n.GetIncentive()) / u16, Dividends: float64(n.GetDividends()) / u16,
			Trust: float64(n.GetTrust()) / u16, Consensus: float64(n.GetConsensus()) / u16,
			Rank: float64(n.GetRank()) / u16, ValidatorTrust: float64(n.GetValidatorTrust()) / u16,
			PruningScore: float64(n.GetPruningScore()) / u16,
			Emission:     emission, LastUpdate: n.GetLastUpdate(), RegisteredAt: n.GetRegisteredAt(),
		}
		if a := n.GetAxon(); a != nil && a.GetPort() != 0 {
			neuron.Axon = &Axon{IP: a.GetIp(), Port: a.GetPort(), Protocol: a.GetProtocol(), Version: a.GetVersion()}
		}
		neurons = append(neurons, neuron)
	}
	snap := NewSnapshot(netuid, res.GetBlock(), neurons, s.now())
	if m := res.GetModel(); m != nil {
		snap.Model = Model{Name: m.GetName(), Digest: m.GetDigest(), Precisions: m.GetPrecisions(), ContextLength: m.GetContextLength()}
	}
	return snap, nil
}

func parseAmount(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is not a umind integer that fits 64 bits: %w", s, err)
	}
	return v, nil
}
