package web

import (
	"fmt"
	"html/template"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// funcs are the templates' formatting helpers. None returns template.HTML from chain data: escaping
// stays html/template's job.
var funcs = template.FuncMap{
	"mind":     mind,
	"mindU":    func(v uint64) string { return mind(strconv.FormatUint(v, 10)) },
	"alpha":    alpha,
	"alphaU":   func(v uint64) string { return alpha(strconv.FormatUint(v, 10)) },
	"voiceU":   func(v uint64) string { return amount(strconv.FormatUint(v, 10), "") },
	"price":    price,
	"frac":     func(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) },
	"u16":      func(v uint16) string { return strconv.FormatFloat(float64(v)/65535, 'f', 4, 64) },
	"ppm":      func(v uint32) string { return strconv.FormatFloat(float64(v)/1e4, 'f', 2, 64) + "%" },
	"short":    short,
	"num":      thousands,
	"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"add":      func(a, b int64) int64 { return a + b },
}

// mind formats an amount of umind (a decimal integer string) as MIND with up to six decimals.
func mind(umind string) string { return amount(umind, "MIND") }

// alpha formats an amount of a subnet's alpha in its smallest unit (10⁻⁶ α, as umind is of MIND).
func alpha(units string) string { return amount(units, "α") }

// price formats a pool price (umind per alpha unit, the chain's 18-decimal string) with six decimals.
func price(dec string) string {
	if i := strings.IndexByte(dec, '.'); i >= 0 && len(dec) > i+7 {
		return dec[:i+7]
	}
	return dec
}

// amount formats an integer count of millionths (a decimal string) with up to six decimals and unit
// (none when empty): a stake that mixes alpha and root MIND, as a voice does, has no single unit.
func amount(millionths, unit string) string {
	suffix := ""
	if unit != "" {
		suffix = " " + unit
	}
	v, ok := new(big.Int).SetString(strings.TrimSpace(millionths), 10)
	if !ok {
		if millionths == "" {
			return "0" + suffix
		}
		if unit == "MIND" {
			return millionths + " umind"
		}
		return millionths
	}
	neg := v.Sign() < 0
	v.Abs(v)
	whole, frac := new(big.Int).QuoRem(v, big.NewInt(1_000_000), new(big.Int))
	s := thousandsStr(whole.String())
	if frac.Sign() != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%06d", frac.Int64()), "0")
	}
	if neg {
		s = "-" + s
	}
	return s + suffix
}

func thousands(v any) string {
	switch x := v.(type) {
	case int:
		return thousandsStr(strconv.Itoa(x))
	case int64:
		return thousandsStr(strconv.FormatInt(x, 10))
	case uint32:
		return thousandsStr(strconv.FormatUint(uint64(x), 10))
	case uint64:
		return thousandsStr(strconv.FormatUint(x, 10))
	default:
		return fmt.Sprint(v)
	}
}

func thousandsStr(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// short abbreviates a bech32 address to its prefix and last characters.
func short(addr string) string {
	if len(addr) <= 20 {
		return addr
	}
	return addr[:10] + "…" + addr[len(addr)-6:]
}

func ago(t time.Time, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t).Round(time.Second)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}
