package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
)

// NewGateway returns the HTTP/JSON face of the axon (grpc-gateway v2): each request is forwarded to the
// gRPC server at grpcAddr, with the X-Mindnet-* signature headers passed through as metadata, and the
// miner's response signature returned as Grpc-Metadata-X-Mindnet-* headers.
func NewGateway(ctx context.Context, grpcAddr string) (http.Handler, error) {
	mux := gwruntime.NewServeMux(
		gwruntime.WithIncomingHeaderMatcher(func(key string) (string, bool) {
			if k := strings.ToLower(key); strings.HasPrefix(k, "x-mindnet-") {
				return k, true
			}
			return gwruntime.DefaultHeaderMatcher(key)
		}),
		gwruntime.WithMarshalerOption(gwruntime.MIMEWildcard, &gwruntime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}),
	)
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if err := axonv1.RegisterAxonHandlerFromEndpoint(ctx, mux, grpcAddr, opts); err != nil {
		return nil, fmt.Errorf("register axon gateway: %w", err)
	}
	return mux, nil
}
