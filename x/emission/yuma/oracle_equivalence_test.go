package yuma

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// sameAsOracle runs in through Epoch and through oldEpoch (oracle_test.go) and fails
// unless both give identical outputs, or errors with identical text.
func sameAsOracle(t *testing.T, name string, in Input) {
	t.Helper()
	got, gotErr := Epoch(cloneInput(in))
	want, wantErr := oldEpoch(cloneInput(in))
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("%s: error %v, oracle %v", name, gotErr, wantErr)
	}
	if reflect.DeepEqual(got, want) {
		return
	}
	if len(got.Neurons) != len(want.Neurons) {
		t.Fatalf("%s: %d neurons, oracle %d", name, len(got.Neurons), len(want.Neurons))
	}
	for i := range got.Neurons {
		if !reflect.DeepEqual(got.Neurons[i], want.Neurons[i]) {
			t.Fatalf("%s: uid %d differs\n got   %+v\n oracle %+v", name, i, got.Neurons[i], want.Neurons[i])
		}
	}
	t.Fatalf("%s: dust %d to %d, oracle %d to %d", name, got.Dust, got.DustUID, want.Dust, want.DustUID)
}

// cloneInput deep-copies in, so that neither implementation can see what the other did
// to shared rows.
func cloneInput(in Input) Input {
	out := in
	out.Neurons = slices.Clone(in.Neurons)
	for i := range out.Neurons {
		out.Neurons[i].Weights = slices.Clone(in.Neurons[i].Weights)
		out.Neurons[i].Bonds = slices.Clone(in.Neurons[i].Bonds)
	}
	return out
}

// edgeSubnet is randomSubnet pushed toward the corners the optimised steps treat
// specially: sorted and dense rows, values drawn from a few levels (ties in the median,
// zero and full weights), equal stakes, extreme kappa, penalties, alpha bounds and
// sigmoid steepness, bonds to every miner.
func edgeSubnet(rng *rand.Rand, n int) Input {
	in := randomSubnet(rng, n)
	p := &in.Params
	switch rng.Intn(4) {
	case 0:
		p.Kappa = 0
	case 1:
		p.Kappa = math.MaxUint16
	}
	if rng.Intn(3) == 0 {
		p.AlphaSigmoidSteepness = []int16{math.MinInt16, math.MaxInt16, 0, 1, -1, 100, -100, 4000}[rng.Intn(8)]
	}
	if rng.Intn(4) == 0 {
		p.AlphaLow = p.AlphaHigh
	}
	if rng.Intn(4) == 0 {
		p.BondsMovingAverage = []uint64{0, 1_000_000, 999_999, 1}[rng.Intn(4)]
	}
	levels := []uint16{0, 1, 2, 32767, 32768, 65534, 65535}
	few := rng.Intn(2) == 0
	dense := rng.Intn(3) == 0
	equalStake := rng.Intn(4) == 0
	sorted := rng.Intn(2) == 0
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		if equalStake && nr.Stake > 0 {
			nr.Stake = 1_000_000
		}
		if dense && len(nr.Weights) > 0 {
			nr.Weights = nr.Weights[:0]
			for j := range n {
				if rng.Intn(8) != 0 {
					nr.Weights = append(nr.Weights, Entry{UID: uint16(j), Value: uint16(rng.Intn(65536))})
				}
			}
			if rng.Intn(2) == 0 {
				nr.Bonds = nr.Bonds[:0]
				for j := range n {
					nr.Bonds = append(nr.Bonds, Entry{UID: uint16(j), Value: uint16(rng.Intn(65536))})
				}
			}
		}
		for _, row := range [][]Entry{nr.Weights, nr.Bonds} {
			if few {
				for k := range row {
					row[k].Value = levels[rng.Intn(len(levels))]
				}
			}
			if sorted {
				slices.SortFunc(row, func(a, b Entry) int { return int(a.UID) - int(b.UID) })
			}
		}
	}
	return in
}

