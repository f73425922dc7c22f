package remote

import (
	"context"
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"

	"github.com/shoaldata/shoal/runtime/objstore"
	"github.com/shoaldata/shoal/runtime/sched"
)

// Compression picks how spilled objects are compressed.
type Compression = objstore.Compression

const (
	LZ4  = objstore.LZ4  // fast; the default
	Zstd = objstore.Zstd // smaller files, for cold data
)

// DefaultObjectStoreMemory is the store's capacity when Config leaves it 0.
const DefaultObjectStoreMemory = 2 << 30

// Config sets up an embedded runtime. The zero Config is a node with one CPU
// per GOMAXPROCS, no custom resources and a 2 GiB object store spilling to a
// temporary directory with LZ4.
type Config struct {
	NumCPUs           float64            // 0 means GOMAXPROCS
	Resources         map[string]float64 // custom resources, e.g. {"GPU": 1}
	ObjectStoreMemory int64              // bytes; 0 means DefaultObjectStoreMemory, < 0 unlimited
	SpillDir          string             // "" means a new temporary directory
	SpillCompression  Compression
	DisableSpill      bool // past capacity, Put and task results fail with ErrStoreFull

	// Address, if set, joins the cluster whose head listens there
	// (host:port) instead of running tasks in this process: see the package
	// doc, "Clusters". NumCPUs then bounds the tasks in flight, by default
	// 64 per CPU of the cluster.
	Address string
	// Token is the cluster token; empty means $SHOAL_TOKEN, else the
	// contents of TokenFile.
	Token     string
	TokenFile string
	// TLSCA, if set, dials the cluster over TLS trusting this CA file.
	TLSCA string
	// WorkersPerNode is how many worker processes each node starts for the
	// job; 0 means one per CPU of the node.
	WorkersPerNode int
	// WorkerEnv is extra environment (KEY=VALUE) for the workers.
	WorkerEnv []string
}

// Runtime is one embedded node: scheduler, object store and a pool of worker
// goroutines in this process. It is safe for concurrent use; tasks running on
// it find it with RuntimeFrom(ctx).
type Runtime struct {
	store *objstore.Store
	cl    *clusterBackend // nil in embedded mode

	taskIDs atomic.Uint64
	refIDs  atomic.Uint64
	closing atomic.Bool // set by Shutdown; new work fails fast with ErrShutdown

	mu        sync.Mutex // guards sched and the fields below
	sched     *sched.State
	classes   map[sched.Quantity]*sched.Class // CPU-only demands, the common case
	named     map[string]*namedActor
	closed    bool
	nextActor uint64

	workers sync.WaitGroup // worker goroutines running tasks
}

// Start starts an embedded runtime. ctx bounds start-up only; the runtime runs
// until Shutdown.
//
// In a worker process of a cluster (IsWorker), Start does not return: it
// serves the node that started the process and exits with it.
func Start(ctx context.Context, cfg Config) (*Runtime, error) {
	if IsWorker() {
		workerMain()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var cl *clusterBackend
	cpus := cfg.NumCPUs
	if cfg.Address != "" {
		var err error
		if cl, err = startCluster(ctx, cfg); err != nil {
			return nil, err
		}
		if cpus == 0 {
			cpus = cl.cpus * inFlightPerCPU
		}
	}
	return newRuntime(cfg, cpus, cl)
}

// newRuntime builds a runtime on cpus whose tasks run in this process, or
// through cl when it is set.
func newRuntime(cfg Config, cpus float64, cl *clusterBackend) (*Runtime, error) {
	if cpus == 0 {
		cpus = float64(goruntime.GOMAXPROCS(0))
	}
	pool, err := sched.NewPool(cpus, cfg.Resources)
	if err != nil {
		if cl != nil {
			cl.close()
		}
		return nil, fmt.Errorf("remote: start: %w", err)
	}
	capacity := cfg.ObjectStoreMemory
	if capacity == 0 {
		capacity = DefaultObjectStoreMemory
	}
	store, err := objstore.New(objstore.Options{
		Capacity:     capacity,
		SpillDir:     cfg.SpillDir,
		Compression:  cfg.SpillCompression,
		DisableSpill: cfg.DisableSpill,
	})
	if err != nil {
		if cl != nil {
			cl.close()
		}
		return nil, fmt.Errorf("remote: start: %w", err)
	}
	return &Runtime{
		cl:      cl,
		store:   store,
		sched:   sched.New(pool),
		classes: map[sched.Quantity]*sched.Class{},
		named:   map[string]*namedActor{},
	}, nil
}

// Shutdown stops the runtime: queued work fails with ErrShutdown, running
// tasks see their context cancelled, actors die. It waits for running tasks to
// return (or ctx to end), then closes the object store and deletes its spill
// files. Calling it again is a no-op.
func (r *Runtime) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.closing.Store(true)
	acts := r.sched.Step(sched.Event{Kind: sched.Shutdown}, nil)
	r.mu.Unlock()
	r.perform(acts, false)

	done := make(chan struct{})
	go func() { r.workers.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("remote: shutdown: tasks still running: %w", ctx.Err())
	}
	if r.cl != nil {
		r.cl.close()
	}
	if cerr := r.store.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("remote: shutdown: %w", cerr)
	}
	return err
}

