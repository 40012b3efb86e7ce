package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// Denom is the chain's base denomination (app.BondDenom, which this package cannot import): root stake
// and what a pool's buyers pay are counted in it.
const Denom = "umind"

// FlagLimitPrice is the limit price flag of add-stake, remove-stake and move-stake.
const FlagLimitPrice = "limit-price"

// Quoter is what the stake commands ask for a quote before they sign: x/subnet's Query client.
type Quoter interface {
	Quote(ctx context.Context, in *types.QueryQuoteRequest, opts ...grpc.CallOption) (*types.QueryQuoteResponse, error)
}

// AddStakeCmd is `add-stake HOTKEY NETUID AMOUNT [--limit-price P]`, signed by the coldkey.
func AddStakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-stake HOTKEY NETUID AMOUNT",
		Short: "Stake AMOUNT umind behind HOTKEY: root stake on netuid 0, alpha bought from the subnet's pool elsewhere (signer: --from coldkey)",
		Long: `Stakes AMOUNT umind (1000000 or 1000000umind) from the signing coldkey behind HOTKEY on NETUID.
On netuid 0 (root) the umind is staked as it is. On any other subnet it buys the subnet's alpha from
its pool, paying the swap fee; before signing, the command asks the node for a quote and prints to
stderr what the swap gives, the fee, the price before and after and the slippage. With --limit-price P
(umind per alpha) the chain refuses the buy if it would move the price above P. On netuid 0 nothing
is swapped and --limit-price is refused.`,
		Example: `mindnetd tx subnet add-stake mind1… 0 100000000umind --from coldkey
mindnetd tx subnet add-stake mind1… 1 100000000 --limit-price 1.05 --from coldkey`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStakeTx(cmd, func(coldkey, limit string) (*types.MsgAddStake, error) {
				return NewAddStakeMsg(coldkey, args[0], args[1], args[2], limit)
			}, AddStakeQuote, func(m *types.MsgAddStake) bool { return m.Netuid != types.RootNetuid })
		},
	}
	cmd.Flags().String(FlagLimitPrice, "", "refuse the buy if it would move the pool's price above this many umind per alpha (subnets only)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// RemoveStakeCmd is `remove-stake HOTKEY NETUID AMOUNT [--limit-price P]`, signed by the coldkey.
func RemoveStakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove-stake HOTKEY NETUID AMOUNT",
		Short: "Unstake AMOUNT behind HOTKEY: umind on netuid 0, alpha sold to the subnet's pool elsewhere (signer: --from coldkey)",
		Long: `Returns the signing coldkey's stake behind HOTKEY on NETUID as umind. On netuid 0 (root) AMOUNT is
umind (1000000 or 1000000umind), returned as it is. On any other subnet AMOUNT is alpha, a plain
integer, sold to the subnet's pool for umind, paying the swap fee; before signing, the command asks
the node for a quote and prints to stderr what the sale gives, the fee, the price before and after and
the slippage. With --limit-price P (umind per alpha) the chain refuses the sale if it would move the
price below P. On netuid 0 nothing is swapped and --limit-price is refused.`,
		Example: `mindnetd tx subnet remove-stake mind1… 0 100000000umind --from coldkey
mindnetd tx subnet remove-stake mind1… 1 5000000 --limit-price 0.95 --from coldkey`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStakeTx(cmd, func(coldkey, limit string) (*types.MsgRemoveStake, error) {
				return NewRemoveStakeMsg(coldkey, args[0], args[1], args[2], limit)
			}, RemoveStakeQuote, func(m *types.MsgRemoveStake) bool { return m.Netuid != types.RootNetuid })
		},
	}
	cmd.Flags().String(FlagLimitPrice, "", "refuse the sale if it would move the pool's price below this many umind per alpha (subnets only)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// MoveStakeCmd is `move-stake ORIGIN_HOTKEY ORIGIN_NETUID DEST_HOTKEY DEST_NETUID AMOUNT [--limit-price P]`,
// signed by the coldkey.
func MoveStakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "move-stake ORIGIN_HOTKEY ORIGIN_NETUID DEST_HOTKEY DEST_NETUID AMOUNT",
		Short: "Move AMOUNT of stake from behind ORIGIN_HOTKEY on ORIGIN_NETUID to DEST_HOTKEY on DEST_NETUID (signer: --from coldkey)",
		Long: `Moves the signing coldkey's stake. AMOUNT is in the origin's unit: umind on netuid 0 (1000000 or
1000000umind), alpha, a plain integer, on any other subnet. On one subnet the stake only changes
hotkey. Between subnets the origin stake is sold to its pool for umind (unless it is root stake) and
the umind buys the destination's alpha (unless the destination is root), each swap paying the fee;
before signing, the command asks the node for quotes and prints to stderr what each swap gives, its
fee, price before and after and slippage, and what arrives. With --limit-price P the chain refuses
the move if it would give fewer than P destination units per unit moved.`,
		Example: `mindnetd tx subnet move-stake mind1… 0 mind1… 1 100000000umind --from coldkey
mindnetd tx subnet move-stake mind1… 1 mind1… 2 5000000 --limit-price 0.9 --from coldkey`,
		Args: cobra.ExactArgs(5),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStakeTx(cmd, func(coldkey, limit string) (*types.MsgMoveStake, error) {
				return NewMoveStakeMsg(coldkey, args[0], args[1], args[2], args[3], args[4], limit)
			}, MoveStakeQuote, func(m *types.MsgMoveStake) bool { return m.OriginNetuid != m.DestinationNetuid })
		},
	}
	cmd.Flags().String(FlagLimitPrice, "", "refuse the move if it gives fewer destination units than this per unit moved")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// stakeMsg is a stake message the commands build, check and sign.
