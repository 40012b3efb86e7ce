package llama

import (
	"runtime"
	"sync"
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
	wg     *sync.WaitGroup
}

// workers is shared by every model: one goroutine per core (GOMAXPROCS at
// first use) beyond the caller's own, which runs the first part itself.
// Workers never block on each other, so concurrent requests cannot deadlock
// the pool.
var workers struct {
	once  sync.Once
	parts chan part
	n     int
}

func startWorkers() {
	workers.n = runtime.GOMAXPROCS(0)
	workers.parts = make(chan part, 4*workers.n)
	for i := 1; i < workers.n; i++ {
		go func() {
			for p := range workers.parts {
				p.job.run(p.lo, p.hi)
				p.wg.Done()
			}
		}()
	}
}

// parallel runs job over [0, n) split into contiguous ranges, one per core,
// and returns when all are done. cost is the work per index, in
// multiply-adds; a part gets at least minPart of it, so that handing it
// over costs less than the work.
func parallel(job ranger, n, cost, minPart int, wg *sync.WaitGroup) {
	workers.once.Do(startWorkers)
	parts := min(workers.n, max(1, n*cost/minPart), n)
	if parts <= 1 {
		job.run(0, n)
		return
	}
	chunk := (n + parts - 1) / parts
	wg.Add(parts - 1)
	for lo := chunk; lo < n; lo += chunk {
		workers.parts <- part{job: job, lo: lo, hi: min(n, lo+chunk), wg: wg}
	}
	job.run(0, min(n, chunk))
	wg.Wait()
}
