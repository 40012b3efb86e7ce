// Package subnet is the x/subnet module: subnets and their hyperparameters, neurons (UIDs),
// registration, axon serving info and stake. Other modules read it; it reads none of them.
package subnet

import (
	"context"
	"encoding/json"
	"fmt"

	"cosmossdk.io/core/appmodule"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	gwruntimev2 "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/x/internal/querystatus"
	"github.com/mindnet/mindnet/x/subnet/client/cli"
	"github.com/mindnet/mindnet/x/subnet/keeper"
	"github.com/mindnet/mindnet/x/subnet/simulation"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// ConsensusVersion is the version of x/subnet's state layout; bump it with a migration. Version 2
// records each subnet's model (keeper.Migrator.Migrate1to2); version 3 adds the subnets' pools and
// alpha stake (Migrate2to3).
const ConsensusVersion = 3

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}
	_ appmodule.HasBeginBlocker  = AppModule{}

	_ module.AppModuleSimulation   = AppModule{}
	_ simsx.HasWeightedOperationsX = AppModule{}
	_ simsx.HasProposalMsgsX       = AppModule{}
)

// AppModule wires x/subnet into the application.
type AppModule struct {
	cdc    codec.Codec
	keeper *keeper.Keeper
}

// NewAppModule returns the module over k.
func NewAppModule(cdc codec.Codec, k *keeper.Keeper) AppModule {
	return AppModule{cdc: cdc, keeper: k}
}

// Name returns the module name.
func (AppModule) Name() string { return types.ModuleName }

// IsAppModule marks AppModule as a core app module.
func (AppModule) IsAppModule() {}

// IsOnePerModuleType marks AppModule as the only module of its type.
func (AppModule) IsOnePerModuleType() {}

// ConsensusVersion returns the module's state version.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// RegisterLegacyAminoCodec registers the amino types.
func (AppModule) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}

// RegisterInterfaces registers the module's messages.
func (AppModule) RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	types.RegisterInterfaces(registry)
}

// RegisterGRPCGatewayRoutes is the SDK's grpc-gateway v1 hook. Mindnet serves its REST routes with
// grpc-gateway v2 instead (RegisterGatewayV2Routes), so there is nothing to add to the v1 mux.
func (AppModule) RegisterGRPCGatewayRoutes(client.Context, *gwruntime.ServeMux) {}

// RegisterGatewayV2Routes mounts the module's REST routes (under /mindnet/subnet/v1/) on a grpc-gateway
// v2 mux; each request becomes a gRPC query through conn.
func (AppModule) RegisterGatewayV2Routes(ctx context.Context, mux *gwruntimev2.ServeMux, conn grpc.ClientConnInterface) error {
	return subnetv1.RegisterQueryHandlerClient(ctx, mux, subnetv1.NewQueryClient(conn))
}

// GetTxCmd returns the hand-written tx commands; autocli adds the others (EnhanceCustomCommand).
func (AppModule) GetTxCmd() *cobra.Command { return cli.NewTxCmd() }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	// Queries answer gRPC codes by meaning, which REST turns into 404, 400, 412 or 500.
	types.RegisterQueryServer(querystatus.Server(cfg.QueryServer(), keeper.QueryCodes), keeper.NewQueryServerImpl(am.keeper))
	migrate := keeper.NewMigrator(am.keeper)
	if err := cfg.RegisterMigration(types.ModuleName, 1, func(ctx sdk.Context) error { return migrate.Migrate1to2(ctx) }); err != nil {
		panic(fmt.Errorf("register %s migration 1 to 2: %w", types.ModuleName, err))
	}
	if err := cfg.RegisterMigration(types.ModuleName, 2, func(ctx sdk.Context) error { return migrate.Migrate2to3(ctx) }); err != nil {
		panic(fmt.Errorf("register %s migration 2 to 3: %w", types.ModuleName, err))
	}
}

// BeginBlock moves every pool's price average one block toward its price, before the block's swaps.
func (am AppModule) BeginBlock(ctx context.Context) error {
	if err := am.keeper.UpdatePriceEMAs(ctx); err != nil {
		return fmt.Errorf("update pool price averages: %w", err)
	}
	return nil
}

