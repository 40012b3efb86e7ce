package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	"github.com/mindnet/mindnet/x/emission/types"
)

// msgServer decodes each message, runs its stateless checks and hands it to the keeper method named
// after the rule.
type msgServer struct{ k *Keeper }

// NewMsgServerImpl returns the x/emission Msg service.
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

// RootRegister seats a hotkey on the root subnet.
func (m msgServer) RootRegister(ctx context.Context, msg *types.MsgRootRegister) (*types.MsgRootRegisterResponse, error) {
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
	uid, replaced, err := m.k.RootRegister(ctx, coldkey, hotkey)
	if err != nil {
		return nil, abciError(err)
	}
	return &types.MsgRootRegisterResponse{Uid: uid, ReplacedHotkey: replaced}, nil
}

// UpdateParams replaces the module parameters; only the authority may. A lower max_root_members
// evicts nobody: root admits newcomers only by replacement until it has shrunk below the new size.
func (k *Keeper) UpdateParams(ctx context.Context, authority string, params types.Params) error {
	if authority != k.authority {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s, got %s", k.authority, authority)
	}
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, params); err != nil {
		return fmt.Errorf("write params: %w", err)
	}
	emit(ctx, types.EventTypeUpdateParams, types.AttributeKeyAuthority, authority)
	return nil
}
