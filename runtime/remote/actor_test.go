package remote_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

// counterActor adds up what it is given and checks that its calls never
// overlap.
type counterActor struct {
	n        int
	inflight atomic.Int32
	overlaps atomic.Int32
}

func (c *counterActor) enter() func() {
	if c.inflight.Add(1) != 1 {
		c.overlaps.Add(1)
	}
	return func() { c.inflight.Add(-1) }
}

var (
	counterType = remote.RegisterActor1("test.Counter", func(_ context.Context, start int) (*counterActor, error) {
		return &counterActor{n: start}, nil
	})
	counterAdd = remote.RegisterMethod1("test.Counter.Add", func(_ context.Context, c *counterActor, d int) (int, error) {
		defer c.enter()()
		c.n += d
		return c.n, nil
	})
	counterValue = remote.RegisterMethod0("test.Counter.Value", func(_ context.Context, c *counterActor) (int, error) {
		defer c.enter()()
		return c.n, nil
	})
	counterOverlaps = remote.RegisterMethod0("test.Counter.Overlaps", func(_ context.Context, c *counterActor) (int32, error) {
		return c.overlaps.Load(), nil
	})
	// counterHold holds in a probe, then adds id.
	counterHold = remote.RegisterMethod2("test.Counter.Hold", func(ctx context.Context, c *counterActor, key string, id int) (int, error) {
		defer c.enter()()
		if err := probeFor(key).hold(ctx, id); err != nil {
			return 0, err
		}
		c.n += id
		return c.n, nil
	})
	// callCounter is a task that calls an actor whose handle it was given.
	callCounter = remote.Register2("test.callCounter", func(ctx context.Context, h remote.ActorHandle[counterActor], d int) (int, error) {
		return counterAdd.Remote(h, remote.Val(d)).Get(ctx)
	})
)

// sequencer records calls (caller, n) from concurrent callers and checks
// that each caller's numbers arrive increasing and that calls never overlap.
type sequencer struct {
	inflight   atomic.Int32
	overlaps   int32
	last       map[int]int
	calls      int
	violations []string
}

type seqSummary struct {
	Calls      int
	Overlaps   int32
	Violations []string
}

var (
	sequencerType = remote.RegisterActor0("test.Sequencer", func(context.Context) (*sequencer, error) {
		return &sequencer{last: map[int]int{}}, nil
	})
	sequencerRecord = remote.RegisterMethod2("test.Sequencer.Record", func(_ context.Context, s *sequencer, caller, n int) (int, error) {
		if s.inflight.Add(1) != 1 {
			atomic.AddInt32(&s.overlaps, 1)
		}
		defer s.inflight.Add(-1)
		runtime.Gosched() // let an overlapping call, if any, show itself
		if last, ok := s.last[caller]; ok && n <= last {
			s.violations = append(s.violations, fmt.Sprintf("caller %d: %d after %d", caller, n, last))
		}
		s.last[caller] = n
		s.calls++
		return s.calls, nil
	})
	sequencerSummary = remote.RegisterMethod0("test.Sequencer.Summary", func(_ context.Context, s *sequencer) (seqSummary, error) {
		return seqSummary{s.calls, atomic.LoadInt32(&s.overlaps), s.violations}, nil
	})
)

// relay is an actor that calls another actor.
type relay struct{ forwarded int }

var (
	relayType    = remote.RegisterActor0("test.Relay", func(context.Context) (*relay, error) { return &relay{}, nil })
	relayForward = remote.RegisterMethod2("test.Relay.Forward", func(ctx context.Context, r *relay, h remote.ActorHandle[counterActor], d int) (int, error) {
		r.forwarded++
		return counterAdd.Remote(h, remote.Val(d)).Get(ctx)
	})
	relayCount = remote.RegisterMethod0("test.Relay.Count", func(_ context.Context, r *relay) (int, error) { return r.forwarded, nil })
)

// phoenix counts its constructor runs under key and crashes on demand; it
// may restart once.
type phoenix struct{ n int }

var (
	phoenixType = remote.RegisterActor1("test.Phoenix", func(_ context.Context, key string) (*phoenix, error) {
		counter(key).Add(1)
		return &phoenix{}, nil
	}, remote.MaxRestarts(1))
	phoenixIncr  = remote.RegisterMethod0("test.Phoenix.Incr", func(_ context.Context, p *phoenix) (int, error) { p.n++; return p.n, nil })
	phoenixCrash = remote.RegisterMethod1("test.Phoenix.Crash", func(_ context.Context, p *phoenix, msg string) (int, error) {
		panic(msg)
	})
)

