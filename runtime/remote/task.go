package remote

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/shoaldata/shoal/runtime/sched"
)

// invokeFunc runs a registered function on resolved arguments and writes its
// results to out (len(out) is the number of results).
type invokeFunc func(ctx context.Context, args []any, out []any) error

// invokeMethod runs a registered actor method on the actor's instance.
type invokeMethod func(ctx context.Context, self any, args []any, out []any) error

// refArg is an argument given as an ObjectRef: a dependency.
type refArg struct {
	idx int
	h   *handle
}

// task is one submitted function call, actor call or actor construction. It
// is also the context.Context the function runs with, which saves an
// allocation per task and lets Get find the task it blocks.
type task struct {
	// h0 is the handle of a single result, in the same allocation as the
	// task: one object fewer per task.
	h0     handle
	st     sched.Task
	rt     *Runtime
	name   string // registered name, for errors
	spec   *spec
	invoke invokeFunc   // functions and actor constructors
	method invokeMethod // actor calls
	actor  *actor       // for actor calls and constructions

	args    []any
	refs    []refArg
	results []*handle
	out     []any
	bindErr error // an argument could not be bound; the task fails without running

	attempts  int
	depFailed bool // an argument's task failed: not worth retrying

	argBuf [3]any
	refBuf [2]refArg
	resBuf [1]*handle
	outBuf [1]any

	cmu    sync.Mutex // guards the context state below
	done   chan struct{}
	cerr   error
	reason sched.Reason // why it was interrupted
}

type taskKey struct{}

// newTask allocates a task for a call with nargs arguments and nret results,
// and the pending handles of its results.
func (r *Runtime) newTask(name string, sp *spec, nargs, nret int) *task {
	t := &task{rt: r, name: name, spec: sp}
	t.st.Data = t
	if nargs <= len(t.argBuf) {
		t.args = t.argBuf[:nargs]
	} else {
		t.args = make([]any, nargs)
	}
	t.refs = t.refBuf[:0]
	switch nret {
	case 0:
	case 1:
		t.h0 = handle{rt: r, id: r.refIDs.Add(1), task: t}
		t.results, t.out = t.resBuf[:1], t.outBuf[:1]
		t.results[0] = &t.h0
	default:
		// Separate handles, so one result's ref does not keep another's
		// object alive.
		t.results, t.out = make([]*handle, nret), make([]any, nret)
		for i := range t.results {
			t.results[i] = &handle{rt: r, id: r.refIDs.Add(1), task: t}
		}
	}
	return t
}

// ref returns the handle of result i; the caller wraps it in an ObjectRef.
func (t *task) ref(i int) *handle { return t.results[i] }

// bind sets argument i from a value or an ObjectRef.
func bind[T any](t *task, i int, a Arg[T]) {
	if a == nil {
		t.bindErr = fmt.Errorf("argument %d: %w", i+1, ErrNilRef)
		return
	}
	v, h, isRef := a.argValue()
	if !isRef {
		t.args[i] = v
		return
	}
	switch {
	case h == nil:
		t.bindErr = fmt.Errorf("argument %d: %w", i+1, ErrNilRef)
	case h.err != nil:
		t.bindErr = fmt.Errorf("argument %d: %w", i+1, h.err)
	case h.rt != t.rt:
		t.bindErr = fmt.Errorf("argument %d: ObjectRef(%d) belongs to another runtime", i+1, h.id)
	default:
		t.refs = append(t.refs, refArg{i, h})
	}
}

// submit hands t to the scheduler. Its ref arguments become dependencies:
// the task waits in the scheduler until each has been sealed.
func (r *Runtime) submit(t *task) {
	if t.bindErr == nil && t.spec.err != nil {
		t.bindErr = t.spec.err
	}
	if t.bindErr != nil {
		t.finish(t.taskErr(t.bindErr))
		return
	}
	refs := t.refs
	t.st.ID = r.taskIDs.Add(1)
	t.st.Deps = len(refs)
	var buf [2]sched.Action
	r.mu.Lock()
	if t.st.Actor == nil {
		t.st.Class = r.classFor(t.spec.demand)
	}
	acts := r.sched.Step(sched.Event{Kind: sched.Submit, Task: &t.st}, buf[:0])
	r.mu.Unlock()
	r.perform(acts, false)
	if len(refs) > 0 {
		ready := func() { r.step(sched.Event{Kind: sched.DepReady, Task: &t.st}) }
		for _, ra := range refs {
			ra.h.onSealed(ready)
		}
	}
}

// run executes the task on the calling worker and returns the next task the
// worker should run, if its completion let one start.
func (t *task) run() *task {
	err := t.resolve()
	if err == nil {
		err = t.call()
	}
	t.dropArgs()
	switch {
	case t.actor == nil:
		return t.afterFunc(err)
	case t.actor.creation == t:
		return t.afterCreation(err)
	default:
		return t.afterCall(err)
	}
}

// resolve replaces ref arguments by their values. The scheduler ran the task,
// so every one is sealed; a spilled one is read back here. Arrow values are
// retained for the run, so spilling the object meanwhile cannot pull the
// memory from under the task.
func (t *task) resolve() error {
	for _, ra := range t.refs {
		v, err := ra.h.get(t, true)
		if err != nil {
			t.depFailed = true
			return fmt.Errorf("argument %d: %w", ra.idx+1, err)
		}
		t.args[ra.idx] = v
	}
	return nil
}

// refCounted is an Arrow value (record, array, table).
type refCounted interface {
	Retain()
	Release()
}

// dropArgs gives back the references resolve took. The values stay set only
// for the next attempt's resolve to overwrite.
func (t *task) dropArgs() {
	for _, ra := range t.refs {
		if v, ok := t.args[ra.idx].(refCounted); ok {
			v.Release()
		}
		t.args[ra.idx] = nil
	}
}

