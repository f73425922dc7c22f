package remote_test

// Helpers shared by the package's tests: runtimes shut down at the end of the
// test, probes (tasks the test starts and releases at will, counting how
// many run at once) and counters keyed by test, so that remote functions,
// which must be registered once at package level, can report back to the
// test that called them.

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/remote/remotetest"
)

// patience bounds every wait in the tests, so a hang fails fast with a
// message instead of timing the whole binary out.
const patience = 5 * time.Second

// newRuntime starts a runtime that is shut down when the test ends.
func newRuntime(t testing.TB, cfg remote.Config) *remote.Runtime {
	t.Helper()
	return remotetest.Start(t, cfg)
}

// testCtx returns a context for the test's Gets, ended after twice patience.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*patience)
	t.Cleanup(cancel)
	return ctx
}

var keySeq atomic.Int64

// newKey returns a key unique in the process (also across -count runs).
func newKey(t testing.TB) string { return fmt.Sprintf("%s#%d", t.Name(), keySeq.Add(1)) }

// counters are per-key counts that remote functions bump, e.g. how many
// times a function ran.
var counters sync.Map // string -> *atomic.Int64

func counter(key string) *atomic.Int64 {
	v, _ := counters.LoadOrStore(key, new(atomic.Int64))
	return v.(*atomic.Int64)
}

// A probe lets a test control tasks: each reports its start, then holds until
// the test releases it (one at a time with releaseOne, or all with
// releaseAll) or its context ends. It counts runs, the tasks inside it now
// and the most that were ever inside at once.
type probe struct {
	started  chan int // the id of every task that entered
	release  chan struct{}
	all      chan struct{}
	allOnce  sync.Once
	runs     atomic.Int64
	inflight atomic.Int64
	max      atomic.Int64
	sawDone  atomic.Int64 // tasks that left because their context ended
}

var probes sync.Map // string -> *probe

// newProbe returns a fresh probe and its key; every task still held is let go
// when the test ends.
func newProbe(t testing.TB) (string, *probe) {
	key := newKey(t)
	p := &probe{started: make(chan int, 4096), release: make(chan struct{}), all: make(chan struct{})}
	probes.Store(key, p)
	t.Cleanup(p.releaseAll)
	return key, p
}

func probeFor(key string) *probe {
	v, ok := probes.Load(key)
	if !ok {
		panic("no probe " + key)
	}
	return v.(*probe)
}

// hold is what a probed task runs: it enters, reports id and waits.
func (p *probe) hold(ctx context.Context, id int) error {
	p.runs.Add(1)
	n := p.inflight.Add(1)
	defer p.inflight.Add(-1)
	for {
		m := p.max.Load()
		if n <= m || p.max.CompareAndSwap(m, n) {
			break
		}
	}
	p.started <- id
	select {
	case <-p.release:
		return nil
	case <-p.all:
		return nil
	case <-ctx.Done():
		p.sawDone.Add(1)
		return ctx.Err()
	}
}

func (p *probe) releaseAll() { p.allOnce.Do(func() { close(p.all) }) }

// releaseOne lets exactly one held task go.
func (p *probe) releaseOne(t testing.TB) {
	t.Helper()
	select {
	case p.release <- struct{}{}:
	case <-time.After(patience):
		t.Fatal("releaseOne: no task is held")
	}
}

// waitStarted waits until n more tasks have entered and returns their ids in
// the order they entered.
func (p *probe) waitStarted(t testing.TB, n int) []int {
	t.Helper()
	ids := make([]int, 0, n)
	timeout := time.After(patience)
	for len(ids) < n {
		select {
		case id := <-p.started:
			ids = append(ids, id)
		case <-timeout:
			t.Fatalf("waitStarted: %d of %d tasks started within %v (ids %v)", len(ids), n, patience, ids)
		}
	}
	return ids
}

// Functions the tests share. Held tasks are probe-controlled; the variants
// differ only in their registered resource demands.
var (
	held = remote.Register2("test.held", holdFn)
	// heldCPU2 needs the whole of a 2-CPU node.
	heldCPU2 = remote.Register2("test.heldCPU2", holdFn, remote.NumCPUs(2))
	// heldHalf needs half a CPU.
	heldHalf = remote.Register2("test.heldHalf", holdFn, remote.NumCPUs(0.5))
	// heldGPU needs a GPU.
	heldGPU = remote.Register2("test.heldGPU", holdFn, remote.Resources(map[string]float64{"GPU": 1}))

	addFn = remote.Register2("test.add", func(_ context.Context, a, b int) (int, error) { return a + b, nil })
)

// holdFn holds in the probe named key and returns id.
func holdFn(ctx context.Context, key string, id int) (int, error) {
	if err := probeFor(key).hold(ctx, id); err != nil {
		return 0, err
	}
	return id, nil
}

// mustGet is Get failing the test on error.
func mustGet[T any](t testing.TB, ctx context.Context, ref remote.ObjectRef[T]) T {
	t.Helper()
	v, err := remote.Get(ctx, ref)
	if err != nil {
		t.Fatalf("Get(%v): %v", ref, err)
	}
	return v
}

// eventually polls cond every millisecond until it holds, failing the test
// after patience. With gc set, it collects garbage before each look, for
// conditions that wait on cleanups of dropped refs and handles.
func eventually(t testing.TB, what string, gc bool, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		if gc {
			runtime.GC()
		}
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not true after %v: %s", patience, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitIdle waits until no task is waiting, queued or running: a task's
// result is sealed just before the scheduler hears that it finished.
func waitIdle(t testing.TB, rt *remote.Runtime) {
	t.Helper()
	eventually(t, "runtime idle", false, func() bool {
		c := rt.Stats().Tasks
		return c.Waiting == 0 && c.Queued == 0 && c.Running == 0 && c.Blocked == 0
	})
}

// freeOf returns the free amount of resource name.
func freeOf(rt *remote.Runtime, name string) float64 {
	for _, u := range rt.Stats().Resources {
		if u.Name == name {
			return u.Free
		}
	}
	return -1
}

// ids lists the refs' IDs, to compare Wait's results.
func ids[R remote.Ref](refs []R) []uint64 {
	out := []uint64{}
	for _, r := range refs {
		out = append(out, r.ID())
	}
	return out
}

func sameIDs[R remote.Ref](got []R, want ...R) bool { return slices.Equal(ids(got), ids(want)) }
