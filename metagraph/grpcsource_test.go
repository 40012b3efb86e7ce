package metagraph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/metagraph"
)

// cannedConn answers the Metagraph query with a fixed response, as a node's gRPC server would.
type cannedConn struct {
	res *subnetv1.QueryMetagraphResponse
}

func (c cannedConn) Invoke(_ context.Context, method string, _, reply any, _ ...grpc.CallOption) error {
	if method != subnetv1.Query_Metagraph_FullMethodName {
		return fmt.Errorf("unexpected call %s", method)
	}
	proto.Merge(reply.(proto.Message), c.res)
	return nil
}

func (cannedConn) NewStream(context.Context, *grpc.StreamDesc, string, ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, fmt.Errorf("no streams")
}

func TestGRPCSourceReadsTheSubnetModel(t *testing.T) {
	digest := strings.Repeat("0f", 32)
	conn := cannedConn{res: &subnetv1.QueryMetagraphResponse{
		Netuid: 3, Block: 40,
		Neurons: []*subnetv1.NeuronInfo{{Uid: 0, Hotkey: "mind1hot", Stake: "12", Emission: "0", Incentive: 65535}},
		Model:   &subnetv1.SubnetModel{Name: "org/model", Digest: digest, Precisions: []string{"half"}, ContextLength: 2048},
	}}
	snap, err := metagraph.NewGRPCSource(conn, func() time.Time { return time.Unix(5, 0) }).Fetch(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	m := snap.Model
	if m.Name != "org/model" || m.Digest != digest || len(m.Precisions) != 1 || m.Precisions[0] != "half" || m.ContextLength != 2048 {
		t.Fatalf("model = %+v", m)
	}
	if n, ok := snap.ByHotkey("mind1hot"); !ok || n.Stake != 12 || n.Incentive != 1 {
		t.Fatalf("neuron = %+v, %v", n, ok)
	}
}
