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
	m, _ := buildCountedWeights(neurons, registeredAt, nil)
	return m
}

// buildCountedWeights is buildWeights that also counts, for consensus, the positive
// weights that validators with active stake gave each miner: colStart[j+1] for miner j
// (consensusWeights' first pass), when activeStake is not nil.
func buildCountedWeights(neurons []Neuron, registeredAt []uint64, activeStake []Fixed) (m *sparseMatrix, colStart []int) {
	if activeStake != nil {
		colStart = make([]int, len(neurons)+1)
	}
	total := 0
	for i := range neurons {
		if neurons[i].ValidatorPermit {
			total += len(neurons[i].Weights)
		}
	}
	m = newSparseSized(len(neurons), total)
	var scratch []Entry
	w := 0
	for i := range neurons {
		nr := &neurons[i]
		if nr.ValidatorPermit {
			col, val := m.col[w:w+len(nr.Weights)], m.val[w:w+len(nr.Weights)]
			kept, rowSum, sorted := maskRow(nr.Weights, i, nr.LastUpdate, registeredAt, col, val)
			if !sorted {
				kept, rowSum, _ = maskRow(sortedRow(nr.Weights, &scratch), i, nr.LastUpdate, registeredAt, col, val)
			}
			if rowSum > 0 {
				d := newIntegerSumDivisor(rowSum)
				counting := colStart != nil && activeStake[i] > 0
				for k := range val[:kept] {
					u := uint16(val[k])
					q, ok := d.quick(u)
					if !ok {
						q = d.div(u)
					}
					val[k] = q
					if counting && q > 0 {
						colStart[col[k]+1]++
					}
				}
			}
			// With a zero sum every kept weight is 0, which is also its Fixed value.
			w += kept
		}
		m.rowStart[i+1] = w
	}
	m.truncate()
	return m, colStart
}

// maskRow copies the weights of neuron i's row that survive the masks into col and val,
// values still the stored integers, and returns how many it kept and their sum. It checks
// the row's order as it goes, and stops with sorted false at the first UID out of order,
// so that a row already sorted, the common case, is read once.
func maskRow(row []Entry, i int, lastUpdate uint64, registeredAt []uint64, col []uint16, val []Fixed) (
	kept int, sum uint64, sorted bool) {
	prev := -1
	for _, e := range row {
		if int(e.UID) <= prev {
			return 0, 0, false
		}
		prev = int(e.UID)
		if int(e.UID) == i || lastUpdate <= registeredAt[e.UID] {
			continue
		}
		col[kept], val[kept] = e.UID, Fixed(e.Value) // the integer, divided by the caller
		sum += uint64(e.Value)
		kept++
	}
	return kept, sum, true
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
	// rows[i] is neuron i's row. A stored row that is already sorted and loses nothing to
	// the newcomer mask, the steady state, is used as it is rather than copied: the epoch
	// only reads it.
	rows [][]Entry
	// colSums[j] is Σ_i of the kept stored values in column j, which classic bonds
	// normalise by; u16s summed over at most 65536 rows cannot overflow.
	colSums []uint64
}

func buildStoredBonds(neurons []Neuron, registeredAt []uint64, since uint64) storedBonds {
	b := storedBonds{rows: make([][]Entry, len(neurons)), colSums: make([]uint64, len(neurons))}
	var copied []Entry // kept entries of the rows that had to be sorted or masked
	for i := range neurons {
		row := neurons[i].Bonds
		kept, prev, sorted := 0, -1, true
		for _, e := range row {
			sorted = sorted && int(e.UID) > prev
			prev = int(e.UID)
			if since > registeredAt[e.UID] {
				b.colSums[e.UID] += uint64(e.Value)
				kept++
			}
		}
		if kept == len(row) && sorted {
			b.rows[i] = row
			continue
		}
		start := len(copied)
		for _, e := range row {
			if since > registeredAt[e.UID] {
				copied = append(copied, e)
			}
		}
		masked := copied[start:len(copied):len(copied)]
		slices.SortFunc(masked, func(a, c Entry) int { return int(a.UID) - int(c.UID) })
		b.rows[i] = masked
	}
	return b
}
