package devnet

import (
	"fmt"
	"path/filepath"
)

// Config describes the network to start. DefaultConfig fills every field.
type Config struct {
	// Root is the repository root (scripts/localnet.sh and the model folders are found from it).
	Root string
	// Bin is the folder with mindnetd, mindnet-miner and mindnet-validator.
	Bin string
	// Dir holds the network's state and logs; Start resets it.
	Dir string
	// ChainValidators is the number of CometBFT validators (1 to 4).
	ChainValidators int
	// Tempo is the subnet's epoch length in blocks (the localnet makes a block every second).
	Tempo uint64
	// HonestMiners serve the subnet's model with the built-in engine; OddMiners serve OddModelDir.
	HonestMiners, OddMiners int
	// OddModelDir is a Llama model folder other than the subnet's (relative to Root unless absolute).
	OddModelDir string
	// SubnetModelDir, when set, is the model folder the subnet is created for (relative to Root unless
	// absolute); every honest miner, mindnet-serve and the validator then run with --model.dir on it.
	// Empty means the built-in model.
	SubnetModelDir string
	// OpenAIMiners serve the subnet's model through one mindnet-serve (an OpenAI-compatible server, as
	// GPU miners put vLLM in front of theirs), on ServePort. Odd-numbered ones read token names as text
	// (vLLM's default), even-numbered ones ask for token ids.
	OpenAIMiners int
	ServePort    int
	// ValidatorOpenAI makes the subnet validator verify through a mindnet-serve of its own on
	// ServePort+1 (engine.kind openai) instead of the built-in engine.
	ValidatorOpenAI bool
	// ExtraMiners are more miners, each with its own engine flags (tests point them at servers of
	// their own).
	ExtraMiners []ExtraMiner
	// ValidatorStake is what charlie stakes behind the subnet validator's hotkey, in umind.
	ValidatorStake uint64
	// MinerPortBase is the first miner's gRPC port; miner i uses MinerPortBase+2i (gRPC) and +2i+1
	// (HTTP/JSON), and OpsPortBase+i for metrics. The subnet validator's metrics use OpsPortBase+100.
	MinerPortBase, OpsPortBase int
	// ExplorerListen, when set, starts mindnet-explorer there (devnet/explorer.go).
	ExplorerListen string
	// Log receives progress lines (one per step); nil discards them.
	Log func(format string, args ...any)
}

// ExtraMiner is a miner started with engine flags of the caller's choosing.
type ExtraMiner struct {
	Name   string   // its hotkey's name and label
	Engine []string // engine flags, e.g. --engine.kind openai --engine.openai_url …
}

// DefaultConfig is the demo's network: one chain validator, a 10-block tempo, three honest miners on the
// built-in engine, one in front of mindnet-serve, and one that serves the alternative test model, all in
// root/.demo.
func DefaultConfig(root string) Config {
	return Config{
		Root:            root,
		Bin:             filepath.Join(root, "build"),
		Dir:             filepath.Join(root, ".demo"),
		ChainValidators: 1,
		Tempo:           10,
		HonestMiners:    3,
		OddMiners:       1,
		OddModelDir:     filepath.Join("inference", "llama", "testdata", "gocode-alt"),
		OpenAIMiners:    1,
		ServePort:       18000,
		ValidatorStake:  10_000_000_000, // 10,000 MIND
		MinerPortBase:   18091,
		OpsPortBase:     19102,
	}
}

func (c Config) validate() error {
	if c.ChainValidators < 1 || c.ChainValidators > 4 {
		return fmt.Errorf("devnet: ChainValidators must be 1 to 4, got %d", c.ChainValidators)
	}
	if c.Tempo < 2 {
		return fmt.Errorf("devnet: Tempo must be at least 2 blocks, got %d", c.Tempo)
	}
	if c.HonestMiners+c.OddMiners+c.OpenAIMiners+len(c.ExtraMiners) < 1 {
		return fmt.Errorf("devnet: start at least one miner")
	}
	if (c.OpenAIMiners > 0 || c.ValidatorOpenAI) && c.ServePort == 0 {
		return fmt.Errorf("devnet: OpenAI miners and an OpenAI reference need ServePort")
	}
	if c.Root == "" || c.Bin == "" || c.Dir == "" {
		return fmt.Errorf("devnet: Root, Bin and Dir must be set")
	}
	return nil
}

// subnetModelDir is SubnetModelDir made absolute, or "".
func (c Config) subnetModelDir() string {
	if c.SubnetModelDir == "" || filepath.IsAbs(c.SubnetModelDir) {
		return c.SubnetModelDir
	}
	return filepath.Join(c.Root, c.SubnetModelDir)
}

// modelName says which model the network runs, for progress lines.
func (c Config) modelName() string {
	if dir := c.subnetModelDir(); dir != "" {
		return "model " + filepath.Base(dir)
	}
	return "the built-in model"
}

// modelArgs is --model.dir for the subnet's model, when it is not the built-in one.
func (c Config) modelArgs() []string {
	if dir := c.subnetModelDir(); dir != "" {
		return []string{"--model.dir", dir}
	}
	return nil
}

func (c Config) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// ChainID is the localnet's chain id.
const ChainID = "mindnet-local-1"

// Endpoints of chain node 0.
const (
	NodeGRPC = "127.0.0.1:9090"
	NodeREST = "http://127.0.0.1:1317"
	NodeRPC  = "http://127.0.0.1:26657"
)
