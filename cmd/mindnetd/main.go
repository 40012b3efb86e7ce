// Command mindnetd is the Mindnet chain daemon: it runs a node and carries the standard Cosmos commands
// (init, start, keys, genesis, tx, query, export, rollback, comet, config, version).
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/cmd/mindnetd/cmd"
)

func main() {
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, cmd.EnvPrefix, app.DefaultNodeHome); err != nil {
		fmt.Fprintln(rootCmd.OutOrStderr(), "Error:", err)
		os.Exit(1)
	}
}
