package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/server"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
)

// guardStart makes `mindnetd start` refuse, with a message that says what to do, when another
// mindnetd already runs on the same home or when the genesis file cannot be read. Without it the
// second process dies deep inside the database layer, and a broken genesis panics inside the SDK's
// start-up, with messages that name neither the file nor the fix.
func guardStart(rootCmd *cobra.Command) {
	start, _, err := rootCmd.Find([]string{"start"})
	if err != nil || start == nil || start.RunE == nil {
		return
	}
	run := start.RunE
	start.RunE = func(cmd *cobra.Command, args []string) error {
		home, err := cmd.Flags().GetString(flags.FlagHome)
		if err != nil {
			return err
		}
		if err := checkGenesisFile(server.GetServerContextFromCmd(cmd).Config.GenesisFile()); err != nil {
			return err
		}
		release, err := lockHome(home)
		if err != nil {
			return err
		}
		defer release()
		return run(cmd, args)
	}
}

// lockHome takes an exclusive lock on HOME/data/mindnetd.lock for the life of the process.
func lockHome(home string) (release func(), err error) {
	dataDir := filepath.Join(home, "data")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, "mindnetd.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("another mindnetd is already running with home %s (it holds %s): stop it first, or start this node with a different --home", home, path)
	}
	return func() { _ = f.Close() }, nil
}

// checkGenesisFile reads the genesis file the node would start from.
func checkGenesisFile(path string) error {
	if _, err := genutiltypes.AppGenesisFromFile(path); err != nil {
		return fmt.Errorf("cannot start: genesis file %s is not valid: %w (check it with `mindnetd genesis validate`)", path, err)
	}
	return nil
}
