package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"

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
			if clientCtx.GenerateOnly {
				return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
			}
			sent, err := broadcast(cmd, clientCtx, msg)
			if err != nil {
				return err
			}
			if wait <= 0 {
				return nil
			}
			reveal := fmt.Sprintf("mindnetd tx weights reveal-weights %d %s %s %s --version-key %d --from %s",
				netuid, args[1], args[2], saltHex, versionKey, clientCtx.GetFromName())
			c, err := waitForCommit(cmd, clientCtx, uint32(netuid), hotkey, hash, sent.TxHash, wait)
			if errors.Is(err, errCommitFailed) {
				return err
			}
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

// errCommitFailed marks a commit transaction that the chain refused, at check or in its block.
var errCommitFailed = errors.New("the commit was refused")

// broadcast signs and broadcasts msg like any tx command, prints the chain's answer in the format the
// user asked for, and returns it; a transaction refused at check is an error carrying the chain's log.
func broadcast(cmd *cobra.Command, clientCtx client.Context, msg sdk.Msg) (sdk.TxResponse, error) {
	var captured bytes.Buffer
	if err := tx.GenerateOrBroadcastTxCLI(clientCtx.WithOutput(&captured).WithOutputFormat(flags.OutputFormatJSON), cmd.Flags(), msg); err != nil {
		return sdk.TxResponse{}, err
	}
	var res sdk.TxResponse
	if err := clientCtx.Codec.UnmarshalJSON(captured.Bytes(), &res); err != nil {
		// Not a broadcast result (for example a dry run): pass it through untouched.
		_, werr := cmd.OutOrStdout().Write(captured.Bytes())
		return sdk.TxResponse{}, werr
	}
	if err := clientCtx.PrintProto(&res); err != nil {
		return res, err
	}
	if res.Code != 0 {
		return res, fmt.Errorf("%w at check (code %d): %s", errCommitFailed, res.Code, res.RawLog)
	}
	return res, nil
}

// waitForCommit polls the hotkey's pending commits until one with hash appears or wait passes. While it
// waits it also looks the transaction up by txHash, so that a commit refused in its block (the row
// rules run only there) is reported with the chain's reason instead of a silent timeout.
func waitForCommit(cmd *cobra.Command, clientCtx client.Context, netuid uint32, hotkey string, hash []byte, txHash string, wait time.Duration) (types.WeightCommit, error) {
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
		if txHash != "" {
			if landed, qerr := authtx.QueryTx(clientCtx, txHash); qerr == nil && landed.Code != 0 {
				return types.WeightCommit{}, fmt.Errorf("%w in block %d (code %d): %s", errCommitFailed, landed.Height, landed.Code, landed.RawLog)
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
