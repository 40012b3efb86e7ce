package web

import (
	"fmt"
	"slices"

	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/metagraph"
)

// maxHeatmapColumns bounds the heatmap's width: a subnet with more UIDs groups neighbouring UIDs into
// one column, whose cell shows the share of the validator's weight that the group gets.
const maxHeatmapColumns = 256

// heatmap is the weight matrix as an SVG: one row per validator (a UID with a validator permit or a
// weight row), one column per UID (or group of UIDs), each cell's opacity its share of the row.
type heatmap struct {
	Rows, Cols   int
	Group        int // UIDs per column
	Width        int
	Height       int
	Cells        []cell
	RowLabels    []axisLabel
	ColLabels    []axisLabel
	CellW, CellH int
}

type cell struct {
	X, Y    int
	Opacity string
	Title   string
}

type axisLabel struct {
	Pos  int
	Text string
}

const (
	heatCellW   = 14
	heatCellH   = 18
	heatLeft    = 110
	heatTop     = 26
	maxCellsTip = 4096 // above this many cells, cells carry no tooltip, to keep the page small
)

func buildHeatmap(snap *metagraph.Snapshot, rows []*weightsv1.WeightRow, labels map[string]string) heatmap {
	n := len(snap.Neurons)
	byUID := map[uint32]*weightsv1.WeightRow{}
	for _, r := range rows {
		if int(r.GetUid()) < n && len(r.GetUids()) > 0 {
			byUID[r.GetUid()] = r
		}
	}
	var validators []uint32
	for _, nr := range snap.Neurons {
		if _, ok := byUID[nr.UID]; ok || nr.ValidatorPermit {
			validators = append(validators, nr.UID)
		}
	}
	slices.Sort(validators)
	h := heatmap{Rows: len(validators), Group: 1}
	if n == 0 || len(validators) == 0 {
		return h
	}
	for (n+h.Group-1)/h.Group > maxHeatmapColumns {
		h.Group *= 2
	}
	h.Cols = (n + h.Group - 1) / h.Group
	h.CellW, h.CellH = heatCellW, heatCellH
	if h.Cols > 64 {
		h.CellW = 4
	}
	h.Width = heatLeft + h.Cols*h.CellW + 4
	h.Height = heatTop + h.Rows*h.CellH + 4
	tips := h.Rows*h.Cols <= maxCellsTip
	for ri, v := range validators {
		name := fmt.Sprintf("UID %d", v)
		if l := labels[snap.Neurons[v].Hotkey]; l != "" {
			name += " " + l
		}
		h.RowLabels = append(h.RowLabels, axisLabel{Pos: heatTop + ri*h.CellH + h.CellH*2/3, Text: name})
		r, ok := byUID[v]
		if !ok {
			continue
		}
		var total float64
		for _, w := range r.GetWeights() {
			total += float64(w)
		}
		if total == 0 {
			continue
		}
		shares := make([]float64, h.Cols)
		for i, j := range r.GetUids() {
			if int(j) < n && i < len(r.GetWeights()) {
				shares[int(j)/h.Group] += float64(r.GetWeights()[i]) / total
			}
		}
		for c, sh := range shares {
			if sh <= 0 {
				continue
			}
			ce := cell{X: heatLeft + c*h.CellW, Y: heatTop + ri*h.CellH, Opacity: fmt.Sprintf("%.3f", 0.12+0.88*sh)}
			if tips {
				target := fmt.Sprintf("UID %d", c*h.Group)
				if h.Group > 1 {
					target = fmt.Sprintf("UIDs %d-%d", c*h.Group, min((c+1)*h.Group, n)-1)
				}
				ce.Title = fmt.Sprintf("%s → %s: %.2f%% of its weight", name, target, 100*sh)
			}
			h.Cells = append(h.Cells, ce)
		}
	}
	every := 1 // label every column while cells are wide enough for a number, else every 16th
	if h.CellW < heatCellW {
		every = 16
	}
	for c := 0; c < h.Cols; c += every {
		h.ColLabels = append(h.ColLabels, axisLabel{Pos: heatLeft + c*h.CellW + h.CellW/2, Text: fmt.Sprint(c * h.Group)})
	}
	return h
}
