package llama

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ranger is a piece of work split by index range across the pool. Jobs are
// pointers to structs kept in a request's state, so handing one to a worker
// through the channel allocates nothing.
type ranger interface {
	run(lo, hi int)
}

type part struct {
	job    ranger
	lo, hi int
	join   *joiner
}

func (p part) run() {
	p.job.run(p.lo, p.hi)
	p.join.finish()
}

// joiner counts the parts of one parallel call that are not finished yet.
// Whoever finishes the last of them puts a token in done, so that the
// caller, which may have stopped polling and gone to sleep, wakes exactly
// once per call.
type joiner struct {
	pending atomic.Int32
	done    chan struct{}
}

func newJoiner() joiner { return joiner{done: make(chan struct{}, 1)} }

func (j *joiner) finish() {
	if j.pending.Add(-1) == 0 {
		j.done <- struct{}{}
	}
}

// wait returns once every handed-out part has finished. Meanwhile the
// caller runs queued parts itself, its own or other requests', so that a
// busy pool, or none at all, never leaves a part waiting for a core. The
// parts are about as long as the caller's own, so they are usually done or
// nearly done: polling for them costs far less than sleeping, which costs a
// futex call on each side, as long as a band's whole step.
func (j *joiner) wait() {
	for i := 0; j.pending.Load() != 0; i++ {
		select {
		case p := <-workers.parts:
			p.run()
			i = 0
			continue
		default:
		}
		// The queue is empty, so every part of this call is with a core
		// that will finish it: sleeping is safe.
		if i >= spinChecks {
			break
		}
		yieldSometimes(i)
	}
	<-j.done
}

// spinChecks bounds how long an idle core polls for work, or a caller for
// its helpers, before it sleeps: about 25 µs, longer than the gap between
// the parallel steps of one forward pass, so that a request in flight keeps
// its helper awake, and short enough that an idle pool is soon asleep.
const spinChecks = 2048

// yieldSometimes lets other goroutines run every sixteenth check, so that a
// polling goroutine never keeps a core from a request that needs it (with
// two requests in flight on two cores, a helper that only spun would hold
// one core from the second request until the scheduler preempted it).
func yieldSometimes(i int) {
	if i%16 == 15 {
		runtime.Gosched()
	}
}

// workers is shared by every model: one goroutine per core (GOMAXPROCS, the
// most it has been) beyond the caller's own, which runs the first part
// itself.
// Workers never block on each other, so concurrent requests cannot deadlock
// the pool.
var workers struct {
	parts   chan part
	mu      sync.Mutex   // held while starting workers
	started atomic.Int32 // worker goroutines running
}

// queueDepth bounds the parts waiting for a core; past it, parallel runs a
// part itself. A forward pass queues one part per core but its own.
const queueDepth = 256

func init() { workers.parts = make(chan part, queueDepth) }

// ensureWorkers starts workers until there is one per core but the
// caller's: n-1 for n cores. GOMAXPROCS can grow after the first request
// (a test's -cpu list, the runtime following a container's CPU limit), so
// this runs at every pass; when it shrinks, the extra workers sleep on the
// queue and parallel makes fewer parts.
func ensureWorkers(n int) {
	if int(workers.started.Load()) >= n-1 {
		return
	}
	workers.mu.Lock()
	defer workers.mu.Unlock()
	for int(workers.started.Load()) < n-1 {
		workers.started.Add(1)
		go work()
	}
}

// maxParts, when above zero, replaces the number of cores as the most parts
// parallel makes. Tests raise it to split work finely on any machine,
// because splitting must change no number.
var maxParts int

// partsLimit is the most parts worth making: one per core.
func partsLimit() int {
	n := runtime.GOMAXPROCS(0)
	ensureWorkers(n)
	if maxParts > 0 {
		return maxParts
	}
	return n
}

// busy counts the forward passes running now, each holding a core.
var busy atomic.Int32

// spareParts is the most parts worth making for a forward pass now: its own
// core and the cores no other pass holds. Splitting onto a core that
// another request is using gains nothing and costs a hand-over at every
// layer; the validator, which verifies a round's answers one batch per
// core, and a miner with a request on each core, keep each pass whole.
func spareParts() int {
	n := partsLimit()
	if maxParts > 0 {
		return n // tests split as they ask, whatever else runs
	}
	return max(1, n-int(busy.Load())+1)
}

// work runs parts for ever. Between parts it polls the queue for a while
// before it blocks on it, because a forward pass hands out a part every few
// tens of microseconds and waking a sleeping goroutine takes about as long.
func work() {
	for {
		p, ok := poll()
		if !ok {
			p = <-workers.parts
		}
		p.run()
	}
}

func poll() (part, bool) {
	for i := 0; i < spinChecks; i++ {
		select {
		case p := <-workers.parts:
			return p, true
		default:
			yieldSometimes(i)
		}
	}
	return part{}, false
}

// parallel runs job.run(i, i+1) for every part i in [0, parts), part 0 on
// the calling core and the others on whichever cores take them, and returns
// when all are done. The caller chooses parts (forward cuts its bands to
// the spare cores).
func parallel(job ranger, parts int, join *joiner) {
	if parts <= 1 {
		job.run(0, 1)
		return
	}
	join.pending.Store(int32(parts))
	for i := 1; i < parts; i++ {
		p := part{job: job, lo: i, hi: i + 1, join: join}
		select {
		case workers.parts <- p:
		default:
			p.run() // the queue is full: other requests keep the cores busy
		}
	}
	part{job: job, lo: 0, hi: 1, join: join}.run()
	join.wait()
}
