package types

import "testing"

func TestEpochScheduleAgreesWithItself(t *testing.T) {
	for _, netuid := range []uint32{0, 1, 2, 7, 31} {
		for _, tempo := range []uint64{1, 2, 9, 360} {
			var epochs uint64
			for h := uint64(0); h < 2000; h++ {
				isEpoch := IsEpochBlock(netuid, tempo, h)
				next := NextEpochBlock(netuid, tempo, h)
				if isEpoch != (next == h) {
					t.Fatalf("netuid %d tempo %d height %d: IsEpochBlock %v but NextEpochBlock %d", netuid, tempo, h, isEpoch, next)
				}
				if next < h || next-h > tempo || !IsEpochBlock(netuid, tempo, next) {
					t.Fatalf("netuid %d tempo %d height %d: next epoch block %d out of range", netuid, tempo, h, next)
				}
				if EpochIndex(netuid, tempo, h) != EpochIndex(netuid, tempo, next) {
					t.Fatalf("netuid %d tempo %d height %d: shares no tempo index with its epoch block %d", netuid, tempo, h, next)
				}
				if isEpoch {
					epochs++
					i := EpochIndex(netuid, tempo, h)
					if EpochBlock(netuid, tempo, i) != h {
						t.Fatalf("netuid %d tempo %d: EpochBlock(%d) = %d, want %d", netuid, tempo, i, EpochBlock(netuid, tempo, i), h)
					}
					if EpochIndex(netuid, tempo, h+1) != i+1 {
						t.Fatalf("netuid %d tempo %d: block after epoch %d is not in the next tempo", netuid, tempo, h)
					}
				}
			}
			if want := uint64(2000) / (tempo + 1); epochs < want-1 || epochs > want+1 {
				t.Fatalf("netuid %d tempo %d: %d epochs in 2000 blocks, want about %d", netuid, tempo, epochs, want)
			}
		}
	}
}

func TestEpochScheduleStaggersSubnets(t *testing.T) {
	if IsEpochBlock(1, 9, 8) == IsEpochBlock(2, 9, 8) {
		t.Fatal("subnets 1 and 2 with the same tempo run their epoch in the same block")
	}
	if IsEpochBlock(1, 0, 0) || NextEpochBlock(1, 0, 5) != 0 {
		t.Fatal("a tempo of 0 must never run an epoch")
	}
}
