package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mindnet/mindnet/explorer/browsertest"
	"github.com/mindnet/mindnet/explorer/indexer"
)

// TestPagesInABrowser loads every page in headless Chromium against the in-memory chain: no page may
// log a console error, charts must draw, the metagraph sorts by clicking a heading, search and the
// keyboard work, live updates arrive, markup in chain data creates no element, and the pages fit a
// phone's width. It skips when no Chromium is installed. tests/e2e/explorer_test.go runs the same
// kind of checks against a real devnet.
func TestPagesInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	t.Cleanup(ts.Close) // after the browser's cleanup, which closes its live streams
	b := browsertest.New(t, 1280, 900)
	const wait = 20 * time.Second

	for _, path := range []string{"/", "/subnets/1", "/subnets/1/neurons/1", "/subnets/1/neurons/0", "/subnets/2",
		"/accounts/" + f.owner, "/accounts/" + f.hot[0], "/proposals", "/blocks/80"} {
		if err := b.Run(wait, chromedp.Navigate(ts.URL+path), chromedp.WaitReady("footer")); err != nil {
			t.Fatalf("load %s: %v", path, err)
		}
		// Give deferred scripts and charts a moment to run and complain.
		time.Sleep(150 * time.Millisecond)
		if p := b.Problems(); len(p) > 0 {
			t.Errorf("%s: console errors: %q", path, p)
		}
	}

	t.Run("the console check sees errors", func(t *testing.T) {
		if err := b.Run(wait, chromedp.Evaluate(`console.error("probe")`, nil)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		if p := b.Problems(); len(p) != 1 || !strings.Contains(p[0], "probe") {
			t.Fatalf("a console.error was recorded as %q", p)
		}
	})

	t.Run("charts draw", func(t *testing.T) {
		var drawn int
		if err := b.Run(wait, chromedp.Navigate(ts.URL+"/subnets/1"), chromedp.WaitReady(`figure[data-chart="chart-emission"][data-drawn="true"]`),
			chromedp.Evaluate(`document.querySelectorAll('figure.chart[data-drawn="true"] canvas').length`, &drawn)); err != nil {
			t.Fatal(err)
		}
		if drawn != 3 {
			t.Fatalf("%d charts drawn on the subnet page, want 3", drawn)
		}
	})

	t.Run("markup in a subnet name stays text", func(t *testing.T) {
		var name string
		var imgs int
		if err := b.Run(wait, chromedp.Navigate(ts.URL+"/subnets/2"), chromedp.Text("#subnet-name", &name),
			chromedp.Evaluate(`document.querySelectorAll('img').length + document.querySelectorAll('main script:not([type="application/json"])').length`, &imgs)); err != nil {
			t.Fatal(err)
		}
		if name != xssName || imgs != 0 {
			t.Fatalf("name %q, %d injected elements", name, imgs)
		}
		if d := b.Dialogs(); len(d) > 0 {
			t.Fatalf("chain data opened dialogs: %q", d)
		}
	})

	t.Run("sorting by clicking a heading", func(t *testing.T) {
		var order string
		if err := b.Run(wait, chromedp.Navigate(ts.URL+"/subnets/1"),
			chromedp.Click(`th[data-key="incentive"] a`), chromedp.WaitVisible(`th[data-key="incentive"][aria-sort="descending"]`),
			chromedp.Evaluate(`[...document.querySelectorAll('#metagraph-table tbody tr')].map(r => r.dataset.uid).join(',')`, &order)); err != nil {
			t.Fatal(err)
		}
		if order != "3,2,1,0,4" {
			t.Fatalf("rows by incentive, descending: %s", order)
		}
		if err := b.Run(wait, chromedp.Click(`th[data-key="incentive"] a`), chromedp.WaitVisible(`th[data-key="incentive"][aria-sort="ascending"]`),
			chromedp.Evaluate(`[...document.querySelectorAll('#metagraph-table tbody tr')].map(r => r.dataset.uid).join(',')`, &order)); err != nil {
			t.Fatal(err)
		}
		if order != "0,4,1,2,3" {
			t.Fatalf("rows by incentive, ascending: %s", order)
		}
	})

	t.Run("search and keyboard", func(t *testing.T) {
		var loc, focused string
		if err := b.Run(wait, chromedp.Navigate(ts.URL+"/"), chromedp.WaitReady("#q"),
			chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.className`, &focused)); err != nil {
			t.Fatal(err)
		}
		if focused != "skip" {
			t.Errorf("first Tab focuses %q, want the skip link", focused)
		}
		if err := b.Run(wait, chromedp.SendKeys("#q", f.hot[1]+kb.Enter), chromedp.WaitVisible("#owned-table, #held-table"), chromedp.Location(&loc)); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(loc, "/accounts/"+f.hot[1]) {
			t.Fatalf("search for a hotkey went to %s", loc)
		}
		if err := b.Run(wait, chromedp.SendKeys("#q", "55"+kb.Enter), chromedp.WaitVisible("#events-table"), chromedp.Location(&loc)); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(loc, "/blocks/55") {
			t.Fatalf("search for a height went to %s", loc)
		}
	})

	t.Run("live updates", func(t *testing.T) {
		if err := b.Run(wait, chromedp.Navigate(ts.URL+"/subnets/1"), chromedp.WaitReady("footer")); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(wait)
		for f.srv.hub.count() == 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		f.srv.Publish(indexer.Update{Kind: "block", Height: 4242})
		f.srv.Publish(indexer.Update{Kind: "epoch", Height: 4242, Netuid: 1})
		var height string
		if err := b.Run(wait, chromedp.WaitReady(`body[data-updates="1"]`), chromedp.Text("#live-height", &height)); err != nil {
			t.Fatalf("the epoch did not refresh the page: %v", err)
		}
		if height != "4,242" {
			t.Fatalf("live height %q", height)
		}
		f.srv.Publish(indexer.Update{Kind: "down", Err: "connection refused"})
		if err := b.Run(wait, chromedp.WaitVisible("#node-banner")); err != nil {
			t.Fatalf("no banner when the node goes down: %v", err)
		}
		f.srv.Publish(indexer.Update{Kind: "up", Height: 4243})
		if err := b.Run(wait, chromedp.WaitNotVisible("#node-banner")); err != nil {
			t.Fatalf("the banner stays after the node returns: %v", err)
		}
	})

	t.Run("theme and phone width", func(t *testing.T) {
		var theme string
		if err := b.Run(wait, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#theme"), chromedp.Click("#theme"),
			chromedp.Evaluate(`document.documentElement.dataset.theme`, &theme)); err != nil {
			t.Fatal(err)
		}
		if theme != "dark" && theme != "light" {
			t.Fatalf("theme toggle set %q", theme)
		}
		for _, path := range []string{"/", "/subnets/1", "/subnets/1/neurons/1", "/proposals"} {
			var overflow bool
			if err := b.Run(wait, chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts.URL+path), chromedp.WaitReady("footer"),
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)); err != nil {
				t.Fatal(err)
			}
			if overflow {
				t.Errorf("%s is wider than a 390 px phone", path)
			}
		}
	})
	if p := b.Problems(); len(p) > 0 {
		t.Errorf("console errors: %q", p)
	}
}
