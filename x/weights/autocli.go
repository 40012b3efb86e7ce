package weights

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
)

// AutoCLIOptions describes `mindnetd query weights …` and `mindnetd tx weights …`. Lists of UIDs and
// weights are typed comma-separated, as btcli takes them. The signer of set-weights is the hotkey,
// from --from.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: weightsv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the x/weights parameters"},
				{
					RpcMethod: "Weights", Use: "weights NETUID [UID]",
					Short: "Show the weight row of a UID, or every row of a subnet (paginated)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "netuid"},
						{ProtoField: "uids", Varargs: true},
					},
				},
				{RpcMethod: "WeightRow", Skip: true},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: weightsv1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "SetWeights", Use: "set-weights NETUID UIDS WEIGHTS",
					Short:   "Set the hotkey's weights on a subnet where commit-reveal is off (signer: --from hotkey)",
					Example: "mindnetd tx weights set-weights 1 0,3,7 100,50,25 --from my-hotkey",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "netuid"}, {ProtoField: "uids"}, {ProtoField: "weights"},
					},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"version_key": {Usage: "validator software version; must not be below the subnet's weights_version_key"},
					},
				},
			},
		},
	}
}
