package remote

import (
	"context"
	"fmt"
	goruntime "runtime"
	"time"

	"github.com/shoaldata/shoal/runtime/sched"
)

// ObjectRef is a future: a reference to an immutable object that a task will
// produce (or Put stored). Copies are cheap and share the object; it is freed
// when no copy is reachable and no pending task needs it. Small task results
// live with the ref itself, the rest in the object store (see InlineLimit).
// The zero ObjectRef refers to nothing.
type ObjectRef[T any] struct{ h *handle }

// Ref is any ObjectRef, whatever its type, for Wait and Cancel.
type Ref interface {
	// ID is the object's ID, unique within its runtime; 0 for the zero ref.
	ID() uint64
	handle() *handle
}

func (r ObjectRef[T]) ID() uint64 {
	if r.h == nil {
		return 0
	}
	return r.h.id
}

func (r ObjectRef[T]) handle() *handle { return r.h }

func (r ObjectRef[T]) String() string { return fmt.Sprintf("ObjectRef(%d)", r.ID()) }

// Get waits for the object and returns it; see the package function Get.
func (r ObjectRef[T]) Get(ctx context.Context) (T, error) { return Get(ctx, r) }

func (r ObjectRef[T]) argValue() (T, *handle, bool) {
	var zero T
	return zero, r.h, true
}

// Arg is a task argument of type T: a value given with Val, or an
// ObjectRef[T] whose value the task receives once it is ready.
type Arg[T any] interface {
	argValue() (v T, h *handle, isRef bool)
}

type value[T any] struct{ v T }

func (v value[T]) argValue() (T, *handle, bool) { return v.v, nil, false }

// Val passes v itself as a task argument. To hand a task a reference rather
// than its value, pass Val(ref) for a parameter of type ObjectRef[T].
func Val[T any](v T) Arg[T] { return value[T]{v} }

func failedRef[T any](err error) ObjectRef[T] { return ObjectRef[T]{&handle{err: err}} }

// Put stores v in the object store and returns a reference to it. Arrow
// records, arrays and tables are stored without copying: the store takes a
// reference of its own, and the caller still owns (and Releases) theirs. It
// fails with an
// error wrapping ErrStoreFull when v does not fit even after spilling.
func Put[T any](r *Runtime, v T) (ObjectRef[T], error) {
	if r.closing.Load() {
		return ObjectRef[T]{}, ErrShutdown
	}
	id, err := r.store.Put(v)
	if err != nil {
		return ObjectRef[T]{}, fmt.Errorf("remote: put: %w", err)
	}
	return ObjectRef[T]{r.storedHandle(id)}, nil
}

// as converts a stored value back to T; nil stands for T's zero value (a nil
// pointer or interface returned by a task).
func as[T any](v any) T {
	if v == nil {
		var zero T
		return zero
	}
	return v.(T)
}

// Get waits until ref's object is ready and returns it, or the error of the
// task that should have made it (a *TaskError). It honours ctx's deadline and
// cancellation. Called inside a task with the task's context, it gives the
// task's CPU back while it waits, so nested tasks cannot starve the node.
//
// The value is shared with every other Get of the same object and must not be
// modified. An Arrow value stays valid while the object lives; keep a
// reference (Retain) to use it longer.
func Get[T any](ctx context.Context, ref ObjectRef[T]) (T, error) {
	var zero T
	h := ref.h
	if h == nil {
		return zero, ErrNilRef
	}
	v, err := h.get(ctx, false)
	goruntime.KeepAlive(h) // the object must outlive the wait
	if err != nil {
		return zero, err
	}
	return as[T](v), nil
}

// GetRetained is Get for Arrow values the caller keeps: the value comes with
// a reference of its own, taken before the store could spill or free it,
// which the caller must Release. For other values it is Get.
func GetRetained[T any](ctx context.Context, ref ObjectRef[T]) (T, error) {
	var zero T
	h := ref.h
	if h == nil {
		return zero, ErrNilRef
	}
	v, err := h.get(ctx, true)
	goruntime.KeepAlive(h)
	if err != nil {
		return zero, err
	}
	return as[T](v), nil
}

