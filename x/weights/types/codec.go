package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the module's messages for amino JSON signing (Ledger and older
// wallets sign amino JSON).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgSetWeights{}, "mindnet/x/weights/MsgSetWeights")
	legacy.RegisterAminoMsg(cdc, &MsgCommitWeights{}, "mindnet/x/weights/MsgCommitWeights")
	legacy.RegisterAminoMsg(cdc, &MsgRevealWeights{}, "mindnet/x/weights/MsgRevealWeights")
	legacy.RegisterAminoMsg(cdc, &MsgBatchSetWeights{}, "mindnet/x/weights/MsgBatchSetWeights")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "mindnet/x/weights/MsgUpdateParams")
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgSetWeights{}, &MsgCommitWeights{}, &MsgRevealWeights{}, &MsgBatchSetWeights{}, &MsgUpdateParams{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
