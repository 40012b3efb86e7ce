package yuma

// Entry is one element of a sparse row as stored on chain: a UID and a u16 value.
type Entry struct {
	UID   uint16
	Value uint16
}

// Params are the subnet hyperparameters that the epoch reads.
type Params struct {
	// Kappa is the majority, as a fraction of 65535, that consensus is taken at.
	Kappa uint16
	// ActivityCutoff is how many blocks after its last weight update a neuron stays active.
	ActivityCutoff uint64
	// MaxAllowedValidators is how many neurons may hold a validator permit.
	MaxAllowedValidators uint16
	// BondsMovingAverage is the weight of the old bonds in the bonds EMA, in parts per
	// million (at most 1,000,000).
	BondsMovingAverage uint64
	// BondsPenalty, a fraction of 65535, is how far bonds follow clipped rather than raw
	// weights: 0 builds bonds from raw weights, 65535 from weights clipped at consensus.
	BondsPenalty uint16
	// Yuma3 selects Yuma 3 bonds (each bond an EMA of its own weight, stored as a fraction
	// of 65535) instead of classic bonds (column-normalised EMA, stored max-upscaled).
	Yuma3 bool
	// LiquidAlpha gives every bond its own EMA rate between AlphaLow and AlphaHigh (Yuma 3).
	LiquidAlpha bool
	// AlphaLow and AlphaHigh bound the liquid alpha, as fractions of 65535.
	AlphaLow, AlphaHigh uint16
	// AlphaSigmoidSteepness shapes the liquid alpha sigmoid (subtensor's i16 parameter).
	AlphaSigmoidSteepness int16
	// MinValidatorStake is the stake below which a neuron's stake counts as zero: it can
	// neither hold a permit nor weigh in consensus.
	MinValidatorStake uint64
	// Tempo is the subnet's epoch interval in blocks. It is read only when the subnet has
	// never run an epoch (LastEpochBlock = 0), to date the previous one.
	Tempo uint64
}

// Neuron is one UID's state at the start of the epoch. Its index in Input.Neurons is its UID.
type Neuron struct {
	// Stake is the neuron's total stake in umind.
	Stake uint64
	// ValidatorPermit is the permit granted by the previous epoch.
	ValidatorPermit bool
	// LastUpdate is the block at which the neuron last set weights.
	LastUpdate uint64
	// RegisteredAt is the block at which the current holder of the UID registered.
	RegisteredAt uint64
	// Weights is the neuron's weight row as stored: u16 values scaled so that the largest is
	// 65535. Entries may come in any UID order; a UID may appear once.
	Weights []Entry
	// Bonds is the neuron's bond row as stored by the previous epoch.
	Bonds []Entry
}

// Input is everything one epoch reads.
type Input struct {
	// Block is the current block height.
	Block uint64
	// LastEpochBlock is the block of the subnet's previous epoch, 0 if it never ran one.
	LastEpochBlock uint64
	// Emission is the amount, in umind, that this epoch distributes.
	Emission uint64
	Params   Params
	Neurons  []Neuron
}

// NeuronResult is one UID's outcome of the epoch.
type NeuronResult struct {
	// Active reports whether the neuron set weights within the activity cutoff.
	Active bool
	// Rank is the neuron's normalised stake-weighted clipped weight (equal to Incentive).
	Rank Fixed
	// Trust is the share of the neuron's received weight that survived clipping.
	Trust Fixed
	// Consensus is the stake-weighted kappa-median of the weights the neuron received.
	Consensus Fixed
	// Incentive is the neuron's share of the miners' half of the emission.
	Incentive Fixed
	// Dividends is the neuron's share of the validators' half of the emission.
	Dividends Fixed
	// ValidatorTrust is the share of the neuron's own weight that survived clipping.
	ValidatorTrust Fixed
	// PruningScore is the neuron's normalised share of the whole emission; the neuron
	// with the lowest score is replaced first when the subnet is full.
	PruningScore Fixed
	// ServerEmission and ValidatorEmission are the miner and validator parts of the
	// neuron's emission in umind, each rounded down as subtensor rounds them.
	ServerEmission, ValidatorEmission uint64
	// Emission is ServerEmission + ValidatorEmission, plus Output.Dust for the one neuron
	// named by Output.DustUID.
	Emission uint64
	// ValidatorPermit is the permit for the next epoch.
	ValidatorPermit bool
	// Bonds is the new bond row, sorted by UID, encoded as it is stored: classic bonds
	// with each column scaled so that its largest entry is 65535, Yuma 3 bonds as
	// fractions of 65535. It is empty for neurons without a new validator permit.
	Bonds []Entry
}

// Output is the outcome of one epoch.
type Output struct {
	// Neurons holds one result per UID, in UID order.
	Neurons []NeuronResult
	// Dust is the emission left over after every share was rounded down.
	Dust uint64
	// DustUID is the UID whose Emission includes Dust, or -1 when no neuron earned
	// anything, in which case Dust (then the whole input emission) is not distributed.
	DustUID int
}
