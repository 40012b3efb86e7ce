package keeper_test

import (
	"reflect"
	"testing"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestMetagraphShowsEveryNeuronWithStakeActivityAndAxon(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.ActivityCutoff = 100; h.MaxRegistrationsPerBlock = 5 })
	cold := f.account("cold", 1_000_000_000)
	hot0, hot1 := f.account("hot0", 0), f.account("hot1", 0)
	f.at(5)
	f.mustRegister(cold, hot0, netuid)
	f.mustRegister(cold, hot1, netuid)
	if err := f.addStake(cold, hot1, 4_000); err != nil {
		t.Fatal(err)
	}
	if _, err := f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: f.str(hot1), Netuid: netuid, Ip: "198.51.100.4", Port: 8091}); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetNeuronScores(f.ctx, netuid, 1, types.NeuronScores{Incentive: 65_535, ValidatorPermit: true, Emission: math.NewInt(77)}); err != nil {
		t.Fatal(err)
	}
	if err := f.k.SetNeuronLastUpdate(f.ctx, netuid, 1, 80); err != nil {
		t.Fatal(err)
	}

	f.at(150) // uid 0 last updated at 5: inactive; uid 1 at 80: active
	res, err := f.queries.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	if res.Block != 150 || len(res.Neurons) != 2 {
		t.Fatalf("metagraph = %+v", res)
	}
	n0, n1 := res.Neurons[0], res.Neurons[1]
	if n0.Uid != 0 || n0.Active || !n0.Stake.IsZero() || n0.Hotkey != f.str(hot0) {
		t.Fatalf("uid 0 = %+v", n0)
	}
	if n1.Uid != 1 || !n1.Active || !n1.Stake.Equal(math.NewInt(4_000)) || n1.Incentive != 65_535 ||
		!n1.ValidatorPermit || !n1.Emission.Equal(math.NewInt(77)) || n1.Axon.Ip != "198.51.100.4" ||
		n1.Coldkey != f.str(cold) || n1.RegisteredAt != 5 || n1.LastUpdate != 80 {
		t.Fatalf("uid 1 = %+v", n1)
	}
	one, err := f.queries.Neuron(f.ctx, &types.QueryNeuronRequest{Netuid: netuid, Uid: 1})
	if err != nil || !reflect.DeepEqual(one.Neuron, n1) {
		t.Fatalf("neuron(1) = %+v (%v), want the metagraph's entry", one, err)
	}
	_, err = f.queries.Neuron(f.ctx, &types.QueryNeuronRequest{Netuid: netuid, Uid: 2})
	requireErrorIs(t, err, types.ErrUnknownNeuron)
	_, err = f.queries.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: 40})
	requireErrorIs(t, err, types.ErrUnknownSubnet)
}

func TestSubnetQueries(t *testing.T) {
	f := newFixture(t, nil)
	for _, name := range []string{"a", "b", "c"} {
		f.createSubnet(name)
	}
	page, err := f.queries.Subnets(f.ctx, &types.QuerySubnetsRequest{Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Subnets) != 2 || page.Subnets[0].Netuid != 0 || page.Pagination.Total != 4 || page.Pagination.NextKey == nil {
		t.Fatalf("first page = %+v", page)
	}
	next, err := f.queries.Subnets(f.ctx, &types.QuerySubnetsRequest{Pagination: &query.PageRequest{Key: page.Pagination.NextKey}})
	if err != nil || len(next.Subnets) != 2 || next.Subnets[1].Netuid != 3 {
		t.Fatalf("second page = %+v (%v)", next, err)
	}
	one, err := f.queries.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: 2})
	if err != nil || one.Subnet.Name != "b" {
		t.Fatalf("subnet(2) = %+v (%v)", one, err)
	}
	hp, err := f.queries.Hyperparameters(f.ctx, &types.QueryHyperparametersRequest{Netuid: 2})
	if err != nil || !hp.Hyperparameters.CommitRevealEnabled {
		t.Fatalf("hyperparameters(2) = %+v (%v), want commit-reveal on by default", hp, err)
	}
	cost, err := f.queries.RegistrationCost(f.ctx, &types.QueryRegistrationCostRequest{Netuid: 2})
	if err != nil || !cost.Cost.Equal(types.DefaultHyperparameters().MinBurn) {
		t.Fatalf("registration cost = %+v (%v)", cost, err)
	}
	_, err = f.queries.RegistrationCost(f.ctx, &types.QueryRegistrationCostRequest{Netuid: 9})
	requireErrorIs(t, err, types.ErrUnknownSubnet)
	_, err = f.queries.Stake(f.ctx, &types.QueryStakeRequest{Hotkey: "bad"})
	requireErrorIs(t, err, types.ErrInvalidAddress)
}
