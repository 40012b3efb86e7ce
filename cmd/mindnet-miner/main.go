// Command mindnet-miner serves inference to a Mindnet subnet's validators. It only parses flags and
// configuration and hands them to package miner.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/miner"
	"github.com/mindnet/mindnet/miner/config"
	"github.com/mindnet/mindnet/opsconfig"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Version is set at build time.
var Version = "dev"

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func defaultConfigPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "miner.toml"
	}
	return filepath.Join(home, ".mindnet-miner", "miner.toml")
}

func rootCmd() *cobra.Command {
	var configPath string
	root := &cobra.Command{
		Use:           "mindnet-miner",
		Short:         "Serve inference to a Mindnet subnet's validators",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&configPath, "config", defaultConfigPath(), "configuration file (written by init)")
	addConfigFlags(root)
	root.AddCommand(initCmd(&configPath), startCmd(&configPath), registerCmd(&configPath), signRequestCmd(&configPath))
	return root
}

// addConfigFlags exposes the most used settings as flags named after their config keys.
func addConfigFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.Uint16("netuid", 1, "subnet to serve")
	f.String("chain.grpc", "127.0.0.1:9090", "chain node gRPC address")
	f.String("chain.chain_id", "mindnet-local-1", "chain id")
	f.String("chain.keyring_dir", "~/.mindnet", "keyring folder (mindnetd --home)")
	f.String("chain.keyring_backend", "os", "keyring backend: os, file or test")
	f.String("chain.hotkey", "miner", "hotkey name in the keyring")
	f.String("chain.coldkey", "", "coldkey name in the keyring (register pays with it)")
	f.String("axon.listen", "0.0.0.0:8091", "gRPC listen address")
	f.String("axon.http_listen", "0.0.0.0:8092", "HTTP/JSON listen address")
	f.String("axon.external_ip", "", "address announced on chain")
	f.Bool("callers.require_permit", true, "accept only callers with a validator permit")
	f.Uint64("callers.min_stake", 0, "least stake (umind) a caller must have")
	f.String("model.dir", "", "the subnet's model folder (default: the built-in model)")
	f.String("engine.kind", "builtin", "engine: builtin or openai")
	f.String("engine.model_dir", "", "older spelling of model.dir, with engine.kind local")
	f.String("engine.openai_url", "http://127.0.0.1:8000/v1", "OpenAI-compatible server base URL, ending in /v1 (engine openai)")
	f.String("engine.model", "", "model name on the OpenAI-compatible server")
	f.Bool("engine.token_ids", false, "ask the OpenAI-compatible server for token ids (vLLM, mindnet-serve)")
	f.String("engine.precision", "float32", "precision the server computes in: float32 or half")
	f.String("ops.listen", "127.0.0.1:9102", "metrics and health listen address")
	f.String("log.level", "info", "debug, info, warn or error")
	f.String("log.format", "text", "text or json")
}

func load(cmd *cobra.Command, path string) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(opsconfig.FileOrNone(path, cmd.Flags().Changed("config")), cmd.Flags())
	if err != nil {
		return cfg, nil, err
	}
	log, err := opsconfig.Logger(cfg.Log.Level, cfg.Log.Format, "mindnet-miner")
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
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\nnext: create a hotkey (mindnetd keys add miner), register it (mindnet-miner register), then mindnet-miner start\n", *configPath)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func startCmd(configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "start",
		Short: "Check registration, announce the axon, and serve until Ctrl-C",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := load(cmd, *configPath)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			m, err := miner.New(cfg, log, Version)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.CheckModel(ctx); err != nil {
				return err
			}
			if err := m.CheckEngine(ctx); err != nil {
				return err
			}
			neuron, err := m.CheckRegistration(ctx)
			if err != nil {
				return err
			}
			log.Info("registered", "uid", neuron.GetUid())
			if err := m.EnsureServing(ctx, neuron); err != nil {
				return err
			}
			return m.Run(ctx)
		},
	}
}

