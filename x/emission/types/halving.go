package types

import "cosmossdk.io/math"

// The halving schedule, as Bitcoin and subtensor run it, counted in issuance rather than in blocks:
// the block emission halves each time total issuance crosses the next half of what is left below the
// cap, at cap·(1 − 1/2^k) for k = 1, 2, 3, …. Issuance never passes the cap: the block that reaches it
// mints only what is left, and nothing is minted after.

// maxHalvings bounds the schedule: after this many halvings any 256-bit emission is zero.
const maxHalvings = 256

// HalvingThreshold is the total issuance at which the k-th halving happens: cap − cap/2^k.
func HalvingThreshold(issuanceCap math.Int, k uint32) math.Int {
	rest := issuanceCap
	for i := uint32(0); i < k && rest.IsPositive(); i++ {
		rest = rest.QuoRaw(2)
	}
	return issuanceCap.Sub(rest)
}

// Halvings returns how many halvings total issuance issued has crossed.
func Halvings(issued, issuanceCap math.Int) uint32 {
	rest := issuanceCap
	var k uint32
	for k < maxHalvings && rest.IsPositive() {
		next := rest.QuoRaw(2)
		if issued.LT(issuanceCap.Sub(next)) {
			break
		}
		rest = next
		k++
	}
	return k
}

// BlockEmissionAt is what one block mints when issued umind have been minted so far: block_emission
// halved once per crossed threshold, and never more than what is left below the cap.
func BlockEmissionAt(p Params, issued math.Int) math.Int {
	left := p.IssuanceCap.Sub(issued)
	if !left.IsPositive() {
		return math.ZeroInt()
	}
	e := p.BlockEmission
	for k := Halvings(issued, p.IssuanceCap); k > 0 && e.IsPositive(); k-- {
		e = e.QuoRaw(2)
	}
	return math.MinInt(e, left)
}

// NextHalving returns the issuance at which the emission halves next and the first block expected to
// mint the halved emission, assuming every block after height mints the current block emission. The
// height is 0 when the emission is already zero.
func NextHalving(p Params, issued math.Int, height int64) (math.Int, int64) {
	k := Halvings(issued, p.IssuanceCap)
	threshold := HalvingThreshold(p.IssuanceCap, k+1)
	e := BlockEmissionAt(p, issued)
	if !e.IsPositive() || threshold.LTE(issued) {
		return threshold, 0
	}
	blocks := threshold.Sub(issued).Add(e).SubRaw(1).Quo(e)
	if !blocks.IsInt64() || blocks.Int64() > (1<<62)-height {
		return threshold, 0
	}
	return threshold, height + blocks.Int64() + 1
}
