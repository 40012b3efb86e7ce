package emission

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
)

func args(names ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(names))
	for i, n := range names {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: n}
	}
	return out
}

// AutoCLIOptions describes `mindnetd query emission …` and `mindnetd tx emission …`. The signer of
// root-register is the coldkey that owns the hotkey, from --from.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: emissionv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the x/emission parameters"},
				{RpcMethod: "Issuance", Use: "issuance", Short: "Show total issuance, where it went, the block emission and the next halving"},
				{RpcMethod: "PendingEmission", Use: "pending NETUID", Short: "Show what a subnet has accrued since its last epoch", PositionalArgs: args("netuid")},
				{RpcMethod: "SubnetShares", Use: "shares", Short: "Show every subnet's emission share and pending emission"},
				{RpcMethod: "Bonds", Use: "bonds NETUID UID", Short: "Show the bonds a UID holds on a subnet", PositionalArgs: args("netuid", "uid")},
				{RpcMethod: "RootMembers", Use: "root-members", Short: "Show the root subnet's members and their stake"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: emissionv1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				// Params change only through governance: `mindnetd tx gov submit-proposal`.
				{RpcMethod: "UpdateParams", Skip: true},
				{RpcMethod: "RootRegister", Use: "root-register HOTKEY", Short: "Seat HOTKEY on the root subnet (signer: --from coldkey that owns it)", PositionalArgs: args("hotkey")},
			},
		},
	}
}
