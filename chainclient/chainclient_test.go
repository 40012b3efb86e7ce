package chainclient_test

import (
	"errors"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/testutil/network"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Against a real node: a signed transfer lands, a bad message is refused with the chain's reason,
// and a keyring key exports to the same address axonauth derives.
func TestSendOverGRPC(t *testing.T) {
	net := network.New(t, network.DefaultConfig(1))
	val := net.Validators[0]

	enc, err := chainclient.NewEncoding()
	if err != nil {
		t.Fatal(err)
	}
	c, err := chainclient.Dial(val.AppConfig.GRPC.Address, enc, val.ClientCtx.Keyring, net.Config.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })

	rec, err := val.ClientCtx.Keyring.Key(val.Moniker)
	if err != nil {
		t.Fatal(err)
	}
	from, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	to := sdk.AccAddress([]byte("mindnet-chainclient-")) // 20 bytes
	send := banktypes.NewMsgSend(from, to, sdk.NewCoins(sdk.NewInt64Coin(net.Config.BondDenom, 4242)))
	res, err := c.Send(t.Context(), val.Moniker, 30*time.Second, send)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if res.Height <= 0 {
		t.Fatalf("tx not in a block: %+v", res)
	}

	// The chain's own error comes back: registering on a subnet that does not exist.
	bad := &subnettypes.MsgRegisterNeuron{Coldkey: from.String(), Hotkey: from.String(), Netuid: 99}
	if _, err := c.Send(t.Context(), val.Moniker, 30*time.Second, bad); !errors.Is(err, chainclient.ErrTxFailed) {
		t.Fatalf("register on unknown subnet: %v", err)
	}

	key, addr, err := chainclient.PrivateKey(val.ClientCtx.Keyring, val.Moniker)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := axonauth.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	if addr != from.String() || signer.Address() != addr {
		t.Fatalf("exported key gives %s and %s, keyring says %s", addr, signer.Address(), from)
	}
}
