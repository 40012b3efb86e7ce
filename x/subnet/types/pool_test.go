package types_test

import (
	"errors"
	stdmath "math"
	"math/rand/v2"
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func pool(mind, alpha int64) types.Pool {
	p := types.NewPool(1, math.NewInt(mind))
	p.AlphaReserve = math.NewInt(alpha)
	return p
}

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

func TestNewPoolStartsAtPriceOne(t *testing.T) {
	p := types.NewPool(7, math.NewInt(1_000))
	if p.Netuid != 7 || !p.MindReserve.Equal(math.NewInt(1_000)) || !p.AlphaReserve.Equal(math.NewInt(1_000)) ||
		!p.AlphaOutstanding.IsZero() || !p.PriceEma.Equal(math.LegacyOneDec()) || !p.Price().Equal(math.LegacyOneDec()) {
		t.Fatalf("new pool = %+v, price %s", p, p.Price())
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("new pool does not validate: %v", err)
	}
	if got := pool(0, 0).Price(); !got.IsZero() {
		t.Fatalf("empty pool price = %s, want 0", got)
	}
	if got := pool(500, 2_000).Price(); !got.Equal(dec("0.25")) {
		t.Fatalf("price = %s, want 0.25", got)
	}
	if got := pool(1_000, 3).MindValue(math.NewInt(2)); !got.Equal(math.NewInt(666)) {
		t.Fatalf("mind value of 2 alpha at 333.33 = %s, want 666 (rounded down)", got)
	}
}

func TestSwapFeeRoundsUp(t *testing.T) {
	cases := []struct {
		amount int64
		bps    uint32
		want   int64
	}{
		{10_000, 30, 30}, // exact
		{101, 30, 1},     // 0.303 → 1
		{334, 30, 2},     // 1.002 → 2
		{1, 30, 1},       // 0.003 → 1
		{1, 1, 1},        // 0.0001 → 1
		{1_000_000, 0, 0},
		{1_000, 1_000, 100},
		{1_001, 1_000, 101}, // 100.1 → 101
	}
	for _, c := range cases {
		if got := types.SwapFee(math.NewInt(c.amount), c.bps); !got.Equal(math.NewInt(c.want)) {
			t.Errorf("SwapFee(%d, %d) = %s, want %d", c.amount, c.bps, got, c.want)
		}
	}
}

func TestBuyExampleByHand(t *testing.T) {
	// Without fee: out = floor(1000·100 / (1000+100)) = floor(90.9) = 90.
	res, err := pool(1_000, 1_000).Buy(math.NewInt(100), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Out.Equal(math.NewInt(90)) || !res.Fee.IsZero() ||
		!res.Pool.MindReserve.Equal(math.NewInt(1_100)) || !res.Pool.AlphaReserve.Equal(math.NewInt(910)) {
		t.Fatalf("buy 100 from 1000/1000 = out %s fee %s pool %s/%s, want 90, 0, 1100/910",
			res.Out, res.Fee, res.Pool.MindReserve, res.Pool.AlphaReserve)
	}
	// 0.3% fee: fee = ceil(3) = 3, net 997, out = floor(10000·997 / 10997) = floor(906.6) = 906; the whole
	// 1000 enters the pool.
	res, err = pool(10_000, 10_000).Buy(math.NewInt(1_000), 30)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Out.Equal(math.NewInt(906)) || !res.Fee.Equal(math.NewInt(3)) ||
		!res.Pool.MindReserve.Equal(math.NewInt(11_000)) || !res.Pool.AlphaReserve.Equal(math.NewInt(9_094)) {
		t.Fatalf("buy 1000 at 30 bps = out %s fee %s pool %s/%s, want 906, 3, 11000/9094",
			res.Out, res.Fee, res.Pool.MindReserve, res.Pool.AlphaReserve)
	}
	// Fee rounded up: 101 at 30 bps pays 1 (not 0.303), net 100, out = floor(1000·100/1100) = 90.
	res, err = pool(1_000, 1_000).Buy(math.NewInt(101), 30)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Fee.Equal(math.NewInt(1)) || !res.Out.Equal(math.NewInt(90)) || !res.Pool.MindReserve.Equal(math.NewInt(1_101)) {
		t.Fatalf("buy 101 at 30 bps = out %s fee %s, want 90 and 1", res.Out, res.Fee)
	}
}

func TestSellExampleByHand(t *testing.T) {
	// Price 0.5: out = floor(1000·500 / (2000+500)) = 200.
	res, err := pool(1_000, 2_000).Sell(math.NewInt(500), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Out.Equal(math.NewInt(200)) || !res.Fee.IsZero() ||
		!res.Pool.AlphaReserve.Equal(math.NewInt(2_500)) || !res.Pool.MindReserve.Equal(math.NewInt(800)) {
		t.Fatalf("sell 500 = out %s pool %s/%s, want 200 and 800/2500", res.Out, res.Pool.MindReserve, res.Pool.AlphaReserve)
	}
	// 1% fee: fee = ceil(5.01) = 6, net 495, out = floor(1000·495 / 2495) = floor(198.39) = 198.
	res, err = pool(1_000, 2_000).Sell(math.NewInt(501), 100)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Out.Equal(math.NewInt(198)) || !res.Fee.Equal(math.NewInt(6)) ||
		!res.Pool.AlphaReserve.Equal(math.NewInt(2_501)) || !res.Pool.MindReserve.Equal(math.NewInt(802)) {
		t.Fatalf("sell 501 at 1%% = out %s fee %s pool %s/%s, want 198, 6, 802/2501",
			res.Out, res.Fee, res.Pool.MindReserve, res.Pool.AlphaReserve)
	}
	// The swap does not change the pool it was called on.
	p := pool(1_000, 2_000)
	if _, err := p.Sell(math.NewInt(500), 0); err != nil || !p.AlphaReserve.Equal(math.NewInt(2_000)) {
		t.Fatalf("Sell changed its receiver: %+v (%v)", p, err)
	}
}

func TestSwapRefusals(t *testing.T) {
	cases := []struct {
		name string
		swap func() error
		want error
	}{
		{"buy all fee", func() error { _, err := pool(1_000, 1_000).Buy(math.NewInt(1), 30); return err }, types.ErrSwapTooSmall},
		{"sell all fee", func() error { _, err := pool(1_000, 1_000).Sell(math.NewInt(1), 1); return err }, types.ErrSwapTooSmall},
		{"buy gives 0", func() error { _, err := pool(1_000_000, 1).Buy(math.NewInt(1), 0); return err }, types.ErrSwapTooSmall},
		{"sell gives 0", func() error { _, err := pool(10, 1_000_000).Sell(math.NewInt(50_000), 0); return err }, types.ErrSwapTooSmall},
		{"buy from empty pool", func() error { _, err := pool(0, 0).Buy(math.NewInt(100), 0); return err }, types.ErrPoolEmpty},
		{"sell to empty pool", func() error { _, err := pool(0, 0).Sell(math.NewInt(100), 0); return err }, types.ErrPoolEmpty},
		{"buy with no alpha left", func() error { _, err := pool(100, 0).Buy(math.NewInt(100), 0); return err }, types.ErrPoolEmpty},
		{"buy zero", func() error { _, err := pool(1_000, 1_000).Buy(math.ZeroInt(), 0); return err }, types.ErrInvalidAmount},
		{"sell negative", func() error { _, err := pool(1_000, 1_000).Sell(math.NewInt(-5), 0); return err }, types.ErrInvalidAmount},
		{"buy nil", func() error { _, err := pool(1_000, 1_000).Buy(math.Int{}, 0); return err }, types.ErrInvalidAmount},
	}
	for _, c := range cases {
		if err := c.swap(); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestLimitChecks(t *testing.T) {
	after := pool(2_000, 1_000) // price 2
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"buy, no limit", types.CheckBuyLimit(after, nil), nil},
		{"buy, limit above", types.CheckBuyLimit(after, ptr(dec("2.5"))), nil},
		{"buy, limit at price", types.CheckBuyLimit(after, ptr(dec("2"))), nil},
		{"buy, limit below", types.CheckBuyLimit(after, ptr(dec("1.999"))), types.ErrPriceLimit},
		{"sell, no limit", types.CheckSellLimit(after, nil), nil},
		{"sell, limit below", types.CheckSellLimit(after, ptr(dec("1.5"))), nil},
		{"sell, limit at price", types.CheckSellLimit(after, ptr(dec("2"))), nil},
		{"sell, limit above", types.CheckSellLimit(after, ptr(dec("2.001"))), types.ErrPriceLimit},
		{"limit none", types.ValidateLimitPrice(nil), nil},
		{"limit positive", types.ValidateLimitPrice(ptr(dec("0.000001"))), nil},
		{"limit zero", types.ValidateLimitPrice(ptr(math.LegacyZeroDec())), types.ErrInvalidLimitPrice},
		{"limit negative", types.ValidateLimitPrice(ptr(dec("-1"))), types.ErrInvalidLimitPrice},
		{"limit unset", types.ValidateLimitPrice(&math.LegacyDec{}), types.ErrInvalidLimitPrice},
	} {
		if (c.want == nil && c.err != nil) || (c.want != nil && !errors.Is(c.err, c.want)) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
		}
	}
}

func TestEMAFactor(t *testing.T) {
	if got := types.EMAFactor(0); !got.Equal(math.LegacyOneDec()) {
		t.Fatalf("EMAFactor(0) = %s, want 1", got)
	}
	if got := types.EMAFactor(1); !got.Equal(math.LegacyOneDec()) {
		t.Fatalf("EMAFactor(1) = %s, want 1 (capped)", got)
	}
	if got := types.EMAFactor(1_000); !got.Equal(dec("0.000693147180559945")) {
		t.Fatalf("EMAFactor(1000) = %s, want ln2/1000", got)
	}
	// Within 0.4% of the exact per-block factor 1 − 2^(−1/H) from 100 blocks on.
	for _, h := range []uint64{100, 1_000, types.DefaultPriceEMAHalfLife, 100_000, types.MaxPriceEMAHalfLife} {
		got := types.EMAFactor(h).MustFloat64()
		exact := 1 - stdmath.Pow(2, -1/float64(h))
		if got <= 0 || got > 1 || stdmath.Abs(got-exact)/exact > 0.004 {
			t.Errorf("EMAFactor(%d) = %g, exact %g", h, got, exact)
		}
	}
	// Shorter half-lives close more of the gap per block.
	for h := uint64(2); h < 50; h++ {
		if !types.EMAFactor(h).GT(types.EMAFactor(h+1)) || types.EMAFactor(h).GT(math.LegacyOneDec()) {
			t.Fatalf("EMAFactor(%d) = %s, EMAFactor(%d) = %s", h, types.EMAFactor(h), h+1, types.EMAFactor(h+1))
		}
	}
}

func TestNextEMA(t *testing.T) {
	if got := types.NextEMA(dec("1"), dec("3"), dec("0.5")); !got.Equal(dec("2")) {
		t.Fatalf("NextEMA(1, 3, 0.5) = %s, want 2", got)
	}
	if got := types.NextEMA(dec("4"), dec("2"), dec("0.25")); !got.Equal(dec("3.5")) {
		t.Fatalf("NextEMA(4, 2, 0.25) = %s, want 3.5 (moves down too)", got)
	}
	if got := types.NextEMA(dec("1"), dec("7"), math.LegacyOneDec()); !got.Equal(dec("7")) {
		t.Fatalf("factor 1 gives %s, want the price", got)
	}
	if got := types.NextEMA(dec("1"), dec("7"), math.LegacyZeroDec()); !got.Equal(dec("1")) {
		t.Fatalf("factor 0 gives %s, want the average unchanged", got)
	}
}

// TestEMAHalfLife checks that after H blocks of a constant new price the average has closed about half
// the gap, for several half-lives, up and down.
func TestEMAHalfLife(t *testing.T) {
	for _, h := range []uint64{100, 1_000, 5_000} {
		for _, c := range []struct{ from, to string }{{"1", "2"}, {"3", "1.5"}} {
			from, to := dec(c.from), dec(c.to)
			factor := types.EMAFactor(h)
			ema := from
			for i := uint64(0); i < h/2; i++ {
				ema = types.NextEMA(ema, to, factor)
			}
			quarter := ema.Sub(to).Quo(from.Sub(to)).MustFloat64() // share of the gap left after H/2
			for i := h / 2; i < h; i++ {
				ema = types.NextEMA(ema, to, factor)
			}
			left := ema.Sub(to).Quo(from.Sub(to)).MustFloat64()
			if left < 0.49 || left > 0.51 {
				t.Errorf("half-life %d, %s → %s: %.4f of the gap left after %d blocks, want about 0.5", h, c.from, c.to, left, h)
			}
			if quarter < 0.69 || quarter > 0.72 {
				t.Errorf("half-life %d: %.4f of the gap left after %d blocks, want about 0.707", h, quarter, h/2)
			}
		}
	}
}

func TestParseAmount(t *testing.T) {
	for _, s := range []string{"1000000", "1000000umind", " 1000000umind ", "01000000"} {
		got, err := types.ParseAmount(s, "umind")
		if err != nil || !got.Equal(math.NewInt(1_000_000)) {
			t.Errorf("ParseAmount(%q) = %s, %v; want 1000000", s, got, err)
		}
	}
	for _, s := range []string{"0", "0umind", "-5", "1.5", "10uatom", "", "umind", "1e6", "0x10", "0b11", "1_000", "+5", "5 umind"} {
		if got, err := types.ParseAmount(s, "umind"); !errors.Is(err, types.ErrInvalidAmount) {
			t.Errorf("ParseAmount(%q) = %s, %v; want ErrInvalidAmount", s, got, err)
		}
	}
}

func TestPoolValidate(t *testing.T) {
	valid := types.NewPool(3, math.NewInt(1_000))
	if err := valid.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := pool(0, 0).Validate(); err != nil {
		t.Fatalf("an emptied pool (both reserves zero) is valid: %v", err)
	}
	cases := map[string]func(p *types.Pool){
		"negative mind":        func(p *types.Pool) { p.MindReserve = math.NewInt(-1) },
		"nil alpha":            func(p *types.Pool) { p.AlphaReserve = math.Int{} },
		"negative outstanding": func(p *types.Pool) { p.AlphaOutstanding = math.NewInt(-3) },
		"nil outstanding":      func(p *types.Pool) { p.AlphaOutstanding = math.Int{} },
		"nil emitted":          func(p *types.Pool) { p.AlphaEmitted = math.Int{} },
		"negative ema":         func(p *types.Pool) { p.PriceEma = dec("-0.5") },
		"nil ema":              func(p *types.Pool) { p.PriceEma = math.LegacyDec{} },
		"mind without alpha":   func(p *types.Pool) { p.AlphaReserve = math.ZeroInt() },
		"alpha without mind":   func(p *types.Pool) { p.MindReserve = math.ZeroInt() },
	}
	for name, corrupt := range cases {
		p := valid
		corrupt(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("%s: validated", name)
		}
	}
}

// randAmount draws an amount from 1 to 1e15, spread over the orders of magnitude.
func randAmount(r *rand.Rand) math.Int {
	limit := int64(10)
	for range r.IntN(15) {
		limit *= 10
	}
	return math.NewInt(r.Int64N(limit) + 1)
}

func randFee(r *rand.Rand) uint32 {
	if r.IntN(4) == 0 {
		return 0
	}
	return uint32(r.IntN(types.MaxSwapFee + 1))
}

func product(p types.Pool) math.Int { return p.MindReserve.Mul(p.AlphaReserve) }

// expectedRefusal reports whether err is one a valid swap on a non-empty pool may give.
func expectedRefusal(err error) bool { return errors.Is(err, types.ErrSwapTooSmall) }

// TestSwapPropertiesRandomSequences runs random buy/sell sequences by one trader against random pools
// and checks after every swap that umind and alpha are conserved (pool reserve + trader), that the
// product of the reserves never falls, that the fee is SwapFee of the input, and that refusals are only
// ErrSwapTooSmall.
func TestSwapPropertiesRandomSequences(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 7))
	swaps := 0
	for seq := range 2_000 {
		p := types.NewPool(1, randAmount(r))
		p.AlphaReserve = randAmount(r)
		fee := randFee(r)
		traderMind, traderAlpha := randAmount(r), math.ZeroInt()
		totalMind, totalAlpha := p.MindReserve.Add(traderMind), p.AlphaReserve
		for step := range 20 {
			before := p
			var (
				res types.SwapResult
				in  math.Int
				err error
				buy = traderMind.IsPositive() && (traderAlpha.IsZero() || r.IntN(2) == 0)
			)
			if !buy && traderAlpha.IsZero() {
				break
			}
			if buy {
				in = math.MinInt(randAmount(r), traderMind)
				if res, err = p.Buy(in, fee); err == nil {
					traderMind, traderAlpha = traderMind.Sub(in), traderAlpha.Add(res.Out)
				}
			} else {
				in = math.MinInt(randAmount(r), traderAlpha)
				if r.IntN(5) == 0 {
					in = traderAlpha // sell everything now and then
				}
				if res, err = p.Sell(in, fee); err == nil {
					traderAlpha, traderMind = traderAlpha.Sub(in), traderMind.Add(res.Out)
				}
			}
			if err != nil {
				if !expectedRefusal(err) {
					t.Fatalf("seq %d step %d: buy=%v %s on %s/%s fee %d: unexpected error %v", seq, step, buy, in, p.MindReserve, p.AlphaReserve, fee, err)
				}
				continue
			}
			swaps++
			p = res.Pool
			if !p.MindReserve.Add(traderMind).Equal(totalMind) || !p.AlphaReserve.Add(traderAlpha).Equal(totalAlpha) {
				t.Fatalf("seq %d step %d: not conserved: pool %s/%s trader %s/%s, totals %s/%s",
					seq, step, p.MindReserve, p.AlphaReserve, traderMind, traderAlpha, totalMind, totalAlpha)
			}
			if product(p).LT(product(before)) {
				t.Fatalf("seq %d step %d: product fell from %s to %s (buy=%v in %s fee %d)", seq, step, product(before), product(p), buy, in, fee)
			}
			if !res.Fee.Equal(types.SwapFee(in, fee)) || !res.Out.IsPositive() {
				t.Fatalf("seq %d step %d: fee %s out %s for %s at %d bps", seq, step, res.Fee, res.Out, in, fee)
			}
			if !p.MindReserve.IsPositive() || !p.AlphaReserve.IsPositive() {
				t.Fatalf("seq %d step %d: a swap emptied a reserve: %s/%s", seq, step, p.MindReserve, p.AlphaReserve)
			}
		}
	}
	if swaps < 20_000 {
		t.Fatalf("only %d swaps went through: the sequences test too little", swaps)
	}
}

