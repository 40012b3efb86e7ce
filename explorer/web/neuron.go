package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	weightsv1 "github.com/mindnet/mindnet/api/mindnet/weights/v1"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/metagraph"
)

type neuronBody struct {
	Netuid   uint32
	Subnet   string
	Neuron   neuronRow
	Height   int64
	Stake    *subnetv1.QueryStakeResponse
	Given    []weightEntry
	Received []weightEntry
	SetAt    int64
	Charts   []chart
	History  []store.Point // newest first
}

// weightEntry is one weight, normalised over the row it belongs to.
type weightEntry struct {
	UID   uint32
	Label string
	Share float64
	Raw   uint32
}

func (s *Server) neuron(w http.ResponseWriter, r *http.Request) error {
	netuid, err := parseNetuid(r.PathValue("netuid"))
	if err != nil {
		return err
	}
	uid64, err := strconv.ParseUint(r.PathValue("uid"), 10, 32)
	if err != nil {
		return notFound(fmt.Sprintf("%q is not a UID: a UID is a whole number such as 0.", r.PathValue("uid")))
	}
	uid := uint32(uid64)
	sn, err := s.findSubnet(r, netuid)
	if err != nil {
		return err
	}
	var snap *metagraph.Snapshot
	var rows []*weightsv1.WeightRow
	g, gctx := errgroup.WithContext(r.Context())
	g.Go(func() (err error) { snap, err = s.cfg.Node.Metagraph(gctx, netuid, 0); return })
	g.Go(func() (err error) { rows, err = s.cfg.Node.Weights(gctx, netuid); return })
	if err := g.Wait(); err != nil {
		return err
	}
	if int(uid) >= len(snap.Neurons) {
		return notFound(fmt.Sprintf("Subnet %d has no UID %d (it has %d neurons).", netuid, uid, len(snap.Neurons)))
	}
	n := snap.Neurons[uid]
	body := neuronBody{Netuid: netuid, Subnet: sn.GetName(), Neuron: neuronRow{Neuron: n, Label: s.cfg.Labels[n.Hotkey]}, Height: snap.Height}
	body.Stake, err = s.cfg.Node.Stake(r.Context(), n.Hotkey)
	if err != nil {
		return err
	}
	label := func(u uint32) string {
		if int(u) < len(snap.Neurons) {
			return s.cfg.Labels[snap.Neurons[u].Hotkey]
		}
		return ""
	}
	for _, row := range rows {
		var total float64
		for _, v := range row.GetWeights() {
			total += float64(v)
		}
		if total == 0 {
			continue
		}
		for i, j := range row.GetUids() {
			if i >= len(row.GetWeights()) {
				break
			}
			v := row.GetWeights()[i]
			if row.GetUid() == uid {
				body.Given = append(body.Given, weightEntry{UID: j, Label: label(j), Share: float64(v) / total, Raw: v})
				body.SetAt = row.GetSetAt()
			}
			if j == uid {
				body.Received = append(body.Received, weightEntry{UID: row.GetUid(), Label: label(row.GetUid()), Share: float64(v) / total, Raw: v})
			}
		}
	}
	for _, l := range [][]weightEntry{body.Given, body.Received} {
		slices.SortFunc(l, func(a, b weightEntry) int { return cmp.Compare(a.UID, b.UID) })
	}

	epochs, err := s.cfg.Store.Epochs(netuid, s.cfg.Epochs)
	if err != nil {
		return err
	}
	heights := make([]int64, 0, len(epochs))
	for _, e := range epochs {
		if e.UIDs > 0 {
			heights = append(heights, e.Height)
		}
	}
	hist, err := s.cfg.Store.History(netuid, []uint32{uid}, heights)
	if err != nil {
		return err
	}
	pts := hist[uid]
	frac := func(f func(store.Neuron) uint16) func(store.Neuron) float64 {
		return func(n store.Neuron) float64 { return float64(f(n)) / 65535 }
	}
	body.Charts = []chart{
		{ID: "chart-scores", Title: "Scores at each epoch", Unit: "share", X: heights, Series: []series{
			{Label: "incentive", Values: values(heights, pts, frac(func(n store.Neuron) uint16 { return n.Incentive }))},
			{Label: "dividends", Values: values(heights, pts, frac(func(n store.Neuron) uint16 { return n.Dividends }))},
			{Label: "trust", Values: values(heights, pts, frac(func(n store.Neuron) uint16 { return n.Trust }))},
			{Label: "consensus", Values: values(heights, pts, frac(func(n store.Neuron) uint16 { return n.Consensus }))},
		}},
		{ID: "chart-emission", Title: "Emission (α) and stake (voice)", Unit: "α", X: heights, Series: []series{
			{Label: "emission", Values: values(heights, pts, func(n store.Neuron) float64 { return float64(n.Emission) / 1e6 })},
			{Label: "stake", Values: values(heights, pts, func(n store.Neuron) float64 { return float64(n.Stake) / 1e6 })},
		}},
	}
	for i := len(pts) - 1; i >= 0; i-- {
		body.History = append(body.History, pts[i])
	}
	p := s.newPage(fmt.Sprintf("UID %d on subnet %d", uid, netuid), "subnets")
	p.Netuid = strconv.FormatUint(uint64(netuid), 10)
	p.Body = body
	s.render(w, http.StatusOK, "neuron", p)
	return nil
}
