package yuma

import (
	"math/bits"
	"slices"
)

// activeMask reports which neurons are active: those that set weights within
// activity_cutoff blocks (subtensor: inactive when last_update + cutoff < block).
func activeMask(neurons []Neuron, block, cutoff uint64) []bool {
	active := make([]bool, len(neurons))
	for i := range neurons {
		last := neurons[i].LastUpdate
		limit := last + cutoff
		if limit < last { // saturating add
			limit = ^uint64(0)
		}
		active[i] = limit >= block
	}
	return active
}

// normalizedStake returns every neuron's share of the total stake, counting stake below
// minStake as zero. subtensor divides in I64F64 and then drops 32 fractional bits; that is
// ⌊s_i·2^32 / Σs⌋ exactly, which is what is computed here. validate has bounded Σs by
// 2^63−1.
func normalizedStake(neurons []Neuron, minStake uint64) []Fixed {
	out := make([]Fixed, len(neurons))
	var total uint64
	for i := range neurons {
		if s := neurons[i].Stake; s >= minStake {
			total += s
		}
	}
	if total == 0 {
		return out
	}
	for i := range neurons {
		s := neurons[i].Stake
		if s < minStake || s == 0 {
			continue
		}
		// s ≤ total, so the high word s>>32 is below total and Div64 cannot overflow.
		q, _ := bits.Div64(s>>(64-fracBits), s<<fracBits, total)
		out[i] = Fixed(q)
	}
	return out
}

// newValidatorPermits grants permits to the k neurons with the most (normalised) stake,
// never to one with zero stake. Ties at the cut go to the higher UID: subtensor sorts
// UIDs by stake with a stable ascending sort and withdraws the first n−k, so among equal
// stakes the lower UIDs are withdrawn first (is_topk_nonzero).
func newValidatorPermits(stake []Fixed, k int) []bool {
	n := len(stake)
	permit := make([]bool, n)
	for i, s := range stake {
		permit[i] = s != 0
	}
	if n < k {
		return permit
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case stake[a] < stake[b]:
			return -1
		case stake[a] > stake[b]:
			return 1
		}
		return a - b
	})
	for _, i := range order[:n-k] {
		permit[i] = false
	}
	return permit
}

// activeValidatorStake returns stake masked to active neurons that held a permit from
// the previous epoch, normalised to sum to 1: the voting power in consensus and bonds.
func activeValidatorStake(stake []Fixed, active, permit []bool) []Fixed {
	out := make([]Fixed, len(stake))
	for i, s := range stake {
		if active[i] && permit[i] {
			out[i] = s
		}
	}
	normalize(out)
	return out
}
