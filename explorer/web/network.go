package web

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	emissionv1 "github.com/mindnet/mindnet/api/mindnet/emission/v1"
	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/explorer/chain"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// blockTimeWindow is how many recent blocks the network page averages the block time over.
const blockTimeWindow = 20

type networkBody struct {
	Status    chain.Status
	BlockTime time.Duration
	Issuance  *emissionv1.QueryIssuanceResponse
	Subnets   []subnetRow
}

type subnetRow struct {
	*subnetv1.Subnet
	Tempo     uint64
	MaxUIDs   uint32
	Share     *emissionv1.SubnetShare
	Pool      *subnetv1.PoolInfo // nil for root, which has no pool
	NextEpoch int64
	InBlocks  int64
	Root      bool
}

func (s *Server) network(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.cfg.Node.Status(ctx)
	if err != nil {
		return err
	}
	body := networkBody{Status: st}
	var subnets []*subnetv1.Subnet
	var shares []*emissionv1.SubnetShare
	var pools []*subnetv1.PoolInfo
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { subnets, err = s.cfg.Node.Subnets(gctx); return })
	g.Go(func() (err error) { body.Issuance, err = s.cfg.Node.Issuance(gctx); return })
	g.Go(func() (err error) { shares, err = s.cfg.Node.Shares(gctx); return })
	g.Go(func() (err error) { pools, err = s.cfg.Node.Pools(gctx); return })
	if st.Height > blockTimeWindow && st.Height-blockTimeWindow >= st.EarliestHeight {
		g.Go(func() error {
			b, err := s.cfg.Node.Block(gctx, st.Height-blockTimeWindow)
			if err == nil && !b.Time.IsZero() && !st.Time.IsZero() {
				body.BlockTime = (st.Time.Sub(b.Time) / blockTimeWindow).Round(time.Millisecond)
			}
			return nil // the block time is a nicety; the page stands without it
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	byNetuid := map[uint32]*emissionv1.SubnetShare{}
	for _, sh := range shares {
		byNetuid[sh.GetNetuid()] = sh
	}
	poolOf := map[uint32]*subnetv1.PoolInfo{}
	for _, p := range pools {
		poolOf[p.GetNetuid()] = p
	}
	for _, sn := range subnets {
		row := subnetRow{Subnet: sn, Tempo: sn.GetHyperparameters().GetTempo(), MaxUIDs: sn.GetHyperparameters().GetMaxAllowedUids(),
			Share: byNetuid[sn.GetNetuid()], Pool: poolOf[sn.GetNetuid()], Root: sn.GetNetuid() == subnettypes.RootNetuid}
		if next := subnettypes.NextEpochBlock(sn.GetNetuid(), row.Tempo, uint64(st.Height+1)); next > 0 {
			row.NextEpoch = int64(next)
			row.InBlocks = row.NextEpoch - st.Height
		}
		body.Subnets = append(body.Subnets, row)
	}
	slices.SortFunc(body.Subnets, func(a, b subnetRow) int { return cmp.Compare(a.GetNetuid(), b.GetNetuid()) })
	p := s.newPage("Network", "network")
	p.Head = st
	p.Body = body
	s.render(w, http.StatusOK, "network", p)
	return nil
}
