package chainclient_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/mindnet/mindnet/chainclient"
)

// fakeNode answers account lookups for one account and simulations with whatever simulate does.
type fakeNode struct {
	authtypes.UnimplementedQueryServer
	txtypes.UnimplementedServiceServer
	account  *authtypes.BaseAccount
	simulate func(context.Context) error
}

func (f *fakeNode) Account(ctx context.Context, _ *authtypes.QueryAccountRequest) (*authtypes.QueryAccountResponse, error) {
	// A node answers queries with the height it read them at; the SDK's client insists on it.
	if err := grpc.SetHeader(ctx, metadata.Pairs(grpctypes.GRPCBlockHeightHeader, "10")); err != nil {
		return nil, err
	}
	any, err := codectypes.NewAnyWithValue(f.account)
	if err != nil {
		return nil, err
	}
	return &authtypes.QueryAccountResponse{Account: any}, nil
}

func (f *fakeNode) Simulate(ctx context.Context, _ *txtypes.SimulateRequest) (*txtypes.SimulateResponse, error) {
	return nil, f.simulate(ctx)
}

// TestSimulationWithoutAnswerIsNotARefusal: only the chain's own verdict at simulation is
// ErrTxFailed. A node that is down, overloaded or silent gives an error the validator's submitter
// retries within the tempo, and the caller's deadline bounds a simulation that never answers.
func TestSimulationWithoutAnswerIsNotARefusal(t *testing.T) {
	enc, err := chainclient.NewEncoding()
	if err != nil {
		t.Fatal(err)
	}
	kr := keyring.NewInMemory(enc.Codec)
	rec, _, err := kr.NewMnemonic("validator", keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	from, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		t.Fatal(err)
	}
	node := &fakeNode{account: authtypes.NewBaseAccount(from, pub, 7, 3)}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(enc.Registry).GRPCCodec()))
	authtypes.RegisterQueryServer(gs, node)
	txtypes.RegisterServiceServer(gs, node)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(gs.Stop)
	c, err := chainclient.Dial(lis.Addr().String(), enc, kr, "mindnet-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	send := banktypes.NewMsgSend(from, sdk.AccAddress([]byte("mindnet-chainclient-")), sdk.NewCoins(sdk.NewInt64Coin(chainclient.Denom, 1)))

	for _, tc := range []struct {
		name     string
		simulate func(context.Context) error
		refused  bool
		want     string
	}{
		{"node down", func(context.Context) error { return status.Error(codes.Unavailable, "connection refused") }, false, "did not answer"},
		{"node overloaded", func(context.Context) error { return status.Error(codes.ResourceExhausted, "too many requests") }, false, "did not answer"},
		{"node silent", func(ctx context.Context) error {
			select { // answer only after the caller has long given up
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
			return status.Error(codes.Unknown, "too late")
		}, false, "did not answer"},
		{"chain refuses", func(context.Context) error {
			return status.Error(codes.Unknown, "failed to execute message; message index: 0: subnet 99 does not exist with gas used: '1234'")
		}, true, "subnet 99 does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			node.simulate = tc.simulate
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.Send(ctx, "validator", time.Second, send)
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("Send took %v under a 300 ms deadline", took)
			}
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if errors.Is(err, chainclient.ErrTxFailed) != tc.refused {
				t.Errorf("refused = %v, want %v: %v", errors.Is(err, chainclient.ErrTxFailed), tc.refused, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}
