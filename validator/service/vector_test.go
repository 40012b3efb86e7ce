package service

import (
	"errors"
	"testing"
	"time"

	"github.com/mindnet/mindnet/metagraph"
	"github.com/mindnet/mindnet/validator/scoreboard"
	"github.com/mindnet/mindnet/validator/submit"
	"github.com/mindnet/mindnet/validator/weights"
)

func TestVector(t *testing.T) {
	snap := metagraph.NewSnapshot(1, 10, []metagraph.Neuron{
		{UID: 0, Hotkey: "self"}, {UID: 1, Hotkey: "a"}, {UID: 2, Hotkey: "b"}, {UID: 3, Hotkey: "c-new"},
	}, time.Now())
	board, err := scoreboard.New(0.5)
	if err != nil {
		t.Fatal(err)
	}
	hp := submit.Hyperparameters{MinAllowedWeights: 1, MaxWeightLimit: weights.MaxWeight}
	if _, err := Vector(board, snap, "self", hp); !errors.Is(err, submit.ErrNothingToSubmit) {
		t.Fatalf("empty board: %v", err)
	}
	for _, o := range []struct {
		uid    uint16
		hotkey string
		score  float64
	}{{1, "a", 1}, {2, "b", 0.5}, {3, "c-old", 1}} {
		if err := board.Observe(o.uid, o.hotkey, o.score); err != nil {
			t.Fatal(err)
		}
	}
	row, err := Vector(board, snap, "self", hp)
	if err != nil {
		t.Fatal(err)
	}
	// UID 3 changed hands since it was scored: the newcomer gets nothing of its predecessor's score;
	// the validator's own UID is left out.
	if len(row.UIDs) != 2 || row.UIDs[0] != 1 || row.UIDs[1] != 2 || row.Weights[0] != 65535 || row.Weights[1] != 32768 {
		t.Fatalf("row %+v", row)
	}
	// A subnet that wants every UID weighted: the floor share reaches all four, self included.
	hp.MinAllowedWeights = 4
	row, err = Vector(board, snap, "self", hp)
	if err != nil {
		t.Fatal(err)
	}
	if len(row.UIDs) != 4 {
		t.Fatalf("min_allowed_weights 4: row %+v", row)
	}
}