// GetAll waits for every ref and returns their values in order. It returns
// the first error met, in ref order.
func GetAll[T any](ctx context.Context, refs []ObjectRef[T]) ([]T, error) {
	out := make([]T, len(refs))
	for i, ref := range refs {
		v, err := Get(ctx, ref)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// NoTimeout makes Wait wait as long as ctx allows.
const NoTimeout time.Duration = -1

// Wait returns once numReturns of refs are ready, the timeout has passed, or
// ctx is done, whichever comes first. ready and notReady keep the input
// order; ready may hold more than numReturns refs if more were ready. A
// timeout is not an error: it returns what is ready by then. Called inside a
// task with its context, it gives the task's CPU back while waiting.
func Wait[R Ref](ctx context.Context, refs []R, numReturns int, timeout time.Duration) (ready, notReady []R, err error) {
	if numReturns < 0 || numReturns > len(refs) {
		return nil, nil, fmt.Errorf("remote: wait: numReturns %d out of range [0, %d]", numReturns, len(refs))
	}
	var rt *Runtime
	for i, ref := range refs {
		h := ref.handle()
		if h == nil {
			return nil, nil, fmt.Errorf("remote: wait: ref %d: %w", i, ErrNilRef)
		}
		if h.err == nil {
			rt = h.rt
		}
	}
	count := 0
	for _, ref := range refs {
		if ref.handle().ready() {
			count++
		}
	}
	if count < numReturns && timeout != 0 {
		// One buffered slot per ref: a callback that fires after Wait returned
		// never blocks.
		signal := make(chan struct{}, len(refs))
		pending := 0
		for _, ref := range refs {
			if h := ref.handle(); !h.ready() {
				pending++
				h.onSealed(func() { signal <- struct{}{} })
			}
		}
		count = len(refs) - pending
		var timer <-chan time.Time
		if timeout > 0 {
			tm := time.NewTimer(timeout)
			defer tm.Stop()
			timer = tm.C
		}
		if t := taskOf(ctx); t != nil && t.rt == rt {
			rt.blocked(t)
			defer rt.unblocked(t)
		}
	wait:
		for count < numReturns {
			select {
			case <-signal:
				count++
			case <-timer:
				break wait
			case <-ctx.Done():
				err = fmt.Errorf("remote: wait: %w", ctx.Err())
				break wait
			}
		}
	}
	for _, ref := range refs {
		if ref.handle().ready() {
			ready = append(ready, ref)
		} else {
			notReady = append(notReady, ref)
		}
	}
	goruntime.KeepAlive(refs)
	return ready, notReady, err
}

// Cancel cancels the task that produces ref. A task not yet running never
// runs; a running one sees its context cancelled. Either way its results
// become errors wrapping ErrCancelled, unless it had already finished, in
// which case Cancel does nothing. Cancelling a Put object is an error.
func Cancel(ref Ref) error {
	h := ref.handle()
	if h == nil {
		return ErrNilRef
	}
	if h.err != nil {
		return nil
	}
	if h.task == nil {
		return fmt.Errorf("remote: cancel: ObjectRef(%d) was Put, not made by a task", h.id)
	}
	h.rt.step(sched.Event{Kind: sched.Cancel, Task: &h.task.st})
	return nil
}

// Free deletes the objects of refs from the store now, instead of when the
// garbage collector finds their last ref unreachable (Ray's free). It is for
// large objects in tight loops. Every copy of a freed ref is dead: Get
// returns an error wrapping objstore.ErrObjectFreed, and a task still
// waiting for it fails. Freeing twice is harmless.
func Free(refs ...Ref) {
	for _, ref := range refs {
		if h := ref.handle(); h != nil {
			h.free()
		}
	}
}
