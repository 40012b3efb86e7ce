// Package weights is the x/weights module: the weight vectors subnet validators set over the UIDs of a
// subnet, stored as sparse normalised rows for the Yuma epoch to read. It reads x/subnet and follows its
// UID hand-overs through hooks; x/subnet never imports it.
package weights

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

	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/x/internal/querystatus"
	"github.com/mindnet/mindnet/x/weights/client/cli"
	"github.com/mindnet/mindnet/x/weights/keeper"
	"github.com/mindnet/mindnet/x/weights/simulation"
	"github.com/mindnet/mindnet/x/weights/types"
)

// ConsensusVersion is the version of x/weights' state layout; bump it with a migration.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic        = AppModule{}
	_ module.HasGenesis            = AppModule{}
	_ module.HasServices           = AppModule{}
	_ module.HasConsensusVersion   = AppModule{}
	_ appmodule.AppModule          = AppModule{}
	_ module.AppModuleSimulation   = AppModule{}
	_ simsx.HasWeightedOperationsX = AppModule{}
	_ simsx.HasProposalMsgsX       = AppModule{}
)

// AppModule wires x/weights into the application.
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

// RegisterGatewayV2Routes mounts the module's REST routes (under /mindnet/weights/v1/) on a
// grpc-gateway v2 mux; each request becomes a gRPC query through conn.
func (AppModule) RegisterGatewayV2Routes(ctx context.Context, mux *gwruntimev2.ServeMux, conn grpc.ClientConnInterface) error {
	return weightsv1.RegisterQueryHandlerClient(ctx, mux, weightsv1.NewQueryClient(conn))
}

// GetTxCmd returns `mindnetd tx weights` with the hand-written commit-weights; autocli adds the rest
// (AutoCLIOptions sets EnhanceCustomCommand).
func (AppModule) GetTxCmd() *cobra.Command { return cli.GetTxCmd() }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	// Queries answer gRPC codes by meaning, which REST turns into 404, 400, 412 or 500.
	types.RegisterQueryServer(querystatus.Server(cfg.QueryServer(), keeper.QueryCodes), keeper.NewQueryServerImpl(am.keeper))
}

// DefaultGenesis returns the module's genesis on a new chain.
func (am AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis file's x/weights section.
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

// GenerateGenesisState writes a random x/weights genesis for the SDK's simulator.
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder lets the simulator print x/weights store entries when two stores differ.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is the simulator's legacy hook; the simulator uses WeightedOperationsX instead
// whenever a module has it, as this one does.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation { return nil }

// Default weights of the module's simulated messages, relative to the SDK's (bank's msg_send is 100).
// Weight messages only pass once subnets, neurons and stake exist, so they are drawn often.
const (
	weightSetWeights    = 60
	weightCommitWeights = 60
	weightRevealWeights = 80
	weightUpdateParams  = 10
)

// WeightedOperationsX registers the module's message factories with the simulator. The commit and
// reveal factories share what was committed, so that reveals can open real commits.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	k := am.keeper
	cr := &simulation.CommitReveal{}
	reg.Add(weights.Get("msg_set_weights", weightSetWeights), simulation.MsgSetWeightsFactory(k))
	reg.Add(weights.Get("msg_commit_weights", weightCommitWeights), cr.MsgCommitWeightsFactory(k))
	reg.Add(weights.Get("msg_reveal_weights", weightRevealWeights), cr.MsgRevealWeightsFactory(k))
}

// ProposalMsgsX registers the governance proposals the simulator may submit for x/weights.
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("msg_update_params", weightUpdateParams), simulation.MsgUpdateParamsFactory(am.keeper))
}
