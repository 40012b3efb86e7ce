package table

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

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
	return View{Snapshot: snap, Tempo: tempo, NextEpoch: next}, nil
}
