package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	bankv1beta1 "cosmossdk.io/api/cosmos/bank/v1beta1"
	queryv1beta1 "cosmossdk.io/api/cosmos/base/query/v1beta1"
	basev1beta1 "cosmossdk.io/api/cosmos/base/v1beta1"
	govv1 "cosmossdk.io/api/cosmos/gov/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/metagraph"
)

// heightHeader asks the SDK's gRPC server for state at a past height.
const heightHeader = "x-cosmos-block-height"

// pageLimit bounds each page of a paginated query; the client follows next_key until the end.
const pageLimit = 1000

// Client reads from one node over gRPC (conn) and CometBFT RPC (rpcURL). Each call runs under timeout.
type Client struct {
	conn    grpc.ClientConnInterface
	rpcURL  string
	http    *http.Client
	timeout time.Duration

	subnet   subnetv1.QueryClient
	weights  weightsv1.QueryClient
	emission emissionv1.QueryClient
	bank     bankv1beta1.QueryClient
	gov      govv1.QueryClient
	source   *metagraph.GRPCSource
}

// NewClient returns a client over conn and the RPC at rpcURL (http://host:26657).
func NewClient(conn grpc.ClientConnInterface, rpcURL string, timeout time.Duration) *Client {
	return &Client{
		conn: conn, rpcURL: strings.TrimRight(rpcURL, "/"), timeout: timeout,
		http:     &http.Client{Timeout: timeout},
		subnet:   subnetv1.NewQueryClient(conn),
		weights:  weightsv1.NewQueryClient(conn),
		emission: emissionv1.NewQueryClient(conn),
		bank:     bankv1beta1.NewQueryClient(conn),
		gov:      govv1.NewQueryClient(conn),
		source:   metagraph.NewGRPCSource(conn, nil),
	}
}

