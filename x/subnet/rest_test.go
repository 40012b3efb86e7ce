package subnet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	"github.com/mindnet/mindnet/x/subnet"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// abciConn answers the gateway's gRPC calls with ABCI queries against the in-memory app, as the node's
// client context does over CometBFT.
type abciConn struct{ c *apptest.Chain }

func (a abciConn) Invoke(ctx context.Context, method string, args, reply any, _ ...grpc.CallOption) error {
	bz, err := proto.Marshal(args.(proto.Message))
	if err != nil {
		return err
	}
	res, err := a.c.App.Query(ctx, &abci.RequestQuery{Path: method, Data: bz})
	if err != nil {
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("query %s: code %d: %s", method, res.Code, res.Log)
	}
	return proto.Unmarshal(res.Value, reply.(proto.Message))
}

func (abciConn) NewStream(context.Context, *grpc.StreamDesc, string, ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, fmt.Errorf("streams are not served")
}

func TestMetagraphOverREST(t *testing.T) {
	c := apptest.New(t, 2)
	owner, hot := c.Accounts[0], c.Accounts[1]
	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgCreateSubnet{Owner: owner.String(), Name: "llm"}))
	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgRegisterNeuron{Coldkey: owner.String(), Hotkey: hot.String(), Netuid: 1}))
	c.NextBlock(t,
		c.SignedTx(t, 1, &types.MsgServeAxon{Hotkey: hot.String(), Netuid: 1, Ip: "192.0.2.10", Port: 8091}),
		c.SignedTx(t, 0, &types.MsgAddStake{Coldkey: owner.String(), Hotkey: hot.String(), Amount: math.NewInt(1_234)}))

	mux := app.NewGatewayV2Mux()
	if err := (subnet.AppModule{}).RegisterGatewayV2Routes(t.Context(), mux, abciConn{c}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string, out any) int {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode == http.StatusOK {
			if err := json.Unmarshal(body, out); err != nil {
				t.Fatalf("%s: %v: %s", path, err, body)
			}
		}
		return res.StatusCode
	}

	var mg struct {
		Netuid  int `json:"netuid"`
		Neurons []struct {
			UID    int    `json:"uid"`
			Hotkey string `json:"hotkey"`
			Stake  string `json:"stake"`
			Axon   struct {
				IP   string `json:"ip"`
				Port int    `json:"port"`
			} `json:"axon"`
		} `json:"neurons"`
	}
	if code := get("/mindnet/subnet/v1/subnets/1/metagraph", &mg); code != http.StatusOK {
		t.Fatalf("metagraph: HTTP %d", code)
	}
	if mg.Netuid != 1 || len(mg.Neurons) != 1 || mg.Neurons[0].Hotkey != hot.String() || mg.Neurons[0].Stake != "1234" ||
		mg.Neurons[0].Axon.IP != "192.0.2.10" || mg.Neurons[0].Axon.Port != 8091 {
		t.Fatalf("metagraph over REST = %+v", mg)
	}
	var subnets struct {
		Subnets []struct {
			Name string `json:"name"`
		} `json:"subnets"`
	}
	if code := get("/mindnet/subnet/v1/subnets", &subnets); code != http.StatusOK || len(subnets.Subnets) != 2 || subnets.Subnets[1].Name != "llm" {
		t.Fatalf("subnets over REST: HTTP %d, %+v", code, subnets)
	}
	var cost struct {
		Cost string `json:"cost"`
	}
	if code := get("/mindnet/subnet/v1/subnets/1/registration_cost", &cost); code != http.StatusOK || cost.Cost == "" {
		t.Fatalf("registration cost over REST: HTTP %d, %+v", code, cost)
	}
	if code := get("/mindnet/subnet/v1/subnets/9/metagraph", &mg); code == http.StatusOK {
		t.Fatal("metagraph of an unknown subnet answered 200")
	}
}

// TestModelChangesAtTheEpochThroughTheApp sends MsgSetSubnetModel through the whole app and follows
// it over REST: pending until the subnet's epoch block, applied by the end-blocker of that block (with
// its event), then current.
func TestModelChangesAtTheEpochThroughTheApp(t *testing.T) {
	c := apptest.New(t, 2)
	owner := c.Accounts[0]
	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgCreateSubnet{Owner: owner.String(), Name: "llm"}))
	next := types.SubnetModel{Name: "org/next", Digest: strings.Repeat("9a", 32), Precisions: []string{"half"}, ContextLength: 1024}
	c.NextBlock(t, c.SignedTx(t, 0, &types.MsgSetSubnetModel{Owner: owner.String(), Netuid: 1, Model: next}))

	mux := app.NewGatewayV2Mux()
	if err := (subnet.AppModule{}).RegisterGatewayV2Routes(t.Context(), mux, abciConn{c}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	type model struct {
		Name          string   `json:"name"`
		Digest        string   `json:"digest"`
		Precisions    []string `json:"precisions"`
		ContextLength int      `json:"context_length"`
	}
	var got struct {
		Netuid         int    `json:"netuid"`
		Model          model  `json:"model"`
		Pending        *model `json:"pending"`
		EffectiveBlock string `json:"effective_block"`
	}
	read := func() {
		t.Helper()
		got.Pending = nil
		res, err := http.Get(srv.URL + "/mindnet/subnet/v1/subnets/1/model")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("model: HTTP %d: %s", res.StatusCode, body)
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("model: %v: %s", err, body)
		}
	}
	read()
	def := types.DefaultModel()
	// netuid 1 with the default tempo of 360 runs its epochs at blocks b with (b + 2) % 361 == 0.
	if got.Model.Digest != def.Digest || got.Pending == nil || got.Pending.Name != next.Name || got.EffectiveBlock != "359" {
		t.Fatalf("before the epoch: %+v", got)
	}
	for c.App.LastBlockHeight() < 358 {
		c.NextBlock(t)
	}
	read()
	if got.Model.Digest != def.Digest || got.Pending == nil {
		t.Fatalf("model changed before the epoch block: %+v", got)
	}
	res := c.NextBlockResults(t)
	changed := false
	for _, ev := range res.Events {
		if ev.Type == types.EventTypeSubnetModelChanged {
			changed = true
		}
	}
	if !changed {
		t.Fatalf("block %d emitted no %s event", c.App.LastBlockHeight(), types.EventTypeSubnetModelChanged)
	}
	read()
	if got.Model.Name != next.Name || got.Model.Digest != next.Digest || got.Model.ContextLength != 1024 ||
		len(got.Model.Precisions) != 1 || got.Model.Precisions[0] != "half" || got.Pending != nil || got.EffectiveBlock != "0" {
		t.Fatalf("after the epoch block: %+v", got)
	}
	r, err := http.Get(srv.URL + "/mindnet/subnet/v1/subnets/9/model")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode == http.StatusOK {
		t.Fatal("model of an unknown subnet answered 200")
	}
}
