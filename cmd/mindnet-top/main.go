// Command mindnet-top shows a subnet's metagraph as a table that refreshes in the terminal, with the
// progress toward the subnet's next epoch. It parses flags and hands the work to packages metagraph and
// metagraph/table.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/mindnet/mindnet/metagraph/table"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	var (
		node     string
		netuid   uint32
		interval time.Duration
		once     bool
		labels   []string
	)
	cmd := &cobra.Command{
		Use:   "mindnet-top",
		Short: "Show a subnet's metagraph (stake, trust, consensus, incentive, dividends, emission), refreshing",
		Example: "  mindnet-top --node 127.0.0.1:9090 --netuid 1\n" +
			"  mindnet-top --netuid 1 --once --label mind1abc...=miner-1",
		SilenceUsage: true, SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := parseLabels(labels)
			if err != nil {
				return err
			}
			conn, err := grpc.NewClient(node, grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				return fmt.Errorf("node %s: %w", node, err)
			}
			defer conn.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return watch(ctx, conn, netuid, interval, once, names)
		},
	}
	f := cmd.Flags()
	f.StringVar(&node, "node", "127.0.0.1:9090", "gRPC address of a Mindnet node")
	f.Uint32Var(&netuid, "netuid", 1, "subnet to show")
	f.DurationVar(&interval, "interval", 2*time.Second, "refresh interval")
	f.BoolVar(&once, "once", false, "print one table and exit")
	f.StringArrayVar(&labels, "label", nil, "HOTKEY=NAME shown next to a hotkey (repeatable)")
	return cmd
}

func parseLabels(list []string) (map[string]string, error) {
	out := make(map[string]string, len(list))
	for _, l := range list {
		hotkey, name, ok := strings.Cut(l, "=")
		if !ok || hotkey == "" {
			return nil, fmt.Errorf("--label %q: want HOTKEY=NAME", l)
		}
		out[hotkey] = name
	}
	return out, nil
}

func watch(ctx context.Context, conn *grpc.ClientConn, netuid uint32, interval time.Duration, once bool, labels map[string]string) error {
	for {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		view, err := table.Fetch(rctx, conn, netuid)
		cancel()
		if !once {
			fmt.Print("\033[2J\033[H") // clear the screen between frames
		}
		switch {
		case err == nil:
			view.Labels = labels
			if werr := table.Write(os.Stdout, view); werr != nil {
				return werr
			}
		case once:
			return err
		default:
			fmt.Printf("waiting for the chain: %v\n", err)
		}
		if once {
			return nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.Canceled) {
				return nil
			}
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}
