package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/client/cli"
	"github.com/mindnet/mindnet/x/subnet/types"
)

const (
	coldkey = "mind1cold"
	hotA    = "mind1hota"
	hotB    = "mind1hotb"
)

// same compares two messages by their encoding, which is deterministic for these flat messages.
func same(a, b interface{ Marshal() ([]byte, error) }) bool {
	x, errX := a.Marshal()
	y, errY := b.Marshal()
	return errX == nil && errY == nil && bytes.Equal(x, y)
}

func dec(s string) *math.LegacyDec {
	d := math.LegacyMustNewDecFromStr(s)
	return &d
}

func TestNewAddStakeMsg(t *testing.T) {
	for _, c := range []struct {
		netuid, amount, limit string
		want                  types.MsgAddStake
	}{
		{"0", "1000000", "", types.MsgAddStake{Netuid: 0, Amount: math.NewInt(1_000_000)}},
		{"0", "1000000umind", "", types.MsgAddStake{Netuid: 0, Amount: math.NewInt(1_000_000)}},
		{"1", " 250umind ", "", types.MsgAddStake{Netuid: 1, Amount: math.NewInt(250)}},
		{"3", "1000000", "1.05", types.MsgAddStake{Netuid: 3, Amount: math.NewInt(1_000_000), LimitPrice: dec("1.05")}},
		// 10^30 umind: amounts are integers of any size.
		{"1", "1" + strings.Repeat("0", 30), "", types.MsgAddStake{Netuid: 1, Amount: math.NewIntWithDecimal(1, 30)}},
	} {
		got, err := cli.NewAddStakeMsg(coldkey, hotA, c.netuid, c.amount, c.limit)
		if err != nil {
			t.Fatalf("add-stake %s %s --limit-price %q: %v", c.netuid, c.amount, c.limit, err)
		}
		c.want.Coldkey, c.want.Hotkey = coldkey, hotA
		if !same(got, &c.want) {
			t.Errorf("add-stake %s %s --limit-price %q: got %+v, want %+v", c.netuid, c.amount, c.limit, got, c.want)
		}
	}
	for _, c := range []struct {
		netuid, amount, limit string
		want                  error
	}{
		{"1", "0", "", types.ErrInvalidAmount},
		{"1", "-5", "", types.ErrInvalidAmount},
		{"1", "1.5", "", types.ErrInvalidAmount},
		{"1", "1000000uatom", "", types.ErrInvalidAmount},
		{"1", "umind", "", types.ErrInvalidAmount},
		{"1", "1MIND", "", types.ErrInvalidAmount},
		{"1", "1000", "0", types.ErrInvalidLimitPrice},
		{"1", "1000", "-1", types.ErrInvalidLimitPrice},
		{"1", "1000", "cheap", types.ErrInvalidLimitPrice},
		// Root swaps nothing, so a limit price there is a mistake.
		{"0", "1000", "1", types.ErrInvalidLimitPrice},
	} {
		if _, err := cli.NewAddStakeMsg(coldkey, hotA, c.netuid, c.amount, c.limit); !errors.Is(err, c.want) {
			t.Errorf("add-stake %s %s --limit-price %q: got %v, want %v", c.netuid, c.amount, c.limit, err, c.want)
		}
	}
	for _, netuid := range []string{"", "x", "-1", "4294967296", "1.0"} {
		if _, err := cli.NewAddStakeMsg(coldkey, hotA, netuid, "1000", ""); err == nil || !strings.Contains(err.Error(), "NETUID") {
			t.Errorf("add-stake NETUID %q: got %v, want an error about NETUID", netuid, err)
		}
	}
}