// TestNoFreeRoundTrip checks on random pools that buying with x umind and selling all the alpha
// received returns at most x, and that selling y alpha and buying back with all the umind received
// gives at most y alpha.
func TestNoFreeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(99, 1))
	const cases = 3_000
	buyFirst, sellFirst := 0, 0
	for i := range cases {
		p := types.NewPool(1, randAmount(r))
		p.AlphaReserve = randAmount(r)
		fee := randFee(r)

		x := randAmount(r)
		if bought, err := p.Buy(x, fee); err == nil {
			back, err := bought.Pool.Sell(bought.Out, fee)
			switch {
			case err == nil:
				buyFirst++
				if back.Out.GT(x) {
					t.Fatalf("case %d: buy with %s then sell %s alpha returned %s umind (pool %s/%s fee %d)",
						i, x, bought.Out, back.Out, p.MindReserve, p.AlphaReserve, fee)
				}
			case !expectedRefusal(err):
				t.Fatalf("case %d: sell back: %v", i, err)
			}
		} else if !expectedRefusal(err) {
			t.Fatalf("case %d: buy: %v", i, err)
		}

		y := randAmount(r)
		if sold, err := p.Sell(y, fee); err == nil {
			back, err := sold.Pool.Buy(sold.Out, fee)
			switch {
			case err == nil:
				sellFirst++
				if back.Out.GT(y) {
					t.Fatalf("case %d: sell %s alpha then buy with %s umind gave %s alpha (pool %s/%s fee %d)",
						i, y, sold.Out, back.Out, p.MindReserve, p.AlphaReserve, fee)
				}
			case !expectedRefusal(err):
				t.Fatalf("case %d: buy back: %v", i, err)
			}
		} else if !expectedRefusal(err) {
			t.Fatalf("case %d: sell: %v", i, err)
		}
	}
	if buyFirst < cases/3 || sellFirst < cases/3 {
		t.Fatalf("only %d buy-first and %d sell-first round trips completed out of %d", buyFirst, sellFirst, cases)
	}
}
