package main

import "testing"

func TestParseLabels(t *testing.T) {
	got, err := parseLabels([]string{"mind1a=miner-1", "mind1b=odd=model"})
	if err != nil || got["mind1a"] != "miner-1" || got["mind1b"] != "odd=model" {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []string{"nohotkey", "=name"} {
		if _, err := parseLabels([]string{bad}); err == nil {
			t.Errorf("label %q accepted", bad)
		}
	}
}
