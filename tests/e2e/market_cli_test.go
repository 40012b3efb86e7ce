//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
)

type poolJSON struct {
	Pool struct {
		MindReserve  string `json:"mind_reserve"`
		AlphaReserve string `json:"alpha_reserve"`
		Price        string `json:"price"`
		PriceEma     string `json:"price_ema"`
	} `json:"pool"`
}

type positionsJSON struct {
	Positions []struct {
		Netuid    uint32 `json:"netuid"`
		Hotkey    string `json:"hotkey"`
		Amount    string `json:"amount"`
		MindValue string `json:"mind_value"`
	} `json:"positions"`
}

type sharesJSON struct {
	Shares []struct {
		Netuid         uint32 `json:"netuid"`
		EffectiveShare uint32 `json:"effective_share"`
	} `json:"shares"`
}

func dec(t *testing.T, s string) math.LegacyDec {
	t.Helper()
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		t.Fatalf("decimal %q: %v", s, err)
	}
	return d
}

// TestSubnetMarketFromTheCLI is docs/subnets.md's section 8 and issue "subnet markets"' walkthrough on
// a fresh one-validator localnet, with the built mindnetd and the documented commands: alice and bob
// create two subnets, charlie quotes a 10 MIND buy on alice's, stakes it with a limit price (the quote
// is printed before signing), sees the alpha position and the price risen, and, once the price average
// has moved, subnet 1's emission share above subnet 2's; a remove-stake whose limit the sale would pass
// is refused with nothing moved, and one within its limit returns umind.
func TestSubnetMarketFromTheCLI(t *testing.T) {
	ln := startLocalnet(t, 1)
	ln.mustTx("tx", "subnet", "create-subnet", "text generation", "--from", "alice")
	ln.mustTx("tx", "subnet", "create-subnet", "images", "--from", "bob")
	vali := ln.addKey("validator-hot")
	ln.mustTx("tx", "subnet", "register", "1", vali, "--from", "charlie")
	charlie := ln.address("charlie")

	var before, other poolJSON
	ln.query(&before, "subnet", "pool", "1")
	ln.query(&other, "subnet", "pool", "2")
	if !dec(t, before.Pool.Price).Equal(math.LegacyOneDec()) || !dec(t, other.Pool.Price).Equal(math.LegacyOneDec()) {
		t.Fatalf("pools do not open at price 1: %+v %+v", before, other)
	}
	var quote struct {
		AmountOut  string `json:"amount_out"`
		PriceAfter string `json:"price_after"`
	}
	ln.query(&quote, "subnet", "quote", "1", "buy", "10000000umind")
	limit := dec(t, quote.PriceAfter).MulInt64(101).QuoInt64(100) // 1% above the quote

	args := append([]string{"tx", "subnet", "add-stake", vali, "1", "10000000umind", "--limit-price", limit.String(), "--from", "charlie"}, ln.txFlags()...)
	stdout, stderr, err := ln.run(args...)
	if err != nil {
		t.Fatalf("add-stake: %v\n%s%s", err, stdout, stderr)
	}
	if !strings.Contains(stderr, "quote on netuid 1 (buy)") || !strings.Contains(stderr, "fee") {
		t.Fatalf("add-stake printed no quote before signing:\n%s", stderr)
	}
	var sent txResult
	if err := decodeJSON(stdout, &sent); err != nil || sent.Code != 0 {
		t.Fatalf("add-stake: %v %+v\n%s", err, sent, stdout)
	}
	if out, err := ln.mindnetd("q", "wait-tx", sent.TxHash, "--home", ln.home(0), "--timeout", "30s", "-o", "json"); err != nil {
		t.Fatalf("wait for add-stake: %v\n%s", err, out)
	}
	var pos positionsJSON
	ln.query(&pos, "subnet", "positions", charlie)
	if len(pos.Positions) != 1 || pos.Positions[0].Netuid != 1 || pos.Positions[0].Hotkey != vali {
		t.Fatalf("charlie's positions after staking: %+v", pos)
	}
	held := pos.Positions[0].Amount
	var after poolJSON
	ln.query(&after, "subnet", "pool", "1")
	if !dec(t, after.Pool.Price).GT(dec(t, before.Pool.Price)) {
		t.Fatalf("price %s after the buy, %s before", after.Pool.Price, before.Pool.Price)
	}
	t.Logf("charlie holds %s alpha on netuid 1; price %s, average %s", held, after.Pool.Price, after.Pool.PriceEma)

	deadline := time.Now().Add(time.Minute)
	for {
		var shares sharesJSON
		ln.query(&shares, "emission", "shares")
		if len(shares.Shares) == 2 && shares.Shares[0].EffectiveShare > shares.Shares[1].EffectiveShare {
			t.Logf("emission shares: netuid 1 %d ppm, netuid 2 %d ppm", shares.Shares[0].EffectiveShare, shares.Shares[1].EffectiveShare)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("subnet 1's share never rose above subnet 2's: %+v", shares)
		}
		time.Sleep(time.Second)
	}

	var now poolJSON
	ln.query(&now, "subnet", "pool", "1")
	tooHigh := dec(t, now.Pool.Price).MulInt64(2)
	r := ln.tx("tx", "subnet", "remove-stake", vali, "1", held, "--limit-price", tooHigh.String(), "--from", "charlie")
	if r.Code != 73 || r.Codespace != "subnet" || !strings.Contains(r.RawLog, "limit_price") {
		t.Fatalf("remove-stake past its limit: code %d (%s) %s", r.Code, r.Codespace, r.RawLog)
	}
	ln.query(&pos, "subnet", "positions", charlie)
	if len(pos.Positions) != 1 || pos.Positions[0].Amount != held {
		t.Fatalf("the refused sale moved charlie's position: %+v", pos)
	}
	ln.mustTx("tx", "subnet", "remove-stake", vali, "1", held, "--limit-price", "0.5", "--from", "charlie")
	ln.query(&pos, "subnet", "positions", charlie)
	if len(pos.Positions) != 0 {
		t.Fatalf("charlie still holds %+v after selling everything", pos)
	}
}
