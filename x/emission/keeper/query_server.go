package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

type queryServer struct{ k *Keeper }

// NewQueryServerImpl returns the x/emission Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

func internal(err error) error { return status.Error(codes.Internal, err.Error()) }

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.params(ctx)
	if err != nil {
		return nil, internal(err)
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Issuance returns the ledger, the current block emission and the next halving.
func (q queryServer) Issuance(ctx context.Context, _ *types.QueryIssuanceRequest) (*types.QueryIssuanceResponse, error) {
	p, err := q.k.params(ctx)
	if err != nil {
		return nil, internal(err)
	}
	l, err := q.k.ledger(ctx)
	if err != nil {
		return nil, internal(err)
	}
	threshold, height := types.NextHalving(p, l.TotalIssued, sdk.UnwrapSDKContext(ctx).BlockHeight())
	return &types.QueryIssuanceResponse{
		Ledger:              l,
		BlockEmission:       types.BlockEmissionAt(p, l.TotalIssued),
		Halvings:            types.Halvings(l.TotalIssued, p.IssuanceCap),
		NextHalvingIssuance: threshold,
		NextHalvingHeight:   height,
	}, nil
}

// PendingEmission returns a subnet's pending emission and its next epoch block.
func (q queryServer) PendingEmission(ctx context.Context, req *types.QueryPendingEmissionRequest) (*types.QueryPendingEmissionResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.k.subnets.GetSubnet(ctx, req.Netuid)
	if errors.Is(err, subnettypes.ErrUnknownSubnet) {
		return nil, status.Errorf(codes.NotFound, "%v", err)
	}
	if err != nil {
		return nil, internal(err)
	}
	amount, err := q.k.PendingOf(ctx, req.Netuid)
	if err != nil {
		return nil, internal(err)
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	next := subnettypes.NextEpochBlock(s.Netuid, s.Hyperparameters.Tempo, nonNegative(height+1))
	return &types.QueryPendingEmissionResponse{Amount: amount, NextEpochBlock: int64(next)}, nil
}

// SubnetShares returns every subnet's share, effective share and pending emission.
func (q queryServer) SubnetShares(ctx context.Context, _ *types.QuerySubnetSharesRequest) (*types.QuerySubnetSharesResponse, error) {
	weights, total, err := q.k.subnetWeights(ctx)
	if err != nil {
		return nil, internal(err)
	}
	out := make([]types.SubnetShare, 0, len(weights))
	for _, w := range weights {
		pending, err := q.k.PendingOf(ctx, w.netuid)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, types.SubnetShare{
			Netuid:         w.netuid,
			Share:          uint32(w.weight.MulRaw(65_535).Quo(total).Int64()),
			EffectiveShare: uint32(w.weight.MulRaw(types.PartsPerMillion).Quo(total).Int64()),
			Pending:        pending,
		})
	}
	return &types.QuerySubnetSharesResponse{Shares: out}, nil
}

// Bonds returns the bond row of a UID.
func (q queryServer) Bonds(ctx context.Context, req *types.QueryBondsRequest) (*types.QueryBondsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.k.subnets.GetSubnet(ctx, req.Netuid)
	if errors.Is(err, subnettypes.ErrUnknownSubnet) {
		return nil, status.Errorf(codes.NotFound, "%v", err)
	} else if err != nil {
		return nil, internal(err)
	}
	// A UID that holds no bonds yet gets an empty row; one the subnet does not have is not found.
	if req.Uid >= s.NeuronCount {
		return nil, errorsmod.Wrapf(subnettypes.ErrUnknownNeuron, "netuid %d uid %d: the subnet has %d neurons", req.Netuid, req.Uid, s.NeuronCount)
	}
	row, err := q.k.Bonds.Get(ctx, collections.Join(req.Netuid, req.Uid))
	if errors.Is(err, collections.ErrNotFound) {
		return &types.QueryBondsResponse{Row: types.BondRow{Netuid: req.Netuid, Uid: req.Uid}}, nil
	}
	if err != nil {
		return nil, internal(err)
	}
	return &types.QueryBondsResponse{Row: row}, nil
}

// RootMembers returns the root subnet's members.
func (q queryServer) RootMembers(ctx context.Context, _ *types.QueryRootMembersRequest) (*types.QueryRootMembersResponse, error) {
	p, err := q.k.params(ctx)
	if err != nil {
		return nil, internal(err)
	}
	members, err := q.k.RootMembers(ctx)
	if err != nil {
		return nil, internal(err)
	}
	return &types.QueryRootMembersResponse{Members: members, MaxMembers: p.MaxRootMembers}, nil
}
