package scoring

import (
	"fmt"
	"slices"
	"strings"
)

// flagCopies zeroes the sampled answers of a group that share their token sequence with another
// miner's answer (see the package documentation for the bounds that keep chance matches out).
func (s *Scorer) flagCopies(results []Result) {
	type key struct {
		group  string
		digest [32]byte
	}
	members := map[key][]int{}
	var order []key // first-seen order, so that flagging does not depend on map iteration
	for i, r := range results {
		if !r.sampled || r.Verdict == nil || r.Tokens < s.cfg.MinCopyTokens || r.surprise < s.cfg.MinCopySurprise {
			continue
		}
		k := key{r.group, r.digest}
		if members[k] == nil {
			order = append(order, k)
		}
		members[k] = append(members[k], i)
	}
	for _, k := range order {
		idx := members[k]
		uids := make([]uint16, 0, len(idx))
		for _, i := range idx {
			if !slices.Contains(uids, results[i].UID) {
				uids = append(uids, results[i].UID)
			}
		}
		if len(uids) < 2 {
			continue
		}
		slices.Sort(uids)
		for _, i := range idx {
			r := &results[i]
			others := make([]string, 0, len(uids)-1)
			for _, u := range uids {
				if u != r.UID {
					others = append(others, fmt.Sprint(u))
				}
			}
			r.Detail = fmt.Sprintf("same %d sampled tokens as UID %s (was %s)", r.Tokens, strings.Join(others, ", "), r.String())
			r.Score, r.Reason = 0, ReasonCopied
		}
	}
}
