package cli

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/mindnet/mindnet/x/weights/types"
)

// Flags of commit-weights.
const (
	FlagSalt       = "salt"
	FlagVersionKey = "version-key"
	FlagWait       = "wait"
)

// DefaultSaltLength is the length of the random salt commit-weights draws when --salt is not given.
const DefaultSaltLength = 32

// GetTxCmd returns `mindnetd tx weights` with the hand-written commands; autocli adds the generated
// ones (set-weights, reveal-weights, ...) to it.
func GetTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Set, commit and reveal weights",
		DisableFlagParsing:         false,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(CommitWeightsCmd())
	return cmd
}

// CommitWeightsCmd is `tx weights commit-weights NETUID UIDS WEIGHTS [--salt S]`: it computes the commit
// hash here, with types.CommitHash, prints the salt before broadcasting (without it the commit can never
// be revealed), broadcasts MsgCommitWeights and, once the commit is in a block, prints its reveal window
// and the reveal-weights command to run in it.
func CommitWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commit-weights NETUID UIDS WEIGHTS",
		Short: "Commit to a weight row by its hash, to reveal it with reveal-weights in the reveal window (signer: --from hotkey)",
		Long: `Commit to a weight row without showing it. UIDS and WEIGHTS are comma-separated lists.
The hash covers the hotkey (--from), NETUID, UIDS, WEIGHTS, a salt and --version-key. The salt is
printed before broadcasting: keep it, as reveal-weights needs the same NETUID, UIDS, WEIGHTS, salt and
version key. Once the commit is in a block the command prints the reveal window (see also
'mindnetd q weights pending-commits NETUID HOTKEY').`,
		Example: `mindnetd tx weights commit-weights 1 0,3,7 100,50,25 --from my-hotkey
mindnetd tx weights commit-weights 1 0,3,7 100,50,25 --salt 8f1c0a7e55d2b9e4a6c3f0d18b7e2a91 --from my-hotkey`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := strconv.ParseUint(args[0], 10, 32)
			if err != nil {
				return fmt.Errorf("NETUID %q: %w", args[0], err)
			}
			uids, err := ParseList(args[1])
			if err != nil {
				return fmt.Errorf("UIDS: %w", err)
			}
			weights, err := ParseList(args[2])
			if err != nil {
				return fmt.Errorf("WEIGHTS: %w", err)
			}
			if err := types.CheckRowShape(uids, weights); err != nil {
				return err
			}
			salt, err := saltFromFlag(cmd)
			if err != nil {
				return err
			}
			versionKey, err := cmd.Flags().GetUint64(FlagVersionKey)
			if err != nil {
				return err
			}
			wait, err := cmd.Flags().GetDuration(FlagWait)
			if err != nil {
				return err
			}
			from := clientCtx.GetFromAddress()
			if from.Empty() {
				return fmt.Errorf("no signer: give the hotkey with --from")
			}
			hotkey := from.String()
			hash := types.CommitHash(hotkey, uint32(netuid), uids, weights, salt, versionKey)
			msg := &types.MsgCommitWeights{Hotkey: hotkey, Netuid: uint32(netuid), CommitHash: hash}

			saltHex := hex.EncodeToString(salt)
			info := cmd.ErrOrStderr()
			fmt.Fprintf(info, "salt: %s\ncommit hash: %x\n", saltHex, hash)
			if err := tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg); err != nil {
				return err
			}
			if clientCtx.GenerateOnly || wait <= 0 {
				return nil
			}
			reveal := fmt.Sprintf("mindnetd tx weights reveal-weights %d %s %s %s --version-key %d --from %s",
				netuid, args[1], args[2], saltHex, versionKey, clientCtx.GetFromName())
			c, err := waitForCommit(cmd, clientCtx, uint32(netuid), hotkey, hash, wait)
			if err != nil {
				fmt.Fprintf(info, "%v\nsee the reveal window with: mindnetd q weights pending-commits %d %s\nthen reveal with: %s\n", err, netuid, hotkey, reveal)
				return nil
			}
			fmt.Fprintf(info, "committed at block %d; reveal window: blocks %d to %d\nreveal with: %s\n",
				c.CommittedAt, c.RevealStart, c.RevealEnd, reveal)
			return nil
		},
	}
	cmd.Flags().String(FlagSalt, "", "salt as hex, 8 to 64 bytes (default: 32 random bytes)")
	cmd.Flags().Uint64(FlagVersionKey, 0, "validator software version; must not be below the subnet's weights_version_key")
	cmd.Flags().Duration(FlagWait, 30*time.Second, "how long to wait for the commit to be in a block before printing its reveal window (0: don't wait)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// waitForCommit polls the hotkey's pending commits until one with hash appears or wait passes.
func waitForCommit(cmd *cobra.Command, clientCtx client.Context, netuid uint32, hotkey string, hash []byte, wait time.Duration) (types.WeightCommit, error) {
	q := types.NewQueryClient(clientCtx)
	deadline := time.Now().Add(wait)
	for {
		res, err := q.PendingCommits(cmd.Context(), &types.QueryPendingCommitsRequest{Netuid: netuid, Hotkey: hotkey})
		if err == nil {
			for _, c := range res.Commits {
				if string(c.Hash) == string(hash) {
					return c, nil
				}
			}
		}
		if time.Now().After(deadline) {
			if err != nil {
				return types.WeightCommit{}, fmt.Errorf("the commit was not seen in a block within %s (last query: %w)", wait, err)
			}
			return types.WeightCommit{}, fmt.Errorf("the commit was not seen in a block within %s", wait)
		}
		select {
		case <-cmd.Context().Done():
			return types.WeightCommit{}, cmd.Context().Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func saltFromFlag(cmd *cobra.Command) ([]byte, error) {
	s, err := cmd.Flags().GetString(FlagSalt)
	if err != nil {
		return nil, err
	}
	if s == "" {
		salt := make([]byte, DefaultSaltLength)
		if _, err := rand.Read(salt); err != nil {
			return nil, fmt.Errorf("draw a salt: %w", err)
		}
		return salt, nil
	}
	salt, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("--salt must be hex: %w", err)
	}
	if err := types.CheckSalt(salt); err != nil {
		return nil, err
	}
	return salt, nil
}

// ParseList reads a comma-separated list of u32 values, as set-weights and reveal-weights take them.
func ParseList(s string) ([]uint32, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]uint32, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseUint(strings.TrimSpace(p), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("entry %d %q: %w", i, p, err)
		}
		out[i] = uint32(v)
	}
	return out, nil
}
