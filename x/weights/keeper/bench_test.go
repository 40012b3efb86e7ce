package keeper_test

import (
	"fmt"
	"testing"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/mindnet/mindnet/x/weights/types"
)

// BenchmarkSetWeightsFullRow sets a 4096-entry row on a 4096-neuron subnet and reports the gas the
// message used and the bytes its stored row takes.
func BenchmarkSetWeightsFullRow(b *testing.B) {
	const size = 4096
	f := newFixture(b)
	f.openSubnet(1, size, nil)
	hk := f.validator(1, 0, 5000)
	uids := make([]uint32, size)
	ws := make([]uint32, size)
	for i := range uids {
		uids[i], ws[i] = uint32(i), uint32(i%1000+1)
	}
	msg := &types.MsgSetWeights{Hotkey: f.str(hk), Netuid: 1, Uids: uids, Weights: ws}
	var gas uint64
	for i := 0; b.Loop(); i++ {
		ctx := f.ctx.WithBlockHeight(int64(1000 + i)).WithGasMeter(storetypes.NewInfiniteGasMeter())
		if _, err := f.msgs.SetWeights(ctx, msg); err != nil {
			b.Fatal(err)
		}
		gas = ctx.GasMeter().GasConsumed()
	}
	row, _, err := f.k.GetRow(f.ctx, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(gas), "gas/tx")
	b.ReportMetric(float64(row.Size()), "row-bytes")
}

// BenchmarkRevealWeightsFullRow commits and then reveals a 4096-entry row on a 4096-neuron subnet with
// commit-reveal on, and reports the reveal's gas (the commit's too): a reveal pays gas_per_weight per
// entry like set-weights, plus one read of each target neuron's registration block for the UID
// hand-over mask.
func BenchmarkRevealWeightsFullRow(b *testing.B) {
	const size = 4096
	f := newFixture(b)
	f.openCRSubnet(1, size, nil)
	hk := f.validator(1, 0, 5000)
	uids := make([]uint32, size)
	ws := make([]uint32, size)
	for i := range uids {
		uids[i], ws[i] = uint32(i), uint32(i%1000+1)
	}
	var commitGas, revealGas uint64
	period := int64(crTempo + 1)
	for i := 0; b.Loop(); i++ {
		s := []byte(fmt.Sprintf("salt-%08d", i))
		hash := types.CommitHash(f.str(hk), 1, uids, ws, s, 0)
		// Each round commits in its own tempo and reveals in the next.
		commitAt := crCommitHeight + int64(i)*period
		ctx := f.ctx.WithBlockHeight(commitAt).WithGasMeter(storetypes.NewInfiniteGasMeter())
		res, err := f.msgs.CommitWeights(ctx, &types.MsgCommitWeights{Hotkey: f.str(hk), Netuid: 1, CommitHash: hash})
		if err != nil {
			b.Fatal(err)
		}
		commitGas = ctx.GasMeter().GasConsumed()
		ctx = f.ctx.WithBlockHeight(res.RevealStart).WithGasMeter(storetypes.NewInfiniteGasMeter())
		if _, err := f.msgs.RevealWeights(ctx, &types.MsgRevealWeights{Hotkey: f.str(hk), Netuid: 1, Uids: uids, Weights: ws, Salt: s}); err != nil {
			b.Fatal(err)
		}
		revealGas = ctx.GasMeter().GasConsumed()
	}
	b.ReportMetric(float64(commitGas), "commit-gas")
	b.ReportMetric(float64(revealGas), "reveal-gas")
}
