package network_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/metagraph/table"
	"github.com/mindnet/mindnet/testutil/network"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// TestEmissionThroughEpochs runs a one-validator network whose new subnets have a 4-block tempo and
// commit-reveal off. A subnet gets two validators (staked 5 and 3 MIND) and three miners with no stake.
// After the first epoch grants the validators their permits, both weight the miners 3:2:1 by signed
// transactions; after the next epoch the metagraph over REST shows consensus and incentive in that
// order, dividends for both validators, and the miners' stake (alpha paid by the epochs) grown in that
// order from nothing; the pool holds the paid alpha and the owner its cut.
func TestEmissionThroughEpochs(t *testing.T) {
	cfg := network.DefaultConfig(1)
	var subnetGenesis subnettypes.GenesisState
	cfg.Codec.MustUnmarshalJSON(cfg.GenesisState[subnettypes.ModuleName], &subnetGenesis)
	hp := &subnetGenesis.Params.DefaultHyperparameters
	hp.Tempo, hp.CommitRevealEnabled, hp.WeightsRateLimit, hp.MaxRegistrationsPerBlock = 4, false, 0, 8
	cfg.GenesisState[subnettypes.ModuleName] = cfg.Codec.MustMarshalJSON(&subnetGenesis)
	net := network.New(t, cfg)
	val := net.Validators[0]
	api := val.APIAddress
	kr := val.ClientCtx.Keyring
	owner := keyOf(t, kr, val.Moniker)
	v1, v2 := newKey(t, kr, "emission-v1"), newKey(t, kr, "emission-v2")
	miners := []signer{newKey(t, kr, "emission-m1"), newKey(t, kr, "emission-m2"), newKey(t, kr, "emission-m3")}
	mind := func(n int64) sdkmath.Int { return sdkmath.NewInt(n * 1_000_000) }
	fee := sdk.NewCoins(sdk.NewCoin(app.BondDenom, mind(1)))

	included(t, net, broadcast(t, net, owner,
		banktypes.NewMsgSend(owner.addr, v1.addr, fee),
		banktypes.NewMsgSend(owner.addr, v2.addr, fee),
		&subnettypes.MsgCreateSubnet{Owner: owner.addr.String(), Name: "emission"},
	))
	// The owner's coldkey registers all five hotkeys: UIDs 0, 1 are the validators, 2, 3, 4 the miners.
	msgs := []sdk.Msg{}
	for _, s := range append([]signer{v1, v2}, miners...) {
		msgs = append(msgs, &subnettypes.MsgRegisterNeuron{Coldkey: owner.addr.String(), Hotkey: s.addr.String(), Netuid: 1})
	}
	msgs = append(msgs,
		&subnettypes.MsgAddStake{Coldkey: owner.addr.String(), Hotkey: v1.addr.String(), Amount: mind(5)},
		&subnettypes.MsgAddStake{Coldkey: owner.addr.String(), Hotkey: v2.addr.String(), Amount: mind(3)},
	)
	registered := included(t, net, broadcast(t, net, owner, msgs...))[0]

	// The first epoch after registration grants permits to the staked validators.
	waitPast(t, net, subnettypes.NextEpochBlock(1, 4, uint64(registered+1)))
	var mg subnetv1.QueryMetagraphResponse
	getProtoJSON(t, api+"/mindnet/subnet/v1/subnets/1/metagraph", &mg)
	if n := mg.GetNeurons(); len(n) != 5 || !n[0].GetValidatorPermit() || !n[1].GetValidatorPermit() {
		t.Fatalf("validators hold no permit after the first epoch: %v", &mg)
	}

	weights := []uint32{3, 2, 1}
	set := included(t, net,
		broadcast(t, net, v1, &weightstypes.MsgSetWeights{Hotkey: v1.addr.String(), Netuid: 1, Uids: []uint32{2, 3, 4}, Weights: weights}),
		broadcast(t, net, v2, &weightstypes.MsgSetWeights{Hotkey: v2.addr.String(), Netuid: 1, Uids: []uint32{2, 3, 4}, Weights: weights}),
	)
	waitPast(t, net, subnettypes.NextEpochBlock(1, 4, uint64(max(set[0], set[1])+1)))

	getProtoJSON(t, api+"/mindnet/subnet/v1/subnets/1/metagraph", &mg)
	n := mg.GetNeurons()
	stake := func(i int) sdkmath.Int {
		v, ok := sdkmath.NewIntFromString(n[i].GetStake())
		if !ok {
			t.Fatalf("stake %q", n[i].GetStake())
		}
		return v
	}
	for i := 2; i < 4; i++ {
		if n[i].GetConsensus() <= n[i+1].GetConsensus() || n[i].GetIncentive() <= n[i+1].GetIncentive() || !stake(i).GT(stake(i+1)) {
			t.Fatalf("miners out of their weights' order at UIDs %d and %d: %v", i, i+1, &mg)
		}
	}
	if n[4].GetConsensus() == 0 || n[4].GetIncentive() == 0 || !stake(4).IsPositive() {
		t.Fatalf("the least-weighted miner earned nothing: %v", n[4])
	}
	if n[0].GetDividends() == 0 || n[1].GetDividends() == 0 || !stake(0).GT(mind(5)) || !stake(1).GT(mind(3)) {
		t.Fatalf("validators earned no dividends: %v %v", n[0], n[1])
	}

	var issuance emissionv1.QueryIssuanceResponse
	getProtoJSON(t, api+"/mindnet/emission/v1/issuance", &issuance)
	if l := issuance.GetLedger(); l.GetToPools() == "0" || l.GetToFeeCollector() == "0" || l.GetTotalIssued() == "0" {
		t.Fatalf("issuance over REST: %v", &issuance)
	}
	// The subnets' umind went into the pool, and the owner's cut is alpha held behind its own address.
	var pool subnetv1.QueryPoolResponse
	getProtoJSON(t, api+"/mindnet/subnet/v1/subnets/1/pool", &pool)
	if p := pool.GetPool(); p.GetAlphaOutstanding() == "0" || p.GetAlphaEmitted() == "0" {
		t.Fatalf("pool over REST: %v", &pool)
	}
	var positions subnetv1.QueryPositionsResponse
	getProtoJSON(t, api+"/mindnet/subnet/v1/coldkeys/"+owner.addr.String()+"/positions", &positions)
	var ownerCut bool
	for _, p := range positions.GetPositions() {
		ownerCut = ownerCut || (p.GetNetuid() == 1 && p.GetHotkey() == owner.addr.String() && p.GetAmount() != "0")
	}
	if !ownerCut {
		t.Fatalf("no owner's cut among the owner's positions: %v", &positions)
	}

	// mindnet-top and make demo draw their table from the same node over gRPC: the subnet's market row
	// carries its decimal price and the whole emission share.
	conn, err := grpc.NewClient(val.AppConfig.GRPC.Address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	view, err := table.Fetch(t.Context(), conn, 1)
	if err != nil {
		t.Fatalf("table over gRPC: %v", err)
	}
	if len(view.Markets) != 1 || view.Markets[0].Netuid != 1 || view.Markets[0].Share != 1_000_000 ||
		!strings.Contains(view.Markets[0].Price, ".") || view.Markets[0].MindReserve == "" {
		t.Fatalf("market rows: %+v", view.Markets)
	}
	var out strings.Builder
	if err := table.Write(&out, view); err != nil || !strings.Contains(out.String(), "PRICE EMA") {
		t.Fatalf("table: %v\n%s", err, out.String())
	}
}

// waitPast waits until the block after height has been committed, so that height's end-blocker ran.
func waitPast(t *testing.T, net *network.Network, height uint64) {
	t.Helper()
	if _, err := net.WaitForHeightWithTimeout(int64(height)+1, 60*time.Second); err != nil {
		t.Fatalf("waiting for block %d: %v", height+1, err)
	}
}
