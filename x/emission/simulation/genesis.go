package simulation

import (
	"fmt"
	"math/rand"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/mindnet/mindnet/x/emission/types"
)

// Keys under which a simulator params file (-Params) may fix a generated value instead of drawing it.
const (
	ParamBlockEmission     = "emission_block_emission"
	ParamIssuanceCap       = "emission_issuance_cap"
	ParamFeeCollectorShare = "emission_fee_collector_share"
	ParamOwnerCut          = "emission_owner_cut"
	ParamMaxRootMembers    = "emission_max_root_members"
)

// RandomParams draws params within their bounds, shaped for short runs: a block emission up to a few
// MIND, a cap that one seed in three reaches within a few dozen blocks (so the last partial mint and
// the blocks after the cap run), shares anywhere in [0, 100%] with the fee collector's usually below
// half, and a root subnet of at most 8 seats so that it fills and members get replaced.
func RandomParams(r *rand.Rand) types.Params {
	p := types.DefaultParams()
	p.BlockEmission = math.NewInt(r.Int63n(5_000_000))
	p.IssuanceCap = types.DefaultIssuanceCap
	if r.Intn(3) == 0 {
		p.IssuanceCap = p.BlockEmission.MulRaw(int64(1 + r.Intn(60)))
	}
	p.FeeCollectorShare = uint32(r.Intn(types.PartsPerMillion/2 + 1))
	if r.Intn(10) == 0 {
		p.FeeCollectorShare = uint32(r.Intn(types.PartsPerMillion + 1))
	}
	p.OwnerCut = uint32(r.Intn(types.PartsPerMillion + 1))
	p.MaxRootMembers = uint32(1 + r.Intn(8))
	return p
}

// RandomizedGenState writes a random x/emission genesis: random params and nothing minted yet (the
// bank genesis funds no module account, so there is nothing pending and no bonds).
func RandomizedGenState(simState *module.SimulationState) {
	ap, r := simState.AppParams, simState.Rand
	drawn := RandomParams(r)
	p := types.DefaultParams()
	ap.GetOrGenerate(ParamBlockEmission, &p.BlockEmission, r, func(*rand.Rand) { p.BlockEmission = drawn.BlockEmission })
	ap.GetOrGenerate(ParamIssuanceCap, &p.IssuanceCap, r, func(*rand.Rand) { p.IssuanceCap = drawn.IssuanceCap })
	ap.GetOrGenerate(ParamFeeCollectorShare, &p.FeeCollectorShare, r, func(*rand.Rand) { p.FeeCollectorShare = drawn.FeeCollectorShare })
	ap.GetOrGenerate(ParamOwnerCut, &p.OwnerCut, r, func(*rand.Rand) { p.OwnerCut = drawn.OwnerCut })
	ap.GetOrGenerate(ParamMaxRootMembers, &p.MaxRootMembers, r, func(*rand.Rand) { p.MaxRootMembers = drawn.MaxRootMembers })

	gs := types.DefaultGenesis()
	gs.Params = p
	if err := gs.Validate(); err != nil {
		panic(fmt.Errorf("random x/emission genesis is invalid (a bug in the generator or the params file): %w", err))
	}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
