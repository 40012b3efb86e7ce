package keeper

import (
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/mindnet/mindnet/x/weights/types"
)

// MaxQueriedUIDs bounds the uids of one Weights query, so that a query's cost stays bounded.
const MaxQueriedUIDs = 4096

type queryServer struct{ k *Keeper }

// NewQueryServerImpl returns the x/weights Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Weights returns the rows of the requested UIDs in UID order, or every row of the subnet, paginated.
func (q queryServer) Weights(ctx context.Context, req *types.QueryWeightsRequest) (*types.QueryWeightsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if len(req.Uids) > MaxQueriedUIDs {
		return nil, status.Errorf(codes.InvalidArgument, "at most %d uids per query; page through the whole matrix instead", MaxQueriedUIDs)
	}
	subnet, err := q.k.subnet(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	if len(req.Uids) > 0 {
		uids := slices.Clone(req.Uids)
		slices.Sort(uids)
		uids = slices.Compact(uids)
		if last := uids[len(uids)-1]; last >= subnet.NeuronCount {
			return nil, uidOutOfRange(req.Netuid, last, subnet.NeuronCount)
		}
		rows := make([]types.WeightRow, 0, len(uids))
		for _, uid := range uids {
			row, ok, err := q.k.GetRow(ctx, req.Netuid, uid)
			if err != nil {
				return nil, err
			}
			if ok {
				rows = append(rows, row)
			}
		}
		return &types.QueryWeightsResponse{Rows: rows}, nil
	}
	rows, page, err := query.CollectionPaginate(ctx, q.k.Weights, req.Pagination,
		func(_ collections.Pair[uint32, uint32], r types.WeightRow) (types.WeightRow, error) { return r, nil },
		query.WithCollectionPaginationPairPrefix[uint32, uint32](req.Netuid))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryWeightsResponse{Rows: rows, Pagination: page}, nil
}

// WeightRow returns one UID's row; a UID that set no weights gets an empty row, a UID the subnet does
// not have is not found.
func (q queryServer) WeightRow(ctx context.Context, req *types.QueryWeightRowRequest) (*types.QueryWeightRowResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	subnet, err := q.k.subnet(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	if req.Uid >= subnet.NeuronCount {
		return nil, uidOutOfRange(req.Netuid, req.Uid, subnet.NeuronCount)
	}
	row, ok, err := q.k.GetRow(ctx, req.Netuid, req.Uid)
	if err != nil {
		return nil, err
	}
	if !ok {
		row = types.WeightRow{Netuid: req.Netuid, Uid: req.Uid}
	}
	return &types.QueryWeightRowResponse{Row: row}, nil
}

// PendingCommits returns the hotkey's commit queue on a subnet, oldest first.
func (q queryServer) PendingCommits(ctx context.Context, req *types.QueryPendingCommitsRequest) (*types.QueryPendingCommitsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	hotkey, err := q.k.addressCodec.StringToBytes(req.Hotkey)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "hotkey %q: %v", req.Hotkey, err)
	}
	// An unknown subnet is named as such, not as a hotkey without a UID on it.
	if _, err := q.k.subnet(ctx, req.Netuid); err != nil {
		return nil, err
	}
	s, err := q.k.setter(ctx, req.Netuid, hotkey)
	if err != nil {
		return nil, err
	}
	queue, _, err := q.k.storedQueue(ctx, req.Netuid, s)
	if err != nil {
		return nil, err
	}
	commits := queue.Commits
	if commits == nil {
		commits = []types.WeightCommit{}
	}
	return &types.QueryPendingCommitsResponse{Uid: s.uid, Commits: commits, Height: sdk.UnwrapSDKContext(ctx).BlockHeight()}, nil
}

// NextAllowedBlock returns the first block, from the next one on, at which the UID may set weights (or,
// under commit-reveal, commit) without hitting weights_rate_limit.
func (q queryServer) NextAllowedBlock(ctx context.Context, req *types.QueryNextAllowedBlockRequest) (*types.QueryNextAllowedBlockResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	subnet, err := q.k.subnet(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	hp := subnet.Hyperparameters
	if req.Uid >= subnet.NeuronCount {
		return nil, uidOutOfRange(req.Netuid, req.Uid, subnet.NeuronCount)
	}
	next := sdk.UnwrapSDKContext(ctx).BlockHeight() + 1
	if hp.CommitRevealEnabled {
		queue, err := q.k.Commits.Get(ctx, collections.Join(req.Netuid, req.Uid))
		switch {
		case errors.Is(err, collections.ErrNotFound):
		case err != nil:
			return nil, err
		case queue.LastCommitAt != 0:
			next = max(next, NextSetBlock(queue.LastCommitAt, hp.WeightsRateLimit))
		}
	} else {
		row, ok, err := q.k.GetRow(ctx, req.Netuid, req.Uid)
		if err != nil {
			return nil, err
		}
		if ok {
			next = max(next, NextSetBlock(row.SetAt, hp.WeightsRateLimit))
		}
	}
	return &types.QueryNextAllowedBlockResponse{NextBlock: next, CommitReveal: hp.CommitRevealEnabled}, nil
}

// uidOutOfRange names a UID that the subnet does not have (queries answer it NotFound).
func uidOutOfRange(netuid, uid, size uint32) error {
	return errorsmod.Wrapf(types.ErrUIDOutOfRange, "uid %d: netuid %d has %d neurons", uid, netuid, size)
}
