package remote_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/sched"
)

var (
	answerFn = remote.Register0("test.answer", func(context.Context) (int, error) { return 42, nil })
	incFn    = remote.Register1("test.inc", func(_ context.Context, n int) (int, error) { return n + 1, nil })
	doubleFn = remote.Register1("test.double", func(_ context.Context, n int) (int, error) { return 2 * n, nil })
	madFn    = remote.Register3("test.mad", func(_ context.Context, a, b, c int) (int, error) { return a*b + c, nil })
	formatFn = remote.Register4("test.format", func(_ context.Context, s string, n int, f float64, b bool) (string, error) {
		return fmt.Sprintf("%s/%d/%g/%t", s, n, f, b), nil
	})
	// sourceFn counts its runs under key and returns 10.
	sourceFn = remote.Register1("test.source", func(_ context.Context, key string) (int, error) {
		counter(key).Add(1)
		return 10, nil
	})
	// countFn counts its runs under key.
	countFn = remote.Register1("test.count", func(_ context.Context, key string) (int64, error) {
		return counter(key).Add(1), nil
	})

	divmodFn = remote.Register1R2("test.divmod", func(_ context.Context, n int) (int, int, error) {
		if n < 0 {
			return 0, 0, fmt.Errorf("divmod %d: %w", n, errNegative)
		}
		return n / 7, n % 7, nil
	})
	splitFn = remote.Register1R3("test.split3", func(_ context.Context, s string) (string, int, []string, error) {
		parts := strings.Split(s, ",")
		if len(parts) < 2 {
			panic(fmt.Sprintf("split3: %q has no comma", s))
		}
		return parts[0], len(parts), parts[1:], nil
	}, remote.MaxRetries(0))

	recordSumFn = remote.Register1("test.recordSum", func(_ context.Context, rec arrow.Record) (int64, error) {
		var sum int64
		for _, v := range rec.Column(0).(*array.Int64).Int64Values() {
			sum += v
		}
		return sum, nil
	})
	pointLenFn = remote.Register1("test.pointLen", func(_ context.Context, p point) (int, error) {
		return p.X*p.X + p.Y*p.Y + len(p.Tags), nil
	})
)

var errNegative = errors.New("test: negative")

type point struct {
	X, Y int
	Tags []string
}

func TestRemoteTypedArguments(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	if got := mustGet(t, ctx, answerFn.Remote(rt)); got != 42 {
		t.Errorf("answer = %d, want 42", got)
	}
	if got := mustGet(t, ctx, incFn.Remote(rt, remote.Val(41))); got != 42 {
		t.Errorf("inc(41) = %d, want 42", got)
	}
	if got := mustGet(t, ctx, addFn.Remote(rt, remote.Val(40), remote.Val(2))); got != 42 {
		t.Errorf("add(40, 2) = %d, want 42", got)
	}
	if got := mustGet(t, ctx, madFn.Remote(rt, remote.Val(5), remote.Val(8), remote.Val(2))); got != 42 {
		t.Errorf("mad(5, 8, 2) = %d, want 42", got)
	}
	got := mustGet(t, ctx, formatFn.Remote(rt, remote.Val("x"), remote.Val(-3), remote.Val(0.25), remote.Val(true)))
	if want := "x/-3/0.25/true"; got != want {
		t.Errorf("format = %q, want %q", got, want)
	}
	// The ref's method form.
	if v, err := incFn.Remote(rt, remote.Val(1)).Get(ctx); v != 2 || err != nil {
		t.Errorf("ref.Get = %d, %v, want 2, nil", v, err)
	}
	if addFn.Name() != "test.add" || splitFn.Name() != "test.split3" {
		t.Errorf("Name() = %q, %q", addFn.Name(), splitFn.Name())
	}
	reg := strings.Join(remote.Registered(), "\n")
	for _, want := range []string{"function test.add", "actor type test.Counter", "actor method test.Counter.Add"} {
		if !strings.Contains(reg, want) {
			t.Errorf("Registered() lacks %q", want)
		}
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(fmt.Sprint(p), `"test.add"`) {
			t.Errorf("second registration of test.add: recovered %v, want a panic naming it", p)
		}
	}()
	remote.Register1("test.add", func(_ context.Context, n int) (int, error) { return n, nil })
}

