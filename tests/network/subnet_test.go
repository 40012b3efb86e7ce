package network_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/network"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// txGas is enough for any single x/subnet message plus a bank send; fees are free on the test network.
const txGas = 400_000

// signer is one key of a validator's test keyring, able to sign transactions that validator 0's node
// broadcasts (only validator 0 exposes RPC and REST).
type signer struct {
	name    string
	addr    sdk.AccAddress
	keyring keyring.Keyring
}

func keyOf(t *testing.T, kr keyring.Keyring, name string) signer {
	t.Helper()
	rec, err := kr.Key(name)
	if err != nil {
		t.Fatalf("key %s: %v", name, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	return signer{name: name, addr: addr, keyring: kr}
}

func newKey(t *testing.T, kr keyring.Keyring, name string) signer {
	t.Helper()
	if _, _, err := kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1); err != nil {
		t.Fatalf("new key %s: %v", name, err)
	}
	return keyOf(t, kr, name)
}

// broadcast signs msgs as s with the account's current sequence and submits them to validator 0's
// mempool; it fails the test if CheckTx refuses them and returns the transaction hash.
func broadcast(t *testing.T, net *network.Network, s signer, msgs ...sdk.Msg) string {
	t.Helper()
	clientCtx := net.Validators[0].ClientCtx.WithKeyring(s.keyring).WithFromName(s.name).WithFromAddress(s.addr)
	txf := tx.Factory{}.
		WithChainID(net.Config.ChainID).
		WithKeybase(s.keyring).
		WithTxConfig(clientCtx.TxConfig).
		WithAccountRetriever(clientCtx.AccountRetriever).
		WithSignMode(signing.SignMode_SIGN_MODE_DIRECT).
		WithGas(txGas)
	txf, err := txf.Prepare(clientCtx)
	if err != nil {
		t.Fatalf("prepare tx for %s: %v", s.name, err)
	}
	builder, err := txf.BuildUnsignedTx(msgs...)
	if err != nil {
		t.Fatalf("build tx: %v", err)
	}
	if err := tx.Sign(t.Context(), txf, s.name, builder, true); err != nil {
		t.Fatalf("sign tx as %s: %v", s.name, err)
	}
	bz, err := clientCtx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		t.Fatal(err)
	}
	res, err := clientCtx.BroadcastTxSync(bz)
	if err != nil {
		t.Fatalf("broadcast tx of %s: %v", s.name, err)
	}
	if res.Code != 0 {
		t.Fatalf("CheckTx refused tx of %s: code %d: %s", s.name, res.Code, res.RawLog)
	}
	return res.TxHash
}

