package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/mindnet/mindnet/x/subnet/types"
)

type queryServer struct{ k *Keeper }

// NewQueryServerImpl returns the x/subnet Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: params}, nil
}

// Subnets lists subnets by netuid, paginated.
func (q queryServer) Subnets(ctx context.Context, req *types.QuerySubnetsRequest) (*types.QuerySubnetsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	subnets, page, err := query.CollectionPaginate(ctx, q.k.Subnets, req.Pagination,
		func(_ uint32, s types.Subnet) (types.Subnet, error) { return s, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QuerySubnetsResponse{Subnets: subnets, Pagination: page}, nil
}

// Subnet returns one subnet.
func (q queryServer) Subnet(ctx context.Context, req *types.QuerySubnetRequest) (*types.QuerySubnetResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.k.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	return &types.QuerySubnetResponse{Subnet: s}, nil
}

// Hyperparameters returns one subnet's hyperparameters.
func (q queryServer) Hyperparameters(ctx context.Context, req *types.QueryHyperparametersRequest) (*types.QueryHyperparametersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	h, err := q.k.Hyperparameters(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryHyperparametersResponse{Hyperparameters: h}, nil
}

// Metagraph returns every neuron of a subnet in UID order.
func (q queryServer) Metagraph(ctx context.Context, req *types.QueryMetagraphRequest) (*types.QueryMetagraphResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	subnet, err := q.k.GetSubnet(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	height := blockHeight(ctx)
	out := &types.QueryMetagraphResponse{
		Netuid: req.Netuid, Block: height, Model: subnet.Model,
		Neurons: make([]types.NeuronInfo, 0, subnet.NeuronCount),
	}
	err = q.k.Neurons.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](req.Netuid),
		func(_ collections.Pair[uint32, uint32], n types.Neuron) (bool, error) {
			info, err := q.k.neuronInfo(ctx, n, subnet.Hyperparameters.ActivityCutoff, height)
			if err != nil {
				return true, err
			}
			out.Neurons = append(out.Neurons, info)
			return false, nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Neuron returns the neuron at one UID.
func (q queryServer) Neuron(ctx context.Context, req *types.QueryNeuronRequest) (*types.QueryNeuronResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	info, err := q.neuron(ctx, req.Netuid, req.Uid)
	if err != nil {
		return nil, err
	}
	return &types.QueryNeuronResponse{Neuron: info}, nil
}

// NeuronByHotkey returns the neuron a hotkey holds on a subnet.
func (q queryServer) NeuronByHotkey(ctx context.Context, req *types.QueryNeuronByHotkeyRequest) (*types.QueryNeuronByHotkeyResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	hotkey, err := q.k.addr("hotkey", req.Hotkey)
	if err != nil {
		return nil, err
	}
	if _, err := q.k.GetSubnet(ctx, req.Netuid); err != nil {
		return nil, err
	}
	uid, err := q.k.UIDOf(ctx, req.Netuid, hotkey)
	if err != nil {
		return nil, err
	}
	info, err := q.neuron(ctx, req.Netuid, uid)
	if err != nil {
		return nil, err
	}
	return &types.QueryNeuronByHotkeyResponse{Neuron: info}, nil
}

func (q queryServer) neuron(ctx context.Context, netuid, uid uint32) (types.NeuronInfo, error) {
	subnet, err := q.k.GetSubnet(ctx, netuid)
	if err != nil {
		return types.NeuronInfo{}, err
	}
	n, err := q.k.GetNeuron(ctx, netuid, uid)
	if err != nil {
		return types.NeuronInfo{}, err
	}
	return q.k.neuronInfo(ctx, n, subnet.Hyperparameters.ActivityCutoff, blockHeight(ctx))
}

// neuronInfo is a neuron as the metagraph shows it. A neuron is active while its last update is within
// activity_cutoff blocks, the same mask the epoch applies.
func (k *Keeper) neuronInfo(ctx context.Context, n types.Neuron, activityCutoff uint64, height int64) (types.NeuronInfo, error) {
	hotkey, err := k.addr("stored hotkey", n.Hotkey)
	if err != nil {
		return types.NeuronInfo{}, err
	}
	// The stake the metagraph shows is the neuron's voice on this subnet, as its epoch counts it.
	stake, err := k.VoiceOf(ctx, n.Netuid, hotkey)
	if err != nil {
		return types.NeuronInfo{}, err
	}
	s := n.Scores
	return types.NeuronInfo{
		Netuid: n.Netuid, Uid: n.Uid, Hotkey: n.Hotkey, Coldkey: n.Coldkey, Stake: stake,
		Rank: s.Rank, Trust: s.Trust, Consensus: s.Consensus, Incentive: s.Incentive, Dividends: s.Dividends,
		Emission: s.Emission, ValidatorTrust: s.ValidatorTrust, ValidatorPermit: s.ValidatorPermit,
		PruningScore: s.PruningScore, LastUpdate: n.LastUpdate, RegisteredAt: n.RegisteredAt,
		Active: height-n.LastUpdate <= int64(activityCutoff), Axon: n.Axon,
	}, nil
}

// Stake returns a hotkey's total stake with its owner, take and nominators.
func (q queryServer) Stake(ctx context.Context, req *types.QueryStakeRequest) (*types.QueryStakeResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	hotkey, err := q.k.addr("hotkey", req.Hotkey)
	if err != nil {
		return nil, err
	}
	total, err := q.k.TotalStakeOf(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	take, err := q.k.DelegateTake(ctx, hotkey)
	if err != nil {
		return nil, err
	}
	out := &types.QueryStakeResponse{Hotkey: req.Hotkey, Total: total, Take: take}
	if owner, err := q.k.HotkeyOwners.Get(ctx, hotkey); err == nil {
		out.Owner = q.k.addrString(owner)
	}
	if out.Nominators, err = q.k.walkStakes(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](hotkey)); err != nil {
		return nil, err
	}
	return out, nil
}

// StakesByColdkey returns every stake a coldkey holds, by hotkey.
func (q queryServer) StakesByColdkey(ctx context.Context, req *types.QueryStakesByColdkeyRequest) (*types.QueryStakesByColdkeyResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	coldkey, err := q.k.addr("coldkey", req.Coldkey)
	if err != nil {
		return nil, err
	}
	out := &types.QueryStakesByColdkeyResponse{}
	err = q.k.StakesByColdkey.Walk(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, sdk.AccAddress](coldkey),
		func(key collections.Pair[sdk.AccAddress, sdk.AccAddress]) (bool, error) {
			amount, err := q.k.StakeOf(ctx, key.K2(), coldkey)
			if err != nil {
				return true, err
			}
			out.Stakes = append(out.Stakes, types.Stake{Hotkey: q.k.addrString(key.K2()), Coldkey: req.Coldkey, Amount: amount})
			return false, nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RegistrationCost returns what registering on a subnet burns now. The root subnet has no such cost,
// since no burn buys a seat on it (RegisterNeuron refuses it), so the question is refused for it.
func (q queryServer) RegistrationCost(ctx context.Context, req *types.QueryRegistrationCostRequest) (*types.QueryRegistrationCostResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if req.Netuid == types.RootNetuid {
		return nil, errorsmod.Wrap(types.ErrRootSubnet, "no registration by burn on netuid 0: join root with `mindnetd tx emission root-register HOTKEY`")
	}
	cost, err := q.k.RegistrationCost(ctx, req.Netuid)
	if err != nil {
		return nil, err
	}
	return &types.QueryRegistrationCostResponse{Cost: cost}, nil
}

// SubnetCreationCost returns what creating a subnet locks now.
func (q queryServer) SubnetCreationCost(ctx context.Context, _ *types.QuerySubnetCreationCostRequest) (*types.QuerySubnetCreationCostResponse, error) {
	cost, err := q.k.SubnetCreationCost(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QuerySubnetCreationCostResponse{Cost: cost}, nil
}

// Model returns the model a subnet serves, and the change waiting for its next epoch with the block
// at whose end it takes effect.
func (q queryServer) Model(ctx context.Context, req *types.QueryModelRequest) (*types.QueryModelResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	subnet, err := q.k.GetSubnet(ctx, req.Netuid)
	if errors.Is(err, types.ErrUnknownSubnet) {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	out := &types.QueryModelResponse{Netuid: req.Netuid, Model: subnet.Model}
	pending, ok, err := q.k.PendingModel(ctx, req.Netuid)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	if ok {
		out.Pending = &pending.Model
		// A query reads committed state: the end-blocker of its height has run.
		out.EffectiveBlock = modelEffectiveBlock(subnet, pending.RequestedAt, sdk.UnwrapSDKContext(ctx).BlockHeight())
	}
	return out, nil
}