// Remote returns at once, before the task runs, with distinct refs.
func TestRemoteReturnsAtOnce(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	key, p := newProbe(t)

	first := held.Remote(rt, remote.Val(key), remote.Val(1))
	second := held.Remote(rt, remote.Val(key), remote.Val(2)) // queued: the one CPU is taken
	p.waitStarted(t, 1)
	if first.ID() == 0 || second.ID() == 0 || first.ID() == second.ID() {
		t.Fatalf("IDs %d, %d: want distinct and non-zero", first.ID(), second.ID())
	}
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 1}); got != want {
		t.Errorf("Stats().Tasks = %+v, want %+v", got, want)
	}
	ready, _, err := remote.Wait(ctx, []remote.ObjectRef[int]{first, second}, 0, 0)
	if err != nil || len(ready) != 0 {
		t.Errorf("Wait poll = %v, %v: want nothing ready", ids(ready), err)
	}
	p.releaseOne(t)
	p.waitStarted(t, 1)
	p.releaseOne(t)
	if a, b := mustGet(t, ctx, first), mustGet(t, ctx, second); a != 1 || b != 2 {
		t.Errorf("results %d, %d, want 1, 2", a, b)
	}
}

// A ref argument is a dependency: the task waits for it and gets its value.
func TestDependencyWaitsAndReceivesValue(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 4})
	ctx := testCtx(t)
	key, p := newProbe(t)

	src := held.Remote(rt, remote.Val(key), remote.Val(5))
	a := incFn.Remote(rt, src)
	b := doubleFn.Remote(rt, a)
	c := addFn.Remote(rt, b, src)
	p.waitStarted(t, 1)
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Waiting: 3}); got != want {
		t.Errorf("before release: Stats().Tasks = %+v, want %+v", got, want)
	}
	p.releaseAll()
	if got := mustGet(t, ctx, c); got != (5+1)*2+5 {
		t.Errorf("add(double(inc(5)), 5) = %d, want 17", got)
	}
}

func TestChain(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	var ref remote.Arg[int] = remote.Val(0)
	want := 0
	for i := 1; i <= 50; i++ {
		ref = addFn.Remote(rt, ref, remote.Val(i))
		want += i
	}
	if got := mustGet(t, ctx, ref.(remote.ObjectRef[int])); got != want {
		t.Errorf("chain sum = %d, want %d", got, want)
	}
}

// A diamond: one source feeds two tasks feeding one; the source runs once.
func TestDiamond(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key := newKey(t)

	a := sourceFn.Remote(rt, remote.Val(key))
	b := incFn.Remote(rt, a)
	c := doubleFn.Remote(rt, a)
	d := addFn.Remote(rt, b, c)
	if got := mustGet(t, ctx, d); got != 11+20 {
		t.Errorf("diamond = %d, want 31", got)
	}
	if n := counter(key).Load(); n != 1 {
		t.Errorf("source ran %d times, want 1", n)
	}
}

