package yuma

// Epoch runs one Yuma consensus epoch over a subnet. It is a pure function: the same
// input gives the same output on every machine. It returns a *FieldError for malformed
// input and never panics.
func Epoch(in Input) (Output, error) {
	if err := validate(&in); err != nil {
		return Output{}, err
	}
	n := len(in.Neurons)
	p := in.Params
	out := Output{Neurons: make([]NeuronResult, n), DustUID: -1}

	// Who counts: activity, stake and validator permits.
	active := activeMask(in.Neurons, in.Block, p.ActivityCutoff)
	stake := normalizedStake(in.Neurons, p.MinValidatorStake)
	permits := newValidatorPermits(stake, int(p.MaxAllowedValidators))
	oldPermits := make([]bool, n)
	for i := range in.Neurons {
		oldPermits[i] = in.Neurons[i].ValidatorPermit
	}
	activeStake := activeValidatorStake(stake, active, oldPermits)
	registeredAt := registrations(in.Neurons)

	// Weights: masked, each validator's row normalised to sum to 1.
	weights := buildWeights(in.Neurons, registeredAt)

	// Consensus, clipping and what miners earn. From here on weights holds the weights
	// that bonds are built from.
	consensus := consensusWeights(weights, activeStake, n, u16Fraction(p.Kappa))
	miners, vtrust := clipAndScore(weights, consensus, activeStake, u16Fraction(p.BondsPenalty), n)

	// Bonds and what validators earn.
	old := buildStoredBonds(in.Neurons, registeredAt, previousEpochStart(&in))
	var bonds *sparseMatrix
	var dividends []Fixed
	if p.Yuma3 {
		bonds, dividends = yuma3Bonds(weights, old, activeStake, miners.incentive, consensus, p, n)
	} else {
		bonds, dividends = classicBonds(weights, old, activeStake, miners.incentive, emaAlpha(p.BondsMovingAverage), permits, n)
	}

	shares := splitEmission(miners.incentive, dividends, stake, activeStake)
	payEmission(shares, in.Emission, &out)

	storedBonds := make([]Entry, bondsStoredFor(bonds, permits))
	w := 0
	for i := range out.Neurons {
		r := &out.Neurons[i]
		r.Active = active[i]
		r.Rank = miners.rank[i]
		r.Trust = miners.trust[i]
		r.Consensus = consensus[i]
		r.Incentive = miners.incentive[i]
		r.Dividends = dividends[i]
		r.ValidatorTrust = vtrust[i]
		r.PruningScore = shares.combined[i]
		r.ValidatorPermit = permits[i]
		// Only permitted validators keep bonds; subtensor empties every other row.
		if !permits[i] {
			continue
		}
		cols, vals := bonds.row(i)
		start := w
		for k, j := range cols {
			storedBonds[w] = Entry{UID: j, Value: vals[k].ToU16Proportion()}
			w++
		}
		r.Bonds = storedBonds[start:w:w]
	}
	return out, nil
}

// bondsStoredFor counts the bond entries that permitted validators keep, so that all bond
// rows of the output share one allocation.
func bondsStoredFor(b *sparseMatrix, permits []bool) int {
	total := 0
	for i, ok := range permits {
		if ok {
			total += b.rowStart[i+1] - b.rowStart[i]
		}
	}
	return total
}
