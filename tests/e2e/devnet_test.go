package e2e

import (
	"context"
	"fmt"
	"math/big"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/devnet"
)

// buildBinaries builds the network's binaries into a temporary folder, so the test runs exactly the
// code under test whatever build/ holds.
func buildBinaries(t *testing.T, root string) string {
	t.Helper()
	bin := t.TempDir()
	cmd := exec.Command("go", "build", "-o", bin+"/", "./cmd/mindnetd", "./cmd/mindnet-miner", "./cmd/mindnet-validator", "./cmd/mindnet-serve")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startDevnet brings up the demo's network (devnet.DefaultConfig) in a temporary folder.
func startDevnet(t *testing.T, chainValidators int) *devnet.Network {
	t.Helper()
	root := repoRoot(t)
	cfg := devnet.DefaultConfig(root)
	cfg.Bin = buildBinaries(t, root)
	cfg.Dir = filepath.Join(t.TempDir(), "devnet")
	cfg.ChainValidators = chainValidators
	cfg.Log = func(format string, args ...any) { t.Logf(format, args...) }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	net, err := devnet.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("devnet: %v", err)
	}
	t.Cleanup(func() {
		net.Stop()
		if t.Failed() {
			for _, l := range net.Logs() {
				t.Logf("log kept at %s", l)
			}
		}
	})
	return net
}

type metagraphJSON struct {
	Block   string `json:"block"`
	Neurons []struct {
		UID       uint32 `json:"uid"`
		Hotkey    string `json:"hotkey"`
		Stake     string `json:"stake"`
		Incentive uint32 `json:"incentive"`
		Dividends uint32 `json:"dividends"`
		Consensus uint32 `json:"consensus"`
		Trust     uint32 `json:"trust"`
		Emission  string `json:"emission"`
	} `json:"neurons"`
}

func restMetagraph(t *testing.T, netuid uint32) (metagraphJSON, error) {
	var m metagraphJSON
	err := getJSON(t, fmt.Sprintf("%s/mindnet/subnet/v1/subnets/%d/metagraph", devnet.NodeREST, netuid), &m)
	return m, err
}

// TestDevnetPaysHonestMinersMore is the short end-to-end run that CI does: the network of `make demo`
// (one chain validator, three miners on the subnet's model, one in front of mindnet-serve, one on
// another model, a subnet validator
// with commit-reveal weights) runs for a few tempos. The honest miners must then have more incentive
// than the odd one, the validator must earn dividends and stake, the emission ledger and module
// balances must balance, and the metagraph must read the same over REST and gRPC.
func TestDevnetPaysHonestMinersMore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a whole network (about 3 minutes)")
	}
	net := startDevnet(t, 1)
	role := func(hotkey string) string { return net.Labels[hotkey] }

	var first, last metagraphJSON
	deadline := time.Now().Add(6 * time.Minute)
	for {
		m, err := restMetagraph(t, net.Netuid)
		if err == nil && first.Block == "" && paid(m) {
			first = m
		}
		if err == nil && first.Block != "" && honestAhead(m, role) && m.Block > first.Block && blocks(m)-blocks(first) >= 3*int64(net.Config.Tempo) {
			last = m
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 6 minutes the honest miners are not ahead of the odd one:\n%+v\n(err %v)", m, err)
		}
		time.Sleep(2 * time.Second)
	}
	t.Logf("first payout at block %s, honest miners ahead at block %s", first.Block, last.Block)

	var validatorBefore, validatorAfter *big.Int
	for _, n := range first.Neurons {
		if role(n.Hotkey) == "validator" {
			validatorBefore = amount(t, n.Stake)
		}
	}
	for _, n := range last.Neurons {
		if role(n.Hotkey) == "validator" {
			validatorAfter = amount(t, n.Stake)
			if n.Dividends == 0 {
				t.Errorf("validator earns no dividends: %+v", n)
			}
		}
		t.Logf("uid %d %-9s stake %s incentive %d dividends %d emission %s", n.UID, role(n.Hotkey), n.Stake, n.Incentive, n.Dividends, n.Emission)
	}
	if validatorBefore == nil || validatorAfter == nil || validatorAfter.Cmp(validatorBefore) <= 0 {
		t.Errorf("validator stake did not grow: %v → %v", validatorBefore, validatorAfter)
	}

	checkLedger(t, net.Netuid)
	checkRESTMatchesGRPC(t, net.Netuid)
}

func paid(m metagraphJSON) bool {
	for _, n := range m.Neurons {
		if n.Emission != "0" && n.Emission != "" {
			return true
		}
	}
	return false
}

// honestAhead reports whether every honest miner has more incentive than every odd miner.
func honestAhead(m metagraphJSON, role func(string) string) bool {
	minHonest, maxOdd := uint32(1<<31), uint32(0)
	honest := 0
	for _, n := range m.Neurons {
		switch r := role(n.Hotkey); {
		case strings.HasPrefix(r, "miner-"), strings.HasPrefix(r, "openai-"):
			honest++
			minHonest = min(minHonest, n.Incentive)
		case strings.HasPrefix(r, "odd-"):
			maxOdd = max(maxOdd, n.Incentive)
		}
	}
	return honest > 0 && minHonest > maxOdd
}

func blocks(m metagraphJSON) int64 {
	var b int64
	fmt.Sscan(m.Block, &b)
	return b
}

func amount(t *testing.T, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("amount %q is not an integer", s)
	}
	return v
}

