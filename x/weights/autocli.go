package weights

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
)

// AutoCLIOptions describes `mindnetd query weights …` and `mindnetd tx weights …`. Lists of UIDs and
// weights are typed comma-separated, as btcli takes them. The signer of every weight message is the
// hotkey, from --from. commit-weights is hand-written (client/cli: it hashes the row on the client);
// EnhanceCustomCommand adds the generated commands next to it.
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
				{
					RpcMethod: "PendingCommits", Use: "pending-commits NETUID HOTKEY",
					Short: "Show a hotkey's commits on a subnet with their reveal windows (reveal when reveal_start <= next block <= reveal_end)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "netuid"}, {ProtoField: "hotkey"},
					},
				},
				{
					RpcMethod: "NextAllowedBlock", Use: "next-allowed-block NETUID UID",
					Short: "Show the first block at which a UID may set weights (or commit, under commit-reveal) again",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "netuid"}, {ProtoField: "uid"},
					},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              weightsv1.Msg_ServiceDesc.ServiceName,
			EnhanceCustomCommand: true,
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
				// Hand-written in client/cli.
				{RpcMethod: "CommitWeights", Skip: true},
				{
					RpcMethod: "RevealWeights", Use: "reveal-weights NETUID UIDS WEIGHTS SALT",
					Short:   "Reveal a committed weight row inside its reveal window: the same uids, weights (same order), hex salt and version key as committed (signer: --from hotkey)",
					Example: "mindnetd tx weights reveal-weights 1 0,3,7 100,50,25 8f1c0a7e55d2b9e4a6c3f0d18b7e2a91 --from my-hotkey",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "netuid"}, {ProtoField: "uids"}, {ProtoField: "weights"}, {ProtoField: "salt"},
					},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"version_key": {Usage: "the version key given to commit-weights"},
					},
				},
				{
					RpcMethod: "BatchSetWeights", Use: "batch-set-weights",
					Short:   "Set the hotkey's weights on several subnets at once, all or nothing (signer: --from hotkey)",
					Example: `mindnetd tx weights batch-set-weights --entries '{"netuid":1,"uids":[0,1],"weights":[3,1]}' --entries '{"netuid":2,"uids":[4],"weights":[1]}' --from my-hotkey`,
				},
				// Governance only: submitted inside a proposal.
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