// EndBlock applies the model changes due at this block: those of subnets whose epoch block it is.
func (am AppModule) EndBlock(ctx context.Context) error {
	if err := am.keeper.ApplyPendingModels(ctx); err != nil {
		return fmt.Errorf("apply pending models: %w", err)
	}
	return nil
}

// DefaultGenesis returns the module's genesis on a new chain.
func (am AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis file's x/subnet section.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &gs); err != nil {
		return fmt.Errorf("decode %s genesis: %w", types.ModuleName, err)
	}
	return gs.Validate()
}

// InitGenesis loads the module's genesis state. The SDK's genesis interface has no error return: a
// genesis that passed ValidateGenesis cannot fail here, so a failure is a broken node and panics.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var gs types.GenesisState
	cdc.MustUnmarshalJSON(bz, &gs)
	if err := am.keeper.InitGenesis(ctx, &gs); err != nil {
		panic(fmt.Errorf("init %s genesis: %w", types.ModuleName, err))
	}
}

// ExportGenesis writes the module's state as genesis JSON.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	gs, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Errorf("export %s genesis: %w", types.ModuleName, err))
	}
	return cdc.MustMarshalJSON(gs)
}

// GenerateGenesisState writes a random x/subnet genesis for the SDK's simulator.
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder lets the simulator print x/subnet store entries when two stores differ.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is the simulator's legacy hook; the simulator uses WeightedOperationsX instead
// whenever a module has it, as this one does.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation { return nil }

// Default weights of the module's simulated messages, relative to the SDK's (bank's msg_send is 100).
// A simulator params file overrides them by key.
const (
	weightCreateSubnet       = 15
	weightRegisterNeuron     = 60
	weightServeAxon          = 30
	weightAddStake           = 50
	weightRemoveStake        = 30
	weightMoveStake          = 20
	weightSetDelegateTake    = 10
	weightTransferOwnership  = 5
	weightSetHyperparameters = 10
	weightUpdateParams       = 20
	weightSetSubnetModel     = 5
)

// WeightedOperationsX registers the module's message factories with the simulator.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	k := am.keeper
	reg.Add(weights.Get("msg_create_subnet", weightCreateSubnet), simsx.NewSimMsgFactoryWithDeliveryResultHandler(simulation.MsgCreateSubnetFactory(k)))
	reg.Add(weights.Get("msg_register_neuron", weightRegisterNeuron), simsx.NewSimMsgFactoryWithDeliveryResultHandler(simulation.MsgRegisterNeuronFactory(k)))
	reg.Add(weights.Get("msg_serve_axon", weightServeAxon), simulation.MsgServeAxonFactory(k))
	reg.Add(weights.Get("msg_add_stake", weightAddStake), simsx.NewSimMsgFactoryWithDeliveryResultHandler(simulation.MsgAddStakeFactory(k)))
	reg.Add(weights.Get("msg_remove_stake", weightRemoveStake), simsx.NewSimMsgFactoryWithDeliveryResultHandler(simulation.MsgRemoveStakeFactory(k)))
	reg.Add(weights.Get("msg_move_stake", weightMoveStake), simsx.NewSimMsgFactoryWithDeliveryResultHandler(simulation.MsgMoveStakeFactory(k)))
	reg.Add(weights.Get("msg_set_delegate_take", weightSetDelegateTake), simulation.MsgSetDelegateTakeFactory(k))
	reg.Add(weights.Get("msg_transfer_subnet_ownership", weightTransferOwnership), simulation.MsgTransferSubnetOwnershipFactory(k))
	reg.Add(weights.Get("msg_set_hyperparameters", weightSetHyperparameters), simulation.MsgSetHyperparametersFactory(k))
	reg.Add(weights.Get("msg_set_subnet_model", weightSetSubnetModel), simulation.MsgSetSubnetModelFactory(k))
}

// ProposalMsgsX registers the governance proposals the simulator may submit for x/subnet.
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("msg_update_params", weightUpdateParams), simulation.MsgUpdateParamsFactory(am.keeper))
}
