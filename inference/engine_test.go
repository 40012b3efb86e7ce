package inference

import (
	"errors"
	"math"
	"testing"
)

func TestRequestValidate(t *testing.T) {
	ok := Request{Prompt: "x", MaxTokens: 4, Temperature: 0.7, TopP: 0.9, TopK: 5, Stop: []string{"\n"}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Request{
		{MaxTokens: 0},
		{MaxTokens: 1, Temperature: -1},
		{MaxTokens: 1, Temperature: math.NaN()},
		{MaxTokens: 1, TopP: 1.5},
		{MaxTokens: 1, TopK: MaxTopK + 1},
		{MaxTokens: 1, Stop: []string{""}},
	}
	for _, r := range bad {
		if err := r.Validate(); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%+v: %v", r, err)
		}
	}
	if (Request{}).EffectiveTopP() != 1 || !(Request{}).Greedy() {
		t.Fatal("defaults")
	}
}

func TestFirstStop(t *testing.T) {
	text := []byte("abc\n}\nfunc")
	if got := FirstStop(text, []string{"\n}", "func"}, 0); got != 3 {
		t.Fatalf("got %d", got)
	}
	// Only matches ending at or after from count.
	if got := FirstStop(text, []string{"\n}"}, 6); got != -1 {
		t.Fatalf("got %d", got)
	}
	if got := FirstStop(text, []string{"func"}, 9); got != 6 {
		t.Fatalf("got %d", got)
	}
	if got := FirstStop(text, nil, 0); got != -1 {
		t.Fatalf("got %d", got)
	}
}
