//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/devnet"
	"github.com/mindnet/mindnet/explorer/browsertest"
)

// explorerXSSName is the subnet name the test registers to prove chain data stays text.
const explorerXSSName = `<img src=x onerror=alert(1)>`

// TestExplorerAgainstADevnet runs the demo's network with mindnet-explorer and drives the explorer
// in headless Chromium: every page loads with no console error, the metagraph's rows match gRPC at
// the height the page read, charts draw, sorting and search work, live updates arrive, a subnet named
// like markup shows that text and creates no element, and the devnet's proposal is listed. With
// MINDNET_EXPLORER_SCREENSHOTS=DIR it saves one screenshot per page there (docs/explorer/ holds the
// committed ones). It skips without Chromium.
func TestExplorerAgainstADevnet(t *testing.T) {
	if browsertest.Find() == "" {
		t.Skip("no Chromium found; install it with `apt-get install -y chromium`")
	}
	root := repoRoot(t)
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+"/", "./cmd/mindnetd", "./cmd/mindnet-miner", "./cmd/mindnet-validator", "./cmd/mindnet-serve", "./cmd/mindnet-explorer")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cfg := devnet.DefaultConfig(root)
	cfg.Bin = bin
	cfg.Dir = filepath.Join(t.TempDir(), "devnet")
	cfg.ExplorerListen = "127.0.0.1:18280"
	cfg.Log = func(format string, args ...any) { t.Logf(format, args...) }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	net, err := devnet.Start(ctx, cfg)
	cancel()
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
	base := net.ExplorerURL()
	xssNetuid := createSubnet(t, filepath.Join(bin, "mindnetd"), filepath.Join(cfg.Dir, "chain", "node0"), explorerXSSName)

	// Wait until the honest miners earn incentive on chain and the explorer has indexed a few epochs
	// after that, so the charts show the rise (and the screenshots show a network at work).
	subnetPath := fmt.Sprintf("/subnets/%d", net.Netuid)
	xs := regexp.MustCompile(`"x":\[([0-9,]*)\]`)
	var paidAt int64
	deadline := time.Now().Add(6 * time.Minute)
	for {
		m, err := restMetagraph(t, net.Netuid)
		if paidAt == 0 && err == nil && honestAhead(m, func(hk string) string { return net.Labels[hk] }) {
			paidAt = blocks(m)
		}
		page := fetch(t, base+subnetPath)
		if x := xs.FindStringSubmatch(page); paidAt > 0 && x != nil && strings.Count(x[1], ",") >= 4 {
			last, _ := strconv.ParseInt(x[1][strings.LastIndex(x[1], ",")+1:], 10, 64)
			if last >= paidAt+2*int64(cfg.Tempo) {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 6 minutes the explorer does not show epochs after the honest miners were paid (paid at %d)", paidAt)
		}
		time.Sleep(3 * time.Second)
	}

	var minerUID, oddUID uint32
	var coldkey string
	conn, err := grpc.NewClient(devnet.NodeGRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := subnetv1.NewQueryClient(conn)
	mg, err := q.Metagraph(context.Background(), &subnetv1.QueryMetagraphRequest{Netuid: net.Netuid})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range mg.GetNeurons() {
		switch label := net.Labels[n.GetHotkey()]; {
		case label == "miner-1":
			minerUID = n.GetUid()
		case strings.HasPrefix(label, "odd-"):
			oddUID = n.GetUid()
		}
		coldkey = n.GetColdkey()
	}

	b := browsertest.New(t, 1280, 900)
	const wait = 30 * time.Second
	shots := os.Getenv("MINDNET_EXPLORER_SCREENSHOTS")
	pages := []struct{ name, path string }{
		{"network", "/"},
		{"subnet", subnetPath},
		{"neuron", fmt.Sprintf("%s/neurons/%d", subnetPath, minerUID)},
		{"neuron-odd", fmt.Sprintf("%s/neurons/%d", subnetPath, oddUID)},
		{"account", "/accounts/" + coldkey},
		{"proposals", "/proposals"},
		{"block", fmt.Sprintf("/blocks/%d", mg.GetBlock())},
		{"subnet-xss", fmt.Sprintf("/subnets/%d", xssNetuid)},
	}
	for _, p := range pages {
		if err := b.Run(wait, chromedp.Navigate(base+p.path), chromedp.WaitReady("footer")); err != nil {
			t.Fatalf("load %s: %v", p.path, err)
		}
		time.Sleep(500 * time.Millisecond) // deferred scripts, charts
		if probs := b.Problems(); len(probs) > 0 {
			t.Errorf("%s: console errors: %q", p.path, probs)
		}
		if shots != "" && p.name != "subnet-xss" && p.name != "neuron-odd" {
			if err := b.Screenshot(filepath.Join(shots, p.name+".png")); err != nil {
				t.Errorf("screenshot of %s: %v", p.path, err)
			}
		}
	}

	t.Run("metagraph rows match gRPC at the page's height", func(t *testing.T) {
		// One evaluation reads the rows and the height together, so a live refresh cannot come between.
		var got struct {
			Rows   []map[string]string `json:"rows"`
			ReadAt string              `json:"readAt"`
		}
		if err := b.Run(wait, chromedp.Navigate(base+subnetPath), chromedp.WaitReady("#metagraph-table"),
			chromedp.Evaluate(`({rows: [...document.querySelectorAll('#metagraph-table tbody tr')].map(r => ({uid: r.dataset.uid,
				hotkey: r.cells[2].querySelector('a').title, coldkey: r.cells[3].querySelector('a').title,
				incentive: r.cells[8].textContent, dividends: r.cells[9].textContent})),
				readAt: document.body.innerHTML.match(/Metagraph read at<\/dt><dd>block ([0-9,]+)/)[1].replaceAll(',', '')})`, &got)); err != nil {
			t.Fatal(err)
		}
		rows, readAt := got.Rows, got.ReadAt
		hctx := metadata.AppendToOutgoingContext(context.Background(), "x-cosmos-block-height", readAt)
		at, err := q.Metagraph(hctx, &subnetv1.QueryMetagraphRequest{Netuid: net.Netuid})
		if err != nil {
			t.Fatalf("metagraph at %s: %v", readAt, err)
		}
		if len(rows) != len(at.GetNeurons()) {
			t.Fatalf("page has %d rows, gRPC %d neurons", len(rows), len(at.GetNeurons()))
		}
		for i, n := range at.GetNeurons() {
			r := rows[i]
			want := map[string]string{"uid": strconv.Itoa(int(n.GetUid())), "hotkey": n.GetHotkey(), "coldkey": n.GetColdkey(),
				"incentive": strconv.FormatFloat(float64(n.GetIncentive())/65535, 'f', 4, 64),
				"dividends": strconv.FormatFloat(float64(n.GetDividends())/65535, 'f', 4, 64)}
			for k, v := range want {
				if r[k] != v {
					t.Errorf("row %d %s: page %q, gRPC %q", i, k, r[k], v)
				}
			}
		}
	})

	t.Run("charts draw and the odd miner stays at zero", func(t *testing.T) {
		var drawn int
		var oddIncentive string
		if err := b.Run(wait, chromedp.Navigate(base+subnetPath), chromedp.WaitReady(`figure[data-chart="chart-emission"][data-drawn="true"]`),
			chromedp.Evaluate(`document.querySelectorAll('figure.chart[data-drawn="true"] canvas').length`, &drawn),
			chromedp.Navigate(base+fmt.Sprintf("%s/neurons/%d", subnetPath, oddUID)), chromedp.Text("#neuron-incentive", &oddIncentive)); err != nil {
			t.Fatal(err)
		}
		if drawn != 3 {
			t.Fatalf("%d charts drawn, want 3", drawn)
		}
		if oddIncentive != "0.0000" {
			t.Errorf("the odd miner's incentive is %s", oddIncentive)
		}
	})

	t.Run("sorting and search", func(t *testing.T) {
		var values []string
		if err := b.Run(wait, chromedp.Navigate(base+subnetPath), chromedp.Click(`th[data-key="incentive"] a`),
			chromedp.WaitVisible(`th[data-key="incentive"][aria-sort="descending"]`),
			chromedp.Evaluate(`[...document.querySelectorAll('#metagraph-table tbody tr')].map(r => r.cells[8].textContent)`, &values)); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(values); i++ {
			if values[i] > values[i-1] {
				t.Fatalf("incentive not descending after the click: %v", values)
			}
		}
		var loc string
		hotkey := mg.GetNeurons()[minerUID].GetHotkey()
		if err := b.Run(wait, chromedp.SendKeys("#q", hotkey+kb.Enter), chromedp.WaitVisible("#held-table"), chromedp.Location(&loc)); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(loc, "/accounts/"+hotkey) {
			t.Fatalf("search for a hotkey went to %s", loc)
		}
	})

	t.Run("live updates arrive", func(t *testing.T) {
		var before, after string
		if err := b.Run(wait, chromedp.Navigate(base+subnetPath), chromedp.WaitReady("footer"), chromedp.Text("#live-height", &before)); err != nil {
			t.Fatal(err)
		}
		// The subnet's tempo is 10 blocks of a second: an epoch is indexed within about 15 s.
		if err := b.Run(45*time.Second, chromedp.WaitReady(`body[data-updates]`), chromedp.Text("#live-height", &after)); err != nil {
			t.Fatalf("no epoch refreshed the page: %v", err)
		}
		if after == before {
			t.Fatalf("the live height stayed %s", before)
		}
	})

	t.Run("a subnet named like markup shows the text", func(t *testing.T) {
		var name string
		var injected int
		if err := b.Run(wait, chromedp.Navigate(base+fmt.Sprintf("/subnets/%d", xssNetuid)), chromedp.Text("#subnet-name", &name),
			chromedp.Evaluate(`document.querySelectorAll('img').length`, &injected)); err != nil {
			t.Fatal(err)
		}
		if name != explorerXSSName || injected != 0 {
			t.Fatalf("name %q, %d img elements", name, injected)
		}
		if d := b.Dialogs(); len(d) > 0 {
			t.Fatalf("dialogs opened: %q", d)
		}
		if page := fetch(t, base+"/"); !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Fatal("the network page does not show the name as text")
		}
	})

	t.Run("the devnet's proposal is listed", func(t *testing.T) {
		if page := fetch(t, base+"/proposals"); !strings.Contains(page, "Welcome to the Mindnet devnet") {
			t.Fatal("no proposal on /proposals")
		}
	})
}

// createSubnet opens a subnet owned by alice and returns its netuid once the chain lists it.
func createSubnet(t *testing.T, mindnetd, home, name string) uint32 {
	t.Helper()
	out, err := exec.Command(mindnetd, "tx", "subnet", "create-subnet", name, "--from", "alice", "--home", home,
		"--keyring-backend", "test", "--chain-id", devnet.ChainID, "--gas", "auto", "--gas-adjustment", "1.5", "--yes", "-o", "json").CombinedOutput()
	if err != nil {
		t.Fatalf("create subnet %q: %v\n%s", name, err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var res struct {
			Subnets []struct {
				Netuid uint32 `json:"netuid"`
				Name   string `json:"name"`
			} `json:"subnets"`
		}
		if err := getJSON(t, devnet.NodeREST+"/mindnet/subnet/v1/subnets", &res); err == nil {
			for _, s := range res.Subnets {
				if s.Name == name {
					return s.Netuid
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("subnet %q not listed 30 s after creation:\n%s", name, out)
		}
		time.Sleep(time.Second)
	}
}

func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}
