package keeper_test

import (
	"fmt"
	"maps"
	"math/rand"
	"testing"

	"cosmossdk.io/math"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// largestEpoch builds, on a committed IAVL store, the largest epoch the chain allows: one subnet of
// 4096 UIDs (max_allowed_uids' upper bound), 256 validators each with a nominator and each weighting
// every one of the 3840 miners, bonds from a previous epoch, and pending emission to pay. It returns
// the fixture at the height before the subnet's next epoch block.
func largestEpoch(b *testing.B) *fixture {
	const netuid, uids, validators = 1, 4096, 256
	rng := rand.New(rand.NewSource(1))
	owner := sdk.AccAddress(fmt.Appendf(nil, "%-20s", "owner")[:20])
	var sgs *subnettypes.GenesisState
	stakePool := math.ZeroInt()
	f := newFixtureOpts(b, nil, func(g *subnettypes.GenesisState, _ *types.GenesisState) {
		h := g.Params.DefaultHyperparameters
		h.Tempo = 360
		h.MaxAllowedUids = uids
		h.MaxAllowedValidators = validators
		h.MinValidatorStake = math.NewInt(1)
		g.Params.DefaultHyperparameters = h
		g.Subnets = []subnettypes.Subnet{{
			Netuid: netuid, Owner: mindAddr(owner), Name: "largest", Lock: math.ZeroInt(), Burn: h.MinBurn,
			Hyperparameters: h, NeuronCount: uids,
		}}
		for i := range uids {
			hot := mindAddr(fmt.Appendf(nil, "hot-%016d", i))
			cold := mindAddr(fmt.Appendf(nil, "cold-%015d", i))
			g.HotkeyOwners = append(g.HotkeyOwners, subnettypes.HotkeyOwner{Hotkey: hot, Coldkey: cold})
			g.Neurons = append(g.Neurons, subnettypes.Neuron{
				Netuid: netuid, Uid: uint32(i), Hotkey: hot, Coldkey: cold, LastUpdate: 300,
				Scores: subnettypes.NeuronScores{Emission: math.ZeroInt(), ValidatorPermit: i < validators},
			})
			if i < validators {
				own, nom := math.NewInt(1_000_000+rng.Int63n(1e12)), math.NewInt(1+rng.Int63n(1e11))
				nominator := mindAddr(fmt.Appendf(nil, "nom-%016d", i))
				g.Stakes = append(g.Stakes,
					subnettypes.Stake{Hotkey: hot, Coldkey: cold, Amount: own},
					subnettypes.Stake{Hotkey: hot, Coldkey: nominator, Amount: nom})
				stakePool = stakePool.Add(own).Add(nom)
			}
		}
		sgs = g
	})
	_ = sgs
	f.bank.fund(authtypes.NewModuleAddress(subnettypes.ModuleName), stakePool.Int64())
	rows := map[uint32]weightstypes.WeightRow{}
	for v := range validators {
		row := weightstypes.WeightRow{Netuid: netuid, Uid: uint32(v), SetAt: 300}
		for j := validators; j < uids; j++ {
			row.Uids = append(row.Uids, uint32(j))
			row.Weights = append(row.Weights, uint32(1+rng.Intn(65535)))
		}
		rows[uint32(v)] = row
	}
	f.weights.rows[netuid] = rows
	// A first epoch writes bonds, scores and permits; the measured one is the next.
	f.addPending(netuid, 1_000_000_000)
	f.ctx.MultiStore().(storetypes.CommitMultiStore).Commit()
	f.ctx = f.ctx.WithBlockHeight(int64(subnettypes.NextEpochBlock(netuid, 360, 300)))
	if err := f.k.EndBlock(f.ctx); err != nil {
		b.Fatal(err)
	}
	if err := f.k.CheckLedger(f.ctx); err != nil {
		b.Fatal(err)
	}
	f.addPending(netuid, 1_000_000_000)
	f.ctx.MultiStore().(storetypes.CommitMultiStore).Commit()
	f.ctx = f.ctx.WithBlockHeight(int64(subnettypes.NextEpochBlock(netuid, 360, uint64(f.height()+1))))
	return f
}

// addPending gives netuid amount of pending alpha, as MintBlockEmission accrues it.
func (f *fixture) addPending(netuid uint32, amount int64) {
	f.t.Helper()
	if err := f.k.Pending.Set(f.ctx, netuid, f.pending(netuid).AddRaw(amount)); err != nil {
		f.t.Fatal(err)
	}
}

// BenchmarkEndBlockLargestEpoch times x/emission's end-blocker in a block that carries the largest
// allowed epoch (4096 UIDs, 256 validators each weighting all 3840 miners): reading stake, weights and
// bonds from the store, the Yuma epoch, writing scores and bonds, and paying 4096 UIDs and their
// nominators as alpha stake. Target: under a quarter of the 2 s block time, 500 ms. Each iteration runs on a
// fresh branch (cache context) of the same committed state.
func BenchmarkEndBlockLargestEpoch(b *testing.B) {
	f := largestEpoch(b)
	balances := maps.Clone(f.bank.balances)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		ctx, _ := f.ctx.CacheContext()
		if err := f.k.EndBlock(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := f.k.CheckLedger(ctx); err != nil {
			b.Fatal(err)
		}
		if got := f.pending(1); !got.IsPositive() {
			b.Fatal("setup: nothing pending")
		}
		if p, _ := f.k.PendingOf(ctx, 1); !p.IsZero() {
			b.Fatalf("the epoch did not pay out: %s pending", p)
		}
		f.bank.balances = maps.Clone(balances)
		b.StartTimer()
	}
}

func mindAddr(bz []byte) string { return sdk.MustBech32ifyAddressBytes("mind", bz) }
