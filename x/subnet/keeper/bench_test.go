package keeper_test

import (
	"encoding/binary"
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

const benchUIDs = 4096

// fullSubnet returns a fixture with one subnet of benchUIDs neurons, all past immunity, with distinct
// pruning scores.
func fullSubnet(b *testing.B) (*fixture, uint32, sdk.AccAddress) {
	f := newFixture(b, nil)
	netuid, _ := f.createSubnet("bench")
	f.setHyper(netuid, func(h *types.Hyperparameters) {
		h.MaxAllowedUids = benchUIDs
		h.MaxRegistrationsPerBlock = benchUIDs
		h.TargetRegistrationsPerInterval = benchUIDs
		h.ImmunityPeriod = 10
	})
	cold := f.account("cold", 1_000_000_000_000_000)
	f.at(2)
	for i := range benchUIDs {
		uid := f.mustRegister(cold, benchHotkey(i), netuid)
		score := uint32((i*7919)%65_000 + 1)
		if err := f.k.SetNeuronScores(f.ctx, netuid, uid, types.NeuronScores{PruningScore: score, Emission: math.ZeroInt()}); err != nil {
			b.Fatal(err)
		}
	}
	f.at(100)
	return f, netuid, cold
}

func benchHotkey(i int) sdk.AccAddress {
	a := make([]byte, 20)
	copy(a, "bench-hotkey")
	binary.BigEndian.PutUint32(a[16:], uint32(i))
	return a
}

// BenchmarkRegisterIntoFullSubnet measures one registration that has to prune a neuron from a full
// subnet of 4096 UIDs, with the gas it consumes under the SDK's default KV gas costs.
func BenchmarkRegisterIntoFullSubnet(b *testing.B) {
	f, netuid, cold := fullSubnet(b)
	base := f.ctx
	var gas uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		meter := storetypes.NewInfiniteGasMeter()
		f.ctx = base.WithGasMeter(meter).WithBlockHeight(100 + int64(i))
		f.mustRegister(cold, benchHotkey(benchUIDs+i), netuid)
		gas = meter.GasConsumed()
	}
	b.ReportMetric(float64(gas), "gas/op")
}

// BenchmarkMetagraph4096 measures the metagraph query over 4096 neurons, with its gas.
func BenchmarkMetagraph4096(b *testing.B) {
	f, netuid, _ := fullSubnet(b)
	var gas uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		meter := storetypes.NewInfiniteGasMeter()
		res, err := f.queries.Metagraph(f.ctx.WithGasMeter(meter), &types.QueryMetagraphRequest{Netuid: netuid})
		if err != nil || len(res.Neurons) != benchUIDs {
			b.Fatalf("metagraph: %d neurons, %v", len(res.Neurons), err)
		}
		gas = meter.GasConsumed()
	}
	b.ReportMetric(float64(gas), "gas/op")
}
