package main

import (
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/chainclient"
)

// Regression: the miner binary does not link the chain app, whose init sets the SDK's global address
// prefixes, so every address it printed or sent to the node was cosmos1…, and the node refused the
// account lookup of `mindnet-miner register` ("hrp does not match bech32 prefix").
func TestMinerSpeaksMindAddresses(t *testing.T) {
	if _, err := chainclient.NewEncoding(); err != nil {
		t.Fatal(err)
	}
	if got := sdk.AccAddress(make([]byte, 20)).String(); !strings.HasPrefix(got, "mind1") {
		t.Fatalf("address printed as %s", got)
	}
}