// TestEpochMatchesOracle compares the optimised epoch with the original one on random
// subnets of every kind, bit for bit.
func TestEpochMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewSource(20251125))
	rounds := 400
	if testing.Short() {
		rounds = 60
	}
	for r := range rounds {
		n := 1 + rng.Intn(96)
		if r%10 == 0 {
			n = 1 + rng.Intn(400)
		}
		sameAsOracle(t, fmt.Sprintf("random round %d", r), randomSubnet(rng, n))
		sameAsOracle(t, fmt.Sprintf("edge round %d", r), edgeSubnet(rng, n))
	}
}

// TestEpochMatchesOracleOnBenchmarkSubnets compares both implementations on the
// steady-state subnets the benchmarks run, in every variant.
func TestEpochMatchesOracleOnBenchmarkSubnets(t *testing.T) {
	for _, v := range benchVariants {
		in := steadySubnet(300, 40, v.yuma3, v.liquid)
		sameAsOracle(t, v.name, in)
		out, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		// A second epoch over the bonds the first one stored.
		for i := range in.Neurons {
			in.Neurons[i].Bonds = out.Neurons[i].Bonds
		}
		in.Block++
		sameAsOracle(t, v.name+" second epoch", in)
	}
}

// TestEpochMatchesOracleOnMalformedInput checks that both refuse the same inputs with
// the same error, whether the broken row arrives sorted or not.
func TestEpochMatchesOracleOnMalformedInput(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for r := range 200 {
		in := edgeSubnet(rng, 2+rng.Intn(40))
		nr := &in.Neurons[rng.Intn(len(in.Neurons))]
		row := &nr.Weights
		if rng.Intn(2) == 0 {
			row = &nr.Bonds
		}
		switch {
		case len(*row) > 0 && rng.Intn(2) == 0:
			k := rng.Intn(len(*row))
			*row = slices.Insert(*row, k+1, (*row)[k]) // duplicate, next to the original
		case len(*row) > 1 && rng.Intn(2) == 0:
			(*row)[len(*row)-1].UID = (*row)[0].UID // duplicate, far apart
		default:
			*row = append(*row, Entry{UID: uint16(len(in.Neurons) + rng.Intn(3)), Value: 1})
		}
		sameAsOracle(t, fmt.Sprintf("malformed round %d", r), in)
	}
}

// TestEpochMatchesOracleOnSaturatingRows covers rows whose raw sum overflows I32F32:
// more than 32768 full weights in one row.
func TestEpochMatchesOracleOnSaturatingRows(t *testing.T) {
	if testing.Short() {
		t.Skip("large subnet")
	}
	const n = 40_000
	for _, yuma3 := range []bool{false, true} {
		in := Input{
			Block: 100, Emission: 1e9,
			Params: Params{Kappa: 32767, ActivityCutoff: 1000, MaxAllowedValidators: 4,
				BondsMovingAverage: 900_000, BondsPenalty: 40000, Yuma3: yuma3, LiquidAlpha: yuma3,
				AlphaLow: 45875, AlphaHigh: 58982, AlphaSigmoidSteepness: 1000},
			Neurons: make([]Neuron, n),
		}
		for i := range in.Neurons {
			in.Neurons[i].LastUpdate = 99
			in.Neurons[i].RegisteredAt = 1
		}
		for i := range 3 {
			nr := &in.Neurons[i]
			nr.Stake, nr.ValidatorPermit = uint64(1000*(i+1)), true
			for j := 3; j < n; j++ {
				v := uint16(65535)
				if i == 2 {
					v = uint16(j)
				}
				nr.Weights = append(nr.Weights, Entry{UID: uint16(j), Value: v})
				nr.Bonds = append(nr.Bonds, Entry{UID: uint16(j), Value: 65535 - v})
			}
		}
		sameAsOracle(t, fmt.Sprintf("saturating rows, yuma3 %v", yuma3), in)
	}
}