// Bad arguments fail the task without running it, reported by Get.
func TestBadArguments(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	other := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)

	_, err := remote.Get(ctx, incFn.Remote(rt, remote.ObjectRef[int]{}))
	if !errors.Is(err, remote.ErrNilRef) {
		t.Errorf("zero ref argument: Get error %v, want ErrNilRef", err)
	}
	_, err = remote.Get(ctx, incFn.Remote(rt, nil))
	if !errors.Is(err, remote.ErrNilRef) {
		t.Errorf("nil argument: Get error %v, want ErrNilRef", err)
	}
	foreign, err := remote.Put(other, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = remote.Get(ctx, incFn.Remote(rt, foreign))
	if err == nil || !strings.Contains(err.Error(), "another runtime") {
		t.Errorf("ref of another runtime: Get error %v, want one saying so", err)
	}
	_, err = remote.Get(ctx, incFn.Options(remote.NumCPUs(-1)).Remote(rt, remote.Val(1)))
	if err == nil || !strings.Contains(err.Error(), "num_cpus") {
		t.Errorf("NumCPUs(-1): Get error %v, want the invalid option", err)
	}
}

// Get honours its context while the task still runs, and the task is not
// disturbed by it.
func TestGetContext(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	key, p := newProbe(t)
	ref := held.Remote(rt, remote.Val(key), remote.Val(9))
	p.waitStarted(t, 1)

	start := time.Now()
	dctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := remote.Get(dctx, ref); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Get with a deadline: %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("Get returned after %v, before its deadline", d)
	}

	cctx, cancel2 := context.WithCancel(context.Background())
	timer := time.AfterFunc(10*time.Millisecond, cancel2)
	defer timer.Stop()
	if _, err := remote.Get(cctx, ref); !errors.Is(err, context.Canceled) {
		t.Errorf("Get cancelled: %v, want Canceled", err)
	}

	if got := rt.Stats().Tasks.Running; got != 1 {
		t.Errorf("task running = %d after Get gave up, want 1", got)
	}
	p.releaseAll()
	if got := mustGet(t, testCtx(t), ref); got != 9 {
		t.Errorf("Get after release = %d, want 9", got)
	}
	if n := p.sawDone.Load(); n != 0 {
		t.Errorf("the task saw its context end %d times; Get's context must not reach it", n)
	}
}

func TestZeroRef(t *testing.T) {
	ctx := testCtx(t)
	var ref remote.ObjectRef[int]
	if v, err := remote.Get(ctx, ref); err != remote.ErrNilRef || v != 0 {
		t.Errorf("Get(zero ref) = %d, %v, want 0, ErrNilRef", v, err)
	}
	if _, err := ref.Get(ctx); err != remote.ErrNilRef {
		t.Errorf("zero ref.Get: %v, want ErrNilRef", err)
	}
	if ref.ID() != 0 {
		t.Errorf("zero ref ID = %d", ref.ID())
	}
	if err := remote.Cancel(ref); err != remote.ErrNilRef {
		t.Errorf("Cancel(zero ref) = %v, want ErrNilRef", err)
	}
	if _, _, err := remote.Wait(ctx, []remote.ObjectRef[int]{ref}, 1, 0); !errors.Is(err, remote.ErrNilRef) {
		t.Errorf("Wait with a zero ref: %v, want ErrNilRef", err)
	}
}

// Several results of one task: each its own ref; all fail together.
func TestMultipleReturns(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	q, r := divmodFn.Remote(rt, remote.Val(45))
	if q.ID() == r.ID() {
		t.Fatalf("both results have ID %d", q.ID())
	}
	if gq, gr := mustGet(t, ctx, q), mustGet(t, ctx, r); gq != 6 || gr != 3 {
		t.Errorf("divmod(45) = %d, %d, want 6, 3", gq, gr)
	}
	// The results feed other tasks separately.
	if got := mustGet(t, ctx, madFn.Remote(rt, q, remote.Val(7), r)); got != 45 {
		t.Errorf("mad(q, 7, r) = %d, want 45", got)
	}

	head, n, rest := splitFn.Remote(rt, remote.Val("a,b,c"))
	if h, c, tail := mustGet(t, ctx, head), mustGet(t, ctx, n), mustGet(t, ctx, rest); h != "a" || c != 3 || strings.Join(tail, "|") != "b|c" {
		t.Errorf("split3 = %q, %d, %q, want a, 3, [b c]", h, c, tail)
	}

	q, r = divmodFn.Remote(rt, remote.Val(-1))
	_, errQ := remote.Get(ctx, q)
	_, errR := remote.Get(ctx, r)
	if !errors.Is(errQ, errNegative) {
		t.Errorf("divmod(-1) first result: %v, want errNegative", errQ)
	}
	if errQ != errR {
		t.Errorf("results failed with different errors %v and %v, want the same one", errQ, errR)
	}

	head, n, rest = splitFn.Remote(rt, remote.Val("nocomma"))
	_, e1 := remote.Get(ctx, head)
	_, e2 := remote.Get(ctx, n)
	_, e3 := remote.Get(ctx, rest)
	var pe *remote.PanicError
	if !errors.As(e1, &pe) || pe.Value != `split3: "nocomma" has no comma` {
		t.Errorf("split3 panic: %v, want a PanicError with the message", e1)
	}
	if e1 != e2 || e2 != e3 {
		t.Errorf("three results failed with %v, %v, %v, want one error", e1, e2, e3)
	}
}

