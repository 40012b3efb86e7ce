package querystatus

import (
	"context"
	"errors"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// Rule gives the gRPC code that an error (and every error wrapping it) answers with.
type Rule struct {
	Err  error
	Code codes.Code
}

// sdkRules cover the SDK's own errors that reach a query: the node's gRPC interceptor refuses a bad
// x-cosmos-block-height header with ErrInvalidRequest, and a query past its gas limit runs out of gas.
var sdkRules = []Rule{
	{sdkerrors.ErrInvalidRequest, codes.InvalidArgument},
	{sdkerrors.ErrInvalidAddress, codes.InvalidArgument},
	{sdkerrors.ErrKeyNotFound, codes.NotFound},
	{sdkerrors.ErrOutOfGas, codes.ResourceExhausted},
}

// Convert returns err as a gRPC status error whose code follows the first rule that err matches (the
// module's rules first, then the SDK's). An error that already carries a code other than Unknown keeps
// it; any other error is a fault of the node and answers Internal. The message is unchanged.
func Convert(err error, rules []Rule) error {
	if err == nil {
		return nil
	}
	st := status.Convert(err)
	for _, set := range [][]Rule{rules, sdkRules} {
		for _, r := range set {
			if errors.Is(err, r.Err) {
				return status.Error(r.Code, st.Message())
			}
		}
	}
	if st.Code() != codes.Unknown {
		return st.Err()
	}
	return status.Error(codes.Internal, st.Message())
}

// Server returns a registrar that registers each service on s with every unary method's errors passed
// through Convert. Modules register their Query service through it.
func Server(s gogogrpc.Server, rules []Rule) gogogrpc.Server {
	return server{next: s, rules: rules}
}

type server struct {
	next  gogogrpc.Server
	rules []Rule
}

func (s server) RegisterService(sd *grpc.ServiceDesc, impl any) {
	wrapped := *sd
	wrapped.Methods = make([]grpc.MethodDesc, len(sd.Methods))
	for i, m := range sd.Methods {
		handler := m.Handler
		wrapped.Methods[i] = grpc.MethodDesc{
			MethodName: m.MethodName,
			Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
				res, err := handler(srv, ctx, dec, interceptor)
				if err != nil {
					return nil, Convert(err, s.rules)
				}
				return res, nil
			},
		}
	}
	s.next.RegisterService(&wrapped, impl)
}
