package chain

import (
	"context"
	"errors"
	"time"

	basev1beta1 "cosmossdk.io/api/cosmos/base/v1beta1"
	govv1 "cosmossdk.io/api/cosmos/gov/v1"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/metagraph"
)

// Errors that callers tell apart.
var (
	// ErrNotFound: the node answered that the subnet, neuron, account or proposal does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnavailable: the node did not answer (down, unreachable, or past the deadline).
	ErrUnavailable = errors.New("node unavailable")
)

// Status is the node's view of the chain head.
type Status struct {
	ChainID        string
	Height         int64
	Time           time.Time
	EarliestHeight int64 // the oldest block the node keeps
}

// Block is a block header's summary.
type Block struct {
	Height   int64
	Time     time.Time
	Hash     string
	Proposer string
	Txs      int
}

// Attribute is one key/value of an event.
type Attribute struct{ Key, Value string }

// Event is one block event (from FinalizeBlock, not from a transaction).
type Event struct {
	Type       string
	Attributes []Attribute
}

// Attr returns the value of key, or "".
func (e Event) Attr(key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// Proposal is a governance proposal with its tally (the final one once voting ended, the running one
// while it lasts).
type Proposal struct {
	*govv1.Proposal
	Tally *govv1.TallyResult
}

// Reader is everything the explorer reads from a node. Client implements it over the network; tests
// implement it in memory.
type Reader interface {
	Status(ctx context.Context) (Status, error)
	Block(ctx context.Context, height int64) (Block, error)
	BlockEvents(ctx context.Context, height int64) ([]Event, error)

	Subnets(ctx context.Context) ([]*subnetv1.Subnet, error)
	// Metagraph reads a subnet's metagraph at height (0: the latest).
	Metagraph(ctx context.Context, netuid uint32, height int64) (*metagraph.Snapshot, error)
	Weights(ctx context.Context, netuid uint32) ([]*weightsv1.WeightRow, error)
	Stake(ctx context.Context, hotkey string) (*subnetv1.QueryStakeResponse, error)
	// Positions is every stake position a coldkey holds: root stake and alpha per subnet, valued in umind.
	Positions(ctx context.Context, coldkey string) (*subnetv1.QueryPositionsResponse, error)
	// Pools is every subnet's pool with its price.
	Pools(ctx context.Context) ([]*subnetv1.PoolInfo, error)

	Issuance(ctx context.Context) (*emissionv1.QueryIssuanceResponse, error)
	Shares(ctx context.Context) ([]*emissionv1.SubnetShare, error)
	Pending(ctx context.Context, netuid uint32) (*emissionv1.QueryPendingEmissionResponse, error)

	Balances(ctx context.Context, address string) ([]*basev1beta1.Coin, error)
	Proposals(ctx context.Context) ([]Proposal, error)
	Votes(ctx context.Context, proposalID uint64) ([]*govv1.Vote, error)
}
