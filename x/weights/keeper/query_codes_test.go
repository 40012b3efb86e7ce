package keeper_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mindnet/mindnet/x/internal/querystatus"
	"github.com/mindnet/mindnet/x/weights/keeper"
	"github.com/mindnet/mindnet/x/weights/types"
)

// TestQueryErrorCodes checks the gRPC code each x/weights query answers with once registered (through
// querystatus with keeper.QueryCodes). Before, a row of an unknown subnet or UID answered an empty
// row, and pending commits on an unknown subnet answered Unknown (500 over REST).
func TestQueryErrorCodes(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 2) // netuid 1 has 8 UIDs; UIDs 0 and 1 set rows
	q, ctx := f.queries, f.ctx
	for _, tc := range []struct {
		name string
		call func() error
		code codes.Code
		text string
	}{
		{"row of an unknown netuid", func() error {
			_, err := q.WeightRow(ctx, &types.QueryWeightRowRequest{Netuid: 9999, Uid: 0})
			return err
		},
			codes.NotFound, "unknown netuid"},
		{"row of a UID beyond the subnet", func() error {
			_, err := q.WeightRow(ctx, &types.QueryWeightRowRequest{Netuid: 1, Uid: 9999})
			return err
		},
			codes.NotFound, "uid 9999: netuid 1 has 8 neurons"},
		{"rows of an unknown netuid", func() error { _, err := q.Weights(ctx, &types.QueryWeightsRequest{Netuid: 9999}); return err },
			codes.NotFound, "unknown netuid"},
		{"rows of UIDs beyond the subnet", func() error {
			_, err := q.Weights(ctx, &types.QueryWeightsRequest{Netuid: 1, Uids: []uint32{0, 8}})
			return err
		}, codes.NotFound, "uid 8"},
		{"rows of too many UIDs", func() error {
			_, err := q.Weights(ctx, &types.QueryWeightsRequest{Netuid: 1, Uids: make([]uint32, keeper.MaxQueriedUIDs+1)})
			return err
		}, codes.InvalidArgument, "at most"},
		{"pending commits on an unknown netuid", func() error {
			_, err := q.PendingCommits(ctx, &types.QueryPendingCommitsRequest{Netuid: 9999, Hotkey: f.str(f.hotkey(1, 0))})
			return err
		}, codes.NotFound, "unknown netuid"},
		{"pending commits of an unregistered hotkey", func() error {
			_, err := q.PendingCommits(ctx, &types.QueryPendingCommitsRequest{Netuid: 1, Hotkey: f.str(account("stranger"))})
			return err
		}, codes.NotFound, types.ErrHotkeyNotRegistered.Error()},
		{"pending commits of a malformed hotkey", func() error {
			_, err := q.PendingCommits(ctx, &types.QueryPendingCommitsRequest{Netuid: 1, Hotkey: "bad"})
			return err
		}, codes.InvalidArgument, `hotkey "bad"`},
		{"next allowed block of an unknown netuid", func() error {
			_, err := q.NextAllowedBlock(ctx, &types.QueryNextAllowedBlockRequest{Netuid: 9999})
			return err
		}, codes.NotFound, "unknown netuid"},
		{"next allowed block of a UID beyond the subnet", func() error {
			_, err := q.NextAllowedBlock(ctx, &types.QueryNextAllowedBlockRequest{Netuid: 1, Uid: 8})
			return err
		}, codes.NotFound, "uid 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := querystatus.Convert(tc.call(), keeper.QueryCodes)
			if status.Code(err) != tc.code || !strings.Contains(status.Convert(err).Message(), tc.text) {
				t.Fatalf("error %v, want code %s with %q", err, tc.code, tc.text)
			}
		})
	}
	// A UID of the subnet that set no weights still answers an empty row.
	if res, err := q.WeightRow(ctx, &types.QueryWeightRowRequest{Netuid: 1, Uid: 7}); err != nil || len(res.Row.Uids) != 0 {
		t.Fatalf("row of UID 7: %v %v", res, err)
	}
}
