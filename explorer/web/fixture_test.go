package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	basev1beta1 "cosmossdk.io/api/cosmos/base/v1beta1"
	govv1 "cosmossdk.io/api/cosmos/gov/v1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/chain/chaintest"
	"github.com/mindnet/mindnet/explorer/indexer"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
)

// xssName is what a hostile subnet owner might call a subnet.
const xssName = `<img src=x onerror=alert(1)>`

// addr makes a valid mind1 address from a seed byte.
func addr(t testing.TB, seed byte) string {
	b := make([]byte, 20)
	for i := range b {
		b[i] = seed
	}
	s, err := bech32.ConvertAndEncode("mind", b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type fixture struct {
	fake   *chaintest.Fake
	db     *store.Store
	srv    *Server
	owner  string
	hot    []string
	labels map[string]string
}

func hyper(tempo uint64, maxUIDs uint32) *subnetv1.Hyperparameters {
	return &subnetv1.Hyperparameters{Tempo: tempo, MaxAllowedUids: maxUIDs, MaxAllowedValidators: 64, Kappa: 32767, CommitRevealEnabled: true}
}

// newFixture is a chain with the root subnet, subnet 1 (a validator, three honest miners and one odd
// one whose incentive stays 0), subnet 2 named like markup, a passed and a running proposal, and three
// indexed epochs of subnet 1.
func newFixture(t testing.TB) *fixture {
	f := &fixture{owner: addr(t, 1), labels: map[string]string{}}
	names := []string{"validator", "miner-1", "miner-2", "miner-3", "odd-1"}
	var neurons []metagraph.Neuron
	for i, name := range names {
		hk := addr(t, byte(10+i))
		f.hot = append(f.hot, hk)
		f.labels[hk] = name
		n := metagraph.Neuron{UID: uint32(i), Hotkey: hk, Coldkey: f.owner, Stake: 1_000_000 * uint64(i+1), Active: true,
			Axon: &metagraph.Axon{IP: "127.0.0.1", Port: uint32(18091 + 2*i)}}
		switch {
		case i == 0:
			n.ValidatorPermit, n.Dividends, n.ValidatorTrust, n.Stake = true, 1, 1, 10_000_000_000
		case name == "odd-1":
			n.Incentive = 0
		default:
			n.Incentive, n.Trust, n.Consensus, n.Emission = float64(i)/6, 1, 0.3, uint64(100_000*i)
		}
		neurons = append(neurons, n)
	}
	snap := metagraph.NewSnapshot(1, 100, neurons, time.Time{})
	hostile := metagraph.NewSnapshot(2, 100, []metagraph.Neuron{{UID: 0, Hotkey: addr(t, 40), Coldkey: addr(t, 41),
		Axon: &metagraph.Axon{IP: `<script>alert("axon")</script>`, Port: 1}}}, time.Time{})
	f.fake = &chaintest.Fake{
		Head: chain.Status{ChainID: "mindnet-local-1", Height: 100, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), EarliestHeight: 1},
		Subnet: []*subnetv1.Subnet{
			{Netuid: 0, Name: "root", Owner: f.owner, Hyperparameters: hyper(100, 64)},
			{Netuid: 1, Name: "mindnet-demo", Owner: f.owner, NeuronCount: 5, Burn: "1000000", RegisteredAt: 3, Hyperparameters: hyper(10, 256),
				Model: &subnetv1.SubnetModel{Name: "gocode-tiny", Digest: "510dc52f2ee0c3f8c00f7dcc19d0738431196bd0501677b607cb1a9524e5734e", Precisions: []string{"float32", "half"}, ContextLength: 256}},
			{Netuid: 2, Name: xssName, Owner: addr(t, 41), NeuronCount: 1, Burn: "1000000", Hyperparameters: hyper(10, 256)},
		},
		Graphs: map[uint32]*metagraph.Snapshot{1: snap, 2: hostile, 0: metagraph.NewSnapshot(0, 100, nil, time.Time{})},
		Rows:   map[uint32][]*weightsv1.WeightRow{1: {{Netuid: 1, Uid: 0, Uids: []uint32{1, 2, 3, 4}, Weights: []uint32{65535, 65535, 65535, 0}, SetAt: 95}}},
		Stakes: map[string]*subnetv1.QueryStakeResponse{
			f.hot[0]: {Hotkey: f.hot[0], Owner: f.owner, Total: "10000000000", Take: 1800, Nominators: []*subnetv1.Stake{{Hotkey: f.hot[0], Coldkey: addr(t, 3), Amount: "10000000000"}}},
		},
		Pos: map[string]*subnetv1.QueryPositionsResponse{addr(t, 3): {Positions: []*subnetv1.Position{
			{Netuid: 0, Hotkey: f.hot[0], Amount: "10000000000", MindValue: "10000000000"},
			{Netuid: 1, Hotkey: f.hot[0], Amount: "2500000", MindValue: "5000000"},
		}, TotalMindValue: "10005000000"}},
		Pool: []*subnetv1.PoolInfo{{Netuid: 1, MindReserve: "200000000", AlphaReserve: "100000000", AlphaOutstanding: "2500000",
			PriceEma: "1.500000000000000000", AlphaEmitted: "4000000", Price: "2.000000000000000000"}},
		Iss: &emissionv1.QueryIssuanceResponse{Ledger: &emissionv1.Ledger{TotalIssued: "123456789", ToStake: "0", ToOwners: "0", ToFeeCollector: "300", Burned: "0", ToPools: "123456489"},
			BlockEmission: "1000000", NextHalvingIssuance: "10500000000000000", NextHalvingHeight: 9_000_000},
		Share: []*emissionv1.SubnetShare{{Netuid: 1, Share: 65535, EffectiveShare: 1_000_000, Pending: "4000000"}},
		Pend:  map[uint32]*emissionv1.QueryPendingEmissionResponse{1: {Amount: "4000000", NextEpochBlock: 108}},
		Bal:   map[string][]*basev1beta1.Coin{f.owner: {{Denom: "umind", Amount: "1500000"}}},
		Props: []chain.Proposal{
			{Proposal: &govv1.Proposal{Id: 2, Title: `<script>alert("title")</script>`, Summary: "Raise <b>tempo</b>", Status: govv1.ProposalStatus_PROPOSAL_STATUS_VOTING_PERIOD,
				Proposer: f.owner, Messages: []*anypb.Any{{TypeUrl: "/mindnet.subnet.v1.MsgUpdateParams"}}, SubmitTime: timestamppb.New(time.Unix(1000, 0))},
				Tally: &govv1.TallyResult{YesCount: "5000000", NoCount: "0", AbstainCount: "0", NoWithVetoCount: "0"}},
			{Proposal: &govv1.Proposal{Id: 1, Title: "Welcome", Status: govv1.ProposalStatus_PROPOSAL_STATUS_PASSED},
				Tally: &govv1.TallyResult{YesCount: "7000000", NoCount: "1", AbstainCount: "0", NoWithVetoCount: "0"}},
		},
		VoteMap: map[uint64][]*govv1.Vote{2: {{ProposalId: 2, Voter: f.owner, Options: []*govv1.WeightedVoteOption{{Option: govv1.VoteOption_VOTE_OPTION_YES, Weight: "1"}}}}},
		Events:  map[int64][]chain.Event{80: {{Type: "emission_epoch", Attributes: []chain.Attribute{{Key: "netuid", Value: "1"}, {Key: "paid", Value: "820"}}}}},
	}
	var err error
	f.db, err = store.Open(t.TempDir(), 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	for k, h := range []int64{78, 89, 100} {
		rows := indexer.Rows(snap)
		for i := range rows {
			if names[i] != "odd-1" && i > 0 {
				rows[i].Incentive = uint16(1000 * (k + 1) * i) // the honest miners rise
			}
		}
		if err := f.db.Commit(h, []store.Epoch{{Netuid: 1, Pending: "1000000", OwnerCut: "180000", Paid: "820000", Carried: "0", Neurons: rows}}); err != nil {
			t.Fatal(err)
		}
	}
	f.srv, err = New(Config{Node: f.fake, Store: f.db, Labels: f.labels, Timeout: 2 * time.Second,
		Head: func() (chain.Status, error) { return f.fake.Status(t.Context()) },
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:  func() time.Time { return time.Date(2026, 1, 2, 3, 5, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// get serves path and returns the status and body.
func (f *fixture) get(t testing.TB, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String(), rec.Header()
}

func (f *fixture) mustGet(t testing.TB, path string) string {
	t.Helper()
	code, body, _ := f.get(t, path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, code, body)
	}
	return body
}

var _ = fmt.Sprint