func TestPutValues(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)

	n, err := remote.Put(rt, 7)
	if err != nil {
		t.Fatal(err)
	}
	s, err := remote.Put(rt, "seven")
	if err != nil {
		t.Fatal(err)
	}
	pt := point{X: 3, Y: 4, Tags: []string{"a", "b"}}
	ps, err := remote.Put(rt, pt)
	if err != nil {
		t.Fatal(err)
	}
	pp, err := remote.Put(rt, &pt)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, ctx, n); got != 7 {
		t.Errorf("Get(Put(7)) = %d", got)
	}
	if got := mustGet(t, ctx, s); got != "seven" {
		t.Errorf("Get(Put(seven)) = %q", got)
	}
	if got := mustGet(t, ctx, ps); got.X != 3 || got.Y != 4 || strings.Join(got.Tags, ",") != "a,b" {
		t.Errorf("Get(Put(struct)) = %+v", got)
	}
	if got := mustGet(t, ctx, pp); got != &pt {
		t.Errorf("Get(Put(&pt)) = %p, want the very pointer %p", got, &pt)
	}
	// A Put ref is an argument like any other.
	if got := mustGet(t, ctx, pointLenFn.Remote(rt, ps)); got != 25+2 {
		t.Errorf("pointLen(Put(pt)) = %d, want 27", got)
	}
	if got := mustGet(t, ctx, addFn.Remote(rt, n, n)); got != 14 {
		t.Errorf("add(Put(7), Put(7)) = %d, want 14", got)
	}
}

// An Arrow record goes in and out of the store without a copy, and the store
// gives back its reference at Shutdown.
func TestPutArrowRecordZeroCopy(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)

	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3, 4}, nil)
	rec := b.NewRecord()
	b.Release()

	ref, err := remote.Put(rt, rec)
	if err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, ctx, ref)
	if got != rec {
		t.Fatalf("Get returned record %p, want the very record %p", got, rec)
	}
	rec.Release() // the store holds its own reference
	if got := mustGet(t, ctx, ref); got.NumRows() != 4 || got.Column(0).(*array.Int64).Value(3) != 4 {
		t.Errorf("record after the caller's Release: %v", got)
	}
	if sum := mustGet(t, ctx, recordSumFn.Remote(rt, ref)); sum != 10 {
		t.Errorf("recordSum = %d, want 10", sum)
	}
	if err := rt.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	mem.AssertSize(t, 0)
}

