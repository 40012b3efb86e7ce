package yuma

import (
	"math"
	"testing"
)

// These cases replay scenarios from subtensor's pallets/subtensor/src/tests/epoch.rs with
// the inputs spelled out as this package takes them, and check the values that subtensor
// asserts there.

// chain carries one epoch's outputs (permits, bonds) into the next epoch's input.
func chain(t *testing.T, in *Input) Output {
	t.Helper()
	out, err := Epoch(*in)
	if err != nil {
		t.Fatalf("block %d: %v", in.Block, err)
	}
	for i := range in.Neurons {
		in.Neurons[i].ValidatorPermit = out.Neurons[i].ValidatorPermit
		in.Neurons[i].Bonds = append([]Entry(nil), out.Neurons[i].Bonds...)
	}
	return out
}

func bondAt(out Output, i int, j uint16) uint16 {
	for _, e := range out.Neurons[i].Bonds {
		if e.UID == j {
			return e.Value
		}
	}
	return 0
}

func setWeights(in *Input, uid int, block uint64, w ...Entry) {
	in.Neurons[uid].Weights = w
	in.Neurons[uid].LastUpdate = block
}

// TestSubtensorBonds mirrors test_bonds: four validators with stake 1..4 weight four
// miners 0.1..0.4 (classic Yuma, bonds penalty 1), then one by one turn to self-weights.
func TestSubtensorBonds(t *testing.T) {
	const reg = 1
	in := Input{
		Block:    1,
		Emission: 1_000_000_000,
		Params: Params{Kappa: 32767, ActivityCutoff: 5000, MaxAllowedValidators: 8,
			BondsMovingAverage: 900_000, BondsPenalty: math.MaxUint16, Tempo: 1},
	}
	for _, s := range []uint64{1, 2, 3, 4, 0, 0, 0, 0} {
		in.Neurons = append(in.Neurons, Neuron{Stake: s, RegisteredAt: reg})
	}
	out := chain(t, &in) // the first epoch hands out permits
	for i, want := range []bool{true, true, true, true, false, false, false, false} {
		if out.Neurons[i].ValidatorPermit != want {
			t.Fatalf("permit[%d] = %v, want %v", i, out.Neurons[i].ValidatorPermit, want)
		}
	}

	quarter := []Entry{{4, 16383}, {5, 32767}, {6, 49149}, {7, 65535}}
	steps := []struct {
		set    func(block uint64)
		column uint16
		want   [4]uint16
	}{
		{func(b uint64) {
			for v := 0; v < 4; v++ {
				setWeights(&in, v, b, quarter...)
			}
		}, 4, [4]uint16{16383, 32767, 49151, 65535}},
		{func(b uint64) { setWeights(&in, 0, b, Entry{0, 65535}) }, 4, [4]uint16{14582, 32767, 49151, 65535}},
		{func(b uint64) { setWeights(&in, 1, b, Entry{1, 65535}) }, 4, [4]uint16{12603, 28321, 49151, 65535}},
		{func(b uint64) { setWeights(&in, 2, b, Entry{2, 65535}) }, 7, [4]uint16{12602, 28320, 49150, 65535}},
		{func(b uint64) { setWeights(&in, 2, b, Entry{7, 65535}) }, 7, [4]uint16{10951, 24609, 49150, 65535}},
		{func(uint64) {}, 7, [4]uint16{9559, 21482, 49150, 65535}},
		{func(uint64) {}, 7, [4]uint16{8376, 18824, 49150, 65535}},
	}
	for s, step := range steps {
		in.Block++
		step.set(in.Block)
		out = chain(t, &in)
		for v := 0; v < 4; v++ {
			if got := bondAt(out, v, step.column); got != step.want[v] {
				t.Errorf("epoch %d: bond[%d][%d] = %d, want %d", s+1, v, step.column, got, step.want[v])
			}
		}
		if s == 0 {
			// subtensor's trace of this epoch lists each neuron's emission.
			want := []uint64{49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272}
			for i, w := range want {
				r := out.Neurons[i]
				if got := r.ServerEmission + r.ValidatorEmission; got != w && !(i == out.DustUID && got == w+out.Dust) {
					t.Errorf("epoch 1: emission[%d] = %d, want %d", i, got, w)
				}
			}
		}
	}
}

