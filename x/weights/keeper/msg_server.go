package keeper

import (
	"context"

	"github.com/mindnet/mindnet/x/weights/types"
)

// msgServer decodes each message, runs its stateless checks and hands it to the keeper method named
// after the rule.
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
