// Command mindnet-explorer serves a read-only web explorer over a Mindnet node's gRPC and CometBFT RPC:
// the network, subnets with their metagraph, weights and history, neurons, accounts, proposals. It
// parses flags and hands the work to package explorer/service.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/mindnet/mindnet/explorer/service"
	"github.com/mindnet/mindnet/opsconfig"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	var (
		configPath string
		labels     []string
	)
	cmd := &cobra.Command{
		Use:          "mindnet-explorer",
		Short:        "Serve a web explorer of a Mindnet node: network, subnets, metagraphs, history, accounts, proposals",
		Example:      "  mindnet-explorer --grpc 127.0.0.1:9090 --rpc http://127.0.0.1:26657 --listen 127.0.0.1:8080",
		SilenceUsage: true, SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var cfg service.Config
			path := opsconfig.FileOrNone(configPath, cmd.Flags().Changed("config"))
			if err := service.Layers.Load(path, cmd.Flags(), &cfg); err != nil {
				return err
			}
			var err error
			if cfg.Labels, err = parseLabels(labels); err != nil {
				return err
			}
			log, err := opsconfig.Logger(cfg.Log.Level, cfg.Log.Format, "mindnet-explorer")
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return service.Run(ctx, cfg, log, nil)
		},
	}
	d := service.Defaults
	f := cmd.Flags()
	f.StringVar(&configPath, "config", "mindnet-explorer.toml", "TOML configuration file (optional unless named)")
	f.String("grpc", d["grpc"].(string), "gRPC address of the node")
	f.String("rpc", d["rpc"].(string), "CometBFT RPC URL of the node")
	f.String("listen", d["listen"].(string), "address to serve the explorer on")
	f.String("store.path", d["store.path"].(string), "folder of the history store")
	f.Int("store.keep_epochs", d["store.keep_epochs"].(int), "epochs of history kept per subnet")
	f.Duration("query_timeout", d["query_timeout"].(time.Duration), "deadline of each node query")
	f.Duration("page_timeout", d["page_timeout"].(time.Duration), "deadline of the work behind one page")
	f.Int("history_epochs", d["history_epochs"].(int), "past epochs the history charts show")
	f.Duration("poll", d["poll"].(time.Duration), "how often the indexer asks the node for new blocks")
	f.String("log.level", d["log.level"].(string), "debug, info, warn or error")
	f.String("log.format", d["log.format"].(string), "text or json")
	f.StringArrayVar(&labels, "label", nil, "name a hotkey on the pages: HOTKEY=NAME (repeatable)")
	return cmd
}

func parseLabels(in []string) (map[string]string, error) {
	out := map[string]string{}
	for _, l := range in {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("--label %q: want HOTKEY=NAME", l)
		}
		out[k] = v
	}
	return out, nil
}
