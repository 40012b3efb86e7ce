package simulation

import (
	"fmt"
	"math/rand"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/mindnet/mindnet/x/weights/types"
)

// Keys under which a simulator params file (-Params) may fix a generated value instead of drawing it.
const (
	ParamGasPerWeight      = "weights_gas_per_weight"
	ParamMaxPendingCommits = "weights_max_pending_commits"
)

// RandomizedGenState writes a random x/weights genesis: random params and no rows or commits (there
// are no subnets beyond the root at genesis).
func RandomizedGenState(simState *module.SimulationState) {
	p := types.DefaultParams()
	ap, r := simState.AppParams, simState.Rand
	ap.GetOrGenerate(ParamGasPerWeight, &p.GasPerWeight, r, func(r *rand.Rand) { p.GasPerWeight = uint64(r.Intn(2001)) })
	ap.GetOrGenerate(ParamMaxPendingCommits, &p.MaxPendingCommits, r, func(r *rand.Rand) { p.MaxPendingCommits = uint32(1 + r.Intn(8)) })
	gs := types.DefaultGenesis()
	gs.Params = p
	if err := gs.Validate(); err != nil {
		panic(fmt.Errorf("random x/weights genesis is invalid (a bug in the generator or the params file): %w", err))
	}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
