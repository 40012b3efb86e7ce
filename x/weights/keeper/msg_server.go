package keeper

import (
	"context"

	"github.com/mindnet/mindnet/x/weights/types"
)

// msgServer decodes each message, runs its stateless checks and hands it to the keeper method named
// after the rule. Every error goes through abciError so that clients see the registered code.
type msgServer struct{ k *Keeper }

// NewMsgServerImpl returns the x/weights Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

// SetWeights stores the hotkey's weight row.
func (m msgServer) SetWeights(ctx context.Context, msg *types.MsgSetWeights) (*types.MsgSetWeightsResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addressCodec.StringToBytes(msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	uid, err := m.k.SetWeights(ctx, hotkey, msg.Netuid, msg.Uids, msg.Weights, msg.VersionKey)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgSetWeightsResponse{Uid: uid}, nil
}

// CommitWeights records a commit and answers its reveal window.
func (m msgServer) CommitWeights(ctx context.Context, msg *types.MsgCommitWeights) (*types.MsgCommitWeightsResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addressCodec.StringToBytes(msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	c, uid, err := m.k.CommitWeights(ctx, hotkey, msg.Netuid, msg.CommitHash)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgCommitWeightsResponse{Uid: uid, RevealStart: c.RevealStart, RevealEnd: c.RevealEnd}, nil
}

// RevealWeights opens a commit and stores its row.
func (m msgServer) RevealWeights(ctx context.Context, msg *types.MsgRevealWeights) (*types.MsgRevealWeightsResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addressCodec.StringToBytes(msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	res, err := m.k.RevealWeights(ctx, hotkey, msg.Netuid, msg.Uids, msg.Weights, msg.Salt, msg.VersionKey)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgRevealWeightsResponse{Uid: res.UID, CommittedAt: res.CommittedAt, DroppedEntries: uint32(res.DroppedEntries)}, nil
}

// BatchSetWeights stores one row per entry, all or nothing.
func (m msgServer) BatchSetWeights(ctx context.Context, msg *types.MsgBatchSetWeights) (*types.MsgBatchSetWeightsResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	hotkey, err := m.k.addressCodec.StringToBytes(msg.Hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	uids, err := m.k.BatchSetWeights(ctx, hotkey, msg.Entries)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgBatchSetWeightsResponse{Uids: uids}, nil
}

// UpdateParams replaces the params (authority only).
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := msg.Validate(m.k.addressCodec); err != nil {
		return nil, abciError(err)
	}
	if err := m.k.UpdateParams(ctx, msg.Authority, msg.Params); err != nil {
		return nil, abciError(err)
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