func TestCancelPending(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	key, p := newProbe(t)
	ran := newKey(t)

	blocker := held.Remote(rt, remote.Val(key), remote.Val(1))
	p.waitStarted(t, 1)
	queued := countFn.Remote(rt, remote.Val(ran)) // queued behind the blocker
	after := countFn.Remote(rt, remote.Val(ran))  // queued behind it
	// dependent waits for a held task queued last.
	dependent := incFn.Remote(rt, held.Remote(rt, remote.Val(key), remote.Val(2)))
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 3, Waiting: 1}); got != want {
		t.Fatalf("Stats().Tasks = %+v, want %+v", got, want)
	}
	for _, ref := range []remote.Ref{queued, dependent} {
		if err := remote.Cancel(ref); err != nil {
			t.Fatalf("Cancel(%v): %v", ref, err)
		}
	}
	if got, want := rt.Stats().Tasks, (sched.Counts{Running: 1, Queued: 2}); got != want {
		t.Errorf("after Cancel: Stats().Tasks = %+v, want %+v", got, want)
	}
	_, err := remote.Get(ctx, queued)
	var te *remote.TaskError
	if !errors.Is(err, remote.ErrCancelled) || !errors.As(err, &te) || te.Func != "test.count" || te.Attempts != 0 {
		t.Errorf("cancelled queued task: %v (%+v), want a TaskError of test.count with ErrCancelled and 0 attempts", err, te)
	}
	_, err = remote.Get(ctx, dependent)
	if !errors.Is(err, remote.ErrCancelled) || !errors.As(err, &te) || te.Func != "test.inc" {
		t.Errorf("cancelled waiting task: %v, want a TaskError of test.inc with ErrCancelled", err)
	}

	p.releaseAll()
	mustGet(t, ctx, blocker)
	// The queue is FIFO: the cancelled task would have run before this one.
	if got := mustGet(t, ctx, after); got != 1 {
		t.Errorf("the task after the cancelled one counted %d, want 1: the cancelled task ran", got)
	}
	waitIdle(t, rt)
	if n := counter(ran).Load(); n != 1 {
		t.Errorf("test.count ran %d times, want 1", n)
	}
	if n := p.runs.Load(); n != 2 {
		t.Errorf("held ran %d times, want 2", n)
	}
}

func TestCancelRunning(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	key, p := newProbe(t)

	ref := held.Remote(rt, remote.Val(key), remote.Val(1))
	p.waitStarted(t, 1)
	if err := remote.Cancel(ref); err != nil {
		t.Fatal(err)
	}
	_, err := remote.Get(ctx, ref)
	var te *remote.TaskError
	if !errors.Is(err, remote.ErrCancelled) || !errors.As(err, &te) || te.Func != "test.held" || te.Attempts != 1 {
		t.Errorf("cancelled running task: %v (%+v), want a TaskError of test.held with ErrCancelled after 1 attempt", err, te)
	}
	if n := p.sawDone.Load(); n != 1 {
		t.Errorf("the task saw its context cancelled %d times, want 1", n)
	}
	// The CPU is back: the next task runs.
	if got := mustGet(t, ctx, incFn.Remote(rt, remote.Val(1))); got != 2 {
		t.Errorf("inc after cancel = %d", got)
	}
}

func TestCancelPutIsAnError(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ref, err := remote.Put(rt, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Cancel(ref); err == nil || !strings.Contains(err.Error(), "Put") {
		t.Errorf("Cancel(Put ref) = %v, want an error saying it was Put", err)
	}
	if got := mustGet(t, testCtx(t), ref); got != 3 {
		t.Errorf("Put value after Cancel = %d, want 3", got)
	}
}

func TestCancelFinishedDoesNothing(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1})
	ctx := testCtx(t)
	ref := incFn.Remote(rt, remote.Val(4))
	if got := mustGet(t, ctx, ref); got != 5 {
		t.Fatalf("inc(4) = %d", got)
	}
	waitIdle(t, rt)
	if err := remote.Cancel(ref); err != nil {
		t.Errorf("Cancel(finished) = %v, want nil", err)
	}
	if v, err := remote.Get(ctx, ref); v != 5 || err != nil {
		t.Errorf("Get after Cancel = %d, %v, want 5, nil", v, err)
	}
}
