package subnet

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
)

// AutoCLIOptions describes `mindnetd query subnet …` and `mindnetd tx subnet …`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: subnetv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the x/subnet parameters"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: subnetv1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				// Params change only through governance: `mindnetd tx gov submit-proposal`.
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