func registerCmd(configPath *string) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "register",
		Short: "Show the registration burn and register the hotkey on the subnet, paid by the coldkey",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := load(cmd, *configPath)
			if err != nil {
				return err
			}
			if cfg.Chain.Coldkey == "" {
				return fmt.Errorf("set chain.coldkey (or --chain.coldkey) to the keyring name of the coldkey that pays the burn")
			}
			enc, err := chainclient.NewEncoding()
			if err != nil {
				return err
			}
			kr, err := chainclient.OpenKeyring(enc, cfg.Chain.KeyringBackend, cfg.Chain.KeyringDir, os.Stdin)
			if err != nil {
				return err
			}
			_, hotkey, err := chainclient.PrivateKey(kr, cfg.Chain.Hotkey)
			if err != nil {
				return err
			}
			_, coldkey, err := chainclient.PrivateKey(kr, cfg.Chain.Coldkey)
			if err != nil {
				return err
			}
			chain, err := chainclient.Dial(cfg.Chain.GRPC, enc, kr, cfg.Chain.ChainID)
			if err != nil {
				return err
			}
			defer chain.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
			defer cancel()
			cost, err := subnetv1.NewQueryClient(chain.Conn).RegistrationCost(ctx, &subnetv1.QueryRegistrationCostRequest{Netuid: uint32(cfg.Netuid)})
			if err != nil {
				return fmt.Errorf("query registration cost: %w", err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "registering hotkey %s on netuid %d burns %s umind from coldkey %s\n", hotkey, cfg.Netuid, cost.GetCost(), coldkey)
			if !yes {
				fmt.Fprint(out, "continue? [y/N] ")
				answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if a := strings.TrimSpace(strings.ToLower(answer)); a != "y" && a != "yes" {
					return errors.New("not registered")
				}
			}
			msg := &subnettypes.MsgRegisterNeuron{Coldkey: coldkey, Hotkey: hotkey, Netuid: uint32(cfg.Netuid)}
			res, err := chain.Send(ctx, cfg.Chain.Coldkey, time.Minute, msg)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "registered in block %d (tx %s)\n", res.Height, res.TxHash)
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return cmd
}

// signRequestCmd prints the headers that make a signed HTTP request, so that a person can call a
// miner with curl exactly as a validator does.
func signRequestCmd(configPath *string) *cobra.Command {
	var miner, method string
	cmd := &cobra.Command{
		Use:   "sign-request --miner HOTKEY [--method generate|info] < body.json",
		Short: "Sign a JSON request body with a hotkey and print curl -H arguments",
		Long: `Reads a request body (GenerateRequest JSON for generate, nothing for info) from standard input,
signs it with chain.hotkey for the configured netuid, and prints the -H arguments for curl:

  echo '{"prompt":"func main() {","max_tokens":16}' > body.json
  curl -s http://MINER:8092/mindnet/axon/v1/generate -d @body.json \
    $(mindnet-miner sign-request --miner mind1… --chain.hotkey validator < body.json)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := load(cmd, *configPath)
			if err != nil {
				return err
			}
			var req proto.Message
			switch method {
			case "generate":
				body, err := readAll(cmd)
				if err != nil {
					return err
				}
				gr := &axonv1.GenerateRequest{}
				if err := protojson.Unmarshal(body, gr); err != nil {
					return fmt.Errorf("body is not a GenerateRequest: %w", err)
				}
				req = gr
			case "info":
				req = &axonv1.InfoRequest{}
			default:
				return fmt.Errorf("--method must be generate or info")
			}
			enc, err := chainclient.NewEncoding()
			if err != nil {
				return err
			}
			kr, err := chainclient.OpenKeyring(enc, cfg.Chain.KeyringBackend, cfg.Chain.KeyringDir, os.Stdin)
			if err != nil {
				return err
			}
			key, _, err := chainclient.PrivateKey(kr, cfg.Chain.Hotkey)
			if err != nil {
				return err
			}
			signer, err := axonauth.NewSigner(key)
			if err != nil {
				return err
			}
			bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
			if err != nil {
				return err
			}
			env, err := signer.SignRequest(bz, cfg.Netuid, uint64(time.Now().UnixNano()), miner)
			if err != nil {
				return err
			}
			md := axonauth.EnvelopeToMetadata(env)
			for _, k := range []string{axonauth.MDCaller, axonauth.MDPubKey, axonauth.MDNonce, axonauth.MDNetuid, axonauth.MDMiner, axonauth.MDSignature} {
				fmt.Fprintf(cmd.OutOrStdout(), "-H %s:%s ", k, md.Get(k)[0])
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().StringVar(&miner, "miner", "", "hotkey of the miner the request is for (required)")
	cmd.Flags().StringVar(&method, "method", "generate", "generate or info")
	_ = cmd.MarkFlagRequired("miner")
	return cmd
}

func readAll(cmd *cobra.Command) ([]byte, error) {
	var sb strings.Builder
	r := bufio.NewReader(cmd.InOrStdin())
	if _, err := r.WriteTo(&sb); err != nil {
		return nil, err
	}
	return []byte(sb.String()), nil
}
