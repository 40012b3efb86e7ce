package yuma

// minerScores holds what the epoch learns about miners from the clipped weights.
type minerScores struct {
	rank      []Fixed // normalised Σ_i s_i·clipped_ij; also the incentive
	trust     []Fixed // Σ_i s_i·clipped_ij / Σ_i s_i·w_ij, before normalisation
	incentive []Fixed
}

// scoreMiners computes rank, trust and incentive. Rank is the active stake-weighted sum
// of clipped weights each miner received, normalised to sum to 1; incentive equals rank.
// Trust is the fraction of a miner's stake-weighted weight that clipping kept.
func scoreMiners(w, clipped *sparseMatrix, activeStake []Fixed, n int) minerScores {
	preranks := w.weightedColumnSums(activeStake, n)
	ranks := clipped.weightedColumnSums(activeStake, n)
	trust := make([]Fixed, n)
	for j := range trust {
		trust[j] = ranks[j].Div(preranks[j])
	}
	normalize(ranks)
	incentive := append([]Fixed(nil), ranks...)
	return minerScores{rank: ranks, trust: trust, incentive: incentive}
}

// validatorTrust is, for each validator, the sum of its normalised weights that survived
// clipping: 1 for a validator that agreed with consensus everywhere.
func validatorTrust(clipped *sparseMatrix) []Fixed { return clipped.rowSums() }