var errCtor = errors.New("test: constructor refused")

type broken struct{}

var (
	brokenType = remote.RegisterActor1("test.Broken", func(_ context.Context, key string) (*broken, error) {
		counter(key).Add(1)
		return nil, fmt.Errorf("opening: %w", errCtor)
	})
	brokenPing = remote.RegisterMethod0("test.Broken.Ping", func(context.Context, *broken) (int, error) { return 1, nil })
)

// slowStart's constructor holds in a probe.
type slowStart struct{}

var slowStartType = remote.RegisterActor1("test.SlowStart", func(ctx context.Context, key string) (*slowStart, error) {
	if err := probeFor(key).hold(ctx, 0); err != nil {
		return nil, err
	}
	return &slowStart{}, nil
})

var slowStartPing = remote.RegisterMethod0("test.SlowStart.Ping", func(context.Context, *slowStart) (string, error) { return "pong", nil })

func TestActorCallsInSubmissionOrder(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	h, err := counterType.New(rt, remote.Val(100))
	if err != nil {
		t.Fatal(err)
	}
	if h.ID() == 0 || !strings.Contains(h.String(), "test.Counter") {
		t.Errorf("handle %v, ID %d", h, h.ID())
	}
	refs := make([]remote.ObjectRef[int], 200)
	for i := range refs {
		refs[i] = counterAdd.Remote(h, remote.Val(i+1))
	}
	want := 100
	for i, r := range refs {
		want += i + 1
		if got := mustGet(t, ctx, r); got != want {
			t.Fatalf("call %d returned %d, want %d: calls ran out of order", i, got, want)
		}
	}
	if got := mustGet(t, ctx, counterOverlaps.Remote(h)); got != 0 {
		t.Errorf("%d calls overlapped", got)
	}
}

// Eight goroutines call one actor at once: each caller's calls arrive in
// its order, and never two at once.
func TestActorConcurrentCallers(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	h, err := sequencerType.New(rt)
	if err != nil {
		t.Fatal(err)
	}
	const callers, calls = 8, 200
	results := make([][]remote.ObjectRef[int], callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for n := range calls {
				results[c] = append(results[c], sequencerRecord.Remote(h, remote.Val(c), remote.Val(n)))
			}
		})
	}
	wg.Wait()
	for c, refs := range results {
		prev := 0
		for n, r := range refs {
			got := mustGet(t, ctx, r)
			if got <= prev {
				t.Fatalf("caller %d call %d ran as call #%d, after its call #%d", c, n, got, prev)
			}
			prev = got
		}
	}
	sum := mustGet(t, ctx, sequencerSummary.Remote(h))
	if sum.Calls != callers*calls || sum.Overlaps != 0 || len(sum.Violations) != 0 {
		t.Errorf("summary %+v, want %d calls, no overlaps, no violations", sum, callers*calls)
	}
}

func TestActorHandlePassedToTaskAndActor(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	h, err := counterType.New(rt, remote.Val(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, ctx, callCounter.Remote(rt, remote.Val(h), remote.Val(5))); got != 5 {
		t.Errorf("task calling the actor = %d, want 5", got)
	}
	r, err := relayType.New(rt)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, ctx, relayForward.Remote(r, remote.Val(h), remote.Val(7))); got != 12 {
		t.Errorf("actor calling the actor = %d, want 12", got)
	}
	// Many at once, from tasks, the relay and here.
	var refs []remote.ObjectRef[int]
	for range 20 {
		refs = append(refs,
			callCounter.Remote(rt, remote.Val(h), remote.Val(1)),
			relayForward.Remote(r, remote.Val(h), remote.Val(1)),
			counterAdd.Remote(h, remote.Val(1)))
	}
	for _, ref := range refs {
		mustGet(t, ctx, ref)
	}
	if got := mustGet(t, ctx, counterValue.Remote(h)); got != 12+60 {
		t.Errorf("counter = %d, want 72", got)
	}
	if got := mustGet(t, ctx, relayCount.Remote(r)); got != 21 {
		t.Errorf("relay forwarded %d, want 21", got)
	}
	if got := mustGet(t, ctx, counterOverlaps.Remote(h)); got != 0 {
		t.Errorf("%d calls overlapped", got)
	}
}

