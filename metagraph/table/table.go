package table

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mindnet/mindnet/inference/modelid"
	"github.com/mindnet/mindnet/metagraph"
)

// View is everything one frame shows.
type View struct {
	Snapshot *metagraph.Snapshot
	// Tempo is the subnet's epoch length in blocks; NextEpoch the height of its next epoch block.
	Tempo     uint64
	NextEpoch uint64
	// Labels optionally names hotkeys (for example "miner-1" or "odd-model"), shown in the last column.
	Labels map[string]string
	// Markets are every subnet's pool, by netuid, shown under the neurons; empty shows nothing.
	Markets []Market
}

// Market is one subnet's pool as the table shows it.
type Market struct {
	Netuid uint32
	// Price and PriceEMA are umind per alpha, as the chain's decimal strings.
	Price, PriceEMA string
	// MindReserve and AlphaReserve are the pool's reserves, as the chain's integer strings.
	MindReserve, AlphaReserve string
	// Share is the subnet's part of the subnets' umind emission, in parts per million.
	Share uint32
}

// Role names what a neuron does on the subnet: it serves an axon (a miner), or it holds a validator
// permit or stake without serving (a validator).
func Role(n metagraph.Neuron) string {
	switch {
	case n.Axon != nil:
		return "miner"
	case n.ValidatorPermit || n.Stake > 0:
		return "validator"
	default:
		return "-"
	}
}

// Write renders v to w.
func Write(w io.Writer, v View) error {
	s := v.Snapshot
	if s == nil {
		return fmt.Errorf("no metagraph to show")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "subnet %d at block %d", s.Netuid, s.Height)
	if m := s.Model; m.Name != "" {
		fmt.Fprintf(&b, "   model %s %s", m.Name, modelid.Short(m.Digest))
		if len(m.Precisions) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(m.Precisions, ","))
		}
	}
	if v.Tempo > 0 && v.NextEpoch >= uint64(s.Height) {
		left := v.NextEpoch - uint64(s.Height)
		done := int(v.Tempo) - int(left)
		if done < 0 {
			done = 0
		}
		fmt.Fprintf(&b, "   next epoch at block %d  %s %d/%d blocks", v.NextEpoch, bar(done, int(v.Tempo), 20), done, v.Tempo)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "%4s  %-9s %14s %8s %9s %9s %9s %12s  %s\n",
		"UID", "ROLE", "STAKE", "TRUST", "CONSENSUS", "INCENTIVE", "DIVIDENDS", "EMISSION", "HOTKEY")
	neurons := append([]metagraph.Neuron(nil), s.Neurons...)
	sort.Slice(neurons, func(i, j int) bool { return neurons[i].UID < neurons[j].UID })
	for _, n := range neurons {
		name := shortHotkey(n.Hotkey)
		if label := v.Labels[n.Hotkey]; label != "" {
			name += "  " + label
		}
		fmt.Fprintf(&b, "%4d  %-9s %14d %8.4f %9.4f %9.4f %9.4f %12d  %s\n",
			n.UID, Role(n), n.Stake, n.Trust, n.Consensus, n.Incentive, n.Dividends, n.Emission, name)
	}
	if len(neurons) == 0 {
		b.WriteString("  (no neurons registered yet)\n")
	}
	if len(v.Markets) > 0 {
		fmt.Fprintf(&b, "\n%6s %12s %12s %18s %18s %8s\n", "NETUID", "PRICE", "PRICE EMA", "POOL(umind)", "POOL(alpha)", "SHARE")
		for _, m := range v.Markets {
			fmt.Fprintf(&b, "%6d %12s %12s %18s %18s %7.2f%%\n", m.Netuid, decimal(m.Price, 6), decimal(m.PriceEMA, 6),
				m.MindReserve, m.AlphaReserve, float64(m.Share)/10_000)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// decimal cuts a chain decimal string ("1.234567890123456789") to places digits after the point.
func decimal(s string, places int) string {
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s) > i+1+places {
		return s[:i+1+places]
	}
	return s
}

func bar(done, total, width int) string {
	if total <= 0 {
		return ""
	}
	if done > total {
		done = total
	}
	filled := done * width / total
	return "[" + strings.Repeat("#", filled) + strings.Repeat(".", width-filled) + "]"
}

func shortHotkey(h string) string {
	if len(h) <= 16 {
		return h
	}
	return h[:10] + "…" + h[len(h)-5:]
}
