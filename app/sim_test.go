package app_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/simulation"
	simcli "github.com/cosmos/cosmos-sdk/x/simulation/client/cli"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	emissiontypes "github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// flagFullSim turns on TestFullAppSimulation, which runs the SDK's simulator over its default seeds
// with the SDK's simulator flags (-NumBlocks, -BlockSize, -Seed, -Commit, -Params, ...):
//
//	go test ./app -run TestFullAppSimulation -SimFull -NumBlocks=200 -BlockSize=100 -Commit -timeout 1h
var flagFullSim = flag.Bool("SimFull", false, "run the full app simulation (slow)")

func init() {
	simcli.GetSimulatorFlags()
}

// simApp adds the accessor the SDK's simulator wants to the Mindnet app.
type simApp struct{ *app.MindnetApp }

func (a simApp) GetBaseApp() *baseapp.BaseApp { return a.BaseApp }

func newSimApp(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, opts ...func(*baseapp.BaseApp)) simApp {
	return simApp{app.New(logger, db, loadLatest, appOpts, opts...)}
}

func simStateFactory(a simApp) simsx.SimStateFactory {
	return simsx.SimStateFactory{
		Codec:         a.AppCodec(),
		AppStateFn:    simtestutil.AppStateFn(a.AppCodec(), a.SimulationManager(), a.DefaultGenesis()),
		BlockedAddr:   app.BlockedAddresses(),
		AccountSource: a.AccountKeeper,
		BalanceSource: a.BankKeeper,
	}
}

// TestAppSimulationShort runs the SDK's simulator over the whole Mindnet app (every module's random
// genesis and messages, x/subnet's included) for a few blocks, then checks that the subnet module's
// stake pool holds exactly the stake it records, and that the run really exercised x/subnet, x/weights
// (rows stored, commits revealed) and x/emission (epochs paid stake, root seats taken).
func TestAppSimulationShort(t *testing.T) {
	for _, seed := range []int64{7, 42} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			cfg := simtypes.Config{
				ChainID:            simsx.SimAppChainID,
				Seed:               seed,
				InitialBlockHeight: 1,
				GenesisTime:        apptest.GenesisTime.Unix(),
				NumBlocks:          25,
				BlockSize:          40,
				Commit:             true,
				DBBackend:          string(dbm.MemDBBackend),
			}
			simsx.RunWithSeed(t, cfg, newSimApp, simStateFactory, seed, nil, checkSubnetAfterSimulation(true), checkWeightsAndEmissionAfterSimulation)
		})
	}
}

// TestFullAppSimulation is the long run; see flagFullSim.
func TestFullAppSimulation(t *testing.T) {
	if !*flagFullSim {
		t.Skip("long simulation: run with -SimFull (see flagFullSim)")
	}
	simsx.Run(t, newSimApp, simStateFactory, checkSubnetAfterSimulation(false))
}

// checkSubnetAfterSimulation checks DESIGN's stake rule on the final state: the x/subnet module
// account holds exactly the sum of all stake records, and each hotkey's total is the sum of its
// records. With requireActivity it also fails a run in which no subnet was created or no neuron
// registered, so that a short run cannot pass without exercising the module.
func checkSubnetAfterSimulation(requireActivity bool) func(testing.TB, simsx.TestInstance[simApp], []simtypes.Account) {
	return func(tb testing.TB, ti simsx.TestInstance[simApp], _ []simtypes.Account) {
		tb.Helper()
		a := ti.App
		ctx := a.NewContext(true)
		k := a.SubnetKeeper

		sum, records := sdkmath.ZeroInt(), 0
		perHotkey := map[string]sdkmath.Int{}
		err := k.Stakes.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, sdk.AccAddress], amount sdkmath.Int) (bool, error) {
			sum = sum.Add(amount)
			records++
			h := key.K1().String()
			if prev, ok := perHotkey[h]; ok {
				perHotkey[h] = prev.Add(amount)
			} else {
				perHotkey[h] = amount
			}
			return false, nil
		})
		if err != nil {
			tb.Fatal(err)
		}
		pool := a.BankKeeper.GetBalance(ctx, authtypes.NewModuleAddress(subnettypes.ModuleName), k.Denom()).Amount
		if !pool.Equal(sum) {
			tb.Fatalf("stake invariant broken: %s module account holds %s, stake records sum to %s", subnettypes.ModuleName, pool, sum)
		}
		for hotkey, want := range perHotkey {
			got, err := k.TotalStakeOf(ctx, sdk.MustAccAddressFromBech32(hotkey))
			if err != nil || !got.Equal(want) {
				tb.Fatalf("total stake of %s = %s (%v), records sum to %s", hotkey, got, err, want)
			}
		}

		subnets, neurons := 0, 0
		if err := k.Subnets.Walk(ctx, nil, func(uint32, subnettypes.Subnet) (bool, error) { subnets++; return false, nil }); err != nil {
			tb.Fatal(err)
		}
		if err := k.Neurons.Walk(ctx, nil, func(collections.Pair[uint32, uint32], subnettypes.Neuron) (bool, error) {
			neurons++
			return false, nil
		}); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("x/subnet after the run: %d subnets (root included), %d neurons, %d stake records, %s umind staked",
			subnets, neurons, records, sum)
		if requireActivity && (subnets < 2 || neurons == 0) {
			tb.Fatalf("the simulation created %d subnets and %d neurons: x/subnet was not exercised", subnets-1, neurons)
		}
	}
}

