// Package network_test runs a real multi-validator Mindnet network in process and talks to it the way
// users do: REST on the API server, gRPC with server reflection.
package network_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/testutil/network"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// TestTwoValidatorNetwork starts one two-validator network and runs every network scenario on it:
// starting a network costs seconds of the two shared cores, so the package starts only one.
func TestTwoValidatorNetwork(t *testing.T) {
	net := network.New(t, network.DefaultConfig(2))
	start, err := net.LatestHeight()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.WaitForHeightWithTimeout(start+3, 30*time.Second); err != nil {
		t.Fatalf("network stopped producing blocks after height %d: %v", start, err)
	}
	t.Run("serves REST and gRPC", func(t *testing.T) { testServesRESTAndGRPC(t, net) })
	t.Run("subnet lifecycle through signed transactions", func(t *testing.T) { testSubnetLifecycle(t, net) })
}

func testServesRESTAndGRPC(t *testing.T, net *network.Network) {
	val := net.Validators[0]

	t.Run("REST latest block", func(t *testing.T) {
		var block struct {
			Block struct {
				Header struct {
					ChainID string `json:"chain_id"`
					Height  string `json:"height"`
				} `json:"header"`
			} `json:"block"`
		}
		getJSON(t, val.APIAddress+"/cosmos/base/tendermint/v1beta1/blocks/latest", &block)
		if block.Block.Header.ChainID != net.Config.ChainID {
			t.Errorf("chain id %q, want %q", block.Block.Header.ChainID, net.Config.ChainID)
		}
	})

	t.Run("REST Mindnet route", func(t *testing.T) {
		var res struct {
			Params struct {
				MaxSubnets    uint32 `json:"max_subnets"`
				MinSubnetLock string `json:"min_subnet_lock"`
			} `json:"params"`
		}
		getJSON(t, val.APIAddress+"/mindnet/subnet/v1/params", &res)
		if res.Params.MaxSubnets != subnettypes.DefaultMaxSubnets || res.Params.MinSubnetLock != subnettypes.DefaultMinSubnetLock.String() {
			t.Errorf("params over REST = %+v, want defaults", res.Params)
		}
	})

	conn, err := grpc.NewClient(val.AppConfig.GRPC.Address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })

	t.Run("gRPC Mindnet query", func(t *testing.T) {
		res, err := subnetv1.NewQueryClient(conn).Params(t.Context(), &subnetv1.QueryParamsRequest{})
		if err != nil {
			t.Fatalf("gRPC params: %v", err)
		}
		if res.GetParams().GetMaxSubnets() != subnettypes.DefaultMaxSubnets {
			t.Errorf("max_subnets over gRPC = %d", res.GetParams().GetMaxSubnets())
		}
	})

	t.Run("gRPC server reflection lists Mindnet services", func(t *testing.T) {
		stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if err := stream.Send(&reflectionpb.ServerReflectionRequest{
			MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{},
		}); err != nil {
			t.Fatal(err)
		}
		resp, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range resp.GetListServicesResponse().GetService() {
			names = append(names, s.GetName())
		}
		if !slices.Contains(names, "mindnet.subnet.v1.Query") {
			t.Errorf("reflection does not list mindnet.subnet.v1.Query; services: %v", names)
		}
	})
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: decode %s: %v", url, body, fmt.Errorf("%w", err))
	}
}
