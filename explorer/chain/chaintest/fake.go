// Package chaintest is an in-memory chain.Reader for the explorer's tests and benchmarks: the test
// sets the chain's state in fields, may take the node "down", and counts the calls each method gets.
package chaintest

import (
	"context"
	"fmt"
	"sync"

	basev1beta1 "cosmossdk.io/api/cosmos/base/v1beta1"
	govv1 "cosmossdk.io/api/cosmos/gov/v1"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/metagraph"
)

// Fake is a chain.Reader over the state in its fields. Set fields before use or under Lock.
type Fake struct {
	sync.Mutex
	Head    chain.Status
	Down    bool // every call fails with chain.ErrUnavailable
	Blocks  map[int64]chain.Block
	Events  map[int64][]chain.Event
	Subnet  []*subnetv1.Subnet
	Graphs  map[uint32]*metagraph.Snapshot // the latest metagraph of each subnet
	GraphAt func(netuid uint32, height int64) (*metagraph.Snapshot, error)
	Rows    map[uint32][]*weightsv1.WeightRow
	Stakes  map[string]*subnetv1.QueryStakeResponse     // by hotkey
	Pos     map[string]*subnetv1.QueryPositionsResponse // by coldkey
	Pool    []*subnetv1.PoolInfo
	Iss     *emissionv1.QueryIssuanceResponse
	Share   []*emissionv1.SubnetShare
	Pend    map[uint32]*emissionv1.QueryPendingEmissionResponse
	Bal     map[string][]*basev1beta1.Coin
	Props   []chain.Proposal
	VoteMap map[uint64][]*govv1.Vote

	calls map[string]int
}

// Calls returns how often method was called.
func (f *Fake) Calls(method string) int {
	f.Lock()
	defer f.Unlock()
	return f.calls[method]
}

// SetDown takes the node down or brings it back.
func (f *Fake) SetDown(down bool) {
	f.Lock()
	f.Down = down
	f.Unlock()
}

func (f *Fake) enter(ctx context.Context, method string) error {
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[method]++
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w: %v", method, chain.ErrUnavailable, err)
	}
	if f.Down {
		return fmt.Errorf("%s: %w: connection refused", method, chain.ErrUnavailable)
	}
	return nil
}

func (f *Fake) Status(ctx context.Context) (chain.Status, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Status"); err != nil {
		return chain.Status{}, err
	}
	return f.Head, nil
}

func (f *Fake) Block(ctx context.Context, height int64) (chain.Block, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Block"); err != nil {
		return chain.Block{}, err
	}
	if height < 1 || height > f.Head.Height {
		return chain.Block{}, fmt.Errorf("block %d: %w", height, chain.ErrNotFound)
	}
	if b, ok := f.Blocks[height]; ok {
		return b, nil
	}
	return chain.Block{Height: height, Hash: fmt.Sprintf("%064X", height)}, nil
}

func (f *Fake) BlockEvents(ctx context.Context, height int64) ([]chain.Event, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "BlockEvents"); err != nil {
		return nil, err
	}
	if height > f.Head.Height {
		return nil, fmt.Errorf("block %d: %w", height, chain.ErrNotFound)
	}
	return f.Events[height], nil
}

func (f *Fake) Subnets(ctx context.Context) ([]*subnetv1.Subnet, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Subnets"); err != nil {
		return nil, err
	}
	return f.Subnet, nil
}

func (f *Fake) Metagraph(ctx context.Context, netuid uint32, height int64) (*metagraph.Snapshot, error) {
	f.Lock()
	if err := f.enter(ctx, "Metagraph"); err != nil {
		f.Unlock()
		return nil, err
	}
	at := f.GraphAt
	g, ok := f.Graphs[netuid]
	f.Unlock()
	if height > 0 && at != nil {
		return at(netuid, height)
	}
	if !ok {
		return nil, fmt.Errorf("metagraph of netuid %d: %w", netuid, chain.ErrNotFound)
	}
	return g, nil
}

func (f *Fake) Weights(ctx context.Context, netuid uint32) ([]*weightsv1.WeightRow, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Weights"); err != nil {
		return nil, err
	}
	return f.Rows[netuid], nil
}

func (f *Fake) Stake(ctx context.Context, hotkey string) (*subnetv1.QueryStakeResponse, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Stake"); err != nil {
		return nil, err
	}
	if s, ok := f.Stakes[hotkey]; ok {
		return s, nil
	}
	return &subnetv1.QueryStakeResponse{Hotkey: hotkey, Total: "0"}, nil
}

func (f *Fake) Positions(ctx context.Context, coldkey string) (*subnetv1.QueryPositionsResponse, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Positions"); err != nil {
		return nil, err
	}
	if p, ok := f.Pos[coldkey]; ok {
		return p, nil
	}
	return &subnetv1.QueryPositionsResponse{TotalMindValue: "0"}, nil
}

func (f *Fake) Pools(ctx context.Context) ([]*subnetv1.PoolInfo, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Pools"); err != nil {
		return nil, err
	}
	return f.Pool, nil
}

func (f *Fake) Issuance(ctx context.Context) (*emissionv1.QueryIssuanceResponse, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Issuance"); err != nil {
		return nil, err
	}
	if f.Iss == nil {
		return &emissionv1.QueryIssuanceResponse{Ledger: &emissionv1.Ledger{}}, nil
	}
	return f.Iss, nil
}

func (f *Fake) Shares(ctx context.Context) ([]*emissionv1.SubnetShare, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Shares"); err != nil {
		return nil, err
	}
	return f.Share, nil
}

func (f *Fake) Pending(ctx context.Context, netuid uint32) (*emissionv1.QueryPendingEmissionResponse, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Pending"); err != nil {
		return nil, err
	}
	if p, ok := f.Pend[netuid]; ok {
		return p, nil
	}
	return &emissionv1.QueryPendingEmissionResponse{Amount: "0"}, nil
}

func (f *Fake) Balances(ctx context.Context, address string) ([]*basev1beta1.Coin, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Balances"); err != nil {
		return nil, err
	}
	return f.Bal[address], nil
}

func (f *Fake) Proposals(ctx context.Context) ([]chain.Proposal, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Proposals"); err != nil {
		return nil, err
	}
	return f.Props, nil
}

func (f *Fake) Votes(ctx context.Context, id uint64) ([]*govv1.Vote, error) {
	f.Lock()
	defer f.Unlock()
	if err := f.enter(ctx, "Votes"); err != nil {
		return nil, err
	}
	return f.VoteMap[id], nil
}

var _ chain.Reader = (*Fake)(nil)