func TestNamedActors(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	h, err := counterType.Options(remote.Name("ledger")).New(rt, remote.Val(5))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), `"ledger"`) {
		t.Errorf("handle String %q does not name it", h.String())
	}
	g, err := remote.GetActor[counterActor](rt, "ledger")
	if err != nil {
		t.Fatalf("GetActor(ledger): %v", err)
	}
	if g.ID() != h.ID() {
		t.Errorf("GetActor found actor %d, want %d", g.ID(), h.ID())
	}
	mustGet(t, ctx, counterAdd.Remote(h, remote.Val(1)))
	if got := mustGet(t, ctx, counterAdd.Remote(g, remote.Val(1))); got != 7 {
		t.Errorf("call through the found handle = %d, want 7", got)
	}

	if _, err := remote.GetActor[counterActor](rt, "nobody"); !errors.Is(err, remote.ErrActorNotFound) || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("GetActor(nobody) = %v, want ErrActorNotFound naming it", err)
	}
	w, err := remote.GetActor[relay](rt, "ledger")
	if err == nil || errors.Is(err, remote.ErrActorNotFound) || !strings.Contains(err.Error(), "test.Counter") {
		t.Errorf("GetActor[relay](ledger) = %v, want a type error naming test.Counter", err)
	}
	if w.ID() != 0 {
		t.Errorf("GetActor with the wrong type returned handle %v", w)
	}
	if _, err := counterType.Options(remote.Name("ledger")).New(rt, remote.Val(0)); err == nil || !strings.Contains(err.Error(), `"ledger"`) {
		t.Errorf("second actor named ledger: %v, want an error naming it", err)
	}
	// A different type cannot take the name either.
	if _, err := relayType.Options(remote.Name("ledger")).New(rt); err == nil {
		t.Errorf("a relay named ledger: no error")
	}
	// Once killed, the name is free.
	if err := remote.Kill(h); err != nil {
		t.Fatal(err)
	}
	if _, err := remote.GetActor[counterActor](rt, "ledger"); !errors.Is(err, remote.ErrActorNotFound) {
		t.Errorf("GetActor after Kill = %v, want ErrActorNotFound", err)
	}
	h2, err := counterType.Options(remote.Name("ledger")).New(rt, remote.Val(50))
	if err != nil {
		t.Fatalf("reusing a dead actor's name: %v", err)
	}
	if got := mustGet(t, ctx, counterAdd.Remote(h2, remote.Val(1))); got != 51 {
		t.Errorf("new ledger = %d, want 51", got)
	}
}

// startNamed creates a named counter, checks it works, and drops its handle.
func startNamed(t *testing.T, rt *remote.Runtime, name string, opts ...remote.Option) {
	t.Helper()
	h, err := counterType.Options(append(opts, remote.Name(name))...).New(rt, remote.Val(7))
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, testCtx(t), counterAdd.Remote(h, remote.Val(1))); got != 8 {
		t.Fatalf("new %s = %d, want 8", name, got)
	}
}

// actorGone reports whether name is no longer found.
func actorGone(rt *remote.Runtime, name string) bool {
	_, err := remote.GetActor[counterActor](rt, name)
	return errors.Is(err, remote.ErrActorNotFound)
}

func TestDetachedActorOutlivesHandles(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	startNamed(t, rt, "keeper", remote.Detached())
	// A non-detached sentinel dropped at the same time: once it is
	// terminated, the cleanups of dropped handles have run.
	startNamed(t, rt, "sentinel")
	eventually(t, "the sentinel actor is terminated", true, func() bool { return rt.Stats().Tasks.ActorsAlive <= 1 })
	runtime.GC()
	runtime.GC()

	h, err := remote.GetActor[counterActor](rt, "keeper")
	if err != nil {
		t.Fatalf("detached actor after its handles were dropped: %v", err)
	}
	if got := mustGet(t, ctx, counterAdd.Remote(h, remote.Val(1))); got != 9 {
		t.Errorf("detached actor state = %d, want 9", got)
	}
	if alive := rt.Stats().Tasks.ActorsAlive; alive != 1 {
		t.Errorf("actors alive = %d, want 1 (the detached one)", alive)
	}
	if err := remote.Kill(h); err != nil {
		t.Fatal(err)
	}
	if !actorGone(rt, "keeper") {
		t.Errorf("killed detached actor is still found")
	}
}

