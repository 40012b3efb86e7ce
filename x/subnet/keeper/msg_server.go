package keeper

import (
	"context"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// msgServer decodes each message, runs its stateless checks and hands it to the keeper method named
// after the rule.
type msgServer struct{ k *Keeper }

// NewMsgServerImpl returns the x/subnet Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

// UpdateParams replaces the module parameters; only the authority may.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	if err := m.k.UpdateParams(ctx, msg.Authority, msg.Params); err != nil {
		return nil, abciError(err)
	}
	return &types.MsgUpdateParamsResponse{}, nil
}

// CreateSubnet locks the creation cost and opens a subnet.
func (m msgServer) CreateSubnet(ctx context.Context, msg *types.MsgCreateSubnet) (*types.MsgCreateSubnetResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	owner, err := m.k.addr("owner", msg.Owner)
	if err != nil {
		return nil, abciError(err)
	}
	netuid, lock, err := m.k.CreateSubnet(ctx, owner, msg.Name, msg.Model)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgCreateSubnetResponse{Netuid: netuid, Lock: lock}, nil
}

// TransferSubnetOwnership hands a subnet to a new owner.
func (m msgServer) TransferSubnetOwnership(ctx context.Context, msg *types.MsgTransferSubnetOwnership) (*types.MsgTransferSubnetOwnershipResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	if err := m.k.TransferSubnetOwnership(ctx, msg.Owner, msg.Netuid, msg.NewOwner); err != nil {
		return nil, abciError(err)
	}
	return &types.MsgTransferSubnetOwnershipResponse{}, nil
}

// SetHyperparameters replaces a subnet's hyperparameters.
func (m msgServer) SetHyperparameters(ctx context.Context, msg *types.MsgSetHyperparameters) (*types.MsgSetHyperparametersResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	if err := m.k.SetHyperparameters(ctx, msg.Authority, msg.Netuid, msg.Hyperparameters); err != nil {
		return nil, abciError(err)
	}
	return &types.MsgSetHyperparametersResponse{}, nil
}

// RegisterNeuron burns the registration cost and assigns a UID.
func (m msgServer) RegisterNeuron(ctx context.Context, msg *types.MsgRegisterNeuron) (*types.MsgRegisterNeuronResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	coldkey, err := m.k.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	uid, burned, err := m.k.RegisterNeuron(ctx, coldkey, hotkey, msg.Netuid)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgRegisterNeuronResponse{Uid: uid, Burned: burned}, nil
}

// ServeAxon records a neuron's axon.
func (m msgServer) ServeAxon(ctx context.Context, msg *types.MsgServeAxon) (*types.MsgServeAxonResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	axon := types.AxonInfo{Ip: msg.Ip, Port: msg.Port, Protocol: msg.Protocol, Version: msg.Version}
	if err := m.k.ServeAxon(ctx, hotkey, msg.Netuid, axon); err != nil {
		return nil, abciError(err)
	}
	return &types.MsgServeAxonResponse{}, nil
}

// AddStake stakes coins behind a hotkey.
func (m msgServer) AddStake(ctx context.Context, msg *types.MsgAddStake) (*types.MsgAddStakeResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	coldkey, err := m.k.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	staked, err := m.k.StakeInto(ctx, coldkey, hotkey, msg.Netuid, msg.Amount, msg.LimitPrice)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgAddStakeResponse{Staked: staked}, nil
}

// RemoveStake returns stake to the coldkey.
func (m msgServer) RemoveStake(ctx context.Context, msg *types.MsgRemoveStake) (*types.MsgRemoveStakeResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	coldkey, err := m.k.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	returned, err := m.k.UnstakeFrom(ctx, coldkey, hotkey, msg.Netuid, msg.Amount, msg.LimitPrice)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgRemoveStakeResponse{Returned: returned}, nil
}

// MoveStake moves stake between hotkeys or subnets.
func (m msgServer) MoveStake(ctx context.Context, msg *types.MsgMoveStake) (*types.MsgMoveStakeResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	coldkey, err := m.k.addr("coldkey", msg.Coldkey)
	if err != nil {
		return nil, abciError(err)
	}
	origin, err := m.k.addr("origin_hotkey", msg.OriginHotkey)
	if err != nil {
		return nil, abciError(err)
	}
	dest, err := m.k.addr("destination_hotkey", msg.DestinationHotkey)
	if err != nil {
		return nil, abciError(err)
	}
	moved, err := m.k.MoveStake(ctx, coldkey, origin, msg.OriginNetuid, dest, msg.DestinationNetuid, msg.Amount, msg.LimitPrice)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgMoveStakeResponse{Moved: moved}, nil
}

// SetDelegateTake sets a hotkey's take.
func (m msgServer) SetDelegateTake(ctx context.Context, msg *types.MsgSetDelegateTake) (*types.MsgSetDelegateTakeResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addr("hotkey", msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	if err := m.k.SetDelegateTake(ctx, hotkey, msg.Take); err != nil {
		return nil, abciError(err)
	}
	return &types.MsgSetDelegateTakeResponse{}, nil
}

// SetSubnetModel asks for a subnet's model to change at its next epoch.
func (m msgServer) SetSubnetModel(ctx context.Context, msg *types.MsgSetSubnetModel) (*types.MsgSetSubnetModelResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	effective, err := m.k.SetSubnetModel(ctx, msg.Owner, msg.Netuid, msg.Model)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgSetSubnetModelResponse{EffectiveBlock: effective}, nil
}
