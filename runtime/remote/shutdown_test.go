package remote_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/sched"
)

func TestShutdown(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	key, p := newProbe(t)

	running := held.Remote(rt, remote.Val(key), remote.Val(1))
	p.waitStarted(t, 1)
	queued := held.Remote(rt, remote.Val(key), remote.Val(2))
	waiting := incFn.Remote(rt, queued)
	actor, err := counterType.New(rt, remote.Val(0))
	if err != nil {
		t.Fatal(err)
	}
	mustGet(t, ctx, counterAdd.Remote(actor, remote.Val(1)))
	// The call's result is sealed just before the scheduler hears it finished.
	eventually(t, "the actor call is done", false, func() bool { return rt.Stats().Tasks.Running == 1 })
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 1, Waiting: 1, ActorsAlive: 1}); got != want {
		t.Errorf("before Shutdown: Stats().Tasks = %+v, want %+v", got, want)
	}

	if err := rt.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := p.sawDone.Load(); n != 1 {
		t.Errorf("running task saw its context cancelled %d times, want 1", n)
	}
	if n := p.runs.Load(); n != 1 {
		t.Errorf("held ran %d times, want 1: the queued task ran", n)
	}
	for name, ref := range map[string]remote.ObjectRef[int]{"running": running, "queued": queued, "waiting": waiting} {
		if _, err := remote.Get(ctx, ref); !errors.Is(err, remote.ErrShutdown) {
			t.Errorf("Get(%s task) after Shutdown: %v, want ErrShutdown", name, err)
		}
	}
	if _, err := remote.Get(ctx, counterAdd.Remote(actor, remote.Val(1))); !errors.Is(err, remote.ErrShutdown) {
		t.Errorf("actor call after Shutdown: %v, want ErrShutdown", err)
	}
	if _, err := remote.Get(ctx, incFn.Remote(rt, remote.Val(1))); !errors.Is(err, remote.ErrShutdown) {
		t.Errorf("Remote after Shutdown: Get error %v, want ErrShutdown", err)
	}
	if _, err := remote.Put(rt, 1); !errors.Is(err, remote.ErrShutdown) {
		t.Errorf("Put after Shutdown: %v, want ErrShutdown", err)
	}
	if _, err := counterType.New(rt, remote.Val(0)); !errors.Is(err, remote.ErrShutdown) {
		t.Errorf("New actor after Shutdown: %v, want ErrShutdown", err)
	}
	if err := rt.Shutdown(ctx); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}

// Work queued when Shutdown starts fails with ErrShutdown for a Get that
// was already waiting for it.
func TestShutdownWakesWaitingGet(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	key, p := newProbe(t)

	running := held.Remote(rt, remote.Val(key), remote.Val(1))
	p.waitStarted(t, 1)
	queued := held.Remote(rt, remote.Val(key), remote.Val(2))
	errs := make(chan error, 2)
	for _, ref := range []remote.ObjectRef[int]{running, queued} {
		go func() {
			_, err := remote.Get(ctx, ref)
			errs <- err
		}()
	}
	if err := rt.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := <-errs; !errors.Is(err, remote.ErrShutdown) {
			t.Errorf("waiting Get: %v, want ErrShutdown", err)
		}
	}
}

// Shutdown gives up waiting for a task that ignores its context when its
// own context ends.
func TestShutdownDeadline(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	key, p := newProbe(t)
	stubborn := make(chan struct{})
	defer close(stubborn)
	ignoreCtx.Remote(rt, remote.Val(key), remote.Val(stubborn))
	p.waitStarted(t, 1)
	sctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rt.Shutdown(sctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown with a task ignoring its context: %v, want Canceled", err)
	}
}

// ignoreCtx holds until stop is closed, whatever its context says.
var ignoreCtx = remote.Register2("test.ignoreCtx", func(_ context.Context, key string, stop chan struct{}) (int, error) {
	probeFor(key).started <- 0
	<-stop
	return 0, nil
})
