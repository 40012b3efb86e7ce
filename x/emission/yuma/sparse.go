package yuma

// sparseMatrix is an n×n matrix kept row by row (compressed sparse rows). Each row's
// entries are sorted by column. Storage is proportional to the number of entries, never
// to n², so that a large subnet with few weights stays cheap.
//
// An entry may hold 0: subtensor keeps explicitly stored zero weights in its sparse rows,
// and in Yuma 3 with liquid alpha an explicit zero weight still decays the matching bond
// where an absent one drops it.
type sparseMatrix struct {
	rowStart []int // row i is col[rowStart[i]:rowStart[i+1]]
	col      []uint16
	val      []Fixed
}

func newSparse(rows, capacity int) *sparseMatrix {
	m := &sparseMatrix{
		rowStart: make([]int, 1, rows+1),
		col:      make([]uint16, 0, capacity),
		val:      make([]Fixed, 0, capacity),
	}
	return m
}

func (m *sparseMatrix) rows() int { return len(m.rowStart) - 1 }

func (m *sparseMatrix) nnz() int { return len(m.col) }

// push appends an entry to the row being built; columns must come in ascending order.
func (m *sparseMatrix) push(j uint16, v Fixed) {
	m.col = append(m.col, j)
	m.val = append(m.val, v)
}

// endRow closes the row being built.
func (m *sparseMatrix) endRow() { m.rowStart = append(m.rowStart, len(m.col)) }

func (m *sparseMatrix) row(i int) ([]uint16, []Fixed) {
	a, b := m.rowStart[i], m.rowStart[i+1]
	return m.col[a:b], m.val[a:b]
}

// filter keeps, in place, the entries for which keep returns true.
func (m *sparseMatrix) filter(keep func(i int, j uint16) bool) {
	w := 0
	start := 0
	for i := 0; i < m.rows(); i++ {
		end := m.rowStart[i+1]
		for k := start; k < end; k++ {
			if keep(i, m.col[k]) {
				m.col[w], m.val[w] = m.col[k], m.val[k]
				w++
			}
		}
		start = end
		m.rowStart[i+1] = w
	}
	m.col, m.val = m.col[:w], m.val[:w]
}

// rowSums returns Σ_j m_ij for every row (subtensor's row_sum_sparse).
func (m *sparseMatrix) rowSums() []Fixed {
	out := make([]Fixed, m.rows())
	for i := range out {
		_, vals := m.row(i)
		var s Fixed
		for _, v := range vals {
			s = s.Add(v)
		}
		out[i] = s
	}
	return out
}

// normalizeRows divides each row by its sum where that sum is positive
// (inplace_row_normalize_sparse).
func (m *sparseMatrix) normalizeRows() {
	for i := 0; i < m.rows(); i++ {
		_, vals := m.row(i)
		var s Fixed
		for _, v := range vals {
			s = s.Add(v)
		}
		if s <= 0 {
			continue
		}
		for k := range vals {
			vals[k] = vals[k].Div(s)
		}
	}
}

// normalizeColumns divides each entry by its column's sum where that sum is not zero
// (inplace_col_normalize_sparse).
func (m *sparseMatrix) normalizeColumns(n int) {
	sums := make([]Fixed, n)
	for k, j := range m.col {
		sums[j] = sums[j].Add(m.val[k])
	}
	for k, j := range m.col {
		if s := sums[j]; s != 0 {
			m.val[k] = m.val[k].Div(s)
		}
	}
}

// maxUpscaleColumns divides each entry by its column's largest entry, so that every
// column's maximum becomes 1 (inplace_col_max_upscale_sparse).
func (m *sparseMatrix) maxUpscaleColumns(n int) {
	maxes := make([]Fixed, n)
	for k, j := range m.col {
		if m.val[k] > maxes[j] {
			maxes[j] = m.val[k]
		}
	}
	for k, j := range m.col {
		if mx := maxes[j]; mx != 0 {
			m.val[k] = m.val[k].Div(mx)
		}
	}
}

// scaleRows multiplies row i by s_i (row_hadamard_sparse).
func (m *sparseMatrix) scaleRows(s []Fixed) {
	for i := 0; i < m.rows(); i++ {
		_, vals := m.row(i)
		for k := range vals {
			vals[k] = vals[k].Mul(s[i])
		}
	}
}

// weightedColumnSums returns r_j = Σ_i s_i·m_ij (matmul_sparse: the vector times the matrix).
func (m *sparseMatrix) weightedColumnSums(s []Fixed, n int) []Fixed {
	out := make([]Fixed, n)
	for i := 0; i < m.rows(); i++ {
		cols, vals := m.row(i)
		for k, j := range cols {
			out[j] = out[j].Add(s[i].Mul(vals[k]))
		}
	}
	return out
}

// weightedRowSums returns d_i = Σ_j v_j·m_ij (matmul_transpose_sparse: the matrix times
// the vector).
func (m *sparseMatrix) weightedRowSums(v []Fixed) []Fixed {
	out := make([]Fixed, m.rows())
	for i := range out {
		cols, vals := m.row(i)
		var s Fixed
		for k, j := range cols {
			s = s.Add(v[j].Mul(vals[k]))
		}
		out[i] = s
	}
	return out
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