type stakeMsg interface {
	sdk.Msg
	Validate(address.Codec) error
}

// runStakeTx is what add-stake, remove-stake and move-stake share: build the message from the signer
// and --limit-price, check it without state, print the quote when it swaps, then generate or
// broadcast it as any SDK tx command does.
func runStakeTx[M stakeMsg](cmd *cobra.Command, build func(coldkey, limit string) (M, error),
	quote func(context.Context, Quoter, M) (string, error), swaps func(M) bool,
) error {
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return err
	}
	limit, err := cmd.Flags().GetString(FlagLimitPrice)
	if err != nil {
		return err
	}
	coldkey, err := signer(clientCtx)
	if err != nil {
		return err
	}
	msg, err := build(coldkey, limit)
	if err != nil {
		return err
	}
	if err := msg.Validate(clientCtx.InterfaceRegistry.SigningContext().AddressCodec()); err != nil {
		return err
	}
	show := func(q Quoter) (string, error) { return quote(cmd.Context(), q, msg) }
	if err := preview(cmd, clientCtx, show, swaps(msg)); err != nil {
		return err
	}
	return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
}

// signer is the --from address in the chain's address form.
func signer(clientCtx client.Context) (string, error) {
	from := clientCtx.GetFromAddress()
	if from.Empty() {
		return "", fmt.Errorf("no signer: give the coldkey with --from")
	}
	s, err := clientCtx.InterfaceRegistry.SigningContext().AddressCodec().BytesToString(from)
	if err != nil {
		return "", fmt.Errorf("--from: %w", err)
	}
	return s, nil
}

// preview prints the quote to stderr before the SDK's confirmation and broadcast, when the message
// swaps. Offline there is no node to ask; with --generate-only a failed quote is only reported.
func preview(cmd *cobra.Command, clientCtx client.Context, quote func(Quoter) (string, error), swaps bool) error {
	if !swaps || clientCtx.Offline {
		return nil
	}
	text, err := quote(types.NewQueryClient(clientCtx))
	if err != nil {
		if clientCtx.GenerateOnly {
			fmt.Fprintf(cmd.ErrOrStderr(), "no quote: %v\n", err)
			return nil
		}
		return err
	}
	_, err = io.WriteString(cmd.ErrOrStderr(), text)
	return err
}

