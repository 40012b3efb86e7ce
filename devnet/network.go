package devnet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Network is a running devnet.
type Network struct {
	Config Config
	// Netuid is the subnet the devnet opened.
	Netuid uint32
	// Labels names the network's hotkeys: "validator", "miner-1"…, "odd-1"….
	Labels map[string]string
	// Serve is the OpenAI miners' mindnet-serve; ValidatorServe the validator's, when it has one.
	Serve, ValidatorServe *Process
	// Miners and Validator are the off-chain processes, in start order.
	Miners    []*Process
	Validator *Process
	Explorer  *Process // nil unless Config.ExplorerListen is set

	cli cli
}

// Binaries the devnet runs, from Config.Bin.
var binaries = []string{"mindnetd", "mindnet-miner", "mindnet-validator", "mindnet-serve"}

// Start resets cfg.Dir and brings the whole network up. On error it stops whatever it started.
func Start(ctx context.Context, cfg Config) (*Network, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for _, b := range binaries {
		if _, err := os.Stat(filepath.Join(cfg.Bin, b)); err != nil {
			return nil, fmt.Errorf("devnet: %s missing in %s (run make build): %w", b, cfg.Bin, err)
		}
	}
	if err := os.RemoveAll(cfg.Dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "logs"), 0o755); err != nil {
		return nil, err
	}
	n := &Network{Config: cfg, Labels: map[string]string{}, cli: cli{bin: filepath.Join(cfg.Bin, "mindnetd"), home: nodeHome(cfg.Dir, 0)}}
	if err := n.start(ctx); err != nil {
		n.Stop()
		return nil, err
	}
	return n, nil
}

func (n *Network) start(ctx context.Context) error {
	cfg := n.Config
	cfg.logf("starting a %d-validator chain in %s", cfg.ChainValidators, filepath.Join(cfg.Dir, "chain"))
	if out, err := n.localnet(ctx, "init", "--validators", strconv.Itoa(cfg.ChainValidators)); err != nil {
		return fmt.Errorf("localnet init: %w\n%s", err, out)
	}
	for i := 0; i < cfg.ChainValidators; i++ {
		if err := shortenTempo(filepath.Join(nodeHome(cfg.Dir, i), "config", "genesis.json"), cfg.Tempo); err != nil {
			return err
		}
	}
	if out, err := n.localnet(ctx, "start", "--validators", strconv.Itoa(cfg.ChainValidators)); err != nil {
		return fmt.Errorf("localnet start: %w\n%s", err, out)
	}

	cfg.logf("creating a subnet (owner alice) with a %d-block tempo", cfg.Tempo)
	if err := n.createSubnet(ctx); err != nil {
		return err
	}

	names := []string{"validator"}
	for i := 1; i <= cfg.HonestMiners; i++ {
		names = append(names, fmt.Sprintf("miner-%d", i))
	}
	for i := 1; i <= cfg.OpenAIMiners; i++ {
		names = append(names, fmt.Sprintf("openai-%d", i))
	}
	for i := 1; i <= cfg.OddMiners; i++ {
		names = append(names, fmt.Sprintf("odd-%d", i))
	}
	extra := map[string][]string{}
	for _, m := range cfg.ExtraMiners {
		names = append(names, m.Name)
		extra[m.Name] = m.Engine
	}
	addrs := make([]string, len(names))
	for i, name := range names {
		addr, err := n.cli.keyAddress(ctx, name)
		if err != nil {
			return err
		}
		addrs[i] = addr
		n.Labels[addr] = name
	}
	cfg.logf("registering %d hotkeys on subnet %d (bob pays the burns)", len(names), n.Netuid)
	for i, addr := range addrs {
		if err := n.cli.tx(ctx, "bob", "tx", "subnet", "register", u32(n.Netuid), addr); err != nil {
			return fmt.Errorf("register %s: %w", names[i], err)
		}
	}
	var err error
	// Hotkeys sign their own serve-axon and weight transactions, so they need accounts with fees.
	if err := n.cli.tx(ctx, "bob", append(append([]string{"tx", "bank", "multi-send", "bob"}, addrs...), "10000000umind")...); err != nil {
		return fmt.Errorf("fund hotkeys: %w", err)
	}
	// Root stake (netuid 0): plain umind, no swap, and it counts on every subnet at root_weight.
	cfg.logf("staking %d umind of root stake behind the subnet validator (charlie)", cfg.ValidatorStake)
	if err := n.cli.tx(ctx, "charlie", "tx", "subnet", "add-stake", addrs[0], "0", strconv.FormatUint(cfg.ValidatorStake, 10)); err != nil {
		return fmt.Errorf("stake the validator: %w", err)
	}

	if cfg.OpenAIMiners > 0 {
		if n.Serve, err = n.startServe(ctx, "mindnet-serve", cfg.ServePort); err != nil {
			return err
		}
	}
	if cfg.ValidatorOpenAI {
		if n.ValidatorServe, err = n.startServe(ctx, "validator-serve", cfg.ServePort+1); err != nil {
			return err
		}
	}
	for i, name := range names[1:] {
		engine := append([]string{"--engine.kind", "builtin"}, cfg.modelArgs()...)
		switch {
		case strings.HasPrefix(name, "odd-"):
			dir := cfg.OddModelDir
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(cfg.Root, dir)
			}
			engine = []string{"--engine.kind", "builtin", "--model.dir", dir}
		case strings.HasPrefix(name, "openai-"):
			engine = n.openAIEngine(name)
		case extra[name] != nil:
			engine = extra[name]
		}
		p, err := n.startMiner(ctx, name, i, engine)
		if err != nil {
			return err
		}
		n.Miners = append(n.Miners, p)
	}
	p, err := n.startValidator(ctx)
	if err != nil {
		return err
	}
	n.Validator = p
	if cfg.ExplorerListen != "" {
		if n.Explorer, err = n.startExplorer(ctx); err != nil {
			return err
		}
	}
	cfg.logf("network up: subnet %d, %d miners, logs in %s", n.Netuid, len(n.Miners), filepath.Join(cfg.Dir, "logs"))
	return nil
}

