package table

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/metagraph"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Fetch reads what one frame shows from a node's gRPC server: the metagraph, and the subnet's tempo to
// place the next epoch.
func Fetch(ctx context.Context, conn grpc.ClientConnInterface, netuid uint32) (View, error) {
	snap, err := metagraph.NewGRPCSource(conn, nil).Fetch(ctx, netuid)
	if err != nil {
		return View{}, err
	}
	hp, err := subnetv1.NewQueryClient(conn).Hyperparameters(ctx, &subnetv1.QueryHyperparametersRequest{Netuid: netuid})
	if err != nil {
		return View{}, fmt.Errorf("hyperparameters of netuid %d: %w", netuid, err)
	}
	tempo := hp.GetHyperparameters().GetTempo()
	// The epoch of an epoch block has run by the time its height is reported, so look from the next one.
	next := subnettypes.NextEpochBlock(netuid, tempo, uint64(snap.Height)+1)
	markets, err := fetchMarkets(ctx, conn)
	if err != nil {
		return View{}, err
	}
	return View{Snapshot: snap, Tempo: tempo, NextEpoch: next, Markets: markets}, nil
}

// fetchMarkets reads every subnet's pool and emission share.
func fetchMarkets(ctx context.Context, conn grpc.ClientConnInterface) ([]Market, error) {
	pools, err := subnetv1.NewQueryClient(conn).Pools(ctx, &subnetv1.QueryPoolsRequest{})
	if err != nil {
		return nil, fmt.Errorf("pools: %w", err)
	}
	shares, err := emissionv1.NewQueryClient(conn).SubnetShares(ctx, &emissionv1.QuerySubnetSharesRequest{})
	if err != nil {
		return nil, fmt.Errorf("emission shares: %w", err)
	}
	share := make(map[uint32]uint32, len(shares.GetShares())) // lookups only
	for _, s := range shares.GetShares() {
		share[s.GetNetuid()] = s.GetEffectiveShare()
	}
	out := make([]Market, 0, len(pools.GetPools()))
	for _, p := range pools.GetPools() {
		out = append(out, Market{
			Netuid: p.GetNetuid(), Price: p.GetPrice(), PriceEMA: p.GetPriceEma(),
			MindReserve: p.GetMindReserve(), AlphaReserve: p.GetAlphaReserve(), Share: share[p.GetNetuid()],
		})
	}
	return out, nil
}
