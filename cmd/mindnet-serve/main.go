// Command mindnet-serve is an OpenAI-compatible inference server (vLLM's wire format) over the built-in
// engine: the built-in model, or any model folder that engine loads. It parses flags and configuration
// and hands them to package serve.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/mindnet/mindnet/inference/openai/serve"
	"github.com/mindnet/mindnet/opsconfig"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:          "mindnet-serve",
		Short:        "Serve a model over the OpenAI API (vLLM's wire format) on the CPU",
		Args:         cobra.NoArgs,
		SilenceUsage: true, SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := serve.LoadOptions(configPath, cmd.Flags())
			if err != nil {
				return err
			}
			log, err := opsconfig.Logger(o.Log.Level, o.Log.Format, "mindnet-serve")
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve.Run(ctx, o, log)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "TOML file with the same keys as the flags (optional)")
	serve.AddFlags(cmd.Flags())
	return cmd
}