// ParseNetuid reads a netuid argument.
func ParseNetuid(name, s string) (uint32, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%s %q: give a subnet number from 0 (root): %w", name, s, err)
	}
	return uint32(n), nil
}

// ParseStakeAmount reads an amount of stake on netuid: umind on root (1000000 or 1000000umind), alpha
// elsewhere, which is a plain integer since alpha is not umind.
func ParseStakeAmount(netuid uint32, s string) (math.Int, error) {
	if netuid != types.RootNetuid {
		t := strings.TrimSpace(s)
		if strings.HasSuffix(t, Denom) {
			return math.Int{}, fmt.Errorf("AMOUNT %q: stake on netuid %d is alpha, not %s: give a plain integer of alpha", s, netuid, Denom)
		}
		v, ok := math.NewIntFromString(t)
		if !ok || !v.IsPositive() {
			return math.Int{}, fmt.Errorf("AMOUNT %q: give a positive integer of alpha", s)
		}
		return v, nil
	}
	v, err := types.ParseAmount(s, Denom)
	if err != nil {
		return math.Int{}, fmt.Errorf("AMOUNT: %w", err)
	}
	return v, nil
}

// ParseLimitPrice reads --limit-price: empty for none, else a positive decimal.
func ParseLimitPrice(s string) (*math.LegacyDec, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		return nil, fmt.Errorf("%w: --%s %q: %w", types.ErrInvalidLimitPrice, FlagLimitPrice, s, err)
	}
	if err := types.ValidateLimitPrice(&d); err != nil {
		return nil, fmt.Errorf("--%s %q: %w", FlagLimitPrice, s, err)
	}
	return &d, nil
}

// rootLimit refuses a limit price on root, where nothing is swapped.
func rootLimit(netuid uint32, limit *math.LegacyDec) error {
	if netuid == types.RootNetuid && limit != nil {
		return fmt.Errorf("%w: --%s applies to a subnet's pool; netuid 0 (root) stakes plain umind and swaps nothing",
			types.ErrInvalidLimitPrice, FlagLimitPrice)
	}
	return nil
}

// NewAddStakeMsg builds MsgAddStake from add-stake's arguments; AMOUNT is umind, 1000000 or 1000000umind.
func NewAddStakeMsg(coldkey, hotkey, netuidArg, amountArg, limitArg string) (*types.MsgAddStake, error) {
	netuid, err := ParseNetuid("NETUID", netuidArg)
	if err != nil {
		return nil, err
	}
	amount, err := ParseStakeAmount(types.RootNetuid, amountArg) // what is staked is umind on any subnet
	if err != nil {
		return nil, err
	}
	limit, err := ParseLimitPrice(limitArg)
	if err != nil {
		return nil, err
	}
	if err := rootLimit(netuid, limit); err != nil {
		return nil, err
	}
	return &types.MsgAddStake{Coldkey: coldkey, Hotkey: hotkey, Netuid: netuid, Amount: amount, LimitPrice: limit}, nil
}

// NewRemoveStakeMsg builds MsgRemoveStake from remove-stake's arguments; AMOUNT is umind on netuid 0 and
// alpha elsewhere.
func NewRemoveStakeMsg(coldkey, hotkey, netuidArg, amountArg, limitArg string) (*types.MsgRemoveStake, error) {
	netuid, err := ParseNetuid("NETUID", netuidArg)
	if err != nil {
		return nil, err
	}
	amount, err := ParseStakeAmount(netuid, amountArg)
	if err != nil {
		return nil, err
	}
	limit, err := ParseLimitPrice(limitArg)
	if err != nil {
		return nil, err
	}
	if err := rootLimit(netuid, limit); err != nil {
		return nil, err
	}
	return &types.MsgRemoveStake{Coldkey: coldkey, Hotkey: hotkey, Netuid: netuid, Amount: amount, LimitPrice: limit}, nil
}