// Stats is a snapshot of the node for status pages, benchmarks and tests.
type Stats struct {
	Resources []sched.ResourceUse
	Tasks     sched.Counts
	Store     objstore.Stats
}

// Stats returns what the node holds and runs now.
func (r *Runtime) Stats() Stats {
	r.mu.Lock()
	s := Stats{Resources: r.sched.Pool().Snapshot(), Tasks: r.sched.Counts()}
	r.mu.Unlock()
	s.Store = r.store.Stats()
	return s
}

// classFor returns the scheduling class of d. Callers hold r.mu.
func (r *Runtime) classFor(d sched.Demand) *sched.Class {
	if len(d.Custom) > 0 {
		return r.sched.Class(d)
	}
	c, ok := r.classes[d.CPU]
	if !ok {
		c = r.sched.Class(d)
		r.classes[d.CPU] = c
	}
	return c
}

// step feeds one event to the scheduler and performs the actions.
func (r *Runtime) step(ev sched.Event) { r.steps(false, ev) }

// blocked and unblocked bracket a wait inside task t: its CPU goes back to
// the node meanwhile, so the tasks it waits for can run.
func (r *Runtime) blocked(t *task)   { r.step(sched.Event{Kind: sched.Blocked, Task: &t.st}) }
func (r *Runtime) unblocked(t *task) { r.step(sched.Event{Kind: sched.Unblocked, Task: &t.st}) }

// handOff is how a worker reports its task's end: it feeds evs to the
// scheduler under one lock and returns the task the worker runs next.
func (r *Runtime) handOff(evs ...sched.Event) *task { return r.steps(true, evs...) }

func (r *Runtime) steps(self bool, evs ...sched.Event) *task {
	var buf [4]sched.Action
	acts := buf[:0]
	r.mu.Lock()
	for _, ev := range evs {
		acts = r.sched.Step(ev, acts)
	}
	r.mu.Unlock()
	return r.perform(acts, self)
}

// perform carries out scheduler actions outside r.mu. With self set, the
// calling worker takes the first task to run itself instead of starting a
// goroutine for it, so a busy node hands work from one task to the next
// without waking anyone.
func (r *Runtime) perform(acts []sched.Action, self bool) (next *task) {
	for _, a := range acts {
		switch a.Kind {
		case sched.Run:
			t := a.Task.Data.(*task)
			if self && next == nil {
				next = t
				continue
			}
			r.workers.Add(1)
			go r.work(t)
		case sched.Fail:
			t := a.Task.Data.(*task)
			t.finish(t.failure(a.Reason))
		case sched.Interrupt:
			a.Task.Data.(*task).interrupt(a.Reason)
		case sched.ActorDied:
			a.Actor.Data.(*actor).died(a.Reason)
		}
	}
	return next
}

// work is a worker goroutine: it runs t, then whatever its completion lets
// the scheduler start next.
func (r *Runtime) work(t *task) {
	defer r.workers.Done()
	for t != nil {
		t = t.run()
	}
}

// RuntimeFrom returns the runtime running the task whose context ctx is (or
// derives from), so tasks can submit nested work; nil outside a task.
func RuntimeFrom(ctx context.Context) *Runtime {
	if t := taskOf(ctx); t != nil {
		return t.rt
	}
	if r, ok := ctx.Value(workerRuntimeKey{}).(*Runtime); ok {
		return r
	}
	return nil
}
