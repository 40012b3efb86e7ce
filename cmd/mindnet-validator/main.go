// Command mindnet-validator queries a Mindnet subnet's miners, verifies their answers against the
// subnet's model and puts its scores on chain as weights. It only parses flags and configuration and
// hands them to package validator/service.
package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/mindnet/mindnet/opsconfig"
	"github.com/mindnet/mindnet/validator/config"
	"github.com/mindnet/mindnet/validator/service"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func defaultConfigPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "validator.toml"
	}
	return filepath.Join(home, ".mindnet-validator", "validator.toml")
}

func rootCmd() *cobra.Command {
	var configPath string
	root := &cobra.Command{
		Use:           "mindnet-validator",
		Short:         "Score a Mindnet subnet's miners and set weights on chain",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&configPath, "config", defaultConfigPath(), "configuration file (written by init)")
	addConfigFlags(root)
	root.AddCommand(initCmd(&configPath), startCmd(&configPath), statusCmd(&configPath))
	return root
}

// addConfigFlags exposes the most used settings as flags named after their config keys.
func addConfigFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	d := config.Defaults
	f.Uint16("netuid", uint16(d["netuid"].(int)), "subnet to validate")
	f.String("chain.grpc", d["chain.grpc"].(string), "chain node gRPC address")
	f.String("chain.chain_id", d["chain.chain_id"].(string), "chain id")
	f.String("chain.keyring_dir", d["chain.keyring_dir"].(string), "keyring folder (mindnetd --home)")
	f.String("chain.keyring_backend", d["chain.keyring_backend"].(string), "keyring backend: os, file or test")
	f.String("chain.hotkey", d["chain.hotkey"].(string), "hotkey name in the keyring")
	interval, _ := time.ParseDuration(d["round.interval"].(string))
	f.Duration("round.interval", interval, "time between rounds")
	f.Int("round.sample_size", d["round.sample_size"].(int), "miners queried per round")
	f.Int("round.max_in_flight", d["round.max_in_flight"].(int), "calls open at once")
	f.String("model.dir", d["model.dir"].(string), "the subnet's model folder (default: the built-in model)")
	f.String("tasks.prompts", d["tasks.prompts"].(string), "JSON-lines prompt set (default: the built-in Go openings)")
	f.String("engine.kind", d["engine.kind"].(string), "reference engine: builtin or openai")
	f.String("engine.openai_url", d["engine.openai_url"].(string), "OpenAI-compatible server URL (engine openai)")
	f.String("engine.model", d["engine.model"].(string), "model name on the OpenAI-compatible server")
	f.Bool("engine.token_ids", d["engine.token_ids"].(bool), "ask the OpenAI-compatible server for token ids (vLLM, mindnet-serve)")
	f.String("engine.precision", d["engine.precision"].(string), "tolerance for miners' log-probabilities: float32 or half")
	f.String("state.path", d["state.path"].(string), "state file (scores, pending commits)")
	f.String("ops.listen", d["ops.listen"].(string), "metrics and health listen address")
	f.String("log.level", d["log.level"].(string), "debug, info, warn or error")
	f.String("log.format", d["log.format"].(string), "text or json")
}

func load(cmd *cobra.Command, path string) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(opsconfig.FileOrNone(path, cmd.Flags().Changed("config")), cmd.Flags())
	if err != nil {
		return cfg, nil, err
	}
	log, err := opsconfig.Logger(cfg.Log.Level, cfg.Log.Format, "mindnet-validator")
	return cfg, log, err
}

func initCmd(configPath *string) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented configuration file with the defaults",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bz, err := config.Template()
			if err != nil {
				return err
			}
			if err := opsconfig.WriteFile(*configPath, bz, force); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\nnext: create a hotkey (mindnetd keys add validator), register and stake it, then mindnet-validator start\n", *configPath)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func startCmd(configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "start",
		Short: "Check registration, then query miners, score them and set weights until Ctrl-C",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := load(cmd, *configPath)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			v, err := service.New(cfg, log)
			if err != nil {
				return err
			}
			defer v.Close()
			if err := v.CheckModel(ctx); err != nil {
				return err
			}
			neuron, err := v.CheckRegistration(ctx)
			if err != nil {
				return err
			}
			log.Info("registered", "uid", neuron.GetUid(), "validator_permit", neuron.GetValidatorPermit())
			return v.Run(ctx)
		},
	}
}

func statusCmd(configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Print the score table, pending commits and the next weight submission",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := load(cmd, *configPath)
			if err != nil {
				return err
			}
			return service.Status(cmd.Context(), cfg, cmd.OutOrStdout())
		},
	}
}
