package keeper_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mindnet/mindnet/x/emission/keeper"
	"github.com/mindnet/mindnet/x/emission/types"
	"github.com/mindnet/mindnet/x/internal/querystatus"
)

// TestQueryErrorCodes checks the gRPC code each x/emission query answers with once registered
// (through querystatus with keeper.QueryCodes). Before, bonds of a UID the subnet does not have
// answered an empty row.
func TestQueryErrorCodes(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	f.neuron(netuid, "a", 0)
	q, ctx := f.queries, f.ctx
	for _, tc := range []struct {
		name string
		call func() error
		code codes.Code
		text string
	}{
		{"pending emission of an unknown netuid", func() error {
			_, err := q.PendingEmission(ctx, &types.QueryPendingEmissionRequest{Netuid: 9999})
			return err
		}, codes.NotFound, "unknown netuid"},
		{"bonds on an unknown netuid", func() error { _, err := q.Bonds(ctx, &types.QueryBondsRequest{Netuid: 9999}); return err },
			codes.NotFound, "unknown netuid"},
		{"bonds of a UID beyond the subnet", func() error {
			_, err := q.Bonds(ctx, &types.QueryBondsRequest{Netuid: netuid, Uid: 1})
			return err
		}, codes.NotFound, "the subnet has 1 neurons"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := querystatus.Convert(tc.call(), keeper.QueryCodes)
			if status.Code(err) != tc.code || !strings.Contains(status.Convert(err).Message(), tc.text) {
				t.Fatalf("error %v, want code %s with %q", err, tc.code, tc.text)
			}
		})
	}
	// A UID of the subnet without bonds yet answers an empty row.
	if res, err := q.Bonds(ctx, &types.QueryBondsRequest{Netuid: netuid, Uid: 0}); err != nil || len(res.Row.Uids) != 0 {
		t.Fatalf("bonds of UID 0: %v %v", res, err)
	}
}
