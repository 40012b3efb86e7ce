package store

import (
	"fmt"
	"testing"
)

func epochAt(netuid uint32, uids int, incentive uint16) Epoch {
	e := Epoch{Netuid: netuid, Pending: "1000", Paid: "820", OwnerCut: "180", Carried: "0"}
	for u := 0; u < uids; u++ {
		e.Neurons = append(e.Neurons, Neuron{UID: uint32(u), Hotkey: fmt.Sprintf("mind1hot%d", u), Stake: uint64(1000 + u), Incentive: incentive + uint16(u), ValidatorPermit: u == 0})
	}
	return e
}

func TestCommitKeepsCursorAndRowsAndResumesAfterReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Cursor(); c != 0 {
		t.Fatalf("fresh store cursor %d", c)
	}
	if err := s.Commit(5, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(10, []Epoch{epochAt(1, 3, 100), epochAt(2, 2, 7)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c, _ := s.Cursor(); c != 10 {
		t.Fatalf("cursor after reopen = %d, want 10", c)
	}
	eps, err := s.Epochs(1, 50)
	if err != nil || len(eps) != 1 || eps[0].Height != 10 || eps[0].UIDs != 3 || eps[0].Paid != "820" {
		t.Fatalf("epochs of netuid 1 = %+v, %v", eps, err)
	}
	rows, err := s.Rows(1, 10)
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows = %+v, %v", rows, err)
	}
	want := Neuron{UID: 2, Hotkey: "mind1hot2", Stake: 1002, Incentive: 102}
	if rows[2] != want {
		t.Fatalf("row 2 = %+v, want %+v", rows[2], want)
	}
	if !rows[0].ValidatorPermit {
		t.Fatal("uid 0's permit was lost")
	}
	if eps, _ := s.Epochs(2, 50); len(eps) != 1 || eps[0].UIDs != 2 {
		t.Fatalf("netuid 2 epochs = %+v", eps)
	}
}

func TestCommitKeepsOnlyTheNewestEpochsPerSubnet(t *testing.T) {
	s, err := Open(t.TempDir(), 3)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for h := int64(1); h <= 8; h++ {
		if err := s.Commit(h*10, []Epoch{epochAt(1, 4, uint16(h))}); err != nil {
			t.Fatal(err)
		}
	}
	// Subnet 2 has one old epoch; subnet 1's pruning must not touch it.
	if err := s.Commit(90, []Epoch{epochAt(2, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	eps, err := s.Epochs(1, 100)
	if err != nil {
		t.Fatal(err)
	}
	var heights []int64
	for _, e := range eps {
		heights = append(heights, e.Height)
	}
	if fmt.Sprint(heights) != "[60 70 80]" {
		t.Fatalf("kept epochs %v, want [60 70 80]", heights)
	}
	if rows, _ := s.Rows(1, 50); len(rows) != 0 {
		t.Fatalf("rows of a pruned epoch survive: %d", len(rows))
	}
	hist, err := s.History(1, []uint32{1, 3}, []int64{50, 60, 70, 80})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist[1]) != 3 || hist[1][0].Height != 60 || hist[1][0].Incentive != 7 || hist[3][2].Incentive != 11 {
		t.Fatalf("history = %+v", hist)
	}
	if eps, _ := s.Epochs(2, 10); len(eps) != 1 {
		t.Fatalf("subnet 2 lost its epoch: %+v", eps)
	}
}

func TestOpenRefusesKeepBelowOne(t *testing.T) {
	if _, err := Open(t.TempDir(), 0); err == nil {
		t.Fatal("keep 0 accepted")
	}
}

func TestDecodeRefusesTruncatedRow(t *testing.T) {
	b := encodeNeuron(Neuron{UID: 300, Stake: 1 << 40, Hotkey: "mind1x"})
	if _, err := decodeNeuron(b[:3]); err == nil {
		t.Fatal("truncated row decoded")
	}
	n, err := decodeNeuron(b)
	if err != nil || n.UID != 300 || n.Stake != 1<<40 || n.Hotkey != "mind1x" {
		t.Fatalf("round trip = %+v, %v", n, err)
	}
}