// yuma3Scenario mirrors setup_yuma_3_scenario: three validators and two miners, Yuma 3
// with liquid alpha in [0.1, 0.3], bonds moving average 0.975, no bonds penalty.
func yuma3Scenario(stakes []uint64, liquid bool) Input {
	in := Input{
		Block:    2,
		Emission: 1_000_000_000,
		Params: Params{Kappa: 32767, ActivityCutoff: 5000, MaxAllowedValidators: 3,
			BondsMovingAverage: 975_000, Yuma3: true, LiquidAlpha: liquid,
			// set_alpha_values_32(0.1, 0.3) stores ⌊0.1·65535⌋ and ⌊0.3·65535⌋.
			AlphaLow: 6553, AlphaHigh: 19660, AlphaSigmoidSteepness: 1000, Tempo: 1},
	}
	for _, s := range stakes {
		in.Neurons = append(in.Neurons, Neuron{Stake: s, RegisteredAt: 1})
	}
	return in
}

const (
	toServer1 = 1
	toServer2 = 2
)

// runYuma3 plays epochs in which validator v sends all weight to server moves[e][v] and
// checks dividends (and the bonds to both servers) against subtensor's targets.
func runYuma3(t *testing.T, in Input, moves [][3]int, bonds [][3][2]float64, dividends [][3]float64) {
	t.Helper()
	out := chain(t, &in)
	for v := 0; v < 3; v++ {
		if !out.Neurons[v].ValidatorPermit {
			t.Fatalf("validator %d has no permit after the first epoch", v)
		}
	}
	for e := range dividends {
		for v := 0; v < 3; v++ {
			w := []Entry{{3, 65535}, {4, 0}}
			if moves[min(e, len(moves)-1)][v] == toServer2 {
				w = []Entry{{3, 0}, {4, 65535}}
			}
			setWeights(&in, v, in.Block, w...)
		}
		in.Block++
		out = chain(t, &in)
		for v := 0; v < 3; v++ {
			got := float64(out.Neurons[v].Dividends) / float64(One)
			if d := got - dividends[e][v]; d > 1e-3 || d < -1e-3 {
				t.Errorf("epoch %d: dividends[%d] = %.4f, want %.4f", e, v, got, dividends[e][v])
			}
			for s := 0; s < 2; s++ {
				got := float64(bondAt(out, v, uint16(3+s))) / 65535
				if d := got - bonds[e][v][s]; d > 1e-3 || d < -1e-3 {
					t.Errorf("epoch %d: bond[%d][%d] = %.4f, want %.4f", e, v, 3+s, got, bonds[e][v][s])
				}
			}
		}
	}
}

func TestSubtensorYuma3KappaMovesFirst(t *testing.T) {
	moves := [][3]int{
		{toServer1, toServer1, toServer1},
		{toServer2, toServer1, toServer1},
		{toServer2, toServer2, toServer1},
		{toServer2, toServer2, toServer2},
	}
	bonds := [][3][2]float64{
		{{0.1013, 0}, {0.1013, 0}, {0.1013, 0}},
		{{0.0908, 0.1013}, {0.3697, 0}, {0.3697, 0}},
		{{0.0815, 0.1924}, {0.3170, 0.1013}, {0.5580, 0}},
		{{0.0731, 0.2742}, {0.2765, 0.1924}, {0.4306, 0.1013}},
		{{0.0656, 0.3478}, {0.2435, 0.2742}, {0.3589, 0.1924}},
		{{0.0588, 0.4139}, {0.2157, 0.3478}, {0.3089, 0.2742}},
	}
	dividends := [][3]float64{
		{0.8, 0.1, 0.1}, {1, 0, 0}, {0.9382, 0.0618, 0}, {0.8819, 0.0773, 0.0407},
		{0.8564, 0.0844, 0.0592}, {0.8418, 0.0884, 0.0697},
	}
	runYuma3(t, yuma3Scenario([]uint64{8, 1, 1, 0, 0}, true), moves, bonds, dividends)
}

