package querystatus_test

import (
	"context"
	"fmt"
	"testing"

	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/mindnet/mindnet/x/internal/querystatus"
)

var (
	errUnknownThing = errorsmod.Register("querystatus_test", 2, "unknown thing: list things first")
	errBadInput     = errorsmod.Register("querystatus_test", 3, "bad input")
	rules           = []querystatus.Rule{
		{Err: errUnknownThing, Code: codes.NotFound},
		{Err: errBadInput, Code: codes.InvalidArgument},
	}
)

func TestConvertMapsByMeaningAndKeepsTheMessage(t *testing.T) {
	wrapped := errorsmod.Wrapf(errUnknownThing, "thing %d", 9)
	for _, tc := range []struct {
		name string
		err  error
		code codes.Code
	}{
		{"registered error wrapped by errorsmod", wrapped, codes.NotFound},
		{"registered error wrapped by fmt", fmt.Errorf("%w: field %q", errBadInput, "x"), codes.InvalidArgument},
		{"the SDK's invalid request", errorsmod.Wrap(sdkerrors.ErrInvalidRequest, "height header"), codes.InvalidArgument},
		{"a status error keeps its code", status.Error(codes.InvalidArgument, "empty request"), codes.InvalidArgument},
		{"an unknown error is a fault", fmt.Errorf("read store: disk gone"), codes.Internal},
		{"a status error with code Unknown is a fault", status.Error(codes.Unknown, "what"), codes.Internal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := querystatus.Convert(tc.err, rules)
			st, ok := status.FromError(got)
			if !ok || st.Code() != tc.code {
				t.Fatalf("Convert(%v) = %v, want code %s", tc.err, got, tc.code)
			}
			// The message is what gRPC reported for the error before it was mapped.
			if want := status.Convert(tc.err).Message(); st.Message() != want {
				t.Errorf("message %q, want %q", st.Message(), want)
			}
		})
	}
	if querystatus.Convert(nil, rules) != nil {
		t.Error("Convert(nil) is not nil")
	}
}

// registrar records what is registered on it, as the SDK's query router would.
type registrar struct {
	desc *grpc.ServiceDesc
	impl any
}

func (r *registrar) RegisterService(sd *grpc.ServiceDesc, impl any) { r.desc, r.impl = sd, impl }

func TestServerConvertsEveryMethodsError(t *testing.T) {
	fail := func(err error) grpc.MethodHandler {
		return func(any, context.Context, func(any) error, grpc.UnaryServerInterceptor) (any, error) { return nil, err }
	}
	ok := func(any, context.Context, func(any) error, grpc.UnaryServerInterceptor) (any, error) {
		return "answer", nil
	}
	desc := &grpc.ServiceDesc{ServiceName: "test.Query", Methods: []grpc.MethodDesc{
		{MethodName: "Thing", Handler: fail(errorsmod.Wrap(errUnknownThing, "thing 9"))},
		{MethodName: "Broken", Handler: fail(fmt.Errorf("disk gone"))},
		{MethodName: "Fine", Handler: ok},
	}}
	var r registrar
	querystatus.Server(&r, rules).RegisterService(desc, "impl")
	if r.desc.ServiceName != "test.Query" || r.impl != "impl" || len(r.desc.Methods) != 3 {
		t.Fatalf("registered %+v with %v", r.desc, r.impl)
	}
	want := map[string]codes.Code{"Thing": codes.NotFound, "Broken": codes.Internal, "Fine": codes.OK}
	for _, m := range r.desc.Methods {
		res, err := m.Handler(nil, context.Background(), nil, nil)
		if status.Code(err) != want[m.MethodName] {
			t.Errorf("%s: error %v, want code %s", m.MethodName, err, want[m.MethodName])
		}
		if err == nil && res != "answer" {
			t.Errorf("%s: answer %v", m.MethodName, res)
		}
	}
	// The caller's descriptor is left alone: another registration of it sees the original handlers.
	if _, err := desc.Methods[1].Handler(nil, context.Background(), nil, nil); status.Code(err) != codes.Unknown {
		t.Errorf("the original descriptor was changed: %v", err)
	}
}
