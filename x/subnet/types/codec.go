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
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "mindnet/x/subnet/MsgUpdateParams")
	legacy.RegisterAminoMsg(cdc, &MsgCreateSubnet{}, "mindnet/x/subnet/MsgCreateSubnet")
	legacy.RegisterAminoMsg(cdc, &MsgTransferSubnetOwnership{}, "mindnet/x/subnet/MsgTransferOwnership")
	legacy.RegisterAminoMsg(cdc, &MsgSetHyperparameters{}, "mindnet/x/subnet/MsgSetHyperparameters")
	legacy.RegisterAminoMsg(cdc, &MsgRegisterNeuron{}, "mindnet/x/subnet/MsgRegisterNeuron")
	legacy.RegisterAminoMsg(cdc, &MsgServeAxon{}, "mindnet/x/subnet/MsgServeAxon")
	legacy.RegisterAminoMsg(cdc, &MsgAddStake{}, "mindnet/x/subnet/MsgAddStake")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveStake{}, "mindnet/x/subnet/MsgRemoveStake")
	legacy.RegisterAminoMsg(cdc, &MsgMoveStake{}, "mindnet/x/subnet/MsgMoveStake")
	legacy.RegisterAminoMsg(cdc, &MsgSetDelegateTake{}, "mindnet/x/subnet/MsgSetDelegateTake")
	legacy.RegisterAminoMsg(cdc, &MsgSetSubnetModel{}, "mindnet/x/subnet/MsgSetSubnetModel")
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgUpdateParams{},
		&MsgCreateSubnet{},
		&MsgTransferSubnetOwnership{},
		&MsgSetHyperparameters{},
		&MsgRegisterNeuron{},
		&MsgServeAxon{},
		&MsgAddStake{},
		&MsgRemoveStake{},
		&MsgMoveStake{},
		&MsgSetDelegateTake{},
		&MsgSetSubnetModel{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
