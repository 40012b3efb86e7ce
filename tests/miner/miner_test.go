// Package miner_test runs a real miner against an in-process chain: it registers, announces its axon
// with a real transaction, learns its callers from the chain, answers a staked validator and refuses
// an unregistered caller.
package miner_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/miner"
	"github.com/mindnet/mindnet/miner/config"
	"github.com/mindnet/mindnet/testutil/network"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func newKey(t *testing.T, kr keyring.Keyring, name string) sdk.AccAddress {
	t.Helper()
	rec, _, err := kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestMinerServesRegisteredValidatorsOnly(t *testing.T) {
	nw := network.New(t, network.DefaultConfig(1))
	val := nw.Validators[0]
	kr := val.ClientCtx.Keyring
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	enc, err := chainclient.NewEncoding()
	if err != nil {
		t.Fatal(err)
	}
	chain, err := chainclient.Dial(val.AppConfig.GRPC.Address, enc, kr, nw.Config.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	send := func(from string, msgs ...sdk.Msg) {
		t.Helper()
		if _, err := chain.Send(ctx, from, time.Minute, msgs...); err != nil {
			t.Fatalf("%s: %v", sdk.MsgTypeURL(msgs[0]), err)
		}
	}

	owner := val.Address
	minerKey, validatorKey := newKey(t, kr, "miner"), newKey(t, kr, "validator")
	fund := sdk.NewCoins(sdk.NewCoin(nw.Config.BondDenom, sdkmath.NewInt(10_000_000)))
	send(val.Moniker,
		banktypes.NewMsgSend(owner, minerKey, fund),
		banktypes.NewMsgSend(owner, validatorKey, fund),
		&subnettypes.MsgCreateSubnet{Owner: owner.String(), Name: "gocode"},
	)
	// One registration per block is the default limit.
	send(val.Moniker, &subnettypes.MsgRegisterNeuron{Coldkey: owner.String(), Hotkey: minerKey.String(), Netuid: 1})
	send(val.Moniker,
		&subnettypes.MsgRegisterNeuron{Coldkey: owner.String(), Hotkey: validatorKey.String(), Netuid: 1},
		&subnettypes.MsgAddStake{Coldkey: owner.String(), Hotkey: validatorKey.String(), Amount: sdkmath.NewInt(5_000_000)},
	)

	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Netuid = 1
	cfg.Chain.GRPC = val.AppConfig.GRPC.Address
	cfg.Chain.ChainID = nw.Config.ChainID
	cfg.Chain.KeyringBackend = keyring.BackendTest
	cfg.Chain.KeyringDir = val.ClientCtx.KeyringDir
	cfg.Chain.Hotkey = "miner"
	cfg.Axon.Listen = freeAddr(t)
	cfg.Axon.HTTPListen = freeAddr(t)
	cfg.Ops.Listen = freeAddr(t)
	cfg.Axon.MaxTokens = 8
	// Validator permits are granted by the epoch (x/emission); until then the stake floor decides.
	cfg.Callers.RequirePermit = false
	cfg.Callers.MinStake = 1_000_000
	cfg.Metagraph.Refresh = 500 * time.Millisecond

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := miner.New(cfg, log, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	neuron, err := m.CheckRegistration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.EnsureServing(ctx, neuron); err != nil {
		t.Fatalf("announce axon: %v", err)
	}
	info, err := subnetv1.NewQueryClient(chain.Conn).NeuronByHotkey(ctx, &subnetv1.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: minerKey.String()})
	if err != nil {
		t.Fatal(err)
	}
	if got := info.GetNeuron().GetAxon(); got.GetIp() != "127.0.0.1" || net.JoinHostPort(got.GetIp(), strconv.FormatUint(uint64(got.GetPort()), 10)) != cfg.Axon.Listen {
		t.Fatalf("axon on chain %v, listening on %s", got, cfg.Axon.Listen)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()

	conn, err := grpc.NewClient(cfg.Axon.Listen, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	valPriv, _, err := chainclient.PrivateKey(kr, "validator")
	if err != nil {
		t.Fatal(err)
	}
	valSigner, err := axonauth.NewSigner(valPriv)
	if err != nil {
		t.Fatal(err)
	}
	client := axonclient.New(valSigner, 1, nil)
	req := &axonv1.GenerateRequest{Prompt: "func main() {", MaxTokens: 8}
	var answer axonclient.Signed[*axonv1.GenerateResponse]
	deadline := time.Now().Add(30 * time.Second)
	for {
		answer, err = client.Generate(ctx, conn, minerKey.String(), req)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond) // the miner's first metagraph sync may still be under way
	}
	if err != nil {
		t.Fatalf("registered, staked validator refused: %v", err)
	}
	if len(answer.Response.GetTokens()) == 0 || answer.Proof.Miner != minerKey.String() {
		t.Fatalf("answer %v proof %+v", answer.Response, answer.Proof)
	}

	strangerKey := sha256.Sum256([]byte("stranger"))
	stranger, err := axonauth.NewSigner(strangerKey[:])
	if err != nil {
		t.Fatal(err)
	}
	_, err = axonclient.New(stranger, 1, nil).Generate(ctx, conn, minerKey.String(), req)
	if st := status.Convert(err); st.Code() != codes.PermissionDenied || !strings.Contains(st.Message(), "holds no UID") {
		t.Fatalf("unregistered caller: %v", err)
	}

	stop()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("miner stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("miner did not stop after cancel")
	}
}
