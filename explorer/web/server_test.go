package web

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/indexer"
	"github.com/mindnet/mindnet/metagraph"
)

func TestEveryPageRendersItsContent(t *testing.T) {
	f := newFixture(t)
	cases := map[string][]string{
		"/": {"mindnet-local-1", "Subnets", `href="/subnets/1"`, "mindnet-demo", "100.00%", "4 α", "123.456789 MIND", "about block 9,000,000",
			"Into subnet pools", "123.456489 MIND", "2.000000", "(1.500000)", "200 MIND · 100 α"},
		"/subnets/1":                  {`id="metagraph-table"`, "miner-1", "odd-1", `id="chart-incentive-data"`, `"x":[78,89,100]`, `<rect `, "commit_reveal_enabled", "Latest epochs", "0.82 α", `id="subnet-model">gocode-tiny · <span class="mono" title="510dc52f`, "float32, half · context 256"},
		"/subnets/1/neurons/1":        {"UID 1 · miner-1", f.hot[1], `id="chart-scores-data"`, `id="history-table"`, `id="weights-received"`},
		"/subnets/1/neurons/0":        {"validator (holds a permit)", "take 1800 basis points", addr(t, 3), `id="weights-given"`},
		"/accounts/" + f.owner:        {"1.5 MIND", `id="owned-table"`, "miner-2"},
		"/accounts/" + f.hot[0]:       {"As a hotkey", "10,000 MIND"},
		"/accounts/" + addr(t, 3):     {`id="stakes-table"`, "10,000 MIND", "2.5 α", "5 MIND", "10,005 MIND"},
		"/proposals":                  {"#2 ·", "voting period", "passed", "/mindnet.subnet.v1.MsgUpdateParams", "Running tally", "Final tally", "yes"},
		"/blocks/80":                  {"Block 80", "emission_epoch", "paid=820"},
		"/search?q=" + f.hot[1]:       nil, // redirects
		"/static/uplot/LICENSE":       {"MIT"},
		"/static/explorer.js":         {"EventSource"},
		"/static/uplot/uPlot.min.css": {".uplot"},
	}
	for path, wants := range cases {
		code, body, _ := f.get(t, path)
		if strings.HasPrefix(path, "/search") {
			if code != http.StatusSeeOther {
				t.Errorf("GET %s: %d, want a redirect", path, code)
			}
			continue
		}
		if code != http.StatusOK {
			t.Errorf("GET %s: %d\n%s", path, code, body)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q", path, w)
			}
		}
	}
}

func TestMarkupFromTheChainRendersAsText(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/subnets/2", "/subnets/2/neurons/0", "/proposals"} {
		code, body, h := f.get(t, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		for _, bad := range []string{"<img src=x", `<script>alert(`, "<b>tempo</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: raw markup %q reached the page", path, bad)
			}
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP %q does not restrict scripts", path, csp)
		}
	}
	_, body, _ := f.get(t, "/subnets/2")
	if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the subnet's name is not shown as text")
	}
	_, body, _ = f.get(t, "/proposals")
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;") {
		t.Error("the proposal title is not shown as text")
	}
}

func TestUnknownThingsGetA404Page(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{
		"/subnets/99", "/subnets/abc", "/subnets/-1", "/subnets/1/neurons/5", "/subnets/1/neurons/x", "/subnets/99/neurons/0",
		"/accounts/nonsense", "/accounts/cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a", "/accounts/" + addr(t, 99),
		"/blocks/101", "/blocks/0", "/blocks/x", "/no/such/page", "/search?q=nothing-like-this", "/search?q=123456",
	} {
		code, body, _ := f.get(t, path)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
			continue
		}
		if !strings.Contains(body, "Mindnet Explorer") || !strings.Contains(body, "<h1>") {
			t.Errorf("GET %s: 404 without the explorer's page", path)
		}
	}
}

func TestNodeDownShowsABannerAndThePageRecovers(t *testing.T) {
	f := newFixture(t)
	f.fake.SetDown(true)
	for _, path := range []string{"/", "/subnets/1", "/proposals", "/accounts/" + f.owner} {
		code, body, _ := f.get(t, path)
		if code != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the node down: %d, want 503", path, code)
		}
		if !strings.Contains(body, "The chain node is not answering") || strings.Contains(body, `id="node-banner" class="banner" role="alert" hidden`) {
			t.Errorf("GET %s: no visible banner", path)
		}
	}
	f.fake.SetDown(false)
	code, body, _ := f.get(t, "/subnets/1")
	if code != http.StatusOK || !strings.Contains(body, `id="node-banner" class="banner" role="alert" hidden`) {
		t.Fatalf("after the node returns: %d, banner still shown", code)
	}
}

