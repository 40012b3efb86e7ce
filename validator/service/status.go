package service

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/validator/config"
	"github.com/mindnet/mindnet/validator/state"
	"github.com/mindnet/mindnet/validator/submit"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Status prints what `mindnet-validator status` shows: the state file's score table, pending commits
// and last submission, and, when the node answers, the chain height, the next submission and each
// UID's incentive. It needs no key: it reads the state file and queries the node.
func Status(ctx context.Context, cfg config.Config, w io.Writer) error {
	st, err := state.Load(cfg.State.Path)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("no state file at %s: start the validator first (mindnet-validator start), or point --state.path at its file", cfg.State.Path)
	}
	fmt.Fprintf(w, "netuid %d, hotkey %s\nstate %s (saved %s, %d rounds)\n", st.Netuid, st.Hotkey, cfg.State.Path, st.SavedAt, st.Rounds)

	var snap *metagraph.Snapshot
	chainErr := func() error {
		enc, err := NewEncoding()
		if err != nil {
			return err
		}
		client, err := chainclient.Dial(cfg.Chain.GRPC, enc, nil, cfg.Chain.ChainID)
		if err != nil {
			return err
		}
		defer client.Close()
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		height, err := LatestHeight(ctx, client)
		if err != nil {
			return err
		}
		hp, err := ReadHyperparameters(ctx, client, st.Netuid)
		if err != nil {
			return err
		}
		if snap, err = metagraph.NewGRPCSource(client.Conn, nil).Fetch(ctx, st.Netuid); err != nil {
			return err
		}
		mode := "set-weights"
		if hp.CommitRevealEnabled {
			mode = fmt.Sprintf("commit-reveal, period %d", hp.CommitRevealPeriod)
		}
		fmt.Fprintf(w, "chain height %d, tempo %d (index %d), weights by %s, rate limit %d blocks\n",
			height, hp.Tempo, subnettypes.EpochIndex(st.Netuid, hp.Tempo, uint64(height)), mode, hp.WeightsRateLimit)
		if next := submit.Plan(st.Netuid, height, hp, *st); next.Kind != "" {
			fmt.Fprintf(w, "next submission: %s at block %d\n", next.Kind, next.Height)
		}
		return nil
	}()
	if chainErr != nil {
		fmt.Fprintf(w, "chain: %v (showing the state file only)\n", chainErr)
	}
	if l := st.Last; l != nil {
		fmt.Fprintf(w, "last submission: %s at block %d (tempo index %d), %d UIDs, tx %s\n", l.Kind, l.Height, l.Epoch, l.UIDs, l.TxHash)
	} else {
		fmt.Fprintln(w, "last submission: none yet")
	}
	for _, c := range st.Pending {
		landed := "unconfirmed"
		if c.Confirmed() {
			landed = fmt.Sprintf("block %d", c.Height)
		}
		fmt.Fprintf(w, "pending commit: tempo index %d (%s), %d UIDs, hash %x\n", c.Epoch, landed, len(c.UIDs), c.Hash)
	}

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UID\tHOTKEY\tSCORE\tANSWERS\tINCENTIVE\tNOTE")
	for _, e := range st.Scores {
		incentive, note := "-", ""
		if snap != nil {
			switch n, ok := snap.ByHotkey(e.Hotkey); {
			case !ok || n.UID != uint32(e.UID):
				note = "hotkey no longer holds this UID"
			default:
				incentive = fmt.Sprintf("%.4f", n.Incentive)
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%.4f\t%d\t%s\t%s\n", e.UID, e.Hotkey, e.EMA, e.Count, incentive, note)
	}
	return tw.Flush()
}
