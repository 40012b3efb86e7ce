package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/reflect/protoreflect"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

type subnetBody struct {
	Subnet    *subnetv1.Subnet
	Hyper     []param
	Pending   *emissionv1.QueryPendingEmissionResponse
	NextEpoch int64
	InBlocks  int64
	Height    int64
	Columns   []column
	Rows      []neuronRow
	Heatmap   heatmap
	Charts    []chart
	Epochs    []store.Epoch // newest first, for the table
	RowsHTML  template.HTML // the metagraph's rows, sorted (rows.go)
}

type param struct{ Name, Value string }

type neuronRow struct {
	metagraph.Neuron
	Label string
}

// column is one sortable metagraph column.
type column struct {
	Key, Label, Title string
	Numeric           bool
	Sorted            string // "ascending", "descending" or ""
	Href              string
	cmp               func(a, b *neuronRow) int
}

func byFloat(f func(*neuronRow) float64) func(a, b *neuronRow) int {
	return func(a, b *neuronRow) int { return cmp.Compare(f(a), f(b)) }
}

// metagraphColumns are the metagraph's columns in display order; every one sorts.
func metagraphColumns() []column {
	return []column{
		{Key: "uid", Label: "UID", Numeric: true, cmp: func(a, b *neuronRow) int { return cmp.Compare(a.UID, b.UID) }},
		{Key: "role", Label: "Role", Title: "V: holds a validator permit", cmp: func(a, b *neuronRow) int {
			return cmp.Compare(boolInt(a.ValidatorPermit), boolInt(b.ValidatorPermit))
		}},
		{Key: "hotkey", Label: "Hotkey", cmp: func(a, b *neuronRow) int { return cmp.Compare(a.Label+a.Hotkey, b.Label+b.Hotkey) }},
		{Key: "coldkey", Label: "Coldkey", cmp: func(a, b *neuronRow) int { return cmp.Compare(a.Coldkey, b.Coldkey) }},
		{Key: "stake", Label: "Stake", Title: "voice: alpha on this subnet plus root_weight of root stake", Numeric: true, cmp: func(a, b *neuronRow) int { return cmp.Compare(a.Stake, b.Stake) }},
		{Key: "rank", Label: "Rank", Numeric: true, cmp: byFloat(func(n *neuronRow) float64 { return n.Rank })},
		{Key: "trust", Label: "Trust", Numeric: true, cmp: byFloat(func(n *neuronRow) float64 { return n.Trust })},
		{Key: "consensus", Label: "Consensus", Numeric: true, cmp: byFloat(func(n *neuronRow) float64 { return n.Consensus })},
		{Key: "incentive", Label: "Incentive", Numeric: true, cmp: byFloat(func(n *neuronRow) float64 { return n.Incentive })},
		{Key: "dividends", Label: "Dividends", Numeric: true, cmp: byFloat(func(n *neuronRow) float64 { return n.Dividends })},
		{Key: "emission", Label: "Emission", Numeric: true, cmp: func(a, b *neuronRow) int { return cmp.Compare(a.Emission, b.Emission) }},
		{Key: "vtrust", Label: "VTrust", Title: "validator trust", Numeric: true, cmp: byFloat(func(n *neuronRow) float64 { return n.ValidatorTrust })},
		{Key: "active", Label: "Active", cmp: func(a, b *neuronRow) int { return cmp.Compare(boolInt(a.Active), boolInt(b.Active)) }},
		{Key: "updated", Label: "Updated", Title: "block of the last weights set", Numeric: true, cmp: func(a, b *neuronRow) int { return cmp.Compare(a.LastUpdate, b.LastUpdate) }},
		{Key: "registered", Label: "Registered", Numeric: true, cmp: func(a, b *neuronRow) int { return cmp.Compare(a.RegisteredAt, b.RegisteredAt) }},
		{Key: "axon", Label: "Axon", cmp: func(a, b *neuronRow) int { return cmp.Compare(axonString(a.Axon), axonString(b.Axon)) }},
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func axonString(a *metagraph.Axon) string {
	if a == nil {
		return ""
	}
	return fmt.Sprintf("%s:%d", a.IP, a.Port)
}

// sortRows orders rows by the column key in order ("asc" or "desc"; numeric columns default to
// descending), ties by UID, and marks the columns' state and links.
func sortRows(rows []neuronRow, cols []column, key, order string) {
	var by *column
	for i := range cols {
		if cols[i].Key == key {
			by = &cols[i]
		}
	}
	if by == nil {
		by, order = &cols[0], "asc"
	}
	if order != "asc" && order != "desc" {
		order = "asc"
		if by.Numeric && by.Key != "uid" {
			order = "desc"
		}
	}
	// Sort pointers, not the rows themselves (about 200 bytes each); ties go by UID, so the order is
	// total and needs no stable sort.
	ptrs := make([]*neuronRow, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	slices.SortFunc(ptrs, func(a, b *neuronRow) int {
		c := by.cmp(a, b)
		if order == "desc" {
			c = -c
		}
		if c == 0 {
			return cmp.Compare(a.UID, b.UID)
		}
		return c
	})
	sorted := make([]neuronRow, len(rows))
	for i, p := range ptrs {
		sorted[i] = *p
	}
	copy(rows, sorted)
	for i := range cols {
		next := "desc"
		if cols[i].Key == "uid" || !cols[i].Numeric {
			next = "asc"
		}
		if &cols[i] == by {
			cols[i].Sorted = map[string]string{"asc": "ascending", "desc": "descending"}[order]
			next = map[string]string{"asc": "desc", "desc": "asc"}[order]
		}
		cols[i].Href = "?" + url.Values{"sort": {cols[i].Key}, "order": {next}}.Encode() + "#metagraph"
	}
}

func parseNetuid(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, notFound(fmt.Sprintf("%q is not a netuid: a netuid is a whole number such as 1.", s))
	}
	return uint32(v), nil
}

// findSubnet returns the subnet, or a 404 naming the netuids that exist.
func (s *Server) findSubnet(r *http.Request, netuid uint32) (*subnetv1.Subnet, error) {
	subnets, err := s.cfg.Node.Subnets(r.Context())
	if err != nil {
		return nil, err
	}
	for _, sn := range subnets {
		if sn.GetNetuid() == netuid {
			return sn, nil
		}
	}
	return nil, notFound(fmt.Sprintf("There is no subnet %d on this chain.", netuid))
}

func (s *Server) subnet(w http.ResponseWriter, r *http.Request) error {
	netuid, err := parseNetuid(r.PathValue("netuid"))
	if err != nil {
		return err
	}
	sn, err := s.findSubnet(r, netuid)
	if err != nil {
		return err
	}
	body := subnetBody{Subnet: sn, Hyper: hyperparams(sn.GetHyperparameters())}
	var snap *metagraph.Snapshot
	var rows []*weightsv1.WeightRow
	g, gctx := errgroup.WithContext(r.Context())
	g.Go(func() (err error) { snap, err = s.cfg.Node.Metagraph(gctx, netuid, 0); return })
	g.Go(func() (err error) { rows, err = s.cfg.Node.Weights(gctx, netuid); return })
	g.Go(func() (err error) { body.Pending, err = s.cfg.Node.Pending(gctx, netuid); return })
	if err := g.Wait(); err != nil {
		return err
	}
	body.Height = snap.Height
	if next := subnettypes.NextEpochBlock(netuid, sn.GetHyperparameters().GetTempo(), uint64(snap.Height+1)); next > 0 {
		body.NextEpoch, body.InBlocks = int64(next), int64(next)-snap.Height
	}
	body.Rows = make([]neuronRow, len(snap.Neurons))
	for i, n := range snap.Neurons {
		body.Rows[i] = neuronRow{Neuron: n, Label: s.cfg.Labels[n.Hotkey]}
	}
	body.Heatmap = buildHeatmap(snap, rows, s.cfg.Labels)

	epochs, err := s.cfg.Store.Epochs(netuid, s.cfg.Epochs)
	if err != nil {
		return err
	}
	body.Charts, err = s.subnetCharts(netuid, snap, epochs)
	if err != nil {
		return err
	}
	for i := len(epochs) - 1; i >= 0 && len(body.Epochs) < 10; i-- {
		body.Epochs = append(body.Epochs, epochs[i])
	}

	body.Columns = metagraphColumns()
	q := r.URL.Query()
	sortRows(body.Rows, body.Columns, q.Get("sort"), q.Get("order"))
	body.RowsHTML = metagraphHTML(strconv.FormatUint(uint64(netuid), 10), body.Rows)

	p := s.newPage(fmt.Sprintf("Subnet %d · %s", netuid, sn.GetName()), "subnets")
	p.Netuid = strconv.FormatUint(uint64(netuid), 10)
	p.Body = body
	s.render(w, http.StatusOK, "subnet", p)
	return nil
}

// hyperparams lists every hyperparameter the chain reports, in the proto's field order, so that a
// field added to the chain shows up without a change here.
func hyperparams(h *subnetv1.Hyperparameters) []param {
	if h == nil {
		return nil
	}
	var out []param
	fields := h.ProtoReflect().Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		v := h.ProtoReflect().Get(fd)
		var s string
		switch fd.Kind() {
		case protoreflect.BoolKind:
			s = strconv.FormatBool(v.Bool())
		case protoreflect.StringKind:
			s = v.String()
		default:
			s = fmt.Sprint(v.Interface())
		}
		out = append(out, param{Name: string(fd.Name()), Value: s})
	}
	return out
}

// subnetCharts draws incentive, dividends and emission over the stored epochs, one line per UID for
// the top cfg.Series UIDs by the latest value (every UID on a small subnet).
func (s *Server) subnetCharts(netuid uint32, snap *metagraph.Snapshot, epochs []store.Epoch) ([]chart, error) {
	heights := make([]int64, 0, len(epochs))
	for _, e := range epochs {
		if e.UIDs > 0 {
			heights = append(heights, e.Height)
		}
	}
	metrics := []struct {
		id, title, unit string
		now             func(metagraph.Neuron) float64
		val             func(store.Neuron) float64
	}{
		{"incentive", "Incentive per UID", "share", func(n metagraph.Neuron) float64 { return n.Incentive }, func(n store.Neuron) float64 { return float64(n.Incentive) / 65535 }},
		{"dividends", "Dividends per UID", "share", func(n metagraph.Neuron) float64 { return n.Dividends }, func(n store.Neuron) float64 { return float64(n.Dividends) / 65535 }},
		{"emission", "Emission per UID", "α", func(n metagraph.Neuron) float64 { return float64(n.Emission) }, func(n store.Neuron) float64 { return float64(n.Emission) / 1e6 }},
	}
	picked := make([][]uint32, len(metrics))
	union := map[uint32]bool{}
	for i, m := range metrics {
		picked[i] = topUIDs(snap.Neurons, s.cfg.Series, m.now)
		for _, u := range picked[i] {
			union[u] = true
		}
	}
	uids := make([]uint32, 0, len(union))
	for u := range union {
		uids = append(uids, u)
	}
	slices.Sort(uids)
	hist, err := s.cfg.Store.History(netuid, uids, heights)
	if err != nil {
		return nil, err
	}
	out := make([]chart, len(metrics))
	for i, m := range metrics {
		c := chart{ID: "chart-" + m.id, Title: m.title, Unit: m.unit, X: heights}
		for _, u := range picked[i] {
			label := fmt.Sprintf("UID %d", u)
			if int(u) < len(snap.Neurons) {
				if l := s.cfg.Labels[snap.Neurons[u].Hotkey]; l != "" {
					label += " " + l
				}
			}
			c.Series = append(c.Series, series{Label: label, Values: values(heights, hist[u], m.val)})
		}
		out[i] = c
	}
	return out, nil
}

// topUIDs returns up to n UIDs with the largest value (ties: lower UID), in UID order.
func topUIDs(ns []metagraph.Neuron, n int, value func(metagraph.Neuron) float64) []uint32 {
	idx := make([]int, len(ns))
	for i := range idx {
		idx[i] = i
	}
	if len(ns) > n {
		slices.SortStableFunc(idx, func(a, b int) int { return -cmp.Compare(value(ns[a]), value(ns[b])) })
		idx = idx[:n]
	}
	out := make([]uint32, len(idx))
	for i, j := range idx {
		out[i] = ns[j].UID
	}
	slices.Sort(out)
	return out
}

// values lines points up with heights; a height without a point is null (a gap in the line).
func values(heights []int64, pts []store.Point, val func(store.Neuron) float64) []*float64 {
	out := make([]*float64, len(heights))
	j := 0
	for i, h := range heights {
		for j < len(pts) && pts[j].Height < h {
			j++
		}
		if j < len(pts) && pts[j].Height == h {
			v := val(pts[j].Neuron)
			out[i] = &v
		}
	}
	return out
}

// chart is one history chart: explorer.js draws it with uPlot, and the template also writes its
// numbers as a table for readers without JavaScript.
type chart struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Unit   string   `json:"unit"`
	X      []int64  `json:"x"`
	Series []series `json:"series"`
}

type series struct {
	Label  string     `json:"label"`
	Values []*float64 `json:"values"`
}

// Rows of the no-script table: one per height.
func (c chart) Rows() [][]string {
	out := make([][]string, len(c.X))
	for i, h := range c.X {
		row := []string{strconv.FormatInt(h, 10)}
		for _, s := range c.Series {
			if v := s.Values[i]; v != nil {
				row = append(row, strconv.FormatFloat(*v, 'f', 4, 64))
			} else {
				row = append(row, "")
			}
		}
		out[i] = row
	}
	return out
}
