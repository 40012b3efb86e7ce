// Command mindnet-devnet runs the whole Mindnet network on this machine (`make demo`): a chain, a subnet,
// miners, a subnet validator, and a refreshing metagraph table. Ctrl-C stops everything it started. The
// work is in package devnet; this file parses flags and draws frames.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/mindnet/mindnet/devnet"
	"github.com/mindnet/mindnet/metagraph/table"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	wd, _ := os.Getwd()
	cfg := devnet.DefaultConfig(wd)
	cmd := &cobra.Command{
		Use:          "mindnet-devnet",
		Short:        "Run a whole Mindnet network locally (chain, subnet, miners, validator) and watch its metagraph",
		SilenceUsage: true, SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return run(ctx, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Root, "root", cfg.Root, "repository root (scripts/ and model folders)")
	f.StringVar(&cfg.Bin, "bin", cfg.Bin, "folder with the built binaries")
	f.StringVar(&cfg.Dir, "dir", cfg.Dir, "state and logs (reset on start)")
	f.IntVar(&cfg.ChainValidators, "validators", cfg.ChainValidators, "chain validators (1-4)")
	f.Uint64Var(&cfg.Tempo, "tempo", cfg.Tempo, "subnet tempo in blocks (a block a second)")
	f.IntVar(&cfg.HonestMiners, "miners", cfg.HonestMiners, "miners serving the subnet's model")
	f.IntVar(&cfg.OddMiners, "odd-miners", cfg.OddMiners, "miners serving a different model")
	f.StringVar(&cfg.SubnetModelDir, "subnet-model", cfg.SubnetModelDir, "model folder the subnet is created for (default: the built-in model)")
	f.IntVar(&cfg.OpenAIMiners, "openai-miners", cfg.OpenAIMiners, "miners in front of one mindnet-serve (an OpenAI-compatible server)")
	f.IntVar(&cfg.ServePort, "serve-port", cfg.ServePort, "mindnet-serve's port")
	f.BoolVar(&cfg.ValidatorOpenAI, "validator-openai", cfg.ValidatorOpenAI, "the subnet validator verifies through a mindnet-serve of its own on serve-port+1 (engine.kind openai)")
	f.StringVar(&cfg.ExplorerListen, "explorer", "127.0.0.1:8080", "where mindnet-explorer serves (empty: no explorer)")
	return cmd
}

func run(ctx context.Context, cfg devnet.Config) error {
	began := time.Now()
	cfg.Log = func(format string, args ...any) {
		fmt.Printf("[%5.1fs] %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
	}
	net, err := devnet.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		fmt.Println("\nstopping the network…")
		net.Stop()
		fmt.Println("stopped. Logs:")
		for _, l := range net.Logs() {
			fmt.Println("  " + l)
		}
		fmt.Printf("State is kept in %s until the next run.\n", cfg.Dir)
	}()

	conn, err := grpc.NewClient(devnet.NodeGRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	var firstEpoch time.Duration
	for {
		fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		view, err := table.Fetch(fctx, conn, net.Netuid)
		cancel()
		fmt.Print("\033[2J\033[H")
		fmt.Printf("Mindnet devnet: running %s   (Ctrl-C stops everything)\n", time.Since(began).Round(time.Second))
		if err != nil {
			fmt.Printf("\nwaiting for the chain: %v\n", err)
		} else {
			if firstEpoch == 0 && paidAnyone(view) {
				firstEpoch = time.Since(began)
			}
			if firstEpoch > 0 {
				fmt.Printf("first epoch paid out %s after start\n", firstEpoch.Round(time.Second))
			}
			fmt.Println()
			view.Labels = net.Labels
			_ = table.Write(os.Stdout, view)
		}
		for _, p := range append(append(net.Miners, net.Validator), net.Serve, net.ValidatorServe) {
			if p == nil {
				continue
			}
			if !p.Running() {
				fmt.Printf("\n%s exited; see %s\n", p.Name, filepath.Base(p.Log))
			}
		}
		fmt.Printf("\nREST %s   gRPC %s   logs %s\n", devnet.NodeREST, devnet.NodeGRPC, filepath.Join(cfg.Dir, "logs"))
		if net.Serve != nil {
			fmt.Printf("mindnet-serve (OpenAI API) http://127.0.0.1:%d/v1: the openai-N miners answer through it\n", cfg.ServePort)
		}
		if url := net.ExplorerURL(); url != "" {
			fmt.Printf("Explorer %s/subnets/%d\n", url, net.Netuid)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(2 * time.Second):
		}
	}
}

func paidAnyone(v table.View) bool {
	for _, n := range v.Snapshot.Neurons {
		if n.Emission > 0 {
			return true
		}
	}
	return false
}
