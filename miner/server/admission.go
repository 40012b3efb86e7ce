package server

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrOverloaded is returned when the queue is full of callers with at least as much stake.
var ErrOverloaded = errors.New("miner is at capacity")

// Admission runs at most Slots jobs at once and queues at most Depth more. When the queue is full, a
// newcomer with more stake than the lowest-staked waiter takes that waiter's place (the waiter is
// refused); otherwise the newcomer is refused. Free slots go to the waiter with the most stake, ties
// to the earliest.
type Admission struct {
	slots int
	depth int

	mu      sync.Mutex
	running int
	waiting waitQueue
	seq     uint64
}

// NewAdmission returns an admission controller with slots concurrent jobs and depth queued ones.
func NewAdmission(slots, depth int) *Admission {
	return &Admission{slots: max(1, slots), depth: max(0, depth)}
}

type waiter struct {
	stake uint64
	seq   uint64
	ready chan error // receives nil when admitted, an error when evicted
	index int
}

// Acquire waits for a slot. It returns a release function, or an error when refused, evicted or when
// ctx ends first.
func (a *Admission) Acquire(ctx context.Context, stake uint64) (release func(), err error) {
	a.mu.Lock()
	if a.running < a.slots && a.waiting.Len() == 0 {
		a.running++
		a.mu.Unlock()
		return a.release, nil
	}
	if a.waiting.Len() >= a.depth {
		lowest := a.waiting.lowest()
		if lowest == nil || lowest.stake >= stake {
			a.mu.Unlock()
			return nil, fmt.Errorf("%w: %d running, %d queued", ErrOverloaded, a.slots, a.depth)
		}
		heap.Remove(&a.waiting, lowest.index)
		lowest.ready <- fmt.Errorf("%w: displaced from the queue by a caller with more stake", ErrOverloaded)
	}
	a.seq++
	w := &waiter{stake: stake, seq: a.seq, ready: make(chan error, 1)}
	heap.Push(&a.waiting, w)
	a.mu.Unlock()

	select {
	case err := <-w.ready:
		if err != nil {
			return nil, err
		}
		return a.release, nil
	case <-ctx.Done():
		a.mu.Lock()
		if w.index >= 0 {
			heap.Remove(&a.waiting, w.index)
			a.mu.Unlock()
			return nil, ctx.Err()
		}
		a.mu.Unlock()
		// Admitted or evicted at the same moment: honour the outcome so a slot is never leaked.
		if err := <-w.ready; err == nil {
			a.release()
		}
		return nil, ctx.Err()
	}
}

func (a *Admission) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.waiting.Len() > 0 {
		w := heap.Pop(&a.waiting).(*waiter)
		w.ready <- nil // the slot passes straight to the waiter
		return
	}
	a.running--
}

// Queued returns how many requests wait for a slot.
func (a *Admission) Queued() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.waiting.Len()
}

// waitQueue is a max-heap on (stake, -seq).
type waitQueue []*waiter

func (q waitQueue) Len() int { return len(q) }
func (q waitQueue) Less(i, j int) bool {
	if q[i].stake != q[j].stake {
		return q[i].stake > q[j].stake
	}
	return q[i].seq < q[j].seq
}
func (q waitQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *waitQueue) Push(x any) {
	w := x.(*waiter)
	w.index = len(*q)
	*q = append(*q, w)
}
func (q *waitQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	old[len(old)-1] = nil
	w.index = -1
	*q = old[:len(old)-1]
	return w
}

// lowest returns the waiter that would be served last.
func (q waitQueue) lowest() *waiter {
	var low *waiter
	for _, w := range q {
		if low == nil || w.stake < low.stake || (w.stake == low.stake && w.seq > low.seq) {
			low = w
		}
	}
	return low
}
