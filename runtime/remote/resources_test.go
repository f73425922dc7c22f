package remote_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/sched"
)

// runHeld submits n calls of f's shape through submit, with ids 0..n-1.
func runHeld(n int, submit func(id int) remote.ObjectRef[int]) []remote.ObjectRef[int] {
	refs := make([]remote.ObjectRef[int], n)
	for i := range refs {
		refs[i] = submit(i)
	}
	return refs
}

// releaseInTurn lets the held tasks go one at a time, checking each time
// that exactly one more starts, and returns the ids in the order they ran.
func releaseInTurn(t *testing.T, p *probe, n int) []int {
	t.Helper()
	order := p.waitStarted(t, 1)
	for len(order) < n {
		p.releaseOne(t)
		order = append(order, p.waitStarted(t, 1)...)
	}
	p.releaseOne(t)
	return order
}

func TestNumCPUsTwoRunOneAtATime(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)
	refs := runHeld(3, func(i int) remote.ObjectRef[int] { return heldCPU2.Remote(rt, remote.Val(key), remote.Val(i)) })
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 2}); got != want {
		t.Errorf("Stats().Tasks = %+v, want %+v", got, want)
	}
	if order := releaseInTurn(t, p, 3); !slices.Equal(order, []int{0, 1, 2}) {
		t.Errorf("ran in order %v, want FIFO [0 1 2]", order)
	}
	for i, r := range refs {
		if got := mustGet(t, ctx, r); got != i {
			t.Errorf("task %d returned %d", i, got)
		}
	}
	if m := p.max.Load(); m != 1 {
		t.Errorf("at most %d NumCPUs(2) tasks ran at once on 2 CPUs, want 1", m)
	}
}

func TestNumCPUsHalfRunFourAtOnce(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)
	refs := runHeld(5, func(i int) remote.ObjectRef[int] { return heldHalf.Remote(rt, remote.Val(key), remote.Val(i)) })
	p.waitStarted(t, 4)
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 4, Queued: 1}); got != want {
		t.Errorf("Stats().Tasks = %+v, want %+v", got, want)
	}
	if free := freeOf(rt, "CPU"); free != 0 {
		t.Errorf("free CPU = %g, want 0", free)
	}
	p.releaseOne(t)
	p.waitStarted(t, 1)
	p.releaseAll()
	for i, r := range refs {
		if got := mustGet(t, ctx, r); got != i {
			t.Errorf("task %d returned %d", i, got)
		}
	}
	if m := p.max.Load(); m != 4 {
		t.Errorf("at most %d NumCPUs(0.5) tasks ran at once on 2 CPUs, want 4", m)
	}
}

func TestCustomResourceOneAtATime(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 4, Resources: map[string]float64{"GPU": 1}})
	ctx := testCtx(t)
	key, p := newProbe(t)
	refs := runHeld(3, func(i int) remote.ObjectRef[int] { return heldGPU.Remote(rt, remote.Val(key), remote.Val(i)) })
	p.waitStarted(t, 1)
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 2}); got != want {
		t.Errorf("Stats().Tasks = %+v, want %+v", got, want)
	}
	want := []sched.ResourceUse{{Name: "CPU", Total: 4, Free: 3}, {Name: "GPU", Total: 1, Free: 0}}
	if got := rt.Stats().Resources; !slices.Equal(got, want) {
		t.Errorf("Stats().Resources = %v, want %v", got, want)
	}
	// A CPU-only task is not stuck behind the GPU queue.
	if got := mustGet(t, ctx, addFn.Remote(rt, remote.Val(1), remote.Val(1))); got != 2 {
		t.Errorf("add = %d", got)
	}
	p.releaseOne(t)
	order := []int{0}
	for len(order) < 3 {
		order = append(order, p.waitStarted(t, 1)...)
		p.releaseOne(t)
	}
	if !slices.Equal(order, []int{0, 1, 2}) {
		t.Errorf("GPU tasks ran in order %v, want [0 1 2]", order)
	}
	for i, r := range refs {
		if got := mustGet(t, ctx, r); got != i {
			t.Errorf("task %d returned %d", i, got)
		}
	}
	if m := p.max.Load(); m != 1 {
		t.Errorf("at most %d GPU tasks ran at once with 1 GPU, want 1", m)
	}
	// The same through a per-call Resources option on a CPU-only function.
	key2, p2 := newProbe(t)
	gpu := held.Options(remote.Resources(map[string]float64{"GPU": 1}))
	refs = runHeld(2, func(i int) remote.ObjectRef[int] { return gpu.Remote(rt, remote.Val(key2), remote.Val(i)) })
	p2.waitStarted(t, 1)
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 1}); got != want {
		t.Errorf("per-call GPU: Stats().Tasks = %+v, want %+v", got, want)
	}
	p2.releaseAll()
	for _, r := range refs {
		mustGet(t, ctx, r)
	}
}