// NewMoveStakeMsg builds MsgMoveStake from move-stake's arguments; AMOUNT is in the origin's unit.
func NewMoveStakeMsg(coldkey, origin, originNetuidArg, dest, destNetuidArg, amountArg, limitArg string) (*types.MsgMoveStake, error) {
	originNetuid, err := ParseNetuid("ORIGIN_NETUID", originNetuidArg)
	if err != nil {
		return nil, err
	}
	destNetuid, err := ParseNetuid("DEST_NETUID", destNetuidArg)
	if err != nil {
		return nil, err
	}
	amount, err := ParseStakeAmount(originNetuid, amountArg)
	if err != nil {
		return nil, err
	}
	limit, err := ParseLimitPrice(limitArg)
	if err != nil {
		return nil, err
	}
	return &types.MsgMoveStake{
		Coldkey: coldkey, OriginHotkey: origin, OriginNetuid: originNetuid,
		DestinationHotkey: dest, DestinationNetuid: destNetuid, Amount: amount, LimitPrice: limit,
	}, nil
}

// AddStakeQuote asks for the buy that msg makes and describes it; "" on root, where nothing is swapped.
func AddStakeQuote(ctx context.Context, q Quoter, msg *types.MsgAddStake) (string, error) {
	if msg.Netuid == types.RootNetuid {
		return "", nil
	}
	res, err := quote(ctx, q, msg.Netuid, "buy", msg.Amount)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	writeQuote(&b, msg.Netuid, "buy", msg.Amount, res)
	writeLimit(&b, "buy", res, msg.LimitPrice)
	return b.String(), nil
}

// RemoveStakeQuote asks for the sale that msg makes and describes it; "" on root.
func RemoveStakeQuote(ctx context.Context, q Quoter, msg *types.MsgRemoveStake) (string, error) {
	if msg.Netuid == types.RootNetuid {
		return "", nil
	}
	res, err := quote(ctx, q, msg.Netuid, "sell", msg.Amount)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	writeQuote(&b, msg.Netuid, "sell", msg.Amount, res)
	writeLimit(&b, "sell", res, msg.LimitPrice)
	return b.String(), nil
}

// MoveStakeQuote asks for the swaps that msg makes (a sale on the origin subnet, a buy on the
// destination, either absent on root) and describes them and what arrives; "" when the move stays on
// one subnet, which swaps nothing.
func MoveStakeQuote(ctx context.Context, q Quoter, msg *types.MsgMoveStake) (string, error) {
	if msg.OriginNetuid == msg.DestinationNetuid {
		return "", nil
	}
	var b strings.Builder
	mind := msg.Amount
	if msg.OriginNetuid != types.RootNetuid {
		res, err := quote(ctx, q, msg.OriginNetuid, "sell", msg.Amount)
		if err != nil {
			return "", err
		}
		writeQuote(&b, msg.OriginNetuid, "sell", msg.Amount, res)
		mind = res.AmountOut
	}
	out := mind
	if msg.DestinationNetuid != types.RootNetuid {
		res, err := quote(ctx, q, msg.DestinationNetuid, "buy", mind)
		if err != nil {
			return "", err
		}
		writeQuote(&b, msg.DestinationNetuid, "buy", mind, res)
		out = res.AmountOut
	}
	rate := math.LegacyNewDecFromInt(out).QuoInt(msg.Amount)
	fmt.Fprintf(&b, "move: %s from netuid %d arrives as %s on netuid %d (%s per unit moved)\n",
		unitAmount(msg.OriginNetuid, msg.Amount), msg.OriginNetuid, unitAmount(msg.DestinationNetuid, out), msg.DestinationNetuid, decText(rate))
	if msg.LimitPrice != nil {
		verdict := "met"
		if rate.LT(*msg.LimitPrice) {
			verdict = "NOT met at this quote: the chain would refuse the move now"
		}
		fmt.Fprintf(&b, "limit:        at least %s per unit moved (%s)\n", decText(*msg.LimitPrice), verdict)
	}
	return b.String(), nil
}