// included waits until every transaction is in a block, fails the test if any failed in DeliverTx,
// and returns the height of each.
func included(t *testing.T, net *network.Network, hashes ...string) []int64 {
	t.Helper()
	clientCtx := net.Validators[0].ClientCtx
	heights := make([]int64, len(hashes))
	deadline := time.Now().Add(30 * time.Second)
	for i, hash := range hashes {
		for {
			res, err := authtx.QueryTx(clientCtx, hash)
			if err == nil {
				if res.Code != 0 {
					t.Fatalf("tx %s failed in block %d: code %d: %s", hash, res.Height, res.Code, res.RawLog)
				}
				heights[i] = res.Height
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("tx %s not in a block after 30 s: %v", hash, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return heights
}

// testSubnetLifecycle creates a subnet, registers two neurons under two coldkeys, serves one axon and
// stakes from both coldkeys, all through signed transactions on a real two-validator network, then
// reads the metagraph over the node's REST API and checks every field those transactions set.
func testSubnetLifecycle(t *testing.T, net *network.Network) {
	kr0 := net.Validators[0].ClientCtx.Keyring
	owner := keyOf(t, kr0, net.Validators[0].Moniker) // also the first neuron's coldkey
	nominator := keyOf(t, net.Validators[1].ClientCtx.Keyring, net.Validators[1].Moniker)
	hotA, hotB := newKey(t, kr0, "hot-a"), newKey(t, kr0, "hot-b")
	mind := func(n int64) sdkmath.Int { return sdkmath.NewInt(n * 1_000_000) }

	// hot-a signs its own MsgServeAxon, so it needs an account; hot-b never signs.
	included(t, net, broadcast(t, net, owner,
		banktypes.NewMsgSend(owner.addr, hotA.addr, sdk.NewCoins(sdk.NewCoin(app.BondDenom, mind(1)))),
		&subnettypes.MsgCreateSubnet{Owner: owner.addr.String(), Name: "text generation"},
	))
	// max_registrations_per_block defaults to 1, so the two registrations go in separate blocks.
	regA := included(t, net, broadcast(t, net, owner,
		&subnettypes.MsgRegisterNeuron{Coldkey: owner.addr.String(), Hotkey: hotA.addr.String(), Netuid: 1}))[0]
	regB := included(t, net, broadcast(t, net, nominator,
		&subnettypes.MsgRegisterNeuron{Coldkey: nominator.addr.String(), Hotkey: hotB.addr.String(), Netuid: 1}))[0]

	// Three signers, so three transactions may share a block.
	heights := included(t, net,
		broadcast(t, net, hotA, &subnettypes.MsgServeAxon{Hotkey: hotA.addr.String(), Netuid: 1,
			Ip: "203.0.113.9", Port: 8091, Protocol: 4, Version: 7}),
		broadcast(t, net, owner, &subnettypes.MsgAddStake{Coldkey: owner.addr.String(), Hotkey: hotA.addr.String(), Amount: mind(7)}),
		broadcast(t, net, nominator,
			&subnettypes.MsgAddStake{Coldkey: nominator.addr.String(), Hotkey: hotA.addr.String(), Amount: mind(3)},
			&subnettypes.MsgAddStake{Coldkey: nominator.addr.String(), Hotkey: hotB.addr.String(), Amount: mind(5)}),
	)
	served := heights[0]

	var mg subnetv1.QueryMetagraphResponse
	getProtoJSON(t, net.Validators[0].APIAddress+"/mindnet/subnet/v1/subnets/1/metagraph", &mg)
	if mg.GetNetuid() != 1 || mg.GetBlock() < max(served, regB) {
		t.Fatalf("metagraph netuid %d at block %d, want netuid 1 at or after block %d", mg.GetNetuid(), mg.GetBlock(), max(served, regB))
	}
	if len(mg.GetNeurons()) != 2 {
		t.Fatalf("metagraph has %d neurons, want 2: %v", len(mg.GetNeurons()), &mg)
	}
	type want struct {
		uid             uint32
		hotkey, coldkey sdk.AccAddress
		stake           sdkmath.Int
		registeredAt    int64
		axon            *subnetv1.AxonInfo
	}
	for i, w := range []want{
		{0, hotA.addr, owner.addr, mind(10), regA, &subnetv1.AxonInfo{Ip: "203.0.113.9", Port: 8091, Protocol: 4, Version: 7, Block: served}},
		{1, hotB.addr, nominator.addr, mind(5), regB, &subnetv1.AxonInfo{}},
	} {
		n := mg.GetNeurons()[i]
		if n.GetUid() != w.uid || n.GetNetuid() != 1 || n.GetHotkey() != w.hotkey.String() || n.GetColdkey() != w.coldkey.String() {
			t.Errorf("neuron %d: uid %d netuid %d hotkey %s coldkey %s, want uid %d netuid 1 hotkey %s coldkey %s",
				i, n.GetUid(), n.GetNetuid(), n.GetHotkey(), n.GetColdkey(), w.uid, w.hotkey, w.coldkey)
		}
		if n.GetStake() != w.stake.String() {
			t.Errorf("neuron %d: stake %s, want %s", i, n.GetStake(), w.stake)
		}
		// A new neuron counts as updated at registration, so it is active until activity_cutoff passes.
		if n.GetRegisteredAt() != w.registeredAt || n.GetLastUpdate() != w.registeredAt || !n.GetActive() {
			t.Errorf("neuron %d: registered_at %d last_update %d active %v, want %d, %d, true",
				i, n.GetRegisteredAt(), n.GetLastUpdate(), n.GetActive(), w.registeredAt, w.registeredAt)
		}
		got := n.GetAxon()
		if got.GetIp() != w.axon.GetIp() || got.GetPort() != w.axon.GetPort() || got.GetProtocol() != w.axon.GetProtocol() ||
			got.GetVersion() != w.axon.GetVersion() || got.GetBlock() != w.axon.GetBlock() {
			t.Errorf("neuron %d: axon %v, want %v", i, got, w.axon)
		}
		// No epoch has run (tempo is 360 blocks), so every score is still zero.
		if n.GetRank() != 0 || n.GetTrust() != 0 || n.GetConsensus() != 0 || n.GetIncentive() != 0 || n.GetDividends() != 0 ||
			n.GetEmission() != "0" || n.GetValidatorTrust() != 0 || n.GetValidatorPermit() || n.GetPruningScore() != 0 {
			t.Errorf("neuron %d: scores before any epoch = %v", i, n)
		}
	}

	var stake subnetv1.QueryStakeResponse
	getProtoJSON(t, net.Validators[0].APIAddress+"/mindnet/subnet/v1/hotkeys/"+hotA.addr.String()+"/stake", &stake)
	if stake.GetOwner() != owner.addr.String() || stake.GetTotal() != mind(10).String() || len(stake.GetNominators()) != 2 {
		t.Errorf("stake of hot-a over REST = %v, want owner %s, total %s, two nominators", &stake, owner.addr, mind(10))
	}

	// The stake pool holds exactly the stake recorded: 7 + 3 + 5 MIND.
	pool := authtypes.NewModuleAddress(subnettypes.ModuleName).String()
	var balance struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	getJSON(t, net.Validators[0].APIAddress+"/cosmos/bank/v1beta1/balances/"+pool+"/by_denom?denom="+app.BondDenom, &balance)
	if balance.Balance.Amount != mind(15).String() {
		t.Errorf("stake pool balance %s, want %s", balance.Balance.Amount, mind(15))
	}
}

// getProtoJSON GETs url and decodes the body into a protobuf message, as grpc-gateway wrote it.
func getProtoJSON(t *testing.T, url string, out proto.Message) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	if err := protojson.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: decode %s: %v", url, body, err)
	}
}
