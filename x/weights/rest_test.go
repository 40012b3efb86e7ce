package weights_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	"github.com/mindnet/mindnet/x/weights"
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

// restRow is a weight row as the REST gateway writes it.
type restRow struct {
	Netuid  int    `json:"netuid"`
	UID     int    `json:"uid"`
	UIDs    []int  `json:"uids"`
	Weights []int  `json:"weights"`
	SetAt   string `json:"set_at"`
}

// restGet serves x/weights' REST routes over the chain and decodes GET path into out.
func restGet(t *testing.T, c *apptest.Chain, path string, out any) {
	t.Helper()
	mux := app.NewGatewayV2Mux()
	if err := (weights.AppModule{}).RegisterGatewayV2Routes(t.Context(), mux, abciConn{c}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	res, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
}
