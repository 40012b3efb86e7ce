package network_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	gogoproto "github.com/cosmos/gogoproto/proto"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	sdkmath "cosmossdk.io/math"

	clitestutil "github.com/cosmos/cosmos-sdk/testutil/cli"
	sdk "github.com/cosmos/cosmos-sdk/types"

	basequery "cosmossdk.io/api/cosmos/base/query/v1beta1"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/api/openapi"
	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/network"
	subnetcli "github.com/mindnet/mindnet/x/subnet/client/cli"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// apiCase is one request to a route: over REST (path with its query string) and, unless grpc is nil
// (input that only a URL can get wrong, such as "abc" for a number), the same request over gRPC.
type apiCase struct {
	name string
	rest string
	grpc proto.Message
	code codes.Code
}

// route is one REST route of a Mindnet Query service, as its google.api.http annotation declares it.
type route struct {
	method   string // full gRPC method: /mindnet.subnet.v1.Query/Metagraph
	template string // GET path template: /mindnet/subnet/v1/subnets/{netuid}/metagraph
	input    protoreflect.FullName
	output   protoreflect.FullName
}

// TestQueryAPIConformance walks every REST route of every mindnet.* Query service on an in-process
// node, over REST and over gRPC, with good input, unknown ids, malformed ids and out-of-range values,
// and checks each answer's status code and that its body is the JSON the OpenAPI document describes.
// The routes come from the protos' google.api.http annotations, so a route added without a row here
// fails the test; the same list must equal the routes of the OpenAPI document that the node serves.
func TestQueryAPIConformance(t *testing.T) {
	routes := mindnetRoutes(t)
	var doc openAPIDoc
	if err := json.Unmarshal(openapi.Document, &doc); err != nil {
		t.Fatalf("decode the OpenAPI document: %v", err)
	}
	t.Run("the OpenAPI document lists every route", func(t *testing.T) {
		var want, got []string
		for _, r := range routes {
			want = append(want, "GET "+r.template)
		}
		for path, ops := range doc.Paths {
			for method := range ops {
				got = append(got, strings.ToUpper(method)+" "+path)
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(want, got) {
			t.Fatalf("the OpenAPI document has routes\n%v\nthe protos declare\n%v\n(run make proto-gen)", got, want)
		}
	})

	cfg := network.DefaultConfig(1)
	var subnetGenesis subnettypes.GenesisState
	cfg.Codec.MustUnmarshalJSON(cfg.GenesisState[subnettypes.ModuleName], &subnetGenesis)
	hp := &subnetGenesis.Params.DefaultHyperparameters
	hp.Tempo, hp.CommitRevealEnabled, hp.WeightsRateLimit, hp.MaxRegistrationsPerBlock = 4, false, 0, 8
	cfg.GenesisState[subnettypes.ModuleName] = cfg.Codec.MustMarshalJSON(&subnetGenesis)
	net := network.New(t, cfg)
	val := net.Validators[0]
	owner := keyOf(t, val.ClientCtx.Keyring, val.Moniker)
	stranger := newKey(t, val.ClientCtx.Keyring, "api-stranger").addr.String()
	mind := func(n int64) sdkmath.Int { return sdkmath.NewInt(n * 1_000_000) }

	// Subnet 1 with five neurons: the owner's own address at UID 0 (it sets a self-weight, which needs
	// no permit), four more hotkeys of the owner's coldkey, and stake behind UID 0.
	own := owner.addr.String()
	included(t, net, broadcast(t, net, owner,
		&subnettypes.MsgCreateSubnet{Owner: own, Name: "api"},
		&subnettypes.MsgRegisterNeuron{Coldkey: own, Hotkey: own, Netuid: 1},
		&subnettypes.MsgAddStake{Coldkey: own, Hotkey: own, Amount: mind(2)},
	))
	// One transaction's gas (txGas) covers a few messages only.
	var regs []sdk.Msg
	for i := range 4 {
		hk := newKey(t, val.ClientCtx.Keyring, fmt.Sprintf("api-hot-%d", i))
		regs = append(regs, &subnettypes.MsgRegisterNeuron{Coldkey: own, Hotkey: hk.addr.String(), Netuid: 1})
	}
	included(t, net, broadcast(t, net, owner, regs[:2]...))
	included(t, net, broadcast(t, net, owner, regs[2:]...))
	included(t, net, broadcast(t, net, owner,
		&weightstypes.MsgSetWeights{Hotkey: own, Netuid: 1, Uids: []uint32{0}, Weights: []uint32{1}}))
	// 1 MIND of alpha on subnet 1 as well, staked with the add-stake command, which quotes the buy
	// before it signs: the owner's positions then hold root stake and alpha.
	out, err := clitestutil.ExecTestCLICmd(val.ClientCtx, subnetcli.AddStakeCmd(), []string{
		own, "1", "1000000umind", "--from", owner.name, "--yes", "--gas", fmt.Sprint(txGas),
		"--chain-id", net.Config.ChainID, "--output", "json",
	})
	if err != nil {
		t.Fatalf("add-stake on subnet 1: %v\n%s", err, out)
	}
	var sent struct {
		Code   uint32 `json:"code"`
		TxHash string `json:"txhash"`
	}
	printed := out.String()
	if i := strings.Index(printed, "{"); i < 0 || !strings.Contains(printed[:i], "quote on netuid 1 (buy): 1000000umind buys ") ||
		json.Unmarshal([]byte(printed[i:]), &sent) != nil || sent.Code != 0 {
		t.Fatalf("add-stake on subnet 1 printed no quote before its result, or was refused:\n%s", printed)
	}
	included(t, net, sent.TxHash)

	const (
		unknown    = "9999"
		malformed  = "abc"
		outOfRange = "4294967296" // one past the largest uint32
		badAddress = "mind1notanaddress"
	)
	page := func(key []byte, offset uint64) *basequery.PageRequest {
		return &basequery.PageRequest{Key: key, Offset: offset}
	}
	table := map[string][]apiCase{
		"/mindnet.subnet.v1.Query/Params": {
			{"params", "/mindnet/subnet/v1/params", &subnetv1.QueryParamsRequest{}, codes.OK},
		},
		"/mindnet.subnet.v1.Query/Subnets": {
			{"every subnet", "/mindnet/subnet/v1/subnets", &subnetv1.QuerySubnetsRequest{}, codes.OK},
			{"both key and offset", "/mindnet/subnet/v1/subnets?pagination.key=AQ==&pagination.offset=1",
				&subnetv1.QuerySubnetsRequest{Pagination: page([]byte{1}, 1)}, codes.InvalidArgument},
			{"malformed limit", "/mindnet/subnet/v1/subnets?pagination.limit=" + malformed, nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Subnet": {
			{"subnet", "/mindnet/subnet/v1/subnets/1", &subnetv1.QuerySubnetRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/" + unknown, &subnetv1.QuerySubnetRequest{Netuid: 9999}, codes.NotFound},
			{"malformed netuid", "/mindnet/subnet/v1/subnets/" + malformed, nil, codes.InvalidArgument},
			{"netuid out of range", "/mindnet/subnet/v1/subnets/" + outOfRange, nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Hyperparameters": {
			{"hyperparameters", "/mindnet/subnet/v1/subnets/1/hyperparameters", &subnetv1.QueryHyperparametersRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/hyperparameters", &subnetv1.QueryHyperparametersRequest{Netuid: 9999}, codes.NotFound},
			{"malformed netuid", "/mindnet/subnet/v1/subnets/-1/hyperparameters", nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Model": {
			{"model", "/mindnet/subnet/v1/subnets/1/model", &subnetv1.QueryModelRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/model", &subnetv1.QueryModelRequest{Netuid: 9999}, codes.NotFound},
			{"malformed netuid", "/mindnet/subnet/v1/subnets/-1/model", nil, codes.InvalidArgument},
			{"netuid out of range", "/mindnet/subnet/v1/subnets/" + outOfRange + "/model", nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Metagraph": {
			{"metagraph", "/mindnet/subnet/v1/subnets/1/metagraph", &subnetv1.QueryMetagraphRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/metagraph", &subnetv1.QueryMetagraphRequest{Netuid: 9999}, codes.NotFound},
			{"netuid out of range", "/mindnet/subnet/v1/subnets/" + outOfRange + "/metagraph", nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Neuron": {
			{"neuron", "/mindnet/subnet/v1/subnets/1/neurons/4", &subnetv1.QueryNeuronRequest{Netuid: 1, Uid: 4}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/neurons/0", &subnetv1.QueryNeuronRequest{Netuid: 9999}, codes.NotFound},
			{"unknown UID", "/mindnet/subnet/v1/subnets/1/neurons/5", &subnetv1.QueryNeuronRequest{Netuid: 1, Uid: 5}, codes.NotFound},
			{"malformed UID", "/mindnet/subnet/v1/subnets/1/neurons/" + malformed, nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/NeuronByHotkey": {
			{"neuron", "/mindnet/subnet/v1/subnets/1/hotkeys/" + own, &subnetv1.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: own}, codes.OK},
			{"unregistered hotkey", "/mindnet/subnet/v1/subnets/1/hotkeys/" + stranger,
				&subnetv1.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: stranger}, codes.NotFound},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/hotkeys/" + own,
				&subnetv1.QueryNeuronByHotkeyRequest{Netuid: 9999, Hotkey: own}, codes.NotFound},
			{"malformed hotkey", "/mindnet/subnet/v1/subnets/1/hotkeys/" + badAddress,
				&subnetv1.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: badAddress}, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Stake": {
			{"stake", "/mindnet/subnet/v1/hotkeys/" + own + "/stake", &subnetv1.QueryStakeRequest{Hotkey: own}, codes.OK},
			// A hotkey that was never registered has no stake, which is an answer, not an error.
			{"hotkey without stake", "/mindnet/subnet/v1/hotkeys/" + stranger + "/stake", &subnetv1.QueryStakeRequest{Hotkey: stranger}, codes.OK},
			{"malformed hotkey", "/mindnet/subnet/v1/hotkeys/" + badAddress + "/stake", &subnetv1.QueryStakeRequest{Hotkey: badAddress}, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/StakesByColdkey": {
			{"stakes", "/mindnet/subnet/v1/coldkeys/" + own + "/stakes", &subnetv1.QueryStakesByColdkeyRequest{Coldkey: own}, codes.OK},
			{"malformed coldkey", "/mindnet/subnet/v1/coldkeys/" + badAddress + "/stakes",
				&subnetv1.QueryStakesByColdkeyRequest{Coldkey: badAddress}, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/RegistrationCost": {
			{"cost", "/mindnet/subnet/v1/subnets/1/registration_cost", &subnetv1.QueryRegistrationCostRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/registration_cost", &subnetv1.QueryRegistrationCostRequest{Netuid: 9999}, codes.NotFound},
			{"the root subnet", "/mindnet/subnet/v1/subnets/0/registration_cost", &subnetv1.QueryRegistrationCostRequest{Netuid: 0}, codes.FailedPrecondition},
			{"malformed netuid", "/mindnet/subnet/v1/subnets/" + malformed + "/registration_cost", nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/SubnetCreationCost": {
			{"cost", "/mindnet/subnet/v1/subnet_creation_cost", &subnetv1.QuerySubnetCreationCostRequest{}, codes.OK},
		},
		"/mindnet.subnet.v1.Query/Pool": {
			{"pool", "/mindnet/subnet/v1/subnets/1/pool", &subnetv1.QueryPoolRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/pool", &subnetv1.QueryPoolRequest{Netuid: 9999}, codes.NotFound},
			// Root holds plain umind stake and has no pool.
			{"the root subnet", "/mindnet/subnet/v1/subnets/0/pool", &subnetv1.QueryPoolRequest{Netuid: 0}, codes.FailedPrecondition},
			{"malformed netuid", "/mindnet/subnet/v1/subnets/" + malformed + "/pool", nil, codes.InvalidArgument},
			{"netuid out of range", "/mindnet/subnet/v1/subnets/" + outOfRange + "/pool", nil, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Pools": {
			{"every pool", "/mindnet/subnet/v1/pools", &subnetv1.QueryPoolsRequest{}, codes.OK},
		},
		"/mindnet.subnet.v1.Query/Quote": {
			{"buy", "/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=1000000",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: "1000000"}, codes.OK},
			{"buy with the denom", "/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=1000000umind",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: "1000000umind"}, codes.OK},
			{"sell", "/mindnet/subnet/v1/subnets/1/quote?side=sell&amount=500000",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "sell", Amount: "500000"}, codes.OK},
			{"unknown netuid", "/mindnet/subnet/v1/subnets/9999/quote?side=buy&amount=1000000",
				&subnetv1.QueryQuoteRequest{Netuid: 9999, Side: "buy", Amount: "1000000"}, codes.NotFound},
			{"the root subnet", "/mindnet/subnet/v1/subnets/0/quote?side=buy&amount=1000000",
				&subnetv1.QueryQuoteRequest{Netuid: 0, Side: "buy", Amount: "1000000"}, codes.FailedPrecondition},
			{"malformed netuid", "/mindnet/subnet/v1/subnets/" + malformed + "/quote?side=buy&amount=1000000", nil, codes.InvalidArgument},
			{"netuid out of range", "/mindnet/subnet/v1/subnets/" + outOfRange + "/quote?side=buy&amount=1000000", nil, codes.InvalidArgument},
			{"malformed amount", "/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=" + malformed,
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: malformed}, codes.InvalidArgument},
			{"another denom", "/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=1000000uatom",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: "1000000uatom"}, codes.InvalidArgument},
			{"zero amount", "/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=0",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: "0"}, codes.InvalidArgument},
			{"no amount", "/mindnet/subnet/v1/subnets/1/quote?side=buy",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy"}, codes.InvalidArgument},
			// 1 umind is all fee (the 0.3% fee rounds up): nothing would be swapped.
			{"amount that is all fee", "/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=1",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "buy", Amount: "1"}, codes.InvalidArgument},
			{"bad side", "/mindnet/subnet/v1/subnets/1/quote?side=hold&amount=1000000",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Side: "hold", Amount: "1000000"}, codes.InvalidArgument},
			{"no side", "/mindnet/subnet/v1/subnets/1/quote?amount=1000000",
				&subnetv1.QueryQuoteRequest{Netuid: 1, Amount: "1000000"}, codes.InvalidArgument},
		},
		"/mindnet.subnet.v1.Query/Positions": {
			{"positions", "/mindnet/subnet/v1/coldkeys/" + own + "/positions", &subnetv1.QueryPositionsRequest{Coldkey: own}, codes.OK},
			// A coldkey that never staked holds no position, which is an answer, not an error.
			{"coldkey without stake", "/mindnet/subnet/v1/coldkeys/" + stranger + "/positions",
				&subnetv1.QueryPositionsRequest{Coldkey: stranger}, codes.OK},
			{"malformed coldkey", "/mindnet/subnet/v1/coldkeys/" + badAddress + "/positions",
				&subnetv1.QueryPositionsRequest{Coldkey: badAddress}, codes.InvalidArgument},
		},

		"/mindnet.weights.v1.Query/Params": {
			{"params", "/mindnet/weights/v1/params", &weightsv1.QueryParamsRequest{}, codes.OK},
		},
		"/mindnet.weights.v1.Query/Weights": {
			{"every row", "/mindnet/weights/v1/subnets/1/weights", &weightsv1.QueryWeightsRequest{Netuid: 1}, codes.OK},
			{"selected rows", "/mindnet/weights/v1/subnets/1/weights?uids=0&uids=3", &weightsv1.QueryWeightsRequest{Netuid: 1, Uids: []uint32{0, 3}}, codes.OK},
			{"unknown netuid", "/mindnet/weights/v1/subnets/9999/weights", &weightsv1.QueryWeightsRequest{Netuid: 9999}, codes.NotFound},
			{"unknown UID", "/mindnet/weights/v1/subnets/1/weights?uids=9999", &weightsv1.QueryWeightsRequest{Netuid: 1, Uids: []uint32{9999}}, codes.NotFound},
			{"malformed UID", "/mindnet/weights/v1/subnets/1/weights?uids=" + malformed, nil, codes.InvalidArgument},
		},
		"/mindnet.weights.v1.Query/WeightRow": {
			{"row", "/mindnet/weights/v1/subnets/1/weights/0", &weightsv1.QueryWeightRowRequest{Netuid: 1, Uid: 0}, codes.OK},
			{"row of a UID that set none", "/mindnet/weights/v1/subnets/1/weights/4", &weightsv1.QueryWeightRowRequest{Netuid: 1, Uid: 4}, codes.OK},
			{"unknown netuid", "/mindnet/weights/v1/subnets/9999/weights/0", &weightsv1.QueryWeightRowRequest{Netuid: 9999}, codes.NotFound},
			{"unknown UID", "/mindnet/weights/v1/subnets/1/weights/9999", &weightsv1.QueryWeightRowRequest{Netuid: 1, Uid: 9999}, codes.NotFound},
			{"UID out of range", "/mindnet/weights/v1/subnets/1/weights/" + outOfRange, nil, codes.InvalidArgument},
		},
		"/mindnet.weights.v1.Query/PendingCommits": {
			{"commits", "/mindnet/weights/v1/subnets/1/commits/" + own, &weightsv1.QueryPendingCommitsRequest{Netuid: 1, Hotkey: own}, codes.OK},
			{"unregistered hotkey", "/mindnet/weights/v1/subnets/1/commits/" + stranger,
				&weightsv1.QueryPendingCommitsRequest{Netuid: 1, Hotkey: stranger}, codes.NotFound},
			{"unknown netuid", "/mindnet/weights/v1/subnets/9999/commits/" + own,
				&weightsv1.QueryPendingCommitsRequest{Netuid: 9999, Hotkey: own}, codes.NotFound},
			{"malformed hotkey", "/mindnet/weights/v1/subnets/1/commits/" + badAddress,
				&weightsv1.QueryPendingCommitsRequest{Netuid: 1, Hotkey: badAddress}, codes.InvalidArgument},
		},
		"/mindnet.weights.v1.Query/NextAllowedBlock": {
			{"next block", "/mindnet/weights/v1/subnets/1/uids/0/next_allowed_block", &weightsv1.QueryNextAllowedBlockRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/weights/v1/subnets/9999/uids/0/next_allowed_block",
				&weightsv1.QueryNextAllowedBlockRequest{Netuid: 9999}, codes.NotFound},
			{"unknown UID", "/mindnet/weights/v1/subnets/1/uids/9999/next_allowed_block",
				&weightsv1.QueryNextAllowedBlockRequest{Netuid: 1, Uid: 9999}, codes.NotFound},
			{"malformed UID", "/mindnet/weights/v1/subnets/1/uids/" + malformed + "/next_allowed_block", nil, codes.InvalidArgument},
		},

		"/mindnet.emission.v1.Query/Params": {
			{"params", "/mindnet/emission/v1/params", &emissionv1.QueryParamsRequest{}, codes.OK},
		},
		"/mindnet.emission.v1.Query/Issuance": {
			{"issuance", "/mindnet/emission/v1/issuance", &emissionv1.QueryIssuanceRequest{}, codes.OK},
		},
		"/mindnet.emission.v1.Query/PendingEmission": {
			{"pending", "/mindnet/emission/v1/subnets/1/pending", &emissionv1.QueryPendingEmissionRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/emission/v1/subnets/9999/pending", &emissionv1.QueryPendingEmissionRequest{Netuid: 9999}, codes.NotFound},
			{"malformed netuid", "/mindnet/emission/v1/subnets/" + malformed + "/pending", nil, codes.InvalidArgument},
		},
		"/mindnet.emission.v1.Query/SubnetShares": {
			{"shares", "/mindnet/emission/v1/shares", &emissionv1.QuerySubnetSharesRequest{}, codes.OK},
		},
		"/mindnet.emission.v1.Query/Bonds": {
			{"bonds", "/mindnet/emission/v1/subnets/1/bonds/0", &emissionv1.QueryBondsRequest{Netuid: 1}, codes.OK},
			{"unknown netuid", "/mindnet/emission/v1/subnets/9999/bonds/0", &emissionv1.QueryBondsRequest{Netuid: 9999}, codes.NotFound},
			{"unknown UID", "/mindnet/emission/v1/subnets/1/bonds/9999", &emissionv1.QueryBondsRequest{Netuid: 1, Uid: 9999}, codes.NotFound},
			{"malformed UID", "/mindnet/emission/v1/subnets/1/bonds/" + malformed, nil, codes.InvalidArgument},
		},
		"/mindnet.emission.v1.Query/RootMembers": {
			{"members", "/mindnet/emission/v1/root/members", &emissionv1.QueryRootMembersRequest{}, codes.OK},
		},
	}

	t.Run("every route has a row", func(t *testing.T) {
		declared := map[string]bool{}
		for _, r := range routes {
			declared[r.method] = true
			if len(table[r.method]) == 0 {
				t.Errorf("route GET %s (%s) has no row in the conformance table", r.template, r.method)
			}
		}
		for method := range table {
			if !declared[method] {
				t.Errorf("the table has rows for %s, which no Query service declares", method)
			}
		}
	})

	conn, err := grpc.NewClient(val.AppConfig.GRPC.Address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	client := &http.Client{Timeout: 10 * time.Second}
	for _, r := range routes {
		for _, c := range table[r.method] {
			t.Run(r.method+"/"+c.name, func(t *testing.T) {
				status, body := get(t, client, val.APIAddress+c.rest)
				if want := httpStatus(c.code); status != want {
					t.Fatalf("GET %s: %d, want %d (%s): %s", c.rest, status, want, c.code, body)
				}
				if c.code == codes.OK {
					checkAnswer(t, doc, r, body)
				} else {
					checkError(t, doc, c.code, body)
				}
				if c.grpc != nil {
					checkGRPC(t, conn, r, c)
				}
			})
		}
	}

	t.Run("prices answer as decimal strings", func(t *testing.T) {
		// A cosmos.Dec field carries 10^18-scaled integers on the wire ("1000000000000000000" for 1);
		// the market's queries answer prices as decimals a client can read as they are.
		for _, path := range []string{"/mindnet/subnet/v1/subnets/1/pool", "/mindnet/subnet/v1/pools",
			"/mindnet/subnet/v1/subnets/1/quote?side=buy&amount=1000000"} {
			status, body := get(t, client, val.APIAddress+path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			prices := regexp.MustCompile(`"(price|price_ema|price_before|price_after|slippage)":"([^"]*)"`).FindAllStringSubmatch(string(body), -1)
			if len(prices) == 0 {
				t.Fatalf("GET %s: no price in %s", path, body)
			}
			for _, m := range prices {
				d, err := sdkmath.LegacyNewDecFromStr(m[2])
				if err != nil || !strings.Contains(m[2], ".") || d.GT(sdkmath.LegacyNewDec(1000)) {
					t.Errorf("GET %s: %s = %q is not a plain decimal price", path, m[1], m[2])
				}
			}
		}
	})

	t.Run("REST reads at the height the x-cosmos-block-height header asks for", func(t *testing.T) {
		for _, tc := range []struct {
			height string
			code   int
		}{{"2", http.StatusOK}, {malformed, http.StatusBadRequest}, {"-1", http.StatusBadRequest}} {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, val.APIAddress+"/mindnet/subnet/v1/subnets", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("x-cosmos-block-height", tc.height)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != tc.code {
				t.Fatalf("height %s: %d, want %d: %s", tc.height, resp.StatusCode, tc.code, body)
			}
			if tc.code != http.StatusOK {
				continue
			}
			// At height 2 no subnet existed yet but the root.
			var res subnetv1.QuerySubnetsResponse
			if err := protojson.Unmarshal(body, &res); err != nil || len(res.GetSubnets()) != 1 ||
				resp.Header.Get("Grpc-Metadata-X-Cosmos-Block-Height") != "2" {
				t.Fatalf("subnets at height 2: %s (%v), height header %q", body, err, resp.Header.Get("Grpc-Metadata-X-Cosmos-Block-Height"))
			}
		}
	})

	t.Run("the node serves the OpenAPI document and a page over it", func(t *testing.T) {
		status, body := get(t, client, val.APIAddress+app.OpenAPIPath)
		if status != http.StatusOK || !bytes.Equal(body, openapi.Document) {
			t.Fatalf("GET %s: %d, %d bytes; want 200 and the %d-byte document", app.OpenAPIPath, status, len(body), len(openapi.Document))
		}
		status, body = get(t, client, val.APIAddress+app.SwaggerUIPath)
		if status != http.StatusOK || !bytes.Contains(body, []byte(app.OpenAPIPath)) {
			t.Fatalf("GET %s: %d: %s", app.SwaggerUIPath, status, body)
		}
		// The page's script comes from the node itself, so the page works without network access.
		if status, _ := get(t, client, val.APIAddress+app.SwaggerUIPath+"swagger-ui-bundle.js"); status != http.StatusOK {
			t.Fatalf("GET %sswagger-ui-bundle.js: %d", app.SwaggerUIPath, status)
		}
	})
}

// mindnetRoutes lists the HTTP routes of every Query service in a mindnet.* proto package that the app
// registers, from their google.api.http annotations.
func mindnetRoutes(t *testing.T) []route {
	t.Helper()
	var routes []route
	seen := map[string]bool{}
	gogoproto.HybridResolver.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(fd.Package()), "mindnet.") || seen[fd.Path()] {
			return true
		}
		seen[fd.Path()] = true
		for i := range fd.Services().Len() {
			svc := fd.Services().Get(i)
			if svc.Name() != "Query" {
				continue
			}
			for j := range svc.Methods().Len() {
				m := svc.Methods().Get(j)
				rule := httpRule(t, m)
				if rule == nil || rule.GetGet() == "" {
					t.Errorf("%s has no GET annotation: every query has a REST route", m.FullName())
					continue
				}
				routes = append(routes, route{
					method:   fmt.Sprintf("/%s/%s", svc.FullName(), m.Name()),
					template: rule.GetGet(),
					input:    m.Input().FullName(),
					output:   m.Output().FullName(),
				})
			}
		}
		return true
	})
	if len(routes) == 0 {
		t.Fatal("no mindnet.* Query service is registered")
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].method < routes[j].method })
	return routes
}

// httpRule reads a method's google.api.http option. The descriptor may come from gogoproto's registry,
// where the option is still unparsed bytes, so the options are decoded again with the extension known.
func httpRule(t *testing.T, m protoreflect.MethodDescriptor) *annotations.HttpRule {
	t.Helper()
	raw, err := proto.Marshal(m.Options())
	if err != nil {
		t.Fatal(err)
	}
	var opts descriptorpb.MethodOptions
	if err := (proto.UnmarshalOptions{Resolver: protoregistry.GlobalTypes}).Unmarshal(raw, &opts); err != nil {
		t.Fatal(err)
	}
	rule, _ := proto.GetExtension(&opts, annotations.E_Http).(*annotations.HttpRule)
	return rule
}

// httpStatus is the HTTP status of a gRPC code on Mindnet's routes: grpc-gateway's table, except 412
// for FailedPrecondition.
func httpStatus(code codes.Code) int {
	if code == codes.FailedPrecondition {
		return http.StatusPreconditionFailed
	}
	return gwruntime.HTTPStatusFromCode(code)
}

func get(t *testing.T, client *http.Client, url string) (int, []byte) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// checkAnswer checks that a 200 body is the route's response message (no unknown field) and has the
// shape of the schema the OpenAPI document gives for it.
func checkAnswer(t *testing.T, doc openAPIDoc, r route, body []byte) {
	t.Helper()
	typ, err := protoregistry.GlobalTypes.FindMessageByName(r.output)
	if err != nil {
		t.Fatalf("response type %s: %v (import its api package in this test)", r.output, err)
	}
	if err := protojson.Unmarshal(body, typ.New().Interface()); err != nil {
		t.Fatalf("body is not a %s: %v: %s", r.output, err, body)
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		t.Fatal(err)
	}
	op := doc.Paths[r.template]["get"]
	doc.check(t, "body", value, op.Responses["200"].Schema)
}

// checkError checks that an error body is the google.rpc.Status that the OpenAPI document describes,
// with the expected code and a message.
func checkError(t *testing.T, doc openAPIDoc, code codes.Code, body []byte) {
	t.Helper()
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, body)
	}
	doc.check(t, "error", value, schema{Ref: "#/definitions/google.rpc.Status"})
	var st struct {
		Code    codes.Code `json:"code"`
		Message string     `json:"message"`
	}
	if err := json.Unmarshal(body, &st); err != nil || st.Code != code || st.Message == "" {
		t.Fatalf("error body %s, want code %d (%s) with a message", body, code, code)
	}
}

// checkGRPC makes the case's request over gRPC and checks the code and, on success, the answer type.
func checkGRPC(t *testing.T, conn *grpc.ClientConn, r route, c apiCase) {
	t.Helper()
	typ, err := protoregistry.GlobalTypes.FindMessageByName(r.output)
	if err != nil {
		t.Fatalf("response type %s: %v", r.output, err)
	}
	if got := c.grpc.ProtoReflect().Descriptor().FullName(); got != r.input {
		t.Fatalf("the row's gRPC request is a %s; %s takes a %s", got, r.method, r.input)
	}
	err = conn.Invoke(t.Context(), r.method, c.grpc, typ.New().Interface())
	if got := status.Code(err); got != c.code {
		t.Fatalf("gRPC %s: %v, want code %s", r.method, err, c.code)
	}
	if err != nil && status.Convert(err).Message() == "" {
		t.Fatalf("gRPC %s: code %s without a message", r.method, c.code)
	}
}

// openAPIDoc is the part of an OpenAPI v2 document that the conformance test reads.
type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Responses map[string]struct {
			Schema schema `json:"schema"`
		} `json:"responses"`
	} `json:"paths"`
	Definitions map[string]schema `json:"definitions"`
}

type schema struct {
	Ref                  string            `json:"$ref"`
	Type                 string            `json:"type"`
	Format               string            `json:"format"`
	Properties           map[string]schema `json:"properties"`
	Items                *schema           `json:"items"`
	AdditionalProperties json.RawMessage   `json:"additionalProperties"`
}

// check checks that a decoded JSON value has the shape of s: objects carry exactly the documented
// properties (the gateway writes every field, zero or not), arrays hold items of the documented shape,
// and scalars have the documented JSON type (64-bit integers are strings).
func (d openAPIDoc) check(t *testing.T, at string, v any, s schema) {
	t.Helper()
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/definitions/")
		def, ok := d.Definitions[name]
		if !ok {
			t.Fatalf("%s: the document has no definition %s", at, name)
		}
		s = def
	}
	if v == nil {
		return // null is a message field left unset, which the schema allows
	}
	switch s.Type {
	case "object", "":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %v is not an object", at, v)
		}
		if s.Properties == nil {
			return // a free-form object, such as google.protobuf.Any
		}
		for k, sub := range s.Properties {
			if k == "@type" {
				continue
			}
			if _, ok := obj[k]; !ok {
				t.Errorf("%s: no field %q, which the document lists", at, k)
				continue
			}
			d.check(t, at+"."+k, obj[k], sub)
		}
		for k := range obj {
			if _, ok := s.Properties[k]; !ok {
				t.Errorf("%s: field %q is not in the document", at, k)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			t.Fatalf("%s: %v is not an array", at, v)
		}
		for i, item := range arr {
			d.check(t, fmt.Sprintf("%s[%d]", at, i), item, *s.Items)
		}
	case "string":
		if _, ok := v.(string); !ok {
			t.Errorf("%s: %v is not a string", at, v)
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			t.Errorf("%s: %v is not a number", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: %v is not a boolean", at, v)
		}
	default:
		t.Errorf("%s: the document gives unknown type %q", at, s.Type)
	}
}
