package simulation

import (
	"fmt"
	"math/rand"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

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
	ParamGenesisSubnets        = "subnet_genesis_subnets"
)

// RandomizedGenState writes a random x/subnet genesis. The params are drawn so that a short run
// exercises every rule: few subnet slots, a small creation lock and subnet immunity (subnets get
// replaced), small subnets with short neuron immunity (neurons get pruned), cheap registration with a
// short adjustment interval (the burn moves). Governance bounds stay at their defaults. Besides the
// root subnet InitGenesis creates, it opens 2 or 3 subnets with neurons and staked validators
// (genesisSubnets), so that weights and epochs run from the first blocks.
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
	var count int
	ap.GetOrGenerate(ParamGenesisSubnets, &count, r, func(r *rand.Rand) { count = 2 + r.Intn(2) })
	genesisSubnets(simState, gs, min(count, int(p.MaxSubnets)-1))
	if err := gs.Validate(); err != nil {
		panic(fmt.Errorf("random x/subnet genesis is invalid (a bug in the generator or the params file): %w", err))
	}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}

// genesisSubnets opens netuids 1 to count, each owned by a random simulation account, with 2 to 7
// neurons whose hotkeys are simulation accounts (a hotkey keeps one owner across subnets). Tempos are
// 2 to 5 blocks, so that x/emission's epochs pay out, renew validator permits and open reveal windows
// within a short run; netuid 1 takes weights directly and netuid 2 through commit-reveal (later ones
// draw), with a reveal window one tempo after the commit and a rate limit of at most 2 blocks.
//
// The first max_allowed_validators neurons of each subnet are validators: their coldkey stakes 5 to
// 10% of its current balance behind them, and they hold a permit from genesis, as the top stakes
// would after a first epoch. DESIGN's stake rule (the x/subnet account holds exactly the staked coins)
// is kept by moving those coins in the bank genesis, which the simulator generates before this
// module's (modules are generated in name order), from the coldkeys to the x/subnet module account;
// the supply does not change. Without a bank genesis the neurons are registered unstaked and without
// permits.
func genesisSubnets(simState *module.SimulationState, gs *types.GenesisState, count int) {
	r, accs := simState.Rand, simState.Accounts
	if count <= 0 || len(accs) < 2 {
		return
	}
	var bank *banktypes.GenesisState
	if bz, ok := simState.GenState[banktypes.ModuleName]; ok {
		bank = new(banktypes.GenesisState)
		simState.Cdc.MustUnmarshalJSON(bz, bank)
	}
	// Indexes for lookups only; every list written to genesis is built in draw order.
	owners := map[string]string{}
	stakeAt := map[string]int{}
	balanceAt := map[string]int{}
	if bank != nil {
		for i, b := range bank.Balances {
			balanceAt[b.Address] = i
		}
	}
	denom := simState.BondDenom
	staked := math.ZeroInt()
	for i := range count {
		netuid := uint32(1 + i)
		h := gs.Params.DefaultHyperparameters
		h.Tempo = uint64(2 + r.Intn(4))
		h.CommitRevealEnabled = i == 1 || i > 1 && r.Intn(2) == 0
		h.CommitRevealPeriod = 1
		h.WeightsRateLimit = uint64(r.Intn(3))
		h.MinValidatorStake = math.NewInt(r.Int63n(1_000))
		size := min(int(h.MaxAllowedUids), 2+r.Intn(6), len(accs))
		owner := accs[r.Intn(len(accs))].Address.String()
		gs.Subnets = append(gs.Subnets, types.Subnet{
			Netuid: netuid, Owner: owner, Name: fmt.Sprintf("genesis %d", netuid), Lock: math.ZeroInt(),
			Hyperparameters: h, Burn: h.MinBurn, NeuronCount: uint32(size), Model: gs.Params.DefaultModel,
		})
		for uid, a := range r.Perm(len(accs))[:size] {
			hotkey := accs[a].Address.String()
			coldkey, ok := owners[hotkey]
			if !ok {
				coldkey = accs[r.Intn(len(accs))].Address.String()
				owners[hotkey] = coldkey
				gs.HotkeyOwners = append(gs.HotkeyOwners, types.HotkeyOwner{Hotkey: hotkey, Coldkey: coldkey})
			}
			neuron := types.Neuron{
				Netuid: netuid, Uid: uint32(uid), Hotkey: hotkey, Coldkey: coldkey,
				Scores: types.NeuronScores{Emission: math.ZeroInt()},
			}
			if uid < int(h.MaxAllowedValidators) && bank != nil {
				if amount := stakeFrom(r, bank, balanceAt, coldkey, denom); amount.IsPositive() {
					key := hotkey + "/" + coldkey
					if j, ok := stakeAt[key]; ok {
						gs.Stakes[j].Amount = gs.Stakes[j].Amount.Add(amount)
					} else {
						stakeAt[key] = len(gs.Stakes)
						gs.Stakes = append(gs.Stakes, types.Stake{Hotkey: hotkey, Coldkey: coldkey, Amount: amount})
					}
					staked = staked.Add(amount)
					neuron.Scores.ValidatorPermit = true
				}
			}
			gs.Neurons = append(gs.Neurons, neuron)
		}
	}
	if bank == nil || !staked.IsPositive() {
		return
	}
	pool := authtypes.NewModuleAddress(types.ModuleName).String()
	coins := sdk.NewCoins(sdk.NewCoin(denom, staked))
	if i, ok := balanceAt[pool]; ok {
		bank.Balances[i].Coins = bank.Balances[i].Coins.Add(coins...)
	} else {
		bank.Balances = append(bank.Balances, banktypes.Balance{Address: pool, Coins: coins})
	}
	simState.GenState[banktypes.ModuleName] = simState.Cdc.MustMarshalJSON(bank)
}

// stakeFrom takes 5 to 10% of coldkey's denom balance out of the bank genesis and returns it; zero
// when the coldkey has no balance there.
func stakeFrom(r *rand.Rand, bank *banktypes.GenesisState, balanceAt map[string]int, coldkey, denom string) math.Int {
	i, ok := balanceAt[coldkey]
	if !ok {
		return math.ZeroInt()
	}
	balance := bank.Balances[i].Coins.AmountOf(denom)
	amount := balance.QuoRaw(20).Add(balance.QuoRaw(20).MulRaw(int64(r.Intn(101))).QuoRaw(100))
	if !amount.IsPositive() {
		return math.ZeroInt()
	}
	bank.Balances[i].Coins = bank.Balances[i].Coins.Sub(sdk.NewCoin(denom, amount))
	return amount
}
