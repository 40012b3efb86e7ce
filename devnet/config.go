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

// DefaultConfig is the demo's network: one chain validator, a 10-block tempo, three honest miners and
// one that serves the alternative test model, all in root/.demo.
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
	if c.HonestMiners+c.OddMiners < 1 {
		return fmt.Errorf("devnet: start at least one miner")
	}
	if c.Root == "" || c.Bin == "" || c.Dir == "" {
		return fmt.Errorf("devnet: Root, Bin and Dir must be set")
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