func TestActorOutOfScopeIsTerminated(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2, Resources: map[string]float64{"GPU": 1}})
	startNamed(t, rt, "scoped", remote.Resources(map[string]float64{"GPU": 1}))
	if free := freeOf(rt, "GPU"); free != 0 {
		t.Fatalf("free GPU = %g with the actor alive, want 0", free)
	}
	eventually(t, "the dropped actor is terminated and its GPU is free", true, func() bool {
		return actorGone(rt, "scoped") && rt.Stats().Tasks.ActorsAlive == 0 && freeOf(rt, "GPU") == 1
	})
	// Its name is free again.
	startNamed(t, rt, "scoped")
}

// An actor whose handles are dropped still runs the calls queued to it.
func TestActorOutOfScopeFinishesQueuedCalls(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)
	first, second := queueOnDroppedActor(t, rt, key)
	p.waitStarted(t, 1)
	// Drop a sentinel too, and wait until its cleanup ran.
	startNamed(t, rt, "sentinel")
	eventually(t, "the sentinel actor is terminated", true, func() bool { return rt.Stats().Tasks.ActorsAlive <= 1 })
	if alive := rt.Stats().Tasks.ActorsAlive; alive != 1 {
		t.Errorf("actors alive = %d with a call running, want 1", alive)
	}
	p.releaseAll()
	if got := mustGet(t, ctx, first); got != 1 {
		t.Errorf("running call = %d, want 1", got)
	}
	if got := mustGet(t, ctx, second); got != 3 {
		t.Errorf("queued call = %d, want 3", got)
	}
	eventually(t, "the actor is terminated once idle", true, func() bool { return rt.Stats().Tasks.ActorsAlive == 0 })
}

func queueOnDroppedActor(t *testing.T, rt *remote.Runtime, key string) (remote.ObjectRef[int], remote.ObjectRef[int]) {
	h, err := counterType.New(rt, remote.Val(0))
	if err != nil {
		t.Fatal(err)
	}
	return counterHold.Remote(h, remote.Val(key), remote.Val(1)), counterHold.Remote(h, remote.Val(key), remote.Val(2))
}

func TestKillActor(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)
	h, err := counterType.New(rt, remote.Val(0))
	if err != nil {
		t.Fatal(err)
	}
	running := counterHold.Remote(h, remote.Val(key), remote.Val(1))
	p.waitStarted(t, 1)
	queued := []remote.ObjectRef[int]{counterAdd.Remote(h, remote.Val(1)), counterHold.Remote(h, remote.Val(key), remote.Val(2))}
	if err := remote.Kill(h); err != nil {
		t.Fatal(err)
	}
	_, err = remote.Get(ctx, running)
	var te *remote.TaskError
	if !errors.Is(err, remote.ErrActorDied) || !errors.As(err, &te) || te.Func != "test.Counter.Hold" || !strings.Contains(err.Error(), "killed") {
		t.Errorf("running call: %v, want a TaskError of test.Counter.Hold with ErrActorDied saying killed", err)
	}
	if n := p.sawDone.Load(); n != 1 {
		t.Errorf("running call saw its context cancelled %d times, want 1", n)
	}
	for i, r := range queued {
		if _, err := remote.Get(ctx, r); !errors.Is(err, remote.ErrActorDied) || !strings.Contains(err.Error(), "killed") {
			t.Errorf("queued call %d: %v, want ErrActorDied saying killed", i, err)
		}
	}
	if _, err := remote.Get(ctx, counterAdd.Remote(h, remote.Val(1))); !errors.Is(err, remote.ErrActorDied) {
		t.Errorf("call after Kill: %v, want ErrActorDied", err)
	}
	if n := p.runs.Load(); n != 1 {
		t.Errorf("held method ran %d times, want 1", n)
	}
	if err := remote.Kill(h); err != nil {
		t.Errorf("second Kill: %v", err)
	}
	if err := remote.Kill(remote.ActorHandle[counterActor]{}); err != remote.ErrNilRef {
		t.Errorf("Kill(zero handle) = %v, want ErrNilRef", err)
	}
	if _, err := remote.Get(ctx, counterAdd.Remote(remote.ActorHandle[counterActor]{}, remote.Val(1))); !errors.Is(err, remote.ErrNilRef) {
		t.Errorf("call on the zero handle: %v, want ErrNilRef", err)
	}
}