func (n *Network) localnet(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(n.Config.Root, "scripts", "localnet.sh"), args...)
	cmd.Env = append(os.Environ(), "LOCALNET_DIR="+filepath.Join(n.Config.Dir, "chain"), "MINDNETD="+n.cli.bin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// createSubnet opens the devnet's subnet. Its hyperparameters are the genesis defaults that
// shortenTempo wrote.
func (n *Network) createSubnet(ctx context.Context) error {
	args := []string{"tx", "subnet", "create-subnet", "mindnet-demo"}
	if dir := n.Config.subnetModelDir(); dir != "" {
		model, err := modelRecord(dir)
		if err != nil {
			return err
		}
		args = append(args, "--model", model)
	}
	if err := n.cli.tx(ctx, "alice", args...); err != nil {
		return fmt.Errorf("create subnet: %w", err)
	}
	var subnets struct {
		Subnets []struct {
			Netuid uint32 `json:"netuid"`
			Name   string `json:"name"`
		} `json:"subnets"`
	}
	if err := n.cli.query(ctx, &subnets, "q", "subnet", "subnets"); err != nil {
		return err
	}
	for _, s := range subnets.Subnets {
		if s.Name == "mindnet-demo" && s.Netuid > n.Netuid {
			n.Netuid = s.Netuid
		}
	}
	if n.Netuid == 0 {
		return errors.New("the new subnet is not listed")
	}
	return nil
}

func (n *Network) startMiner(ctx context.Context, name string, i int, engine []string) (*Process, error) {
	cfg := n.Config
	bin := filepath.Join(cfg.Bin, "mindnet-miner")
	conf := filepath.Join(cfg.Dir, name+".toml")
	if out, err := exec.CommandContext(ctx, bin, "init", "--config", conf).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mindnet-miner init: %w\n%s", err, out)
	}
	port := cfg.MinerPortBase + 2*i
	args := append([]string{"start", "--config", conf,
		"--netuid", u32(n.Netuid),
		"--chain.grpc", NodeGRPC, "--chain.chain_id", ChainID,
		"--chain.keyring_dir", n.cli.home, "--chain.keyring_backend", "test", "--chain.hotkey", name,
		"--axon.listen", fmt.Sprintf("127.0.0.1:%d", port), "--axon.http_listen", fmt.Sprintf("127.0.0.1:%d", port+1),
		"--axon.external_ip", "127.0.0.1",
		"--ops.listen", fmt.Sprintf("127.0.0.1:%d", cfg.OpsPortBase+i),
	}, engine...)
	cfg.logf("starting %s (axon 127.0.0.1:%d, %s)", name, port, strings.Join(engine[1:], " "))
	// Validators earn their permits at the subnet's first epoch; a short refresh lets the miners see them
	// within a few blocks instead of the default 12 s.
	env := []string{"MINDNET_MINER_METAGRAPH_REFRESH=3s"}
	return startProcess(name, bin, filepath.Join(cfg.Dir, "logs", name+".log"), env, args...)
}

