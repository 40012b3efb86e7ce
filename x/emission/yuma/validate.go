package yuma

import (
	"math"
	"slices"
)

// validate checks everything about the input that the epoch relies on, so that the
// steps after it cannot fail or panic.
func validate(in *Input) error {
	n := len(in.Neurons)
	if n > MaxNeurons {
		return fieldErr("neurons", ErrTooManyNeurons, "%d neurons, at most %d fit in u16 UIDs", n, MaxNeurons)
	}
	p := in.Params
	if p.BondsMovingAverage > 1_000_000 {
		return fieldErr("params.bonds_moving_average", ErrBadParam,
			"%d is above 1000000 (it is in parts per million)", p.BondsMovingAverage)
	}
	if p.AlphaLow > p.AlphaHigh {
		return fieldErr("params.alpha_low", ErrBadParam,
			"alpha_low %d is above alpha_high %d", p.AlphaLow, p.AlphaHigh)
	}
	var total uint64
	for i := range in.Neurons {
		s := in.Neurons[i].Stake
		if s > math.MaxInt64-total {
			return fieldErr(indexed("neurons", i, "stake"), ErrStakeOverflow,
				"total stake exceeds %d umind", uint64(math.MaxInt64))
		}
		total += s
	}
	// seen[j] == stamp marks UID j as already used in the row being checked: one array for
	// all rows, so duplicate detection costs O(n + entries) and touches no map. Stamps stay
	// below 2·MaxNeurons+2, well inside int32.
	seen := make([]int32, n)
	for kind, name := range []string{"weights", "bonds"} {
		for i := range in.Neurons {
			row := in.Neurons[i].Weights
			if kind == 1 {
				row = in.Neurons[i].Bonds
			}
			stamp := int32(2*i + kind + 1)
			for k, e := range row {
				if int(e.UID) >= n {
					return fieldErr(indexedEntry(i, name, k), ErrUIDOutOfRange,
						"uid %d out of range (subnet has %d neurons)", e.UID, n)
				}
				if seen[e.UID] == stamp {
					return fieldErr(indexedEntry(i, name, k), ErrDuplicateUID,
						"uid %d appears twice in the row", e.UID)
				}
				seen[e.UID] = stamp
			}
		}
	}
	return nil
}

func indexed(list string, i int, field string) string {
	return list + "[" + itoa(i) + "]." + field
}

func indexedEntry(i int, row string, k int) string {
	return "neurons[" + itoa(i) + "]." + row + "[" + itoa(k) + "]"
}

func itoa(i int) string {
	var b [20]byte
	pos := len(b)
	if i == 0 {
		return "0"
	}
	for i > 0 {
		pos--
		b[pos] = byte('0' + i%10)
		i /= 10
	}
	return string(b[pos:])
}

// buildRows turns stored rows into a sparse matrix with rows sorted by UID, converting
// each u16 with conv. The input is assumed validated.
func buildRows(neurons []Neuron, bonds bool, conv func(uint16) Fixed) *sparseMatrix {
	total := 0
	for i := range neurons {
		if bonds {
			total += len(neurons[i].Bonds)
		} else {
			total += len(neurons[i].Weights)
		}
	}
	m := newSparse(len(neurons), total)
	for i := range neurons {
		row := neurons[i].Weights
		if bonds {
			row = neurons[i].Bonds
		}
		start := len(m.col)
		for _, e := range row {
			m.push(e.UID, conv(e.Value))
		}
		sortRow(m.col[start:], m.val[start:])
		m.endRow()
	}
	return m
}

// sortRow sorts one row's entries by column. Rows normally arrive sorted (x/weights keeps
// them so), in which case this only checks.
func sortRow(cols []uint16, vals []Fixed) {
	if slices.IsSorted(cols) {
		return
	}
	type pair struct {
		j uint16
		v Fixed
	}
	ps := make([]pair, len(cols))
	for k := range cols {
		ps[k] = pair{cols[k], vals[k]}
	}
	slices.SortFunc(ps, func(a, b pair) int { return int(a.j) - int(b.j) })
	for k, p := range ps {
		cols[k], vals[k] = p.j, p.v
	}
}

// u16AsInteger converts a stored weight or classic bond to the fixed-point integer it
// stands for; subtensor normalises these afterwards.
func u16AsInteger(u uint16) Fixed { return FixedFromInt(int64(u)) }
