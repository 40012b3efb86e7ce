package cmd

import (
	"bufio"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mindnet/mindnet/x/emission/yuma"
)

// yumaCmd runs the chain's Yuma epoch on a JSON file so anyone can check the numbers against another
// implementation (subtensor, a notebook) without running a node.
func yumaCmd() *cobra.Command {
	var input string
	cmd := &cobra.Command{
		Use:   "yuma --input FILE.json",
		Short: "Run one Yuma consensus epoch on a JSON input and print the result as JSON",
		Long: `Runs x/emission's Yuma epoch, the exact fixed-point function the chain runs every tempo, on
the subnet described in FILE.json ("-" reads standard input) and prints every neuron's rank, trust,
consensus, incentive, dividends, validator trust, emission, new validator permit, pruning score and
new bond row as JSON. See x/emission/yuma/testdata for examples of the input format.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if input == "" {
				return fmt.Errorf("--input is required: a JSON file describing the subnet, or - for standard input")
			}
			in := os.Stdin
			if input != "-" {
				f, err := os.Open(input)
				if err != nil {
					return fmt.Errorf("open yuma input: %w", err)
				}
				defer f.Close()
				in = f
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			if err := yuma.RunJSON(in, out); err != nil {
				return fmt.Errorf("%s: %w", input, err)
			}
			return out.Flush()
		},
	}
	cmd.Flags().StringVar(&input, "input", "", "JSON file with block, emission, params and neurons (- for stdin)")
	return cmd
}