func quote(ctx context.Context, q Quoter, netuid uint32, side string, amount math.Int) (*types.QueryQuoteResponse, error) {
	res, err := q.Quote(ctx, &types.QueryQuoteRequest{Netuid: netuid, Side: side, Amount: amount.String()})
	if err != nil {
		return nil, fmt.Errorf("quote the %s on netuid %d: %w", side, netuid, err)
	}
	return res, nil
}

// writeQuote describes one quoted swap of amount on netuid's pool.
func writeQuote(b *strings.Builder, netuid uint32, side string, amount math.Int, res *types.QueryQuoteResponse) {
	in, out := Denom, "alpha"
	verb := "buys"
	if side == "sell" {
		in, out, verb = "alpha", Denom, "sells for"
	}
	fmt.Fprintf(b, "quote on netuid %d (%s): %s %s %s\n", netuid, side, withUnit(amount, in), verb, withUnit(res.AmountOut, out))
	fmt.Fprintf(b, "  fee:          %s (stays in the pool)\n", withUnit(res.Fee, in))
	fmt.Fprintf(b, "  price before: %s umind/alpha\n", decText(parseDec(res.PriceBefore)))
	fmt.Fprintf(b, "  price after:  %s umind/alpha\n", decText(parseDec(res.PriceAfter)))
	fmt.Fprintf(b, "  slippage:     %s\n", percent(parseDec(res.Slippage)))
}

// writeLimit says whether the quoted swap keeps within --limit-price.
func writeLimit(b *strings.Builder, side string, res *types.QueryQuoteResponse, limit *math.LegacyDec) {
	if limit == nil {
		return
	}
	after := parseDec(res.PriceAfter)
	if after.IsNil() {
		return // the node sent no price to compare: say nothing rather than guess
	}
	bound, passed := "at most", after.GT(*limit)
	if side == "sell" {
		bound, passed = "at least", after.LT(*limit)
	}
	verdict := "met"
	if passed {
		verdict = "NOT met at this quote: the chain would refuse the swap now"
	}
	fmt.Fprintf(b, "  limit:        price after %s %s umind/alpha (%s)\n", bound, decText(*limit), verdict)
}

func withUnit(v math.Int, unit string) string {
	if unit == Denom {
		return v.String() + Denom
	}
	return v.String() + " " + unit
}

func unitAmount(netuid uint32, v math.Int) string {
	if netuid == types.RootNetuid {
		return withUnit(v, Denom)
	}
	return withUnit(v, "alpha")
}

// decText writes a decimal without trailing zeros: 1.05, not 1.050000000000000000.
// parseDec reads a decimal string from a query answer; a malformed or empty one gives a nil LegacyDec,
// which decText and percent show as zero.
func parseDec(s string) math.LegacyDec {
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		return math.LegacyDec{}
	}
	return d
}

func decText(d math.LegacyDec) string {
	if d.IsNil() {
		return "0"
	}
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// percent writes a fraction as a percentage to two decimals, rounded: 0.004975 is 0.50%.
func percent(d math.LegacyDec) string {
	if d.IsNil() {
		return "0.00%"
	}
	bp := d.MulInt64(10_000).RoundInt()
	neg := bp.IsNegative()
	bp = bp.Abs()
	whole, frac := bp.QuoRaw(100), bp.ModRaw(100).Int64()
	sign := ""
	if neg {
		sign = "-"
	}
	return fmt.Sprintf("%s%s.%02d%%", sign, whole, frac)
}
