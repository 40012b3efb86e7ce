package cmd

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// applyEnvironment sets every flag the user did not give on the command line from MINDNETD_<FLAG>
// (dashes as underscores: MINDNETD_HOME, MINDNETD_KEYRING_BACKEND, MINDNETD_CHAIN_ID). The SDK reads
// the environment only for the node's own configuration; client commands (keys, tx, query) would
// otherwise ignore it.
func applyEnvironment(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed {
			return
		}
		name := EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if setErr := cmd.Flags().Set(f.Name, v); setErr != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, setErr)
			}
		}
	})
	return err
}
