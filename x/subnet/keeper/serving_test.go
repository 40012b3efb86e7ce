package keeper_test

import (
	"reflect"
	"testing"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestServeAxonValidatesAndRateLimits(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.ServingRateLimit = 5 })
	cold := f.account("cold", 1_000_000_000)
	hot := f.account("hot", 0)
	f.mustRegister(cold, hot, netuid)
	serve := func(ip string, port uint32) error {
		_, err := f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: f.str(hot), Netuid: netuid, Ip: ip, Port: port, Protocol: 4, Version: 2})
		return err
	}

	f.at(10)
	before := f.exported()
	requireErrorIs(t, serve("0.0.0.0", 8091), types.ErrInvalidIP)
	requireErrorIs(t, serve("::", 8091), types.ErrInvalidIP)
	requireErrorIs(t, serve("not-an-ip", 8091), types.ErrInvalidIP)
	requireErrorIs(t, serve("10.0.0.1", 0), types.ErrInvalidPort)
	_, err := f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: f.str(f.account("stranger", 0)), Netuid: netuid, Ip: "10.0.0.1", Port: 1})
	requireErrorIs(t, err, types.ErrHotkeyNotRegistered)
	_, err = f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: f.str(hot), Netuid: 99, Ip: "10.0.0.1", Port: 1})
	requireErrorIs(t, err, types.ErrUnknownSubnet)
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("refused serve changed state")
	}

	if err := serve("203.0.113.7", 8091); err != nil {
		t.Fatal(err)
	}
	f.at(14)
	requireErrorIs(t, serve("2001:db8::1", 8092), types.ErrServingRateLimited)
	f.at(15)
	if err := serve("2001:db8::1", 8092); err != nil {
		t.Fatalf("serve after the rate limit: %v", err)
	}
	n, _ := f.k.GetNeuron(f.ctx, netuid, 0)
	want := types.AxonInfo{Ip: "2001:db8::1", Port: 8092, Protocol: 4, Version: 2, Block: 15}
	if !n.Axon.Equal(&want) {
		t.Fatalf("axon = %+v, want %+v", n.Axon, want)
	}
}