func TestNewRemoveStakeMsg(t *testing.T) {
	got, err := cli.NewRemoveStakeMsg(coldkey, hotA, "0", "7umind", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := (types.MsgRemoveStake{Coldkey: coldkey, Hotkey: hotA, Netuid: 0, Amount: math.NewInt(7)}); !same(got, &want) {
		t.Errorf("remove-stake on root: got %+v, want %+v", got, want)
	}
	got, err = cli.NewRemoveStakeMsg(coldkey, hotA, "2", "500000", "0.95")
	if err != nil {
		t.Fatal(err)
	}
	if want := (types.MsgRemoveStake{Coldkey: coldkey, Hotkey: hotA, Netuid: 2, Amount: math.NewInt(500_000), LimitPrice: dec("0.95")}); !same(got, &want) {
		t.Errorf("remove-stake on a subnet: got %+v, want %+v", got, want)
	}
	// On a subnet AMOUNT is alpha: umind would be a unit mistake.
	for _, amount := range []string{"500000umind", "0", "-1", "1.5", "many"} {
		if _, err := cli.NewRemoveStakeMsg(coldkey, hotA, "2", amount, ""); err == nil || !strings.Contains(err.Error(), "alpha") {
			t.Errorf("remove-stake of %q alpha: got %v, want an error about alpha", amount, err)
		}
	}
	if _, err := cli.NewRemoveStakeMsg(coldkey, hotA, "0", "5", "2"); !errors.Is(err, types.ErrInvalidLimitPrice) {
		t.Errorf("remove-stake on root with a limit: got %v, want ErrInvalidLimitPrice", err)
	}
	if _, err := cli.NewRemoveStakeMsg(coldkey, hotA, "abc", "5", ""); err == nil {
		t.Error("remove-stake with NETUID abc: no error")
	}
}

func TestNewMoveStakeMsg(t *testing.T) {
	got, err := cli.NewMoveStakeMsg(coldkey, hotA, "0", hotB, "1", "1000000umind", "0.9")
	if err != nil {
		t.Fatal(err)
	}
	want := types.MsgMoveStake{Coldkey: coldkey, OriginHotkey: hotA, OriginNetuid: 0, DestinationHotkey: hotB, DestinationNetuid: 1,
		Amount: math.NewInt(1_000_000), LimitPrice: dec("0.9")}
	if !same(got, &want) {
		t.Errorf("move-stake from root: got %+v, want %+v", got, want)
	}
	got, err = cli.NewMoveStakeMsg(coldkey, hotA, "1", hotA, "2", "300", "")
	if err != nil {
		t.Fatal(err)
	}
	want = types.MsgMoveStake{Coldkey: coldkey, OriginHotkey: hotA, OriginNetuid: 1, DestinationHotkey: hotA, DestinationNetuid: 2, Amount: math.NewInt(300)}
	if !same(got, &want) {
		t.Errorf("move-stake between subnets: got %+v, want %+v", got, want)
	}
	// AMOUNT is in the origin's unit: alpha on subnet 1.
	if _, err := cli.NewMoveStakeMsg(coldkey, hotA, "1", hotB, "0", "300umind", ""); err == nil || !strings.Contains(err.Error(), "alpha") {
		t.Errorf("move-stake of alpha given in umind: got %v, want an error about alpha", err)
	}
	// From root AMOUNT is umind, with or without the denom.
	if _, err := cli.NewMoveStakeMsg(coldkey, hotA, "0", hotB, "1", "0umind", ""); !errors.Is(err, types.ErrInvalidAmount) {
		t.Errorf("move-stake of 0umind: got %v, want ErrInvalidAmount", err)
	}
	for _, c := range [][2]string{{"x", "1"}, {"1", "x"}} {
		if _, err := cli.NewMoveStakeMsg(coldkey, hotA, c[0], hotB, c[1], "1", ""); err == nil {
			t.Errorf("move-stake with netuids %q %q: no error", c[0], c[1])
		}
	}
	if _, err := cli.NewMoveStakeMsg(coldkey, hotA, "1", hotB, "2", "1", "0"); !errors.Is(err, types.ErrInvalidLimitPrice) {
		t.Errorf("move-stake with limit 0: got %v, want ErrInvalidLimitPrice", err)
	}
}

// fakeQuoter answers quotes from a table keyed by "netuid side amount" and records what it was asked.
type fakeQuoter struct {
	answers map[string]*types.QueryQuoteResponse
	asked   []string
}

func (f *fakeQuoter) Quote(_ context.Context, in *types.QueryQuoteRequest, _ ...grpc.CallOption) (*types.QueryQuoteResponse, error) {
	key := fmt.Sprintf("%d %s %s", in.Netuid, in.Side, in.Amount)
	f.asked = append(f.asked, key)
	if res, ok := f.answers[key]; ok {
		return res, nil
	}
	return nil, fmt.Errorf("%w: netuid %d", types.ErrUnknownSubnet, in.Netuid)
}

func quoteRes(out, fee int64, before, after, slippage string) *types.QueryQuoteResponse {
	return &types.QueryQuoteResponse{
		AmountOut: math.NewInt(out), Fee: math.NewInt(fee),
		PriceBefore: math.LegacyMustNewDecFromStr(before).String(), PriceAfter: math.LegacyMustNewDecFromStr(after).String(),
		Slippage: math.LegacyMustNewDecFromStr(slippage).String(),
	}
}

func TestAddStakeQuote(t *testing.T) {
	q := &fakeQuoter{answers: map[string]*types.QueryQuoteResponse{
		"1 buy 1000000": quoteRes(900_000, 3000, "1.0", "1.21", "0.1"),
	}}
	msg, err := cli.NewAddStakeMsg(coldkey, hotA, "1", "1000000umind", "1.2")
	if err != nil {
		t.Fatal(err)
	}
	text, err := cli.AddStakeQuote(t.Context(), q, msg)
	if err != nil {
		t.Fatal(err)
	}
	want := `quote on netuid 1 (buy): 1000000umind buys 900000 alpha
  fee:          3000umind (stays in the pool)
  price before: 1 umind/alpha
  price after:  1.21 umind/alpha
  slippage:     10.00%
  limit:        price after at most 1.2 umind/alpha (NOT met at this quote: the chain would refuse the swap now)
`
	if text != want {
		t.Errorf("quote text:\n%s\nwant:\n%s", text, want)
	}

	// Root stake swaps nothing: no quote is asked for.
	q.asked = nil
	msg, _ = cli.NewAddStakeMsg(coldkey, hotA, "0", "1000000", "")
	if text, err := cli.AddStakeQuote(t.Context(), q, msg); err != nil || text != "" || len(q.asked) != 0 {
		t.Errorf("root add-stake: text %q, err %v, asked %v; want no quote", text, err, q.asked)
	}

	// A quote the node refuses stops the command before it signs.
	msg, _ = cli.NewAddStakeMsg(coldkey, hotA, "9", "1000000", "")
	if _, err := cli.AddStakeQuote(t.Context(), q, msg); !errors.Is(err, types.ErrUnknownSubnet) || !strings.Contains(err.Error(), "netuid 9") {
		t.Errorf("quote on an unknown subnet: got %v", err)
	}
}

func TestRemoveStakeQuote(t *testing.T) {
	q := &fakeQuoter{answers: map[string]*types.QueryQuoteResponse{
		"2 sell 500000": quoteRes(476_190, 1500, "1.000000000000000000", "0.907029478458049886", "0.047619047619047619"),
	}}
	msg, err := cli.NewRemoveStakeMsg(coldkey, hotA, "2", "500000", "0.9")
	if err != nil {
		t.Fatal(err)
	}
	text, err := cli.RemoveStakeQuote(t.Context(), q, msg)
	if err != nil {
		t.Fatal(err)
	}
	want := `quote on netuid 2 (sell): 500000 alpha sells for 476190umind
  fee:          1500 alpha (stays in the pool)
  price before: 1 umind/alpha
  price after:  0.907029478458049886 umind/alpha
  slippage:     4.76%
  limit:        price after at least 0.9 umind/alpha (met)
`
	if text != want {
		t.Errorf("quote text:\n%s\nwant:\n%s", text, want)
	}
	msg, _ = cli.NewRemoveStakeMsg(coldkey, hotA, "0", "5", "")
	if text, err := cli.RemoveStakeQuote(t.Context(), q, msg); err != nil || text != "" {
		t.Errorf("root remove-stake: text %q, err %v; want no quote", text, err)
	}
}

func TestMoveStakeQuote(t *testing.T) {
	q := &fakeQuoter{answers: map[string]*types.QueryQuoteResponse{
		"1 sell 1000": quoteRes(900, 3, "1", "0.9", "0.1"),
		"2 buy 900":   quoteRes(450, 3, "2", "2.1", "0.0"),
		"2 buy 1000":  quoteRes(495, 3, "2", "2.1", "0.01"),
	}}

	// Subnet to subnet: the sale's umind is what the buy spends.
	msg, _ := cli.NewMoveStakeMsg(coldkey, hotA, "1", hotB, "2", "1000", "0.5")
	text, err := cli.MoveStakeQuote(t.Context(), q, msg)
	if err != nil {
		t.Fatal(err)
	}
	want := `quote on netuid 1 (sell): 1000 alpha sells for 900umind
  fee:          3 alpha (stays in the pool)
  price before: 1 umind/alpha
  price after:  0.9 umind/alpha
  slippage:     10.00%
quote on netuid 2 (buy): 900umind buys 450 alpha
  fee:          3umind (stays in the pool)
  price before: 2 umind/alpha
  price after:  2.1 umind/alpha
  slippage:     0.00%
move: 1000 alpha from netuid 1 arrives as 450 alpha on netuid 2 (0.45 per unit moved)
limit:        at least 0.5 per unit moved (NOT met at this quote: the chain would refuse the move now)
`
	if text != want {
		t.Errorf("quote text:\n%s\nwant:\n%s", text, want)
	}
	if want := []string{"1 sell 1000", "2 buy 900"}; strings.Join(q.asked, "|") != strings.Join(want, "|") {
		t.Errorf("asked %v, want %v", q.asked, want)
	}

	// Root to a subnet: only the buy.
	msg, _ = cli.NewMoveStakeMsg(coldkey, hotA, "0", hotB, "2", "1000umind", "")
	if text, err = cli.MoveStakeQuote(t.Context(), q, msg); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "quote on netuid 2 (buy): 1000umind buys 495 alpha\n") ||
		!strings.HasSuffix(text, "move: 1000umind from netuid 0 arrives as 495 alpha on netuid 2 (0.495 per unit moved)\n") {
		t.Errorf("root to subnet:\n%s", text)
	}

	// A subnet to root: only the sale, and what arrives is umind.
	msg, _ = cli.NewMoveStakeMsg(coldkey, hotA, "1", hotB, "0", "1000", "")
	if text, err = cli.MoveStakeQuote(t.Context(), q, msg); err != nil {
		t.Fatal(err)
	}
	if strings.Count(text, "quote on") != 1 || !strings.HasSuffix(text, "move: 1000 alpha from netuid 1 arrives as 900umind on netuid 0 (0.9 per unit moved)\n") {
		t.Errorf("subnet to root:\n%s", text)
	}

	// Between hotkeys on one subnet nothing is swapped.
	q.asked = nil
	msg, _ = cli.NewMoveStakeMsg(coldkey, hotA, "1", hotB, "1", "1000", "")
	if text, err := cli.MoveStakeQuote(t.Context(), q, msg); err != nil || text != "" || len(q.asked) != 0 {
		t.Errorf("move on one subnet: text %q, err %v, asked %v; want no quote", text, err, q.asked)
	}
}