// Stop stops every process the network started, then the chain. It is safe to call more than once.
func (n *Network) Stop() {
	if n.Explorer != nil {
		n.Explorer.Stop(10 * time.Second)
	}
	if n.Validator != nil {
		n.Validator.Stop(10 * time.Second)
	}
	for _, m := range n.Miners {
		m.Stop(10 * time.Second)
	}
	for _, p := range []*Process{n.Serve, n.ValidatorServe} {
		if p != nil {
			p.Stop(10 * time.Second)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _ = n.localnet(ctx, "stop")
}

// Logs lists where each part of the network writes its log.
func (n *Network) Logs() []string {
	logs := []string{}
	for i := 0; i < n.Config.ChainValidators; i++ {
		logs = append(logs, filepath.Join(nodeHome(n.Config.Dir, i), "node.log"))
	}
	for _, p := range []*Process{n.Serve, n.ValidatorServe} {
		if p != nil {
			logs = append(logs, p.Log)
		}
	}
	for _, m := range n.Miners {
		logs = append(logs, m.Log)
	}
	if n.Validator != nil {
		logs = append(logs, n.Validator.Log)
	}
	if n.Explorer != nil {
		logs = append(logs, n.Explorer.Log)
	}
	return logs
}

func u32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

func (n *Network) startValidator(ctx context.Context) (*Process, error) {
	cfg := n.Config
	bin := filepath.Join(cfg.Bin, "mindnet-validator")
	conf := filepath.Join(cfg.Dir, "validator.toml")
	if out, err := exec.CommandContext(ctx, bin, "init", "--config", conf).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mindnet-validator init: %w\n%s", err, out)
	}
	args := []string{"start", "--config", conf,
		"--netuid", u32(n.Netuid),
		"--chain.grpc", NodeGRPC, "--chain.chain_id", ChainID,
		"--chain.keyring_dir", n.cli.home, "--chain.keyring_backend", "test", "--chain.hotkey", "validator",
		"--state.path", filepath.Join(cfg.Dir, "validator-state.json"),
		"--ops.listen", fmt.Sprintf("127.0.0.1:%d", cfg.OpsPortBase+100),
		"--round.interval", "4s",
	}
	args = append(args, cfg.modelArgs()...)
	if cfg.ValidatorOpenAI {
		cfg.logf("starting the subnet validator (verifies %s through a mindnet-serve of its own)", cfg.modelName())
		args = append(args, "--engine.kind", "openai", "--engine.openai_url", n.validatorServeURL(), "--engine.model", ServedModel)
	} else {
		cfg.logf("starting the subnet validator (verifies %s with the built-in engine)", cfg.modelName())
	}
	return startProcess("validator", bin, filepath.Join(cfg.Dir, "logs", "validator.log"), nil, args...)
}