// checkLedger checks x/emission's and the markets' books against the bank: everything minted went to
// the fee collector, to stake or owners (before markets), was burned, or went into the subnets' pools,
// and the emission module account holds nothing; the subnet module account holds exactly the root
// stake behind the metagraph's hotkeys, and the lock pool account exactly the pools' umind. All are
// read at one height.
func checkLedger(t *testing.T, netuid uint32) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		err := ledgerBalances(t, netuid)
		if err == nil {
			return
		}
		if attempt == 5 {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // reads straddled a block; read again
	}
}

func ledgerBalances(t *testing.T, netuid uint32) error {
	h := height(t, 26657)
	var issuance struct {
		Ledger struct {
			TotalIssued    string `json:"total_issued"`
			ToFeeCollector string `json:"to_fee_collector"`
			ToStake        string `json:"to_stake"`
			ToOwners       string `json:"to_owners"`
			Burned         string `json:"burned"`
			ToPools        string `json:"to_pools"`
		} `json:"ledger"`
	}
	var pools struct {
		Pools []struct {
			MindReserve string `json:"mind_reserve"`
		} `json:"pools"`
	}
	if err := getJSON(t, devnet.NodeREST+"/mindnet/emission/v1/issuance", &issuance); err != nil {
		return err
	}
	if err := getJSON(t, devnet.NodeREST+"/mindnet/subnet/v1/pools", &pools); err != nil {
		return err
	}
	m, err := restMetagraph(t, netuid)
	if err != nil {
		return err
	}
	rootStake := new(big.Int)
	for _, n := range m.Neurons {
		var st struct {
			Total string `json:"total"`
		}
		if err := getJSON(t, devnet.NodeREST+"/mindnet/subnet/v1/hotkeys/"+n.Hotkey+"/stake", &st); err != nil {
			return err
		}
		if st.Total != "" {
			rootStake.Add(rootStake, amount(t, st.Total))
		}
	}
	emissionBalance, err := moduleBalance(t, "emission")
	if err != nil {
		return err
	}
	stakeBalance, err := moduleBalance(t, "subnet")
	if err != nil {
		return err
	}
	lockBalance, err := moduleBalance(t, "subnet_lock")
	if err != nil {
		return err
	}
	if height(t, 26657) != h {
		return fmt.Errorf("a block landed between the reads")
	}
	l := issuance.Ledger
	out := new(big.Int)
	for _, s := range []string{l.ToFeeCollector, l.ToStake, l.ToOwners, l.Burned, l.ToPools} {
		out.Add(out, amount(t, s))
	}
	if out.Cmp(amount(t, l.TotalIssued)) != 0 {
		t.Fatalf("ledger does not balance: issued %s, paid out %s", l.TotalIssued, out)
	}
	if emissionBalance.Sign() != 0 {
		t.Fatalf("emission module holds %s umind, which should all have left it", emissionBalance)
	}
	if stakeBalance.Cmp(rootStake) != 0 {
		t.Fatalf("subnet module (the root stake pool) holds %s umind, root stake behind the metagraph's hotkeys sums to %s", stakeBalance, rootStake)
	}
	reserves := new(big.Int)
	for _, p := range pools.Pools {
		reserves.Add(reserves, amount(t, p.MindReserve))
	}
	if lockBalance.Cmp(reserves) != 0 {
		t.Fatalf("lock pool holds %s umind, the pools' reserves sum to %s", lockBalance, reserves)
	}
	return nil
}

func moduleBalance(t *testing.T, name string) (*big.Int, error) {
	var acct struct {
		Account struct {
			BaseAccount struct {
				Address string `json:"address"`
			} `json:"base_account"`
		} `json:"account"`
	}
	if err := getJSON(t, devnet.NodeREST+"/cosmos/auth/v1beta1/module_accounts/"+name, &acct); err != nil {
		return nil, err
	}
	var bal struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	url := fmt.Sprintf("%s/cosmos/bank/v1beta1/balances/%s/by_denom?denom=umind", devnet.NodeREST, acct.Account.BaseAccount.Address)
	if err := getJSON(t, url, &bal); err != nil {
		return nil, err
	}
	if bal.Balance.Amount == "" {
		return new(big.Int), nil
	}
	return amount(t, bal.Balance.Amount), nil
}

// checkRESTMatchesGRPC reads the metagraph over both transports at the same height and compares them.
func checkRESTMatchesGRPC(t *testing.T, netuid uint32) {
	t.Helper()
	conn, err := grpc.NewClient(devnet.NodeGRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := subnetv1.NewQueryClient(conn)
	for attempt := 0; attempt < 10; attempt++ {
		rest, err := restMetagraph(t, netuid)
		if err != nil {
			t.Fatal(err)
		}
		g, err := client.Metagraph(context.Background(), &subnetv1.QueryMetagraphRequest{Netuid: netuid})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(g.GetBlock()) != rest.Block {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if len(g.GetNeurons()) != len(rest.Neurons) {
			t.Fatalf("gRPC lists %d neurons, REST %d", len(g.GetNeurons()), len(rest.Neurons))
		}
		for i, gn := range g.GetNeurons() {
			rn := rest.Neurons[i]
			if gn.GetUid() != rn.UID || gn.GetHotkey() != rn.Hotkey || gn.GetStake() != rn.Stake || gn.GetIncentive() != rn.Incentive ||
				gn.GetDividends() != rn.Dividends || gn.GetConsensus() != rn.Consensus || gn.GetTrust() != rn.Trust || gn.GetEmission() != rn.Emission {
				t.Fatalf("uid %d differs: gRPC %+v, REST %+v", gn.GetUid(), gn, rn)
			}
		}
		return
	}
	t.Fatal("could not read REST and gRPC at the same height in 10 tries")
}