func (c *Client) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// classify sorts a gRPC or HTTP error into ErrNotFound or ErrUnavailable where it is one of them.
func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w (deadline exceeded)", what, ErrUnavailable)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return fmt.Errorf("%s: %w: %v", what, ErrUnavailable, err)
	}
	if s, ok := status.FromError(err); ok {
		switch s.Code() {
		case codes.NotFound:
			return fmt.Errorf("%s: %w: %s", what, ErrNotFound, s.Message())
		case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
			return fmt.Errorf("%s: %w: %s", what, ErrUnavailable, s.Message())
		}
		// The SDK reports some missing records as registered errors with code Unknown; their text
		// says "not found".
		if strings.Contains(s.Message(), "not found") {
			return fmt.Errorf("%s: %w: %s", what, ErrNotFound, s.Message())
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Status implements Reader.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var res struct {
		NodeInfo struct {
			Network string `json:"network"`
		} `json:"node_info"`
		SyncInfo struct {
			LatestBlockHeight   jsonInt   `json:"latest_block_height"`
			LatestBlockTime     time.Time `json:"latest_block_time"`
			EarliestBlockHeight jsonInt   `json:"earliest_block_height"`
		} `json:"sync_info"`
	}
	if err := c.rpc(ctx, "status", nil, &res); err != nil {
		return Status{}, err
	}
	return Status{
		ChainID: res.NodeInfo.Network, Height: int64(res.SyncInfo.LatestBlockHeight),
		Time: res.SyncInfo.LatestBlockTime, EarliestHeight: int64(res.SyncInfo.EarliestBlockHeight),
	}, nil
}

// Block implements Reader.
func (c *Client) Block(ctx context.Context, height int64) (Block, error) {
	var res struct {
		BlockID struct {
			Hash string `json:"hash"`
		} `json:"block_id"`
		Block struct {
			Header struct {
				Height   jsonInt   `json:"height"`
				Time     time.Time `json:"time"`
				Proposer string    `json:"proposer_address"`
			} `json:"header"`
			Data struct {
				Txs []string `json:"txs"`
			} `json:"data"`
		} `json:"block"`
	}
	if err := c.rpc(ctx, "block", url.Values{"height": {strconv.FormatInt(height, 10)}}, &res); err != nil {
		return Block{}, err
	}
	h := res.Block.Header
	return Block{Height: int64(h.Height), Time: h.Time, Hash: res.BlockID.Hash, Proposer: h.Proposer, Txs: len(res.Block.Data.Txs)}, nil
}

// BlockEvents implements Reader: the block's FinalizeBlock events (where x/emission reports epochs).
func (c *Client) BlockEvents(ctx context.Context, height int64) ([]Event, error) {
	var res struct {
		Events []struct {
			Type       string `json:"type"`
			Attributes []struct {
				Key   string `json:"key"`
				Value string `json:"value"`
			} `json:"attributes"`
		} `json:"finalize_block_events"`
	}
	if err := c.rpc(ctx, "block_results", url.Values{"height": {strconv.FormatInt(height, 10)}}, &res); err != nil {
		return nil, err
	}
	events := make([]Event, 0, len(res.Events))
	for _, e := range res.Events {
		ev := Event{Type: e.Type, Attributes: make([]Attribute, 0, len(e.Attributes))}
		for _, a := range e.Attributes {
			ev.Attributes = append(ev.Attributes, Attribute{Key: a.Key, Value: a.Value})
		}
		events = append(events, ev)
	}
	return events, nil
}

// rpc calls a CometBFT JSON-RPC route over HTTP GET and decodes its result.
func (c *Client) rpc(ctx context.Context, route string, q url.Values, out any) error {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	u := c.rpcURL + "/" + route
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return classify("rpc "+route, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return classify("rpc "+route, err)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("rpc %s: %s: %w", route, resp.Status, err)
	}
	if env.Error != nil {
		msg := env.Error.Message + ": " + env.Error.Data
		// CometBFT answers a height above the head or below the oldest kept block with this text.
		if strings.Contains(msg, "must be less than or equal") || strings.Contains(msg, "is not available") || strings.Contains(msg, "could not find") {
			return fmt.Errorf("rpc %s: %w: %s", route, ErrNotFound, msg)
		}
		return fmt.Errorf("rpc %s: %s", route, msg)
	}
	return json.Unmarshal(env.Result, out)
}

// jsonInt decodes CometBFT's 64-bit integers, which it writes as strings.
type jsonInt int64

func (j *jsonInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*j = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	*j = jsonInt(v)
	return err
}

// Subnets implements Reader.
func (c *Client) Subnets(ctx context.Context) ([]*subnetv1.Subnet, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	var out []*subnetv1.Subnet
	var key []byte
	for {
		res, err := c.subnet.Subnets(ctx, &subnetv1.QuerySubnetsRequest{Pagination: &queryv1beta1.PageRequest{Key: key, Limit: pageLimit}})
		if err != nil {
			return nil, classify("query subnets", err)
		}
		out = append(out, res.GetSubnets()...)
		key = res.GetPagination().GetNextKey()
		if len(key) == 0 {
			return out, nil
		}
	}
}

// Metagraph implements Reader through metagraph.GRPCSource, the view the validator and miner use.
func (c *Client) Metagraph(ctx context.Context, netuid uint32, height int64) (*metagraph.Snapshot, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	if height > 0 {
		ctx = metadata.AppendToOutgoingContext(ctx, heightHeader, strconv.FormatInt(height, 10))
	}
	snap, err := c.source.Fetch(ctx, netuid)
	if err != nil {
		return nil, classify(fmt.Sprintf("metagraph of netuid %d", netuid), err)
	}
	return snap, nil
}

// Weights implements Reader: every weight row of the subnet.
func (c *Client) Weights(ctx context.Context, netuid uint32) ([]*weightsv1.WeightRow, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	var out []*weightsv1.WeightRow
	var key []byte
	for {
		res, err := c.weights.Weights(ctx, &weightsv1.QueryWeightsRequest{Netuid: netuid, Pagination: &queryv1beta1.PageRequest{Key: key, Limit: pageLimit}})
		if err != nil {
			return nil, classify(fmt.Sprintf("weights of netuid %d", netuid), err)
		}
		out = append(out, res.GetRows()...)
		key = res.GetPagination().GetNextKey()
		if len(key) == 0 {
			return out, nil
		}
	}
}

// Stake implements Reader.
func (c *Client) Stake(ctx context.Context, hotkey string) (*subnetv1.QueryStakeResponse, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.subnet.Stake(ctx, &subnetv1.QueryStakeRequest{Hotkey: hotkey})
	return res, classify("stake of "+hotkey, err)
}

// Positions implements Reader.
func (c *Client) Positions(ctx context.Context, coldkey string) (*subnetv1.QueryPositionsResponse, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.subnet.Positions(ctx, &subnetv1.QueryPositionsRequest{Coldkey: coldkey})
	return res, classify("stake positions of "+coldkey, err)
}

// Pools implements Reader.
func (c *Client) Pools(ctx context.Context) ([]*subnetv1.PoolInfo, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.subnet.Pools(ctx, &subnetv1.QueryPoolsRequest{})
	return res.GetPools(), classify("pools", err)
}

// Issuance implements Reader.
func (c *Client) Issuance(ctx context.Context) (*emissionv1.QueryIssuanceResponse, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.emission.Issuance(ctx, &emissionv1.QueryIssuanceRequest{})
	return res, classify("issuance", err)
}

// Shares implements Reader.
func (c *Client) Shares(ctx context.Context) ([]*emissionv1.SubnetShare, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.emission.SubnetShares(ctx, &emissionv1.QuerySubnetSharesRequest{})
	return res.GetShares(), classify("subnet shares", err)
}

// Pending implements Reader.
func (c *Client) Pending(ctx context.Context, netuid uint32) (*emissionv1.QueryPendingEmissionResponse, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.emission.PendingEmission(ctx, &emissionv1.QueryPendingEmissionRequest{Netuid: netuid})
	return res, classify(fmt.Sprintf("pending emission of netuid %d", netuid), err)
}

// Balances implements Reader.
func (c *Client) Balances(ctx context.Context, address string) ([]*basev1beta1.Coin, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.bank.AllBalances(ctx, &bankv1beta1.QueryAllBalancesRequest{Address: address})
	return res.GetBalances(), classify("balances of "+address, err)
}

// Proposals implements Reader: every proposal, newest first, each with its tally.
func (c *Client) Proposals(ctx context.Context) ([]Proposal, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	var out []Proposal
	var key []byte
	for {
		res, err := c.gov.Proposals(ctx, &govv1.QueryProposalsRequest{Pagination: &queryv1beta1.PageRequest{Key: key, Limit: pageLimit, Reverse: true}})
		if err != nil {
			return nil, classify("proposals", err)
		}
		for _, p := range res.GetProposals() {
			tally := p.GetFinalTallyResult()
			if p.GetStatus() == govv1.ProposalStatus_PROPOSAL_STATUS_VOTING_PERIOD {
				// The final tally is written only when voting ends; the running one is a query.
				if t, err := c.gov.TallyResult(ctx, &govv1.QueryTallyResultRequest{ProposalId: p.GetId()}); err == nil {
					tally = t.GetTally()
				}
			}
			out = append(out, Proposal{Proposal: p, Tally: tally})
		}
		key = res.GetPagination().GetNextKey()
		if len(key) == 0 {
			return out, nil
		}
	}
}

// Votes implements Reader. Votes are kept only during the voting period (x/gov deletes them at
// tally), so an ended proposal has none.
func (c *Client) Votes(ctx context.Context, proposalID uint64) ([]*govv1.Vote, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	res, err := c.gov.Votes(ctx, &govv1.QueryVotesRequest{ProposalId: proposalID, Pagination: &queryv1beta1.PageRequest{Limit: pageLimit}})
	return res.GetVotes(), classify(fmt.Sprintf("votes on proposal %d", proposalID), err)
}

var _ Reader = (*Client)(nil)
