package simulation

import (
	"fmt"
	"math/rand"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// Keys under which a simulator params file (-Params) may fix a generated value instead of drawing it.
const (
	ParamMaxSubnets            = "subnet_max_subnets"
	ParamMinSubnetLock         = "subnet_min_subnet_lock"
	ParamSubnetImmunityPeriod  = "subnet_subnet_immunity_period"
	ParamDefaultMaxAllowedUIDs = "subnet_default_max_allowed_uids"
	ParamDefaultImmunityPeriod = "subnet_default_immunity_period"
	ParamDefaultMinBurn        = "subnet_default_min_burn"
)

// RandomizedGenState writes a random x/subnet genesis. The params are drawn so that a short run
// exercises every rule: few subnet slots, a small creation lock and subnet immunity (subnets get
// replaced), small subnets with short neuron immunity (neurons get pruned), cheap registration with a
// short adjustment interval (the burn moves). Governance bounds stay at their defaults. There are no
// subnets beyond the root one InitGenesis creates and no stake: the bank genesis funds no module account.
func RandomizedGenState(simState *module.SimulationState) {
	p := types.DefaultParams()
	h := &p.DefaultHyperparameters
	ap, r := simState.AppParams, simState.Rand
	ap.GetOrGenerate(ParamMaxSubnets, &p.MaxSubnets, r, func(r *rand.Rand) { p.MaxSubnets = uint32(3 + r.Intn(6)) })
	ap.GetOrGenerate(ParamMinSubnetLock, &p.MinSubnetLock, r, func(r *rand.Rand) { p.MinSubnetLock = math.NewInt(1 + r.Int63n(10_000_000)) })
	ap.GetOrGenerate(ParamSubnetImmunityPeriod, &p.SubnetImmunityPeriod, r, func(r *rand.Rand) { p.SubnetImmunityPeriod = uint64(r.Intn(30)) })
	ap.GetOrGenerate(ParamDefaultMaxAllowedUIDs, &h.MaxAllowedUids, r, func(r *rand.Rand) { h.MaxAllowedUids = uint32(2 + r.Intn(15)) })
	ap.GetOrGenerate(ParamDefaultImmunityPeriod, &h.ImmunityPeriod, r, func(r *rand.Rand) { h.ImmunityPeriod = uint64(r.Intn(20)) })
	ap.GetOrGenerate(ParamDefaultMinBurn, &h.MinBurn, r, func(r *rand.Rand) { h.MinBurn = math.NewInt(r.Int63n(1_000_000)) })
	p.SubnetLockReductionInterval = uint64(1 + r.Intn(200))
	h.MaxAllowedValidators = uint32(1 + r.Intn(int(h.MaxAllowedUids)))
	h.MaxBurn = h.MinBurn.Add(math.NewInt(r.Int63n(100_000_000)))
	h.TargetRegistrationsPerInterval = uint32(1 + r.Intn(4))
	h.AdjustmentInterval = uint64(1 + r.Intn(50))
	h.MaxRegistrationsPerBlock = uint32(1 + r.Intn(4))
	h.ServingRateLimit = uint64(r.Intn(10))
	h.Tempo = uint64(1 + r.Intn(100))
	h.CommitRevealEnabled = r.Intn(2) == 0
	p.DefaultDelegateTake = uint32(r.Intn(int(p.MaxDelegateTake) + 1))

	gs := types.DefaultGenesis()
	gs.Params = p
	if err := gs.Validate(); err != nil {
		panic(fmt.Errorf("random x/subnet genesis is invalid (a bug in the generator or the params file): %w", err))
	}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
