package validator_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdknetwork "github.com/cosmos/cosmos-sdk/testutil/network"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/chainclient"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/miner"
	minerconfig "github.com/mindnet/mindnet/miner/config"
	"github.com/mindnet/mindnet/miner/server"
	"github.com/mindnet/mindnet/testutil/network"
	"github.com/mindnet/mindnet/validator/config"
	"github.com/mindnet/mindnet/validator/service"
	"github.com/mindnet/mindnet/validator/state"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

const (
	netuid = 1
	tempo  = 9 // ten blocks per tempo index, about 10 s at the test network's 1 s blocks
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

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// validatorKey is fixed so that genesis can name it: x/emission, which grants validator permits at
// each epoch, is not part of this test, so the validator's permit is written into genesis.
var validatorKey = secp256k1.GenPrivKeyFromSecret([]byte("mindnet tests/validator"))

// withSubnet adds netuid 1 to genesis, owned by the validator key, which holds UID 0 with a permit;
// commit-reveal starts off and tempo, rate limit and burn are small.
func withSubnet(t *testing.T, cfg *sdknetwork.Config) string {
	t.Helper()
	addr := sdk.AccAddress(validatorKey.PubKey().Address()).String()
	var gs subnettypes.GenesisState
	if err := cfg.Codec.UnmarshalJSON(cfg.GenesisState[subnettypes.ModuleName], &gs); err != nil {
		t.Fatal(err)
	}
	hp := gs.Params.DefaultHyperparameters
	hp.Tempo, hp.WeightsRateLimit, hp.ImmunityPeriod = tempo, 2, 0
	hp.CommitRevealEnabled, hp.CommitRevealPeriod = false, 1
	hp.MinBurn, hp.MinValidatorStake = sdkmath.NewInt(1000), sdkmath.NewInt(1_000_000)
	hp.MaxRegistrationsPerBlock, hp.TargetRegistrationsPerInterval = 4, 4
	gs.Subnets = append(gs.Subnets, subnettypes.Subnet{
		Netuid: netuid, Owner: addr, Name: "gocode", Lock: sdkmath.ZeroInt(), Burn: sdkmath.NewInt(1000),
		Hyperparameters: hp, NeuronCount: 1,
	})
	gs.HotkeyOwners = append(gs.HotkeyOwners, subnettypes.HotkeyOwner{Hotkey: addr, Coldkey: addr})
	gs.Neurons = append(gs.Neurons, subnettypes.Neuron{
		Netuid: netuid, Uid: 0, Hotkey: addr, Coldkey: addr,
		Scores: subnettypes.NeuronScores{ValidatorPermit: true, Emission: sdkmath.ZeroInt()},
	})
	bz, err := cfg.Codec.MarshalJSON(&gs)
	if err != nil {
		t.Fatal(err)
	}
	cfg.GenesisState[subnettypes.ModuleName] = bz
	return addr
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

func TestValidatorRanksHonestMinersAndSetsWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("in-process network")
	}
	nwCfg := network.DefaultConfig(1)
	validatorAddr := withSubnet(t, &nwCfg)
	nw := network.New(t, nwCfg)
	val := nw.Validators[0]
	kr := val.ClientCtx.Keyring
	if err := kr.ImportPrivKeyHex("validator", hex.EncodeToString(validatorKey.Key), "secp256k1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()

	enc, err := service.NewEncoding()
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

	names := []string{"honest1", "honest2", "odd"}
	fund := sdk.NewCoins(sdk.NewCoin(nw.Config.BondDenom, sdkmath.NewInt(10_000_000)))
	msgs := []sdk.Msg{banktypes.NewMsgSend(val.Address, sdk.MustAccAddressFromBech32(validatorAddr), fund)}
	addrs := map[string]sdk.AccAddress{}
	for _, name := range names {
		addrs[name] = newKey(t, kr, name)
		msgs = append(msgs, banktypes.NewMsgSend(val.Address, addrs[name], fund))
	}
	send(val.Moniker, msgs...)
	send("validator", &subnettypes.MsgAddStake{Coldkey: validatorAddr, Hotkey: validatorAddr, Amount: sdkmath.NewInt(5_000_000)})
	for _, name := range names {
		send(name, &subnettypes.MsgRegisterNeuron{Coldkey: addrs[name].String(), Hotkey: addrs[name].String(), Netuid: netuid})
	}

	// The honest miners are real mindnet-miner processes in all but name; the odd one serves the
	// gocode-alt model through the same axon server.
	for _, name := range names[:2] {
		startMiner(ctx, t, val.AppConfig.GRPC.Address, nw.Config.ChainID, val.ClientCtx.KeyringDir, name)
	}
	startOddMiner(ctx, t, chain, kr, addrs["odd"].String())

	// The validator.
	vcfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	vcfg.Netuid = netuid
	vcfg.Chain.GRPC, vcfg.Chain.ChainID = val.AppConfig.GRPC.Address, nw.Config.ChainID
	vcfg.Chain.KeyringBackend, vcfg.Chain.KeyringDir, vcfg.Chain.Hotkey = keyring.BackendTest, val.ClientCtx.KeyringDir, "validator"
	vcfg.Round.Interval, vcfg.Round.TasksPerMiner = 2*time.Second, 2
	vcfg.Weights.CheckInterval, vcfg.Weights.MinBackoff = 500*time.Millisecond, 500*time.Millisecond
	vcfg.Metagraph.Refresh = 500 * time.Millisecond
	vcfg.State.Path = filepath.Join(t.TempDir(), "state.json")
	vcfg.Ops.Listen = freeAddr(t)
	stopValidator := startValidator(ctx, t, vcfg)

	uid := func(name string) uint32 { return uidOf(ctx, t, chain, addrs[name].String()) }
	honest1, honest2, odd := uid("honest1"), uid("honest2"), uid("odd")

	// Weights by MsgSetWeights: both honest miners weighted, the odd one far below them.
	row := waitForRow(ctx, t, chain, 0, func(r weightstypes.WeightRow) bool {
		return weightOf(r, honest1) > 0 && weightOf(r, honest2) > 0
	})
	t.Logf("set-weights row at block %d: uids %v weights %v", row.SetAt, row.Uids, row.Weights)
	if w := weightOf(row, odd); w*4 > min(weightOf(row, honest1), weightOf(row, honest2)) {
		t.Fatalf("odd miner weight %d against honest %d and %d", w, weightOf(row, honest1), weightOf(row, honest2))
	}
	st, err := state.Load(vcfg.State.Path)
	if err != nil || st == nil {
		t.Fatalf("state file: %v", err)
	}
	scores := map[uint32]float64{}
	for _, e := range st.Scores {
		scores[uint32(e.UID)] = e.EMA
	}
	if scores[honest1] <= 2*scores[odd] || scores[honest2] <= 2*scores[odd] || scores[honest1] == 0 {
		t.Fatalf("scores %v (honest %d %d, odd %d)", scores, honest1, honest2, odd)
	}
	checkOps(t, vcfg.Ops.Listen)

	// The owner turns commit-reveal on; the validator restarts (resuming from its state file) and its
	// next row arrives by commit and reveal.
	stopValidator()
	hp := hyperparameters(ctx, t, chain)
	hp.CommitRevealEnabled = true
	send("validator", &subnettypes.MsgSetHyperparameters{Authority: validatorAddr, Netuid: netuid, Hyperparameters: hp})
	stopValidator = startValidator(ctx, t, vcfg)
	defer stopValidator()
	revealed := waitForRow(ctx, t, chain, 0, func(r weightstypes.WeightRow) bool {
		return r.SetAt > row.SetAt && weightOf(r, honest1) > 0 && weightOf(r, honest2) > 0
	})
	t.Logf("revealed row at block %d: uids %v weights %v", revealed.SetAt, revealed.Uids, revealed.Weights)
	if w := weightOf(revealed, odd); w*4 > min(weightOf(revealed, honest1), weightOf(revealed, honest2)) {
		t.Fatalf("odd miner weight %d in the revealed row %v", w, revealed)
	}
	st, err = state.Load(vcfg.State.Path)
	if err != nil || st.Last == nil {
		t.Fatalf("state after reveal: %+v %v", st, err)
	}
	var out bytes.Buffer
	if err := service.Status(ctx, vcfg, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("status:\n%s", out.String())
	if !strings.Contains(out.String(), "next submission:") || !strings.Contains(out.String(), addrs["odd"].String()) {
		t.Fatalf("status output:\n%s", out.String())
	}
}

func startMiner(ctx context.Context, t *testing.T, grpcAddr, chainID, keyringDir, name string) {
	t.Helper()
	cfg, err := minerconfig.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Netuid = netuid
	cfg.Chain.GRPC, cfg.Chain.ChainID = grpcAddr, chainID
	cfg.Chain.KeyringBackend, cfg.Chain.KeyringDir, cfg.Chain.Hotkey = keyring.BackendTest, keyringDir, name
	cfg.Axon.Listen, cfg.Axon.HTTPListen, cfg.Ops.Listen = freeAddr(t), freeAddr(t), freeAddr(t)
	cfg.Metagraph.Refresh = 500 * time.Millisecond
	m, err := miner.New(cfg, quiet(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	neuron, err := m.CheckRegistration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.EnsureServing(ctx, neuron); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
}

// startOddMiner serves the gocode-alt model through the miner's axon server, announced on chain.
func startOddMiner(ctx context.Context, t *testing.T, chain *chainclient.Client, kr keyring.Keyring, hotkey string) {
	t.Helper()
	alt, err := llama.LoadDir("../../inference/llama/testdata/gocode-alt")
	if err != nil {
		t.Fatal(err)
	}
	priv, addr, err := chainclient.PrivateKey(kr, "odd")
	if err != nil || addr != hotkey {
		t.Fatalf("odd key %s: %v", addr, err)
	}
	signer, err := axonauth.NewSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	cache := metagraph.New(metagraph.Config{Netuid: netuid, RefreshInterval: 500 * time.Millisecond, MinBackoff: 100 * time.Millisecond,
		MaxBackoff: time.Second, MaxStaleness: time.Minute, FetchTimeout: 5 * time.Second}, metagraph.NewGRPCSource(chain.Conn, nil), quiet(), nil, nil)
	runCtx, stop := context.WithCancel(ctx)
	go func() { _ = cache.Run(runCtx) }()
	srv := server.New(server.DefaultConfig(netuid), alt, signer, server.CallerPolicy{Metagraph: cache, RequirePermit: true}, quiet(), nil)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer(srv.GRPCOptions()...)
	axonv1.RegisterAxonServer(gs, srv)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(func() { gs.Stop(); stop() })
	port := lis.Addr().(*net.TCPAddr).Port
	if _, err := chain.Send(ctx, "odd", time.Minute, &subnettypes.MsgServeAxon{Hotkey: hotkey, Netuid: netuid, Ip: "127.0.0.1", Port: uint32(port), Protocol: miner.ProtocolGRPC, Version: miner.AxonVersion}); err != nil {
		t.Fatal(err)
	}
}

func startValidator(ctx context.Context, t *testing.T, cfg config.Config) (stop func()) {
	t.Helper()
	v, err := service.New(cfg, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.CheckRegistration(ctx); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- v.Run(runCtx) }()
	stopped := false
	return func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("validator stopped with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("validator did not stop within 30 s of cancel")
		}
		_ = v.Close()
	}
}

func uidOf(ctx context.Context, t *testing.T, chain *chainclient.Client, hotkey string) uint32 {
	t.Helper()
	res, err := subnettypes.NewQueryClient(chain.Conn).NeuronByHotkey(ctx, &subnettypes.QueryNeuronByHotkeyRequest{Netuid: netuid, Hotkey: hotkey})
	if err != nil {
		t.Fatal(err)
	}
	return res.Neuron.Uid
}

func hyperparameters(ctx context.Context, t *testing.T, chain *chainclient.Client) subnettypes.Hyperparameters {
	t.Helper()
	res, err := subnettypes.NewQueryClient(chain.Conn).Hyperparameters(ctx, &subnettypes.QueryHyperparametersRequest{Netuid: netuid})
	if err != nil {
		t.Fatal(err)
	}
	return res.Hyperparameters
}

func waitForRow(ctx context.Context, t *testing.T, chain *chainclient.Client, uid uint32, ok func(weightstypes.WeightRow) bool) weightstypes.WeightRow {
	t.Helper()
	q := weightstypes.NewQueryClient(chain.Conn)
	for {
		res, err := q.WeightRow(ctx, &weightstypes.QueryWeightRowRequest{Netuid: netuid, Uid: uid})
		if err == nil && ok(res.Row) {
			return res.Row
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no matching weight row: last %v, %v", res, err)
		case <-time.After(time.Second):
		}
	}
}

func weightOf(r weightstypes.WeightRow, uid uint32) uint32 {
	for i, u := range r.Uids {
		if u == uid {
			return r.Weights[i]
		}
	}
	return 0
}

func checkOps(t *testing.T, addr string) {
	t.Helper()
	if _, err := httpGet("http://" + addr + "/healthz"); err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	// The validator counts a submission once its own wait for the transaction returns, which can be a
	// moment after the test has already seen the row on chain: poll /metrics for a few seconds.
	series := []string{`mindnet_validator_queries_total{outcome="ok"}`, `mindnet_validator_queries_total{outcome="verification_failed"}`,
		"mindnet_validator_verification_duration_seconds_count", `mindnet_validator_submissions_total{kind="set",outcome="ok"}`, "mindnet_validator_score_ratio"}
	var missing []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		body, err := httpGet("http://" + addr + "/metrics")
		if err != nil {
			t.Fatalf("/metrics: %v", err)
		}
		missing = missing[:0]
		for _, s := range series {
			if !strings.Contains(body, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, s := range missing {
		t.Errorf("/metrics lacks %s", s)
	}
}

func httpGet(url string) (string, error) {
	res, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", res.Status, body)
	}
	return string(body), nil
}
