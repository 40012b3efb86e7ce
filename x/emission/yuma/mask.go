package yuma

// maskWeights removes, in place, the weights that Yuma does not count:
//   - every weight set by a neuron without a validator permit from the previous epoch;
//   - self-weights (i = j);
//   - weights set before their target's current holder registered
//     (last_update_i ≤ registered_at_j, as subtensor compares): they were meant for a
//     neuron that has since been replaced.
//
// Commit-reveal subnets mask one more set in subtensor, weights whose commit predates the
// target's registration. The caller applies that by leaving those entries out of the
// rows it passes in: masks commute with each other and all come before normalisation.
func maskWeights(w *sparseMatrix, neurons []Neuron) {
	w.filter(func(i int, j uint16) bool {
		if !neurons[i].ValidatorPermit || int(j) == i {
			return false
		}
		return neurons[i].LastUpdate > neurons[j].RegisteredAt
	})
}

// previousEpochStart is the block subtensor compares registrations with to find bonds
// to neurons that registered since the previous epoch: the block after that epoch, or,
// for a subnet that never ran one, one tempo ago.
func previousEpochStart(in *Input) uint64 {
	if in.LastEpochBlock == 0 {
		if in.Params.Tempo > in.Block {
			return 0
		}
		return in.Block - in.Params.Tempo
	}
	if in.LastEpochBlock == ^uint64(0) {
		return in.LastEpochBlock
	}
	return in.LastEpochBlock + 1
}

// maskNewcomerBonds removes, in place, bonds held in neurons that registered at or after
// the start of the previous epoch: a new holder of a UID inherits none of the bonds that
// validators built with the old one.
func maskNewcomerBonds(b *sparseMatrix, neurons []Neuron, since uint64) {
	b.filter(func(_ int, j uint16) bool {
		return since > neurons[j].RegisteredAt
	})
}