// checkWeightsAndEmissionAfterSimulation fails a short run in which x/weights' set-weights, commit or
// reveal, or x/emission's root registration never succeeded, or no epoch paid stake: x/subnet's
// simulated genesis opens staked subnets with short tempos so that all of this happens within a few
// blocks, and a run without it would not test those modules. Successes are counted from the
// simulator's operation log (every delivered message with its outcome). It also runs x/emission's
// ledger invariant on the final state.
func checkWeightsAndEmissionAfterSimulation(tb testing.TB, ti simsx.TestInstance[simApp], _ []simtypes.Account) {
	tb.Helper()
	log, ok := ti.ExecLogWriter.(*simulation.StandardLogWriter)
	if !ok {
		tb.Fatalf("the simulator's operation log is a %T, not the standard one: cannot count operations", ti.ExecLogWriter)
	}
	delivered := map[string]int{} // message type URL -> successful deliveries; read by key only
	for _, e := range log.OpEntries {
		if e.EntryKind != simulation.MsgEntryKind {
			continue
		}
		var op simtypes.OperationMsg
		if err := json.Unmarshal(e.Operation, &op); err != nil {
			tb.Fatalf("operation log entry at height %d: %v", e.Height, err)
		}
		if op.OK {
			delivered[op.Name]++
		}
	}
	a := ti.App
	ctx := a.NewContext(true)
	ledger, err := a.EmissionKeeper.Ledger.Get(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if err := a.EmissionKeeper.CheckLedger(ctx); err != nil {
		tb.Fatalf("x/emission ledger after the run: %v", err)
	}
	counts := func(msgs ...sdk.Msg) []int {
		var out []int
		for _, m := range msgs {
			out = append(out, delivered[sdk.MsgTypeURL(m)])
		}
		return out
	}
	weightsOps := counts(&weightstypes.MsgSetWeights{}, &weightstypes.MsgCommitWeights{}, &weightstypes.MsgRevealWeights{})
	rootRegisters := delivered[sdk.MsgTypeURL(&emissiontypes.MsgRootRegister{})]
	if err := a.SubnetKeeper.CheckPools(ctx); err != nil {
		tb.Fatalf("x/subnet pools after the run: %v", err)
	}
	alphaPaid := sdkmath.ZeroInt()
	if err := a.SubnetKeeper.Pools.Walk(ctx, nil, func(_ uint32, p subnettypes.Pool) (bool, error) {
		alphaPaid = alphaPaid.Add(p.AlphaOutstanding)
		return false, nil
	}); err != nil {
		tb.Fatal(err)
	}
	market := counts(&subnettypes.MsgAddStake{}, &subnettypes.MsgRemoveStake{}, &subnettypes.MsgMoveStake{})
	tb.Logf("delivered: %d set-weights, %d commits, %d reveals, %d root registrations, %d add-stake, %d remove-stake, %d move-stake; "+
		"x/emission: %s issued, %s into pools; %s alpha held as stake",
		weightsOps[0], weightsOps[1], weightsOps[2], rootRegisters, market[0], market[1], market[2], ledger.TotalIssued, ledger.ToPools, alphaPaid)
	if weightsOps[0] == 0 || weightsOps[1] == 0 || weightsOps[2] == 0 {
		tb.Fatalf("set-weights, commits and reveals delivered: %v: x/weights was not exercised", weightsOps)
	}
	if rootRegisters == 0 || !ledger.ToPools.IsPositive() || !alphaPaid.IsPositive() {
		tb.Fatalf("%d root registrations delivered, %s umind into pools, %s alpha paid: x/emission was not exercised", rootRegisters, ledger.ToPools, alphaPaid)
	}
	if market[0] == 0 || market[1] == 0 || market[2] == 0 {
		tb.Fatalf("add, remove and move stake delivered: %v: the subnet markets were not exercised", market)
	}
}
