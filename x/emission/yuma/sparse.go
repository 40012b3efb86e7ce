package yuma

// sparseMatrix is an n×n matrix kept row by row (compressed sparse rows). Each row's
// entries are sorted by column. Storage is proportional to the number of entries, never
// to n², so that a large subnet with few weights stays cheap. The epoch's steps write
// these arrays by index, each step fusing the passes that subtensor makes one after
// another, in the same order per entry, so that every rounding is the same.
//
// An entry may hold 0: subtensor keeps explicitly stored zero weights in its sparse rows,
// and in Yuma 3 with liquid alpha an explicit zero weight still decays the matching bond
// where an absent one drops it.
type sparseMatrix struct {
	rowStart []int // row i is col[rowStart[i]:rowStart[i+1]]
	col      []uint16
	val      []Fixed
}

// newSparseSized returns a matrix of the given number of rows with room for exactly
// capacity entries, to be filled by index.
func newSparseSized(rows, capacity int) *sparseMatrix {
	return &sparseMatrix{
		rowStart: make([]int, rows+1),
		col:      make([]uint16, capacity),
		val:      make([]Fixed, capacity),
	}
}

func (m *sparseMatrix) rows() int { return len(m.rowStart) - 1 }

func (m *sparseMatrix) nnz() int { return len(m.col) }

func (m *sparseMatrix) row(i int) ([]uint16, []Fixed) {
	a, b := m.rowStart[i], m.rowStart[i+1]
	return m.col[a:b], m.val[a:b]
}

// truncate drops the unused tail once every row is written.
func (m *sparseMatrix) truncate() {
	end := m.rowStart[len(m.rowStart)-1]
	m.col, m.val = m.col[:end], m.val[:end]
}

// normalize divides every element by the sum where the sum is not zero
// (inplace_normalize).
func normalize(x []Fixed) {
	s := sum(x)
	if s == 0 {
		return
	}
	for i := range x {
		x[i] = x[i].Div(s)
	}
}

// sum adds x up. Saturation cannot change a result here: every vector summed in the epoch
// is made of non-negative fractions of a whole.
func sum(x []Fixed) Fixed {
	var s Fixed
	for _, v := range x {
		s = s.Add(v)
	}
	return s
}