func TestActorRestart(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key := newKey(t)
	h, err := phoenixType.New(rt, remote.Val(key))
	if err != nil {
		t.Fatal(err)
	}
	// Submitted all at once: the calls after a crash wait for the restart.
	a1 := phoenixIncr.Remote(h)
	a2 := phoenixIncr.Remote(h)
	crash1 := phoenixCrash.Remote(h, remote.Val("first"))
	b1 := phoenixIncr.Remote(h)
	b2 := phoenixIncr.Remote(h)
	crash2 := phoenixCrash.Remote(h, remote.Val("second"))
	after := phoenixIncr.Remote(h)

	for i, c := range []struct {
		ref  remote.ObjectRef[int]
		want int
	}{{a1, 1}, {a2, 2}, {b1, 1}, {b2, 2}} {
		if got, err := remote.Get(ctx, c.ref); err != nil || got != c.want {
			t.Errorf("Incr #%d = %d, %v, want %d, nil", i, got, err, c.want)
		}
	}
	for _, c := range []struct {
		ref remote.ObjectRef[int]
		msg string
	}{{crash1, "first"}, {crash2, "second"}} {
		_, err := remote.Get(ctx, c.ref)
		var te *remote.TaskError
		var pe *remote.PanicError
		if !errors.As(err, &te) || te.Func != "test.Phoenix.Crash" || !errors.As(err, &pe) || pe.Value != c.msg {
			t.Errorf("crash %q: %v, want a TaskError of test.Phoenix.Crash wrapping its PanicError", c.msg, err)
		}
	}
	_, err = remote.Get(ctx, after)
	var pe *remote.PanicError
	if !errors.Is(err, remote.ErrActorDied) || !strings.Contains(err.Error(), "crashed") || !errors.As(err, &pe) || pe.Value != "second" {
		t.Errorf("call after the second crash: %v, want ErrActorDied saying it crashed, wrapping the panic", err)
	}
	if _, err := remote.Get(ctx, phoenixIncr.Remote(h)); !errors.Is(err, remote.ErrActorDied) {
		t.Errorf("later call: %v, want ErrActorDied", err)
	}
	if n := counter(key).Load(); n != 2 {
		t.Errorf("constructor ran %d times, want 2", n)
	}
}

func TestActorConstructorError(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key := newKey(t)
	h, err := brokenType.Options(remote.Name("broken"), remote.MaxRestarts(3)).New(rt, remote.Val(key))
	if err != nil {
		t.Fatalf("New: %v (a failing constructor shows in the calls)", err)
	}
	for i := range 3 {
		_, err := remote.Get(ctx, brokenPing.Remote(h))
		var te *remote.TaskError
		if !errors.Is(err, remote.ErrActorDied) || !errors.Is(err, errCtor) || !errors.As(err, &te) || te.Func != "test.Broken.Ping" ||
			!strings.Contains(err.Error(), "constructor failed") {
			t.Errorf("call %d: %v, want a TaskError of test.Broken.Ping with ErrActorDied wrapping the constructor's error", i, err)
		}
	}
	if n := counter(key).Load(); n != 1 {
		t.Errorf("failing constructor ran %d times, want 1 (restarts are for crashes)", n)
	}
	if !actorGone(rt, "broken") {
		t.Errorf("an actor whose constructor failed is still found by name")
	}
}

// GetActor while the constructor runs: the actor is found, and calls wait
// for the constructor. Under -race this also checks that GetActor reads the
// actor's state safely while the constructor finishes on another goroutine.
func TestGetActorDuringConstruction(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)
	if _, err := slowStartType.Options(remote.Name("slow"), remote.Detached()).New(rt, remote.Val(key)); err != nil {
		t.Fatal(err)
	}
	p.waitStarted(t, 1)
	reading, stop := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			if _, err := remote.GetActor[slowStart](rt, "slow"); err != nil {
				done <- err
				return
			}
			if i == 10 {
				close(reading)
			}
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
		}
	}()
	<-reading
	p.releaseAll()
	waitIdle(t, rt) // the constructor has returned
	close(stop)
	if err := <-done; err != nil {
		t.Errorf("GetActor during construction: %v", err)
	}
	if alive := rt.Stats().Tasks.ActorsAlive; alive != 1 {
		t.Errorf("actors alive = %d, want 1", alive)
	}
	h, err := remote.GetActor[slowStart](rt, "slow")
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, ctx, slowStartPing.Remote(h)); got != "pong" {
		t.Errorf("ping = %q", got)
	}
}