func TestSubtensorYuma3KappaMovesLast(t *testing.T) {
	moves := [][3]int{
		{toServer1, toServer1, toServer1},
		{toServer1, toServer2, toServer1},
		{toServer1, toServer2, toServer2},
		{toServer2, toServer2, toServer2},
	}
	bonds := [][3][2]float64{
		{{0.1013, 0}, {0.1013, 0}, {0.1013, 0}},
		{{0.1924, 0}, {0.0908, 0.2987}, {0.1924, 0}},
		{{0.2742, 0}, {0.0815, 0.5081}, {0.1715, 0.2987}},
		{{0.2416, 0.1013}, {0.0731, 0.5580}, {0.1531, 0.3697}},
		{{0.2141, 0.1924}, {0.0656, 0.6028}, {0.1369, 0.4336}},
		{{0.1903, 0.2742}, {0.0588, 0.6430}, {0.1225, 0.4910}},
	}
	dividends := [][3]float64{
		{0.8, 0.1, 0.1}, {0.8446, 0.0498, 0.1056}, {0.8966, 0.0333, 0.0701},
		{0.4663, 0.3210, 0.2127}, {0.5976, 0.2340, 0.1683}, {0.6592, 0.1932, 0.1475},
	}
	runYuma3(t, yuma3Scenario([]uint64{8, 1, 1, 0, 0}, true), moves, bonds, dividends)
}

func TestSubtensorYuma3OneEpochSwitch(t *testing.T) {
	moves := [][3]int{
		{toServer1, toServer1, toServer1},
		{toServer1, toServer1, toServer1},
		{toServer1, toServer1, toServer2},
		{toServer1, toServer1, toServer1},
	}
	bonds := [][3][2]float64{
		{{0.1013, 0}, {0.1013, 0}, {0.1013, 0}},
		{{0.1924, 0}, {0.1924, 0}, {0.1924, 0}},
		{{0.2742, 0}, {0.2742, 0}, {0.1715, 0.2987}},
		{{0.3478, 0}, {0.3478, 0}, {0.2554, 0.2618}},
		{{0.4139, 0}, {0.4139, 0}, {0.3309, 0.2312}},
		{{0.4733, 0}, {0.4733, 0}, {0.3987, 0.2051}},
	}
	dividends := [][3]float64{
		{0.33, 0.33, 0.34}, {0.33, 0.33, 0.34}, {0.3782, 0.3782, 0.2436},
		{0.3628, 0.3628, 0.2745}, {0.3541, 0.3541, 0.2917}, {0.3487, 0.3487, 0.3026},
	}
	runYuma3(t, yuma3Scenario([]uint64{33, 33, 34, 0, 0}, true), moves, bonds, dividends)
}

func TestSubtensorYuma3LiquidAlphaDisabled(t *testing.T) {
	moves := [][3]int{
		{toServer1, toServer1, toServer1},
		{toServer1, toServer1, toServer1},
		{toServer1, toServer1, toServer2},
		{toServer1, toServer1, toServer1},
	}
	// Bonds grow at the fixed rate 1 − 0.975 = 0.025 per epoch.
	bonds := [][3][2]float64{
		{{0.0250, 0}, {0.0250, 0}, {0.0250, 0}},
		{{0.0494, 0}, {0.0494, 0}, {0.0494, 0}},
		{{0.0731, 0}, {0.0731, 0}, {0.0481, 0.0250}},
		{{0.0963, 0}, {0.0963, 0}, {0.0719, 0.0244}},
		{{0.1189, 0}, {0.1189, 0}, {0.0951, 0.0238}},
		{{0.1409, 0}, {0.1409, 0}, {0.1178, 0.0232}},
	}
	dividends := [][3]float64{
		{0.33, 0.33, 0.34}, {0.33, 0.33, 0.34}, {0.3734, 0.3734, 0.2532},
		{0.3611, 0.3611, 0.2779}, {0.3541, 0.3541, 0.2919}, {0.3495, 0.3495, 0.3009},
	}
	runYuma3(t, yuma3Scenario([]uint64{33, 33, 34, 0, 0}, false), moves, bonds, dividends)
}
