package yuma

import (
	"math"
	"math/bits"
)

// emissionShares are the normalised shares of the epoch's emission.
type emissionShares struct {
	server    []Fixed // incentive / Σ(incentive + dividends)
	validator []Fixed // dividends / Σ(incentive + dividends)
	combined  []Fixed // (incentive + dividends) normalised; also the pruning score
}

// splitEmission divides the emission between miners and validators. Incentive and
// dividends each sum to 1 (or 0), so when both exist miners get half by incentive and
// validators half by dividends. When neither exists (no weights, only self-weights,
// only outdated weights) the validators' share follows active stake, or all stake if no
// stake is active, and miners get nothing, as in subtensor.
func splitEmission(incentive, dividends, stake, activeStake []Fixed) emissionShares {
	n := len(incentive)
	sh := emissionShares{
		server:    make([]Fixed, n),
		validator: make([]Fixed, n),
		combined:  make([]Fixed, n),
	}
	for i := 0; i < n; i++ {
		sh.combined[i] = incentive[i].Add(dividends[i])
	}
	total := sum(sh.combined)
	if total == 0 {
		fallback := activeStake
		if sum(activeStake) == 0 {
			fallback = stake
		}
		copy(sh.server, incentive)
		copy(sh.validator, fallback)
		copy(sh.combined, fallback)
		return sh
	}
	for i := 0; i < n; i++ {
		sh.server[i] = incentive[i].Div(total)
		sh.validator[i] = dividends[i].Div(total)
		sh.combined[i] = sh.combined[i].Div(total)
	}
	return sh
}

// shareOf returns ⌊share·emission⌋ in umind, as subtensor computes it in I96F32.
func shareOf(share Fixed, emission uint64) uint64 {
	if share <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(share), emission)
	if hi>>fracBits != 0 {
		return math.MaxUint64
	}
	return hi<<(64-fracBits) | lo>>fracBits
}

// payEmission turns shares into umind. Each part is rounded down as subtensor rounds it;
// what rounding leaves over (the dust, a few umind per neuron at most) goes whole to the
// single largest part: the neuron holding it (lowest UID on a tie, miner part before
// validator part) gets it added to that part. If every part is 0 nobody earned anything,
// and the dust, then the whole emission, is reported undistributed (DustUID = −1).
func payEmission(sh emissionShares, emission uint64, out *Output) {
	var paid uint64
	best, bestValidator := -1, false
	var bestAmount uint64
	for i := range out.Neurons {
		r := &out.Neurons[i]
		r.ServerEmission = shareOf(sh.server[i], emission)
		r.ValidatorEmission = shareOf(sh.validator[i], emission)
		paid += r.ServerEmission + r.ValidatorEmission
		if r.ServerEmission > bestAmount {
			best, bestValidator, bestAmount = i, false, r.ServerEmission
		}
		if r.ValidatorEmission > bestAmount {
			best, bestValidator, bestAmount = i, true, r.ValidatorEmission
		}
	}
	for i := range out.Neurons {
		r := &out.Neurons[i]
		r.Emission = r.ServerEmission + r.ValidatorEmission
	}
	// Shares are truncated, so they sum to at most 1 + 1 rounding unit per part, never
	// enough to pay out more than the emission; the guard keeps that a certainty.
	if paid > emission {
		paid = emission
	}
	out.Dust = emission - paid
	out.DustUID = best
	if best < 0 || out.Dust == 0 {
		return
	}
	r := &out.Neurons[best]
	if bestValidator {
		r.ValidatorEmission += out.Dust
	} else {
		r.ServerEmission += out.Dust
	}
	r.Emission += out.Dust
}