func TestInfeasible(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2, Resources: map[string]float64{"GPU": 1}})
	ctx := testCtx(t)
	key, p := newProbe(t)
	for _, tc := range []struct {
		name   string
		ref    remote.ObjectRef[int]
		demand string
	}{
		{"GPU 2 of 1", heldGPU.Options(remote.Resources(map[string]float64{"GPU": 2})).Remote(rt, remote.Val(key), remote.Val(0)), "needs {CPU: 1, GPU: 2}"},
		{"TPU the node lacks", held.Options(remote.Resources(map[string]float64{"TPU": 1})).Remote(rt, remote.Val(key), remote.Val(0)), "needs {CPU: 1, TPU: 1}"},
		{"CPU 3 of 2", held.Options(remote.NumCPUs(3)).Remote(rt, remote.Val(key), remote.Val(0)), "needs {CPU: 3}"},
	} {
		_, err := remote.Get(ctx, tc.ref)
		var te *remote.TaskError
		if !errors.Is(err, remote.ErrInfeasible) || !errors.As(err, &te) {
			t.Errorf("%s: %v, want a TaskError wrapping ErrInfeasible", tc.name, err)
			continue
		}
		if !strings.HasPrefix(te.Func, "test.held") || te.Attempts != 0 {
			t.Errorf("%s: TaskError %+v, want test.held* with 0 attempts", tc.name, te)
		}
		if msg := err.Error(); !strings.Contains(msg, tc.demand) || !strings.Contains(msg, "{CPU: 2, GPU: 1}") {
			t.Errorf("%s: message %q, want it to name the demand %q and the node's {CPU: 2, GPU: 1}", tc.name, msg, tc.demand)
		}
	}
	if n := p.runs.Load(); n != 0 {
		t.Errorf("infeasible tasks ran %d times", n)
	}
	// An infeasible actor: its calls fail with ErrActorDied and ErrInfeasible.
	h, err := counterType.Options(remote.Resources(map[string]float64{"GPU": 2})).New(rt, remote.Val(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = remote.Get(ctx, counterAdd.Remote(h, remote.Val(1)))
	if !errors.Is(err, remote.ErrActorDied) || !errors.Is(err, remote.ErrInfeasible) || !strings.Contains(err.Error(), "GPU: 2") {
		t.Errorf("call to an infeasible actor: %v, want ErrActorDied and ErrInfeasible naming GPU: 2", err)
	}
}

// Options overrides the registered demand per call and leaves the function
// itself alone.
func TestOptionsOverridePerCall(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	key, p := newProbe(t)
	big := held.Options(remote.NumCPUs(2))
	refs := runHeld(2, func(i int) remote.ObjectRef[int] { return big.Remote(rt, remote.Val(key), remote.Val(i)) })
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 1}); got != want {
		t.Errorf("NumCPUs(2) per call: Stats().Tasks = %+v, want %+v", got, want)
	}
	releaseInTurn(t, p, 2)
	for _, r := range refs {
		mustGet(t, ctx, r)
	}

	key2, p2 := newProbe(t)
	refs = runHeld(2, func(i int) remote.ObjectRef[int] { return held.Remote(rt, remote.Val(key2), remote.Val(i)) })
	p2.waitStarted(t, 2)
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 2}); got != want {
		t.Errorf("registered NumCPUs(1): Stats().Tasks = %+v, want %+v", got, want)
	}
	p2.releaseAll()
	for _, r := range refs {
		mustGet(t, ctx, r)
	}

	// And the other way: a NumCPUs(2) function made light per call.
	key3, p3 := newProbe(t)
	light := heldCPU2.Options(remote.NumCPUs(0.5))
	refs = runHeld(4, func(i int) remote.ObjectRef[int] { return light.Remote(rt, remote.Val(key3), remote.Val(i)) })
	p3.waitStarted(t, 4)
	p3.releaseAll()
	for _, r := range refs {
		mustGet(t, ctx, r)
	}
	if m := p3.max.Load(); m != 4 {
		t.Errorf("NumCPUs(0.5) per call: %d at once, want 4", m)
	}
}
