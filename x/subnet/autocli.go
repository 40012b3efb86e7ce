package subnet

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
)

func args(names ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(names))
	for i, n := range names {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: n}
	}
	return out
}

// AutoCLIOptions describes `mindnetd query subnet …` and `mindnetd tx subnet …`, with positional
// arguments in the order users of btcli and the Cosmos CLIs type them. The signer of each transaction
// (owner, coldkey or hotkey) comes from --from.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: subnetv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the x/subnet parameters"},
				{RpcMethod: "Subnets", Use: "subnets", Short: "List subnets"},
				{RpcMethod: "Subnet", Use: "subnet NETUID", Short: "Show a subnet", PositionalArgs: args("netuid")},
				{RpcMethod: "Hyperparameters", Use: "hyperparameters NETUID", Short: "Show a subnet's hyperparameters", PositionalArgs: args("netuid")},
				{RpcMethod: "Metagraph", Use: "metagraph NETUID", Short: "Show every neuron of a subnet", PositionalArgs: args("netuid")},
				{RpcMethod: "Neuron", Use: "neuron NETUID UID", Short: "Show the neuron at a UID", PositionalArgs: args("netuid", "uid")},
				{RpcMethod: "NeuronByHotkey", Use: "neuron-by-hotkey NETUID HOTKEY", Short: "Show the neuron a hotkey holds on a subnet", PositionalArgs: args("netuid", "hotkey")},
				{RpcMethod: "Stake", Use: "stake HOTKEY", Short: "Show a hotkey's stake, take and nominators", PositionalArgs: args("hotkey")},
				{RpcMethod: "StakesByColdkey", Use: "stakes COLDKEY", Short: "Show every stake a coldkey holds", PositionalArgs: args("coldkey")},
				{RpcMethod: "RegistrationCost", Use: "registration-cost NETUID", Short: "Show what registering on a subnet burns now", PositionalArgs: args("netuid")},
				{RpcMethod: "SubnetCreationCost", Use: "subnet-creation-cost", Short: "Show what creating a subnet locks now"},
				{RpcMethod: "Model", Use: "model NETUID", Short: "Show the model a subnet serves (name, digest, precisions, context length) and any change waiting for its next epoch", PositionalArgs: args("netuid")},
				{RpcMethod: "Pool", Use: "pool NETUID", Short: "Show a subnet's pool: umind and alpha reserves, alpha outstanding, price and its moving average", PositionalArgs: args("netuid")},
				{RpcMethod: "Pools", Use: "pools", Short: "List every subnet's pool with its price"},
				{
					RpcMethod: "Quote", Use: "quote NETUID SIDE AMOUNT", PositionalArgs: args("netuid", "side", "amount"),
					Short: "Show what a swap on a subnet's pool would give now: SIDE buy spends AMOUNT umind on alpha, sell sells AMOUNT alpha",
					Long: "Quotes a swap without making it: what it gives, the fee, the price before and after and the slippage. " +
						"SIDE is buy (AMOUNT umind, as 1000000 or 1000000umind) or sell (AMOUNT alpha, a plain integer). Root (netuid 0) has no pool.",
					Example: "mindnetd q subnet quote 1 buy 1000000umind\nmindnetd q subnet quote 1 sell 500000",
				},
				{RpcMethod: "Positions", Use: "positions COLDKEY", Short: "Show every stake position of a coldkey: root umind and alpha per subnet and hotkey, with their umind value", PositionalArgs: args("coldkey")},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: subnetv1.Msg_ServiceDesc.ServiceName,
			// set-model is hand-written (client/cli): it spreads the model over positional arguments. So are
			// add-stake, remove-stake and move-stake: they read AMOUNT as 1000000 or 1000000umind and, on a
			// subnet, print the pool's quote before signing.
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				// Params change only through governance: `mindnetd tx gov submit-proposal`.
				{RpcMethod: "UpdateParams", Skip: true},
				{RpcMethod: "SetSubnetModel", Skip: true},
				{RpcMethod: "AddStake", Skip: true},
				{RpcMethod: "RemoveStake", Skip: true},
				{RpcMethod: "MoveStake", Skip: true},
				{
					RpcMethod: "CreateSubnet", Use: "create-subnet NAME", PositionalArgs: args("name"),
					Short: "Lock the creation cost and open a subnet (signer: --from owner)",
					Long: "Locks the creation cost and opens a subnet serving the built-in model (params.default_model), or the model given as JSON with --model, for example " +
						`--model '{"name":"org/model","digest":"<mindnetd debug model-digest DIR>","precisions":["float32","half"],"context_length":4096}'.`,
				},
				{RpcMethod: "TransferSubnetOwnership", Use: "transfer-ownership NETUID NEW_OWNER", Short: "Hand a subnet to a new owner", PositionalArgs: args("netuid", "new_owner")},
				{RpcMethod: "SetHyperparameters", Use: "set-hyperparameters NETUID", Short: "Replace a subnet's hyperparameters (pass --hyperparameters as JSON; start from `q subnet hyperparameters`)", PositionalArgs: args("netuid")},
				{RpcMethod: "RegisterNeuron", Use: "register NETUID HOTKEY", Short: "Burn the registration cost and give HOTKEY a UID (signer: --from coldkey)", PositionalArgs: args("netuid", "hotkey")},
				{
					RpcMethod: "ServeAxon", Use: "serve-axon NETUID IP PORT", Short: "Record where a neuron listens (signer: --from hotkey)",
					PositionalArgs: args("netuid", "ip", "port"),
					// A flag named --version would be filled from config.toml's top-level `version` key (the
					// CometBFT version) whenever it is not given, and the command would fail to parse it.
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"version":  {Name: "axon-version", Usage: "version of the miner's axon software"},
						"protocol": {Usage: "protocol number the axon speaks"},
					},
				},
				{RpcMethod: "SetDelegateTake", Use: "set-delegate-take TAKE", Short: "Set the hotkey's take in basis points (signer: --from hotkey)", PositionalArgs: args("take")},
			},
		},
	}
}
