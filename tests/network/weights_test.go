package network_test

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"

	clitestutil "github.com/cosmos/cosmos-sdk/testutil/cli"

	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/testutil/network"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/client/cli"
	"github.com/mindnet/mindnet/x/weights/types"
)

// TestWeightsThroughTransactions starts a one-validator network whose new subnets have a 3-block
// tempo and commit-reveal off, so that a reveal window opens within seconds. The subnet owner registers
// its own address on two subnets and stakes; on subnet 1 it sets a self-weight directly; on subnet 2,
// after turning commit-reveal on, it commits with the commit-weights CLI command (which hashes the row
// and prints the salt and reveal window) and reveals in that window by a signed transaction. Both rows,
// the commit and its reveal block are read back over REST.
func TestWeightsThroughTransactions(t *testing.T) {
	cfg := network.DefaultConfig(1)
	var subnetGenesis subnettypes.GenesisState
	cfg.Codec.MustUnmarshalJSON(cfg.GenesisState[subnettypes.ModuleName], &subnetGenesis)
	hp := &subnetGenesis.Params.DefaultHyperparameters
	hp.Tempo, hp.CommitRevealEnabled, hp.CommitRevealPeriod, hp.WeightsRateLimit = 3, false, 1, 0
	cfg.GenesisState[subnettypes.ModuleName] = cfg.Codec.MustMarshalJSON(&subnetGenesis)
	net := network.New(t, cfg)
	val := net.Validators[0]
	api := val.APIAddress
	owner := keyOf(t, val.ClientCtx.Keyring, val.Moniker)
	mind := func(n int64) sdkmath.Int { return sdkmath.NewInt(n * 1_000_000) }

	included(t, net, broadcast(t, net, owner,
		&subnettypes.MsgCreateSubnet{Owner: owner.addr.String(), Name: "direct"},
		&subnettypes.MsgCreateSubnet{Owner: owner.addr.String(), Name: "commit-reveal"},
	))
	included(t, net, broadcast(t, net, owner,
		&subnettypes.MsgRegisterNeuron{Coldkey: owner.addr.String(), Hotkey: owner.addr.String(), Netuid: 1},
		&subnettypes.MsgRegisterNeuron{Coldkey: owner.addr.String(), Hotkey: owner.addr.String(), Netuid: 2},
		&subnettypes.MsgAddStake{Coldkey: owner.addr.String(), Hotkey: owner.addr.String(), Amount: mind(2)},
	))
	crOn := *hp
	crOn.CommitRevealEnabled = true
	included(t, net, broadcast(t, net, owner,
		&subnettypes.MsgSetHyperparameters{Authority: owner.addr.String(), Netuid: 2, Hyperparameters: crOn}))

	// Subnet 1: set-weights directly.
	setAt := included(t, net, broadcast(t, net, owner,
		&types.MsgSetWeights{Hotkey: owner.addr.String(), Netuid: 1, Uids: []uint32{0}, Weights: []uint32{9}}))[0]
	var row weightsv1.QueryWeightRowResponse
	getProtoJSON(t, api+"/mindnet/weights/v1/subnets/1/weights/0", &row)
	if r := row.GetRow(); len(r.GetUids()) != 1 || r.GetWeights()[0] != types.MaxWeight || r.GetSetAt() != setAt {
		t.Fatalf("row of subnet 1 over REST %v, want the self-weight set at %d", r, setAt)
	}

	// A commit the chain refuses in its block (subnet 1 has commit-reveal off) makes commit-weights fail
	// with the chain's reason, instead of timing out as if the commit might still land.
	out, err := clitestutil.ExecTestCLICmd(val.ClientCtx, cli.CommitWeightsCmd(), []string{
		"1", "0", "7", "--from", owner.name, "--yes", "--gas", "400000",
		"--chain-id", net.Config.ChainID, "--wait", "20s",
	})
	if err == nil || !strings.Contains(err.Error(), "refused in block") || !strings.Contains(err.Error(), "commit-reveal") {
		t.Fatalf("commit-weights on a subnet without commit-reveal: err %v, want the chain's refusal\n%s", err, out)
	}

	// Subnet 2: commit through the CLI, which prints the salt and, once included, the window.
	salt := "00112233445566778899aabbccddeeff"
	out, err = clitestutil.ExecTestCLICmd(val.ClientCtx, cli.CommitWeightsCmd(), []string{
		"2", "0", "7", "--salt", salt, "--from", owner.name, "--yes", "--gas", "400000",
		"--chain-id", net.Config.ChainID, "--wait", "30s",
	})
	if err != nil {
		t.Fatalf("commit-weights: %v\n%s", err, out)
	}
	printed := out.String()
	if !regexp.MustCompile("salt: " + salt).MatchString(printed) {
		t.Fatalf("commit-weights did not print the salt:\n%s", printed)
	}
	m := regexp.MustCompile(`committed at block (\d+); reveal window: blocks (\d+) to (\d+)`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("commit-weights did not print the reveal window:\n%s", printed)
	}
	committedAt, _ := strconv.ParseInt(m[1], 10, 64)
	start, _ := strconv.ParseInt(m[2], 10, 64)
	end, _ := strconv.ParseInt(m[3], 10, 64)
	wantStart, wantEnd, err := types.RevealWindow(2, 3, 1, committedAt)
	if err != nil || start != wantStart || end != wantEnd {
		t.Fatalf("printed window [%d, %d], want [%d, %d] (%v)", start, end, wantStart, wantEnd, err)
	}
	var pending weightsv1.QueryPendingCommitsResponse
	getProtoJSON(t, api+"/mindnet/weights/v1/subnets/2/commits/"+owner.addr.String(), &pending)
	saltBytes, _ := hex.DecodeString(salt)
	hash := types.CommitHash(owner.addr.String(), 2, []uint32{0}, []uint32{7}, saltBytes, 0)
	if len(pending.GetCommits()) != 1 || fmt.Sprintf("%x", pending.GetCommits()[0].GetHash()) != fmt.Sprintf("%x", hash) ||
		pending.GetCommits()[0].GetRevealStart() != start || pending.GetCommits()[0].GetRevealEnd() != end {
		t.Fatalf("pending commits over REST %v, want the hash %x with window [%d, %d]", &pending, hash, start, end)
	}
	// Nothing is stored before the reveal.
	getProtoJSON(t, api+"/mindnet/weights/v1/subnets/2/weights/0", &row)
	if len(row.GetRow().GetUids()) != 0 {
		t.Fatalf("row stored at commit: %v", row.GetRow())
	}

	// A reveal lands in the block after the one it is broadcast in at the earliest: wait for the block
	// before the window, then reveal.
	if _, err := net.WaitForHeightWithTimeout(start-1, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	revealedAt := included(t, net, broadcast(t, net, owner,
		&types.MsgRevealWeights{Hotkey: owner.addr.String(), Netuid: 2, Uids: []uint32{0}, Weights: []uint32{7}, Salt: saltBytes}))[0]
	if revealedAt < start || revealedAt > end {
		t.Fatalf("reveal included at block %d, outside the window [%d, %d]", revealedAt, start, end)
	}
	getProtoJSON(t, api+"/mindnet/weights/v1/subnets/2/weights/0", &row)
	if r := row.GetRow(); len(r.GetUids()) != 1 || r.GetUids()[0] != 0 || r.GetWeights()[0] != types.MaxWeight || r.GetSetAt() != revealedAt {
		t.Fatalf("row of subnet 2 over REST %v, want the revealed self-weight set at %d", r, revealedAt)
	}
	getProtoJSON(t, api+"/mindnet/weights/v1/subnets/2/commits/"+owner.addr.String(), &pending)
	if len(pending.GetCommits()) != 1 || pending.GetCommits()[0].GetRevealedAt() != revealedAt {
		t.Fatalf("commit after reveal %v, want revealed_at %d", &pending, revealedAt)
	}
	var next weightsv1.QueryNextAllowedBlockResponse
	getProtoJSON(t, api+"/mindnet/weights/v1/subnets/2/uids/0/next_allowed_block", &next)
	if !next.GetCommitReveal() || next.GetNextBlock() <= revealedAt {
		t.Fatalf("next allowed block %v", &next)
	}
}
