package server

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAdmissionFavoursStakeWhenFull(t *testing.T) {
	a := NewAdmission(1, 1)
	ctx := context.Background()

	releaseFirst, err := a.Acquire(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}

	type result struct {
		release func()
		err     error
	}
	wait := func(stake uint64) chan result {
		ch := make(chan result, 1)
		go func() {
			r, err := a.Acquire(ctx, stake)
			ch <- result{r, err}
		}()
		for a.Queued() == 0 {
			time.Sleep(time.Millisecond)
		}
		return ch
	}

	low := wait(10)
	// The queue is full: a caller with less stake than the waiter is refused at once.
	if _, err := a.Acquire(ctx, 1); !errors.Is(err, ErrOverloaded) {
		t.Fatalf("low-stake newcomer: %v", err)
	}
	// A caller with more stake displaces the waiter.
	high := make(chan result, 1)
	go func() {
		r, err := a.Acquire(ctx, 1000)
		high <- result{r, err}
	}()
	if r := <-low; !errors.Is(r.err, ErrOverloaded) {
		t.Fatalf("displaced waiter: %v", r.err)
	}
	releaseFirst()
	r := <-high
	if r.err != nil {
		t.Fatalf("high-stake caller: %v", r.err)
	}
	r.release()

	// With nothing running, a slot is free again.
	rel, err := a.Acquire(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	rel()
}

func TestAdmissionHonoursCancellation(t *testing.T) {
	a := NewAdmission(1, 4)
	hold, err := a.Acquire(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := a.Acquire(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting past the deadline: %v", err)
	}
	if a.Queued() != 0 {
		t.Fatalf("cancelled waiter left in the queue")
	}
	hold()
	rel, err := a.Acquire(context.Background(), 1)
	if err != nil {
		t.Fatalf("slot leaked: %v", err)
	}
	rel()
}
