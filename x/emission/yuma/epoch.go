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
	weights, colCounts := buildCountedWeights(in.Neurons, registeredAt, activeStake)

	// Consensus, clipping and what miners earn. From here on weights holds the weights
	// that bonds are built from; for classic bonds, already scaled by active stake.
	consensus := countedConsensusWeights(weights, activeStake, n, u16Fraction(p.Kappa), colCounts)
	miners, vtrust, deltaSums := clipAndScale(weights, consensus, activeStake, u16Fraction(p.BondsPenalty), n, !p.Yuma3)

	// Bonds and what validators earn.
	old := buildStoredBonds(in.Neurons, registeredAt, previousEpochStart(&in))
	var bonds bondRows
	var dividends []Fixed
	if p.Yuma3 {
		bonds, dividends = yuma3Bonds(weights, old, activeStake, miners.incentive, consensus, p, permits, n)
	} else {
		bonds, dividends = classicBonds(weights, deltaSums, old, miners.incentive, emaAlpha(p.BondsMovingAverage), permits, n)
	}

	shares := splitEmission(miners.incentive, dividends, stake, activeStake)
	payEmission(shares, in.Emission, &out)

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
		r.Bonds = bonds[i]
	}
	return out, nil
}
