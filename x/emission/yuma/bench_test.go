package yuma

import (
	"fmt"
	"math/rand"
	"testing"
)

// benchVariants are the three bond modes the epoch benchmarks run.
var benchVariants = []struct {
	name          string
	yuma3, liquid bool
}{{"classic", false, false}, {"yuma3", true, false}, {"yuma3_liquid", true, true}}

// steadySubnet builds a subnet in steady state: validators 0..v-1 weight every miner, and
// bonds come from a previous epoch over the same weights.
func steadySubnet(n, v int, yuma3, liquid bool) Input {
	rng := rand.New(rand.NewSource(int64(n*v + 1)))
	in := Input{
		Block: 10_000, Emission: 1_000_000_000, LastEpochBlock: 9_640,
		Params: Params{Kappa: 32767, ActivityCutoff: 5000, MaxAllowedValidators: uint16(v),
			BondsMovingAverage: 900_000, BondsPenalty: 65535, Yuma3: yuma3, LiquidAlpha: liquid,
			AlphaLow: 45875, AlphaHigh: 58982, AlphaSigmoidSteepness: 1000},
		Neurons: make([]Neuron, n),
	}
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		nr.LastUpdate = 9_990
		if i < v {
			nr.Stake = 1_000_000 + uint64(rng.Int63n(1e12))
			nr.ValidatorPermit = true
			nr.Weights = make([]Entry, 0, n-v)
			for j := v; j < n; j++ {
				nr.Weights = append(nr.Weights, Entry{UID: uint16(j), Value: uint16(1 + rng.Intn(65535))})
			}
		}
	}
	out, err := Epoch(in)
	if err != nil {
		panic(err)
	}
	for i := range in.Neurons {
		in.Neurons[i].Bonds = out.Neurons[i].Bonds
	}
	return in
}

// BenchmarkEpoch measures one epoch over a 256-UID subnet with 64 validators and a
// 4096-UID subnet with 256 validators, every validator weighting every miner (targets:
// under 2 ms and under 100 ms on one core).
func BenchmarkEpoch(b *testing.B) {
	for _, size := range []struct{ n, v int }{{256, 64}, {4096, 256}} {
		for _, variant := range benchVariants {
			b.Run(fmt.Sprintf("uids=%d/validators=%d/%s", size.n, size.v, variant.name), func(b *testing.B) {
				in := steadySubnet(size.n, size.v, variant.yuma3, variant.liquid)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if _, err := Epoch(in); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
