package keeper_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mindnet/mindnet/x/internal/querystatus"
	"github.com/mindnet/mindnet/x/subnet/keeper"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// TestQueryErrorCodes checks the gRPC code each x/subnet query answers with once registered (through
// querystatus with keeper.QueryCodes): before, an unknown netuid answered Unknown, which REST turned
// into a 500 that a client could not tell from a broken node.
func TestQueryErrorCodes(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold, hot, stranger := f.account("cold", 1_000_000_000), f.account("hot", 0), f.account("stranger", 0)
	f.mustRegister(cold, hot, netuid)
	q, ctx := f.queries, f.ctx
	for _, tc := range []struct {
		name string
		call func() error
		code codes.Code
		// text is part of the message, which clients (the miner, the validator) match on.
		text string
	}{
		{"subnet of an unknown netuid", func() error { _, err := q.Subnet(ctx, &types.QuerySubnetRequest{Netuid: 9999}); return err },
			codes.NotFound, types.ErrUnknownSubnet.Error()},
		{"hyperparameters of an unknown netuid", func() error {
			_, err := q.Hyperparameters(ctx, &types.QueryHyperparametersRequest{Netuid: 9999})
			return err
		}, codes.NotFound, "unknown netuid"},
		{"metagraph of an unknown netuid", func() error {
			_, err := q.Metagraph(ctx, &types.QueryMetagraphRequest{Netuid: 9999})
			return err
		}, codes.NotFound, "netuid 9999"},
		{"neuron at an unknown UID", func() error { _, err := q.Neuron(ctx, &types.QueryNeuronRequest{Netuid: netuid, Uid: 7}); return err },
			codes.NotFound, types.ErrUnknownNeuron.Error()},
		{"neuron of an unregistered hotkey", func() error {
			_, err := q.NeuronByHotkey(ctx, &types.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: f.str(stranger)})
			return err
		}, codes.NotFound, types.ErrHotkeyNotRegistered.Error()},
		{"neuron of a malformed hotkey", func() error {
			_, err := q.NeuronByHotkey(ctx, &types.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: "mind1nothing"})
			return err
		}, codes.InvalidArgument, "invalid address"},
		{"stake of a malformed hotkey", func() error { _, err := q.Stake(ctx, &types.QueryStakeRequest{Hotkey: "bad"}); return err },
			codes.InvalidArgument, `hotkey "bad"`},
		{"stakes of a malformed coldkey", func() error {
			_, err := q.StakesByColdkey(ctx, &types.QueryStakesByColdkeyRequest{Coldkey: "bad"})
			return err
		}, codes.InvalidArgument, `coldkey "bad"`},
		{"registration cost of an unknown netuid", func() error {
			_, err := q.RegistrationCost(ctx, &types.QueryRegistrationCostRequest{Netuid: 9999})
			return err
		}, codes.NotFound, "unknown netuid"},
		{"registration cost of the root subnet", func() error {
			_, err := q.RegistrationCost(ctx, &types.QueryRegistrationCostRequest{Netuid: types.RootNetuid})
			return err
		}, codes.FailedPrecondition, "root-register"},
		{"empty request", func() error { _, err := q.Metagraph(ctx, nil); return err }, codes.InvalidArgument, "empty request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := querystatus.Convert(tc.call(), keeper.QueryCodes)
			if status.Code(err) != tc.code || !strings.Contains(status.Convert(err).Message(), tc.text) {
				t.Fatalf("error %v, want code %s with %q", err, tc.code, tc.text)
			}
		})
	}
}
