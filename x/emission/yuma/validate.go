package yuma

import "math"

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
	var seen []int32
	for kind, name := range []string{"weights", "bonds"} {
		for i := range in.Neurons {
			row := in.Neurons[i].Weights
			if kind == 1 {
				row = in.Neurons[i].Bonds
			}
			// A row whose UIDs strictly increase up to a valid one has neither fault: the
			// common case costs one comparison per entry.
			if rowIsSorted(row) && (len(row) == 0 || int(row[len(row)-1].UID) < n) {
				continue
			}
			if seen == nil {
				seen = make([]int32, n)
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

// u16AsInteger converts a stored weight or classic bond to the fixed-point integer it
// stands for; subtensor normalises these afterwards.
func u16AsInteger(u uint16) Fixed { return FixedFromInt(int64(u)) }
