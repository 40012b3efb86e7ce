package types

import (
	"fmt"
	"math/bits"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// maxWindowBlock keeps every reveal-window block well inside int64.
const maxWindowBlock = 1 << 62

// RevealWindow returns the blocks, both inclusive, in which a commit made at block committedAt on
// netuid may be revealed: the whole tempo whose index (x/subnet's EpochIndex, staggered by netuid) is
// period after the commit's. A commit made in tempo e is revealed in tempo e+period and has expired
// after it. It fails (ErrNoEpochs) for a tempo of 0, which has no epochs, for a period of 0, and for
// windows beyond 2^62.
func RevealWindow(netuid uint32, tempo, period uint64, committedAt int64) (start, end int64, err error) {
	if tempo == 0 {
		return 0, 0, fmt.Errorf("%w: netuid %d has tempo 0", ErrNoEpochs, netuid)
	}
	// x/subnet bounds commit_reveal_period below by 1; a window in the commit's own tempo would let the
	// commit and its reveal share a block, which hides nothing.
	if period == 0 {
		return 0, 0, fmt.Errorf("%w: netuid %d has commit_reveal_period 0", ErrNoEpochs, netuid)
	}
	if committedAt < 0 {
		return 0, 0, fmt.Errorf("commit block %d is negative", committedAt)
	}
	commitIndex := subnettypes.EpochIndex(netuid, tempo, uint64(committedAt))
	revealIndex, carry := bits.Add64(commitIndex, period, 0)
	hi, lo := bits.Mul64(revealIndex, tempo+1)
	if carry != 0 || hi != 0 || tempo+1 == 0 || lo > maxWindowBlock {
		return 0, 0, fmt.Errorf("%w: tempo %d with commit_reveal_period %d puts the window beyond block 2^62", ErrNoEpochs, tempo, period)
	}
	// The tempo of index i runs from the block after epoch block i-1 through epoch block i. With
	// period >= 1, epoch block revealIndex-1 is at or after the commit's block, so the window starts
	// after the commit.
	first := subnettypes.EpochBlock(netuid, tempo, revealIndex-1) + 1
	last := subnettypes.EpochBlock(netuid, tempo, revealIndex)
	return int64(first), int64(last), nil
}