func TestEveryPageHasADeadline(t *testing.T) {
	f := newFixture(t)
	slow := &blockingReader{Reader: f.fake}
	srv, err := New(Config{Node: slow, Store: f.db, Head: f.srv.cfg.Head, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/subnets/1", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("a node that never answers gave %d, want 503", rec.Code)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Fatalf("the page waited %s for a node that never answers", d)
	}
}

func TestMetagraphSortsByEveryColumn(t *testing.T) {
	f := newFixture(t)
	uidOrder := regexp.MustCompile(`<tr data-uid="(\d+)">`)
	order := func(q string) string {
		body := f.mustGet(t, "/subnets/1"+q)
		var out []string
		for _, m := range uidOrder.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return strings.Join(out, ",")
	}
	if got := order(""); got != "0,1,2,3,4" {
		t.Fatalf("default order %s", got)
	}
	if got := order("?sort=incentive&order=desc"); got != "3,2,1,0,4" {
		t.Fatalf("incentive descending: %s", got)
	}
	if got := order("?sort=incentive&order=asc"); got != "0,4,1,2,3" {
		t.Fatalf("incentive ascending: %s", got)
	}
	if got := order("?sort=stake"); got != "0,4,3,2,1" {
		t.Fatalf("stake (numeric columns default to descending): %s", got)
	}
	if got := order("?sort=hotkey&order=asc"); got != "1,2,3,4,0" {
		t.Fatalf("hotkey by label: %s", got)
	}
	for _, c := range metagraphColumns() {
		body := f.mustGet(t, "/subnets/1?sort="+c.Key)
		if !strings.Contains(body, `aria-sort=`) || !strings.Contains(body, `data-key="`+c.Key+`"`) {
			t.Errorf("column %s: no sorted header", c.Key)
		}
	}
	// An unknown column falls back to UID order rather than failing.
	if got := order("?sort=bogus"); got != "0,1,2,3,4" {
		t.Fatalf("unknown column: %s", got)
	}
}

func TestSearchFindsAddressesNetuidsAndHeights(t *testing.T) {
	f := newFixture(t)
	cases := map[string]string{
		f.owner: "/accounts/" + f.owner,
		"55":    "/blocks/55",
		"sn2":   "", // subnet 2 and block 2: a list
		"1":     "",
	}
	for q, want := range cases {
		code, body, h := f.get(t, "/search?q="+q)
		if want != "" {
			if code != http.StatusSeeOther || h.Get("Location") != want {
				t.Errorf("search %q: %d to %q, want %s", q, code, h.Get("Location"), want)
			}
			continue
		}
		if code != http.StatusOK || !strings.Contains(body, `href="/subnets/`) || !strings.Contains(body, `href="/blocks/`) {
			t.Errorf("search %q: %d, want a list with the subnet and the block", q, code)
		}
	}
}

func TestLiveUpdatesReachTheBrowser(t *testing.T) {
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	for f.srv.hub.count() == 0 {
		time.Sleep(time.Millisecond)
	}
	f.srv.Publish(indexer.Update{Kind: "block", Height: 101})
	f.srv.Publish(indexer.Update{Kind: "epoch", Height: 101, Netuid: 1})
	sc := bufio.NewScanner(resp.Body)
	var got []string
	for sc.Scan() && len(got) < 4 {
		if l := sc.Text(); strings.HasPrefix(l, "event:") || strings.HasPrefix(l, "data:") {
			got = append(got, l)
		}
	}
	want := `event: block|data: {"height":101,"netuid":0}|event: epoch|data: {"height":101,"netuid":1}`
	if strings.Join(got, "|") != want {
		t.Fatalf("stream %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	if code, body, _ := f.get(t, "/healthz"); code != http.StatusOK || !strings.Contains(body, "node height 100") {
		t.Fatalf("healthz %d %q", code, body)
	}
	f.fake.SetDown(true)
	if code, _, _ := f.get(t, "/healthz"); code != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the node down: %d", code)
	}
	if code, body, _ := f.get(t, "/metrics"); code != http.StatusOK || !strings.Contains(body, "mindnet_explorer_store_bytes") {
		t.Fatalf("metrics %d", code)
	}
}

func TestHeatmapGroupsLargeSubnets(t *testing.T) {
	f := newFixture(t)
	h := buildHeatmap(f.fake.Graphs[1], f.fake.Rows[1], nil)
	// One validator; UID 4's weight is 0, so three cells.
	if h.Rows != 1 || h.Cols != 5 || h.Group != 1 || len(h.Cells) != 3 {
		t.Fatalf("small heatmap %+v", h)
	}
	snap, rows := bigSubnet(1000, 4)
	h = buildHeatmap(snap, rows, nil)
	if h.Rows != 4 || h.Group != 4 || h.Cols != 250 {
		t.Fatalf("1000 UIDs: rows %d, group %d, cols %d; want 4, 4, 250", h.Rows, h.Group, h.Cols)
	}
	if len(h.Cells) != 4*250 || !strings.HasPrefix(h.Cells[0].Title, "UID 0 → UIDs 0-3: ") {
		t.Fatalf("cells %d, first titled %q", len(h.Cells), h.Cells[0].Title)
	}
	snap, rows = bigSubnet(4096, 64)
	if h = buildHeatmap(snap, rows, nil); h.Cols != 256 || h.Group != 16 || h.Cells[0].Title != "" {
		t.Fatalf("4096 UIDs: cols %d, group %d, tooltip %q; want 256 columns of 16 and no tooltips", h.Cols, h.Group, h.Cells[0].Title)
	}
}

// blockingReader is a node that never answers metagraph queries: only the page's deadline ends them.
type blockingReader struct{ chain.Reader }

func (b *blockingReader) Metagraph(ctx context.Context, netuid uint32, height int64) (*metagraph.Snapshot, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
