package yuma

import "slices"

// buildWeights turns the stored weight rows into the matrix consensus reads, in one pass
// per row: sorted by UID, masked, and normalised to sum to 1.
//
// Masked out are:
//   - every weight set by a neuron without a validator permit from the previous epoch;
//   - self-weights (i = j);
//   - weights set before their target's current holder registered
//     (last_update_i ≤ registered_at_j, as subtensor compares): they were meant for a
//     neuron that has since been replaced.
//
// Commit-reveal subnets mask one more set in subtensor, weights whose commit predates the
// target's registration. The caller applies that by leaving those entries out of the
// rows it passes in: masks commute with each other and all come before normalisation.
//
// Each remaining row is divided by its sum where that sum is positive
// (inplace_row_normalize_sparse). Stored weights are integers, so the I32F32 quotient is
// ⌊u·2^32/Σu⌋ until the sum saturates (integerSumDivisor).
func buildWeights(neurons []Neuron, registeredAt []uint64) *sparseMatrix {
	total := 0
	for i := range neurons {
		if neurons[i].ValidatorPermit {
			total += len(neurons[i].Weights)
		}
	}
	m := newSparseSized(len(neurons), total)
	var scratch []Entry
	w := 0
	for i := range neurons {
		nr := &neurons[i]
		if nr.ValidatorPermit {
			start := w
			var rowSum uint64
			for _, e := range sortedRow(nr.Weights, &scratch) {
				if int(e.UID) == i || nr.LastUpdate <= registeredAt[e.UID] {
					continue
				}
				m.col[w], m.val[w] = e.UID, Fixed(e.Value) // the integer, divided below
				rowSum += uint64(e.Value)
				w++
			}
			if rowSum > 0 {
				d := newIntegerSumDivisor(rowSum)
				for k := start; k < w; k++ {
					m.val[k] = d.div(uint16(m.val[k]))
				}
			}
			// With a zero sum every kept weight is 0, which is also its Fixed value.
		}
		m.rowStart[i+1] = w
	}
	m.truncate()
	return m
}

// sortedRow returns row sorted by UID: row itself when it already is (x/weights keeps
// rows sorted), otherwise a sorted copy in *scratch.
func sortedRow(row []Entry, scratch *[]Entry) []Entry {
	if rowIsSorted(row) {
		return row
	}
	*scratch = append((*scratch)[:0], row...)
	slices.SortFunc(*scratch, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
	return *scratch
}

// rowIsSorted reports whether the UIDs of row strictly increase.
func rowIsSorted(row []Entry) bool {
	for k := 1; k < len(row); k++ {
		if row[k].UID <= row[k-1].UID {
			return false
		}
	}
	return true
}

// registrations lists every neuron's registration block, read once per target by the
// masks.
func registrations(neurons []Neuron) []uint64 {
	out := make([]uint64, len(neurons))
	for i := range neurons {
		out[i] = neurons[i].RegisteredAt
	}
	return out
}

// previousEpochStart is the block subtensor compares registrations with to find bonds
// to neurons that registered since the previous epoch: the block after that epoch, or,
// for a subnet that never ran one, one tempo ago.
func previousEpochStart(in *Input) uint64 {
	if in.LastEpochBlock == 0 {
		if in.Params.Tempo > in.Block {
			return 0
		}
		return in.Block - in.Params.Tempo
	}
	if in.LastEpochBlock == ^uint64(0) {
		return in.LastEpochBlock
	}
	return in.LastEpochBlock + 1
}

// storedBonds are the previous epoch's bond rows, sorted by UID, without the bonds held in
// neurons that registered at or after the start of the previous epoch: a new holder of a
// UID inherits none of the bonds that validators built with the old one. Values stay the
// stored u16s; each bond mode converts them its own way.
type storedBonds struct {
	rowStart []int
	col      []uint16
	value    []uint16
}

func buildStoredBonds(neurons []Neuron, registeredAt []uint64, since uint64) storedBonds {
	total := 0
	for i := range neurons {
		total += len(neurons[i].Bonds)
	}
	b := storedBonds{rowStart: make([]int, len(neurons)+1), col: make([]uint16, total), value: make([]uint16, total)}
	var scratch []Entry
	w := 0
	for i := range neurons {
		for _, e := range sortedRow(neurons[i].Bonds, &scratch) {
			if since > registeredAt[e.UID] {
				b.col[w], b.value[w] = e.UID, e.Value
				w++
			}
		}
		b.rowStart[i+1] = w
	}
	b.col, b.value = b.col[:w], b.value[:w]
	return b
}

func (b storedBonds) row(i int) ([]uint16, []uint16) {
	s, e := b.rowStart[i], b.rowStart[i+1]
	return b.col[s:e], b.value[s:e]
}
