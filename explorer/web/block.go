package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/mindnet/mindnet/explorer/chain"
)

type blockBody struct {
	Block  chain.Block
	Events []chain.Event
}

func (s *Server) block(w http.ResponseWriter, r *http.Request) error {
	h, err := strconv.ParseInt(r.PathValue("height"), 10, 64)
	if err != nil || h < 1 {
		return notFound(fmt.Sprintf("%q is not a block height: heights are whole numbers from 1.", r.PathValue("height")))
	}
	st, err := s.cfg.Node.Status(r.Context())
	if err != nil {
		return err
	}
	if h > st.Height {
		return notFound(fmt.Sprintf("Block %d is not made yet: the chain is at %d.", h, st.Height))
	}
	if h < st.EarliestHeight {
		return notFound(fmt.Sprintf("This node no longer keeps block %d (its oldest is %d).", h, st.EarliestHeight))
	}
	var body blockBody
	g, gctx := errgroup.WithContext(r.Context())
	g.Go(func() (err error) { body.Block, err = s.cfg.Node.Block(gctx, h); return })
	g.Go(func() (err error) { body.Events, err = s.cfg.Node.BlockEvents(gctx, h); return })
	if err := g.Wait(); err != nil {
		return err
	}
	p := s.newPage(fmt.Sprintf("Block %d", h), "")
	p.Head = st
	p.Body = body
	s.render(w, http.StatusOK, "block", p)
	return nil
}

type searchBody struct {
	Query   string
	Results []searchResult
}

type searchResult struct{ Href, Text string }

// search takes an address or hotkey (mind1…), a netuid or a block height. One match redirects to
// its page; a number that is both a netuid and a height lists both.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	var results []searchResult
	switch {
	case validAddress(q):
		results = append(results, searchResult{Href: "/accounts/" + url.PathEscape(q), Text: "Account " + q})
	default:
		num := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(q), "#"), "sn")
		if v, err := strconv.ParseInt(num, 10, 64); err == nil && v >= 0 {
			subnets, err := s.cfg.Node.Subnets(r.Context())
			if err != nil {
				return err
			}
			for _, sn := range subnets {
				if int64(sn.GetNetuid()) == v {
					results = append(results, searchResult{Href: fmt.Sprintf("/subnets/%d", v), Text: fmt.Sprintf("Subnet %d · %s", v, sn.GetName())})
				}
			}
			st, err := s.cfg.Node.Status(r.Context())
			if err != nil {
				return err
			}
			if v >= 1 && v <= st.Height {
				results = append(results, searchResult{Href: fmt.Sprintf("/blocks/%d", v), Text: fmt.Sprintf("Block %d", v)})
			}
		}
	}
	if len(results) == 1 {
		http.Redirect(w, r, results[0].Href, http.StatusSeeOther)
		return nil
	}
	status := http.StatusOK
	if len(results) == 0 {
		status = http.StatusNotFound
	}
	p := s.newPage("Search", "")
	p.Query = q
	p.Body = searchBody{Query: q, Results: results}
	s.render(w, status, "search", p)
	return nil
}
