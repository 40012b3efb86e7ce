package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// NewTxCmd returns `mindnetd tx subnet` with its hand-written commands; autocli adds the rest.
func NewTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "x/subnet transactions",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(SetModelCmd(), AddStakeCmd(), RemoveStakeCmd(), MoveStakeCmd())
	return cmd
}

// SetModelCmd is `set-model NETUID NAME DIGEST PRECISIONS CONTEXT`, signed by the subnet owner.
func SetModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-model NETUID NAME DIGEST PRECISIONS CONTEXT",
		Short: "Change the model a subnet serves, from the end of its next epoch (signer: --from owner)",
		Long: `Asks for subnet NETUID to serve the model NAME from the end of its next epoch. DIGEST is what
'mindnetd debug model-digest DIR' prints for the model folder; PRECISIONS lists the serving precisions
validators accept, comma-separated, from float32 and half (float16 or bfloat16); CONTEXT is the most
tokens, prompt and answer together, a validator's task may use. A second request before the epoch
replaces the first; 'mindnetd q subnet model NETUID' shows the pending change and when it applies.`,
		Example: "mindnetd tx subnet set-model 1 gocode-tiny " + strings.Repeat("0", 64) + " float32,half 256 --from owner",
		Args:    cobra.ExactArgs(5),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := strconv.ParseUint(args[0], 10, 32)
			if err != nil {
				return fmt.Errorf("NETUID %q: %w", args[0], err)
			}
			model, err := ModelFromArgs(args[1], args[2], args[3], args[4])
			if err != nil {
				return err
			}
			owner, err := clientCtx.InterfaceRegistry.SigningContext().AddressCodec().BytesToString(clientCtx.GetFromAddress())
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			msg := &types.MsgSetSubnetModel{Owner: owner, Netuid: uint32(netuid), Model: model}
			if err := msg.Validate(clientCtx.InterfaceRegistry.SigningContext().AddressCodec()); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// ModelFromArgs builds a model record from its command-line form: precisions comma-separated, the
// context length in decimal. It checks the record as the chain will.
func ModelFromArgs(name, digest, precisions, contextLength string) (types.SubnetModel, error) {
	n, err := strconv.ParseUint(contextLength, 10, 32)
	if err != nil {
		return types.SubnetModel{}, fmt.Errorf("%w: CONTEXT %q: %w", types.ErrInvalidContextLength, contextLength, err)
	}
	var list []string
	for _, p := range strings.Split(precisions, ",") {
		list = append(list, strings.TrimSpace(p))
	}
	m := types.SubnetModel{Name: name, Digest: digest, Precisions: list, ContextLength: uint32(n)}
	if err := m.Validate(); err != nil {
		return types.SubnetModel{}, err
	}
	return m, nil
}
