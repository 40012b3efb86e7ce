package keeper_test

import (
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
