package yuma

import (
	"fmt"
	"math/rand"
	"testing"
)

// unitOperands returns fractions in [0, 1] (raw 0..2^32): the edges, values next to
// powers of two, and random ones.
func unitOperands(rng *rand.Rand, random int) []Fixed {
	xs := []Fixed{0, 1, 2, half - 1, half, half + 1, One - 2, One - 1, One}
	for b := range 33 {
		p := Fixed(1) << b
		xs = append(xs, p-1, p, min(p+1, One))
	}
	for range random {
		xs = append(xs, Fixed(rng.Int63n(int64(One)+1)))
	}
	return xs
}

// TestUnitShortcutsMatchFixed checks the shortcuts the fused passes take for operands in
// [0, 1] against the general operations, on every pair of edge and random operands:
// mulUnit against Mul, toU16Unit against ToU16Proportion, and the divisors' inlined
// quick paths against their div.
func TestUnitShortcutsMatchFixed(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	xs := unitOperands(rng, 400)
	for _, a := range xs {
		if got, want := toU16Unit(a), a.ToU16Proportion(); got != want {
			t.Fatalf("toU16Unit(%d) = %d, ToU16Proportion %d", a, got, want)
		}
		for _, b := range xs {
			if got, want := mulUnit(a, b), a.Mul(b); got != want {
				t.Fatalf("mulUnit(%d, %d) = %d, Mul %d", a, b, got, want)
			}
			if b == 0 {
				continue
			}
			d := newFixedDivisor(b)
			if q, ok := d.quick(a); ok != (a < One) || ok && q != a.Div(b) {
				t.Fatalf("quick(%d) by %d = %d, %v; Div %d", a, b, q, ok, a.Div(b))
			}
		}
	}
	// Sums as columns of u16 integers reach them: small, large, and saturated.
	for _, total := range []uint64{1, 2, 3, 65535, 65536, 1<<31 - 1, 1 << 31, 1 << 40} {
		d := newIntegerSumDivisor(total)
		for _, u := range []uint16{0, 1, 2, 32767, 65534, 65535} {
			if uint64(u) > total {
				continue
			}
			q, ok := d.quick(u)
			if !ok {
				q = d.div(u)
			}
			if ok != (total < 1<<31) || q != d.div(u) {
				t.Fatalf("integer sum %d, u %d: quick %d, %v; div %d", total, u, q, ok, d.div(u))
			}
		}
	}
}

// TestEpochMatchesOracleOnSaturatingBondColumns covers classic bond columns whose stored
// values sum past I32F32's range (more than 32768 full bonds on one miner), where the
// fused EMA leaves its inlined division for Fixed.Div, and the EMA laid out both over
// the weights' memory and in memory of its own (bonds outside the weights).
func TestEpochMatchesOracleOnSaturatingBondColumns(t *testing.T) {
	if testing.Short() {
		t.Skip("large subnet")
	}
	const n = 40_000
	for _, extraBonds := range []bool{false, true} {
		in := Input{
			Block: 100, Emission: 1e9,
			Params: Params{Kappa: 32767, ActivityCutoff: 1000, MaxAllowedValidators: 8,
				BondsMovingAverage: 900_000, BondsPenalty: 65535,
				AlphaLow: 45875, AlphaHigh: 58982, AlphaSigmoidSteepness: 1000},
			Neurons: make([]Neuron, n),
		}
		for i := range in.Neurons {
			nr := &in.Neurons[i]
			nr.LastUpdate, nr.RegisteredAt = 99, 1
			// Every neuron holds a full bond on miners 0 and 1 (columns that saturate),
			// as if all of them had validated before.
			nr.Bonds = []Entry{{UID: 0, Value: 65535}, {UID: 1, Value: uint16(1 + i%65535)}}
			if extraBonds && i < 8 {
				nr.Bonds = append(nr.Bonds, Entry{UID: uint16(100 + i), Value: 30000})
			}
		}
		for i := 2; i < 8; i++ {
			nr := &in.Neurons[i]
			nr.Stake, nr.ValidatorPermit = uint64(1000*i), true
			nr.Weights = []Entry{{UID: 0, Value: uint16(1000 * i)}, {UID: 1, Value: 65535}, {UID: 9, Value: 500}}
		}
		sameAsOracle(t, fmt.Sprintf("saturating bond columns, extra bonds %v", extraBonds), in)
	}
}

// TestEpochMatchesOracleOnLargeSubnets runs both implementations on subnets large enough
// for consensus to gather its columns in many bands (the benchmark's 4096 UIDs with 256
// validators, about 30 bands) and on one whose busiest columns each exceed a band (more
// than 32768 validators weighting the same few miners), two epochs each.
func TestEpochMatchesOracleOnLargeSubnets(t *testing.T) {
	if testing.Short() {
		t.Skip("large subnets")
	}
	for _, v := range benchVariants {
		in := steadySubnet(4096, 256, v.yuma3, v.liquid)
		sameAsOracle(t, "4096/256 "+v.name, in)
		out, err := Epoch(in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range in.Neurons {
			in.Neurons[i].Bonds = out.Neurons[i].Bonds
		}
		in.Block++
		sameAsOracle(t, "4096/256 "+v.name+" second epoch", in)
	}

	const validators, n = 33_000, 33_010
	in := Input{
		Block: 100, Emission: 1e9,
		Params: Params{Kappa: 32767, ActivityCutoff: 1000, MaxAllowedValidators: validators,
			BondsMovingAverage: 900_000, BondsPenalty: 65535},
		Neurons: make([]Neuron, n),
	}
	for i := range in.Neurons {
		nr := &in.Neurons[i]
		nr.LastUpdate, nr.RegisteredAt = 99, 1
		if i < validators {
			nr.Stake, nr.ValidatorPermit = uint64(1+i%97), true
			for j := validators; j < validators+3; j++ {
				nr.Weights = append(nr.Weights, Entry{UID: uint16(j), Value: uint16(1 + (i*(j-validators+7))%65535)})
			}
		}
	}
	sameAsOracle(t, "columns above a band", in)
}
