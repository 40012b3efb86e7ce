package web

import (
	"net/http"
	"strings"
	"time"

	govv1 "cosmossdk.io/api/cosmos/gov/v1"
	"golang.org/x/sync/errgroup"

	"github.com/mindnet/mindnet/explorer/chain"
)

type proposalView struct {
	ID        uint64
	Title     string
	Summary   string
	Metadata  string
	Proposer  string
	Status    string
	StatusKey string // for the badge's class
	Messages  []string
	Submitted time.Time
	VotingEnd time.Time
	Failed    string
	Tally     [4]tallyItem
	Votes     []voteView
	Voting    bool
}

type tallyItem struct{ Option, Amount string }

type voteView struct{ Voter, Option string }

// statusText turns PROPOSAL_STATUS_VOTING_PERIOD into "voting period".
func statusText(s govv1.ProposalStatus) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.String(), "PROPOSAL_STATUS_")), "_", " ")
}

func optionText(o govv1.VoteOption) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(o.String(), "VOTE_OPTION_")), "_", " ")
}

func (s *Server) proposals(w http.ResponseWriter, r *http.Request) error {
	props, err := s.cfg.Node.Proposals(r.Context())
	if err != nil {
		return err
	}
	views := make([]proposalView, len(props))
	g, gctx := errgroup.WithContext(r.Context())
	g.SetLimit(4)
	for i, p := range props {
		views[i] = viewProposal(p)
		if !views[i].Voting {
			continue
		}
		g.Go(func() error {
			votes, err := s.cfg.Node.Votes(gctx, p.GetId())
			if err != nil {
				return err
			}
			for _, v := range votes {
				var opts []string
				for _, o := range v.GetOptions() {
					opts = append(opts, optionText(o.GetOption()))
				}
				views[i].Votes = append(views[i].Votes, voteView{Voter: v.GetVoter(), Option: strings.Join(opts, ", ")})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	p := s.newPage("Governance proposals", "proposals")
	p.Body = views
	s.render(w, http.StatusOK, "proposals", p)
	return nil
}

func viewProposal(p chain.Proposal) proposalView {
	v := proposalView{
		ID: p.GetId(), Title: p.GetTitle(), Summary: p.GetSummary(), Metadata: p.GetMetadata(), Proposer: p.GetProposer(),
		Status: statusText(p.GetStatus()), StatusKey: strings.ReplaceAll(statusText(p.GetStatus()), " ", "-"),
		Failed: p.GetFailedReason(), Voting: p.GetStatus() == govv1.ProposalStatus_PROPOSAL_STATUS_VOTING_PERIOD,
	}
	if t := p.GetSubmitTime(); t != nil {
		v.Submitted = t.AsTime()
	}
	if t := p.GetVotingEndTime(); t != nil {
		v.VotingEnd = t.AsTime()
	}
	for _, m := range p.GetMessages() {
		v.Messages = append(v.Messages, m.GetTypeUrl())
	}
	t := p.Tally
	if t == nil {
		t = &govv1.TallyResult{}
	}
	v.Tally = [4]tallyItem{{"yes", t.GetYesCount()}, {"no", t.GetNoCount()}, {"abstain", t.GetAbstainCount()}, {"no with veto", t.GetNoWithVetoCount()}}
	return v
}
