package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"sync"

	basev1beta1 "cosmossdk.io/api/cosmos/base/v1beta1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"golang.org/x/sync/errgroup"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
)

// addressPrefix is Mindnet's bech32 account prefix.
const addressPrefix = "mind"

type accountBody struct {
	Address  string
	Label    string
	Balances []*basev1beta1.Coin
	Stakes   *subnetv1.QueryPositionsResponse // positions this address holds as a coldkey
	AsHotkey *subnetv1.QueryStakeResponse     // set when the address is a registered hotkey
	Owned    []placement                      // neurons whose coldkey is this address
	Held     []placement                      // neurons whose hotkey is this address
}

type placement struct {
	Netuid uint32
	UID    uint32
	Hotkey string
	Label  string
	Stake  uint64
}

func validAddress(s string) bool {
	prefix, _, err := bech32.DecodeAndConvert(s)
	return err == nil && prefix == addressPrefix
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	addr := r.PathValue("address")
	if !validAddress(addr) {
		return notFound(fmt.Sprintf("%q is not a Mindnet address (they start with %s1).", addr, addressPrefix))
	}
	body := accountBody{Address: addr, Label: s.cfg.Labels[addr]}
	ctx := r.Context()
	var subnets []*subnetv1.Subnet
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { body.Balances, err = s.cfg.Node.Balances(gctx, addr); return })
	g.Go(func() (err error) { body.Stakes, err = s.cfg.Node.Positions(gctx, addr); return })
	g.Go(func() (err error) { body.AsHotkey, err = s.cfg.Node.Stake(gctx, addr); return })
	g.Go(func() (err error) { subnets, err = s.cfg.Node.Subnets(gctx); return })
	if err := g.Wait(); err != nil {
		return err
	}
	// Hotkeys owned and UIDs held come from the metagraphs: x/subnet keeps no index by coldkey.
	var mu sync.Mutex
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, sn := range subnets {
		g.Go(func() error {
			snap, err := s.cfg.Node.Metagraph(gctx, sn.GetNetuid(), 0)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			for _, n := range snap.Neurons {
				pl := placement{Netuid: sn.GetNetuid(), UID: n.UID, Hotkey: n.Hotkey, Label: s.cfg.Labels[n.Hotkey], Stake: n.Stake}
				if n.Coldkey == addr {
					body.Owned = append(body.Owned, pl)
				}
				if n.Hotkey == addr {
					body.Held = append(body.Held, pl)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	sortPlacements(body.Owned)
	sortPlacements(body.Held)
	if body.AsHotkey != nil && body.AsHotkey.GetOwner() == "" {
		body.AsHotkey = nil
	}
	if len(body.Balances) == 0 && len(body.Stakes.GetPositions()) == 0 && body.AsHotkey == nil && len(body.Owned) == 0 && len(body.Held) == 0 {
		return notFound(fmt.Sprintf("The chain knows nothing of %s: no balance, no stake, no hotkeys.", addr))
	}
	p := s.newPage("Account "+short(addr), "")
	p.Body = body
	s.render(w, http.StatusOK, "account", p)
	return nil
}

func sortPlacements(ps []placement) {
	slices.SortFunc(ps, func(a, b placement) int {
		return cmp.Or(cmp.Compare(a.Netuid, b.Netuid), cmp.Compare(a.UID, b.UID))
	})
}
