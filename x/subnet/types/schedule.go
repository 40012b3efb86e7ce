package types

// The epoch schedule is shared by every module that reasons about tempos: x/emission runs a subnet's
// epoch on its epoch blocks, x/weights opens commit-reveal windows by epoch index, and the off-chain
// validator plans its submissions by them. It follows subtensor's stagger: subnet netuid runs its epoch at
// every block b with (b + netuid + 1) mod (tempo + 1) == 0, so subnets with the same tempo fall on
// different blocks.

// IsEpochBlock reports whether the subnet runs its epoch at block height. A tempo of 0 never runs.
func IsEpochBlock(netuid uint32, tempo uint64, height uint64) bool {
	if tempo == 0 {
		return false
	}
	return (height+uint64(netuid)+1)%(tempo+1) == 0
}

// EpochIndex numbers the subnet's tempos: blocks after the epoch of index i-1 up to and including the
// epoch block of index i belong to tempo i. Commit-reveal windows are counted in these indices.
func EpochIndex(netuid uint32, tempo uint64, height uint64) uint64 {
	if tempo == 0 {
		return 0
	}
	return (height + uint64(netuid) + 1 + tempo) / (tempo + 1)
}

// EpochBlock returns the epoch block that closes tempo index i (the inverse of EpochIndex at epoch
// blocks). Index 0 has no epoch block at or above zero for most netuids; it returns 0 there.
func EpochBlock(netuid uint32, tempo uint64, index uint64) uint64 {
	if tempo == 0 || index == 0 {
		return 0
	}
	end := index*(tempo+1) - 1
	if end < uint64(netuid) {
		return 0
	}
	return end - uint64(netuid)
}

// NextEpochBlock returns the first epoch block at or after height, or 0 if the tempo is 0.
func NextEpochBlock(netuid uint32, tempo uint64, height uint64) uint64 {
	if tempo == 0 {
		return 0
	}
	period := tempo + 1
	rem := (height + uint64(netuid) + 1) % period
	if rem == 0 {
		return height
	}
	return height + period - rem
}