// call runs the user's code. This is the worker boundary: the one place a
// panic becomes an error.
func (t *task) call() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: string(debug.Stack())}
		}
	}()
	t.attempts++
	if t.rt.cl != nil {
		return t.rt.cl.call(t)
	}
	if t.method != nil {
		return t.method(t, t.actor.instance, t.args, t.out)
	}
	return t.invoke(t, t.args, t.out)
}

func (t *task) afterFunc(err error) *task {
	finished := sched.Event{Kind: sched.Finished, Task: &t.st}
	if err != nil && t.retryable(err) {
		t.resetContext()
		clear(t.out)
		t.st.Deps = 0 // its arguments are resolved already
		return t.rt.handOff(finished, sched.Event{Kind: sched.Submit, Task: &t.st})
	}
	t.finish(t.outcome(err))
	return t.rt.handOff(finished)
}

// retryable: a panic (a crashed worker, in Ray's terms) is a system failure
// and retried up to MaxRetries; a returned error only with RetryExceptions.
func (t *task) retryable(err error) bool {
	if t.depFailed || t.interruptReason() != sched.NoReason {
		return false
	}
	if n := t.spec.maxRetries; n >= 0 && t.attempts > n {
		return false
	}
	return systemFailure(err) || t.spec.retryErrors
}

// systemFailure: a panic, or the node running the work died.
func systemFailure(err error) bool {
	_, panicked := err.(*PanicError)
	return panicked || errors.Is(err, ErrNodeDied)
}

// outcome is the error to seal for a task that returned err: nil on success,
// the interruption if it was cancelled or its actor killed meanwhile.
func (t *task) outcome(err error) error {
	if reason := t.interruptReason(); reason != sched.NoReason {
		return t.failure(reason)
	}
	if err != nil {
		return t.taskErr(err)
	}
	return nil
}

func (t *task) taskErr(err error) *TaskError {
	return &TaskError{Func: t.name, Task: t.st.ID, Attempts: t.attempts, Err: err}
}

// failure is the error for a task the scheduler failed or interrupted.
func (t *task) failure(reason sched.Reason) error {
	var cause error
	switch reason {
	case sched.ReasonCancelled:
		cause = ErrCancelled
	case sched.ReasonInfeasible:
		cause = fmt.Errorf("%w: needs %v, the node has %v in all", ErrInfeasible, t.spec.demand, t.rt.totals())
	case sched.ReasonShutdown:
		cause = ErrShutdown
	default: // the actor died
		cause = t.actor.deathErr()
	}
	return t.taskErr(cause)
}

// finish seals the task's results: the outputs, or err in every one. The
// task drops its arguments so their objects can be freed.
//
// An Arrow value a task returns carries one reference, which passes to the
// runtime (Arrow's convention for returned values): the store takes its own,
// and the task's is released here. A task returning an Arrow argument, or
// anything it does not own, must Retain it first.
func (t *task) finish(err error) {
	for i, h := range t.results {
		if err != nil {
			h.seal(nil, err)
			// A task cancelled while running may still have returned
			// outputs; nobody will see them, so their reference goes.
			if rc, ok := t.out[i].(refCounted); ok {
				rc.Release()
			}
			continue
		}
		v := t.out[i]
		h.seal(v, nil)
		if rc, ok := v.(refCounted); ok {
			rc.Release()
		}
	}
	clear(t.out)
	if t.actor == nil || t.actor.creation != t { // a constructor's arguments serve restarts
		clear(t.args)
		// refs may alias refBuf: clear both, or the handles in refBuf keep
		// the arguments' objects alive as long as this task's result ref.
		clear(t.refs)
		clear(t.refBuf[:])
		t.refs = nil
	}
}

// The task as a context.Context: never a deadline, cancelled by Cancel, Kill
// or Shutdown. Done's channel is made only if someone asks for it.

func (t *task) Deadline() (time.Time, bool) { return time.Time{}, false }

func (t *task) Done() <-chan struct{} {
	t.cmu.Lock()
	defer t.cmu.Unlock()
	if t.done == nil {
		t.done = make(chan struct{})
		if t.cerr != nil {
			close(t.done)
		}
	}
	return t.done
}

func (t *task) Err() error {
	t.cmu.Lock()
	defer t.cmu.Unlock()
	return t.cerr
}

func (t *task) Value(key any) any {
	if key == (taskKey{}) {
		return t
	}
	return nil
}

func (t *task) String() string { return fmt.Sprintf("remote task %s (%d)", t.name, t.st.ID) }

func (t *task) interrupt(reason sched.Reason) {
	t.cmu.Lock()
	defer t.cmu.Unlock()
	if t.cerr != nil {
		return
	}
	t.reason, t.cerr = reason, context.Canceled
	if t.done != nil {
		close(t.done)
	}
}

func (t *task) interruptReason() sched.Reason {
	t.cmu.Lock()
	defer t.cmu.Unlock()
	return t.reason
}

// resetContext readies the task's context for another attempt.
func (t *task) resetContext() {
	t.cmu.Lock()
	t.done, t.cerr, t.reason = nil, nil, sched.NoReason
	t.cmu.Unlock()
}

// taskOf returns the task whose context ctx is or derives from, or nil.
func taskOf(ctx context.Context) *task {
	if t, ok := ctx.(*task); ok {
		return t
	}
	t, _ := ctx.Value(taskKey{}).(*task)
	return t
}

// totals prints the node's total resources for error messages.
func (r *Runtime) totals() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := "{"
	for i, u := range r.sched.Pool().Snapshot() {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s: %g", u.Name, u.Total)
	}
	return s + "}"
}
