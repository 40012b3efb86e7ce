// Package emission is the x/emission module: it mints every block's emission on a halving schedule
// under a hard cap, pays a share to the fee collector for chain validators and delegators, accrues the
// rest to subnets by the shares the root subnet's Yuma epoch sets, and at each subnet's epoch block
// runs the Yuma epoch (package yuma) and pays the results out as stake. It reads x/subnet and
// x/weights; neither imports it.
package emission

import (
	"context"
	"encoding/json"
	"fmt"

	"cosmossdk.io/core/appmodule"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	gwruntimev2 "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	"github.com/mindnet/mindnet/x/emission/keeper"
	"github.com/mindnet/mindnet/x/emission/simulation"
	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/internal/querystatus"
)

// ConsensusVersion is the version of x/emission's state layout; bump it with a migration. Version 2
// is subnet markets: pending emission is alpha, and the ledger counts umind injected into pools
// (keeper.Migrator.Migrate1to2).
const ConsensusVersion = 2

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ appmodule.HasBeginBlocker  = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}

	_ module.AppModuleSimulation   = AppModule{}
	_ simsx.HasWeightedOperationsX = AppModule{}
	_ simsx.HasProposalMsgsX       = AppModule{}
)

// AppModule wires x/emission into the application.
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
// grpc-gateway v2 instead (RegisterGatewayV2Routes).
func (AppModule) RegisterGRPCGatewayRoutes(client.Context, *gwruntime.ServeMux) {}

// RegisterGatewayV2Routes mounts the module's REST routes (under /mindnet/emission/v1/) on a
// grpc-gateway v2 mux; each request becomes a gRPC query through conn.
func (AppModule) RegisterGatewayV2Routes(ctx context.Context, mux *gwruntimev2.ServeMux, conn grpc.ClientConnInterface) error {
	return emissionv1.RegisterQueryHandlerClient(ctx, mux, emissionv1.NewQueryClient(conn))
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	// Queries answer gRPC codes by meaning, which REST turns into 404, 400, 412 or 500.
	types.RegisterQueryServer(querystatus.Server(cfg.QueryServer(), keeper.QueryCodes), keeper.NewQueryServerImpl(am.keeper))
	migrate := keeper.NewMigrator(am.keeper)
	if err := cfg.RegisterMigration(types.ModuleName, 1, func(ctx sdk.Context) error { return migrate.Migrate1to2(ctx) }); err != nil {
		panic(fmt.Errorf("register %s migration 1 to 2: %w", types.ModuleName, err))
	}
}

// BeginBlock mints the block's emission.
func (am AppModule) BeginBlock(ctx context.Context) error { return am.keeper.BeginBlock(ctx) }

// EndBlock runs the epochs due at this block.
func (am AppModule) EndBlock(ctx context.Context) error { return am.keeper.EndBlock(ctx) }

// DefaultGenesis returns the module's genesis on a new chain.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis file's x/emission section.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &gs); err != nil {
		return fmt.Errorf("decode %s genesis: %w", types.ModuleName, err)
	}
	return gs.Validate()
}

// InitGenesis loads the module's genesis state. The SDK's genesis interface has no error return: a
// genesis that passed ValidateGenesis and whose bank balances agree cannot fail here, so a failure is
// a broken genesis and panics.
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

// GenerateGenesisState writes a random x/emission genesis for the SDK's simulator.
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder lets the simulator print x/emission store entries when two stores differ.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is the simulator's legacy hook; the simulator uses WeightedOperationsX instead
// whenever a module has it, as this one does.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation { return nil }

// Default weights of the module's simulated messages, relative to the SDK's (bank's msg_send is 100).
// Root registration only passes for registered hotkeys that may take a seat, so it is drawn often.
const (
	weightRootRegister = 40
	weightUpdateParams = 10
)

// WeightedOperationsX registers the module's message factories with the simulator.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("msg_root_register", weightRootRegister), simulation.MsgRootRegisterFactory(am.keeper))
}

// ProposalMsgsX registers the governance proposals the simulator may submit for x/emission.
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("msg_update_params", weightUpdateParams), simulation.MsgUpdateParamsFactory(am.keeper))
}
