package remote_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

var errNoRuntime = errors.New("test: RuntimeFrom(ctx) is nil inside a task")

var (
	nestInner = remote.Register1("test.nest.inner", func(_ context.Context, n int) (int, error) { return n + 1, nil })
	nestMid   = remote.Register1("test.nest.mid", func(ctx context.Context, n int) (int, error) {
		rt := remote.RuntimeFrom(ctx)
		if rt == nil {
			return 0, errNoRuntime
		}
		return remote.Get(ctx, nestInner.Remote(rt, remote.Val(n*10)))
	})
	nestOuter = remote.Register1("test.nest.outer", func(ctx context.Context, n int) (int, error) {
		rt := remote.RuntimeFrom(ctx)
		if rt == nil {
			return 0, errNoRuntime
		}
		// A derived context still finds the task.
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		v, err := nestMid.Remote(rt, remote.Val(n)).Get(cctx)
		return v + 100, err
	})
	// nestWaiter waits for n nested tasks with Wait, then sums them.
	nestWaiter = remote.Register1("test.nest.waiter", func(ctx context.Context, n int) (int, error) {
		rt := remote.RuntimeFrom(ctx)
		if rt == nil {
			return 0, errNoRuntime
		}
		refs := make([]remote.ObjectRef[int], n)
		for i := range refs {
			refs[i] = nestInner.Remote(rt, remote.Val(i))
		}
		if _, _, err := remote.Wait(ctx, refs, n, remote.NoTimeout); err != nil {
			return 0, err
		}
		sum := 0
		for _, r := range refs {
			v, err := remote.Get(ctx, r)
			if err != nil {
				return 0, err
			}
			sum += v
		}
		return sum, nil
	})
)

// fibFn is assigned in init: its body calls it.
var fibFn *remote.Func1[int, int]

func init() { fibFn = remote.Register1("test.fib", fib) }

func fib(ctx context.Context, n int) (int, error) {
	if n < 2 {
		return n, nil
	}
	rt := remote.RuntimeFrom(ctx)
	a := fibFn.Remote(rt, remote.Val(n-1))
	b := fibFn.Remote(rt, remote.Val(n-2))
	x, err := remote.Get(ctx, a)
	if err != nil {
		return 0, err
	}
	y, err := remote.Get(ctx, b)
	return x + y, err
}

func TestRuntimeFromOutsideTask(t *testing.T) {
	if rt := remote.RuntimeFrom(context.Background()); rt != nil {
		t.Errorf("RuntimeFrom(Background) = %p, want nil", rt)
	}
}

// Three levels of tasks on one CPU: each gives its CPU back while it waits in
// Get, else the second level could never start.
func TestNestedThreeDeepOneCPU(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	v, err := remote.Get(ctx, nestOuter.Remote(rt, remote.Val(4)))
	if err != nil {
		t.Fatalf("outer(4): %v (a deadlock shows as DeadlineExceeded)", err)
	}
	if v != 141 {
		t.Errorf("outer(4) = %d, want 141", v)
	}
	waitIdle(t, rt)
	if free := freeOf(rt, "CPU"); free != 1 {
		t.Errorf("free CPU after the nested tasks = %g, want 1", free)
	}
}

// Wait inside a task gives the CPU back too.
func TestNestedWaitOneCPU(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	v, err := remote.Get(ctx, nestWaiter.Remote(rt, remote.Val(5)))
	if err != nil {
		t.Fatalf("waiter(5): %v", err)
	}
	if v != 1+2+3+4+5 {
		t.Errorf("waiter(5) = %d, want 15", v)
	}
	waitIdle(t, rt)
	if free := freeOf(rt, "CPU"); free != 1 {
		t.Errorf("free CPU = %g, want 1", free)
	}
}

func TestNestedFib(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	v, err := remote.Get(ctx, fibFn.Remote(rt, remote.Val(10)))
	if err != nil {
		t.Fatalf("fib(10): %v", err)
	}
	if v != 55 {
		t.Errorf("fib(10) = %d, want 55", v)
	}
	waitIdle(t, rt)
	if free := freeOf(rt, "CPU"); free != 2 {
		t.Errorf("free CPU after fib = %g, want 2", free)
	}
}
