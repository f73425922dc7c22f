package remote

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"

	"github.com/shoaldata/shoal/runtime/objstore"
)

// InlineLimit is the largest task result, by objstore.SizeOf, kept inline
// with its ref instead of in the object store; Ray's limit for its
// in-process memory store is the same 100 KiB. Arrow values always go to the
// store, whatever their size, so their memory is accounted for and spillable.
const InlineLimit = 100 << 10

// Where an object is.
const (
	objPending uint32 = iota // its task has not finished
	objInline                // small result: value or error kept in the handle
	objStored                // in the object store under handle.obj
	objFreed                 // Free was called
)

// handle is the shared part of every copy of one ObjectRef, and the state of
// its object.
//
// Small task results and every error live right here, like Ray's
// in-process memory store for small objects: no store entry, no lock shared
// with other objects, no cleanup to register. (Profile of the async task
// path: store traffic for tiny results — create, seal, get, release — and
// the cleanups that free them took half the time.) Large results and
// Arrow values go to the object store, where capacity and spilling apply;
// a cleanup then releases them when the handle becomes unreachable.
type handle struct {
	rt   *Runtime
	id   uint64 // unique within rt, for printing
	task *task  // the task producing the object; nil for Put
	err  error  // set instead of an object when none could be made

	state atomic.Uint32
	obj   objstore.ID // when stored
	v     any         // when inline
	verr  error       // when inline: the task's error

	mu   sync.Mutex    // guards wait and cbs, and state changes
	wait chan struct{} // made by the first Get that blocks; closed when sealed
	cbs  []func()      // run once when sealed (dependents, Wait)
}

type objRelease struct {
	store *objstore.Store
	id    objstore.ID
}

func releaseObject(o objRelease) { o.store.Release(o.id) }

// storedHandle wraps a store reference the caller owns (count 1) in a handle
// that gives it back when collected.
func (r *Runtime) storedHandle(id objstore.ID) *handle {
	h := &handle{rt: r, id: r.refIDs.Add(1), obj: id}
	h.state.Store(objStored)
	goruntime.AddCleanup(h, releaseObject, objRelease{r.store, id})
	return h
}

// ready reports whether the object is sealed (or can never be).
func (h *handle) ready() bool { return h.err != nil || h.state.Load() != objPending }

// seal sets the object to a task's result v, or to err. A small value stays
// inline; a large one or an Arrow value goes to the store (which takes its
// own reference). It runs the callbacks waiting for the object.
func (h *handle) seal(v any, err error) {
	state := objInline
	var obj objstore.ID
	if err == nil && !inlinable(v) {
		id, perr := h.rt.store.Put(v)
		if perr != nil { // sealed results always have a task
			err = h.task.taskErr(fmt.Errorf("storing the result: %w", perr))
		} else {
			state, obj = objStored, id
		}
	}
	h.mu.Lock()
	if h.state.Load() == objFreed { // Free came first: nobody wants it
		h.mu.Unlock()
		if state == objStored {
			h.rt.store.Release(obj)
		}
		return
	}
	if state == objStored {
		h.obj = obj
		goruntime.AddCleanup(h, releaseObject, objRelease{h.rt.store, obj})
	} else {
		h.v, h.verr = v, err
	}
	h.state.Store(state)
	wait, cbs := h.wait, h.cbs
	h.cbs = nil
	h.mu.Unlock()
	if wait != nil {
		close(wait)
	}
	for _, f := range cbs {
		f()
	}
}

func inlinable(v any) bool {
	if _, arrow := v.(refCounted); arrow {
		return false
	}
	return objstore.SizeOf(v) <= InlineLimit
}

// onSealed runs f once the object is sealed: now, in this goroutine, if it
// is; otherwise in the goroutine that seals it.
func (h *handle) onSealed(f func()) {
	if h.ready() {
		f()
		return
	}
	h.mu.Lock()
	if h.state.Load() != objPending {
		h.mu.Unlock()
		f()
		return
	}
	h.cbs = append(h.cbs, f)
	h.mu.Unlock()
}

// free drops the object (Free): a stored one leaves the store now.
func (h *handle) free() {
	if h.err != nil {
		return
	}
	h.mu.Lock()
	state := h.state.Load()
	if state == objStored {
		h.mu.Unlock()
		// The count is 1 (handles never add references), so this frees it;
		// the cleanup later finds the ID gone (IDs are never reused).
		h.rt.store.Release(h.obj)
		return
	}
	h.state.Store(objFreed)
	wait, cbs := h.wait, h.cbs
	h.wait, h.cbs = nil, nil
	h.mu.Unlock()
	if state == objPending {
		if wait != nil {
			close(wait)
		}
		for _, f := range cbs {
			f()
		}
	}
}

// get returns the object, waiting for it if need be. With retain, an Arrow
// value comes with a reference of the caller's own.
func (h *handle) get(ctx context.Context, retain bool) (any, error) {
	if h.err != nil {
		return nil, h.err
	}
	if h.state.Load() == objPending {
		if err := h.await(ctx); err != nil {
			return nil, err
		}
	}
	switch h.state.Load() {
	case objInline:
		return h.v, h.verr
	case objFreed:
		return nil, fmt.Errorf("remote: ObjectRef(%d): %w", h.id, ErrObjectFreed)
	}
	var v any
	var err error
	if retain {
		v, err = h.rt.store.GetRetained(ctx, h.obj)
	} else {
		v, err = h.rt.store.Get(ctx, h.obj)
	}
	if errors.Is(err, objstore.ErrClosed) { // Shutdown closed the store under us
		return nil, fmt.Errorf("remote: get ObjectRef(%d): %w", h.id, ErrShutdown)
	}
	return v, err
}

// await blocks until the object is sealed or ctx is done. Inside a task (ctx
// is its context) it gives the task's CPU back meanwhile.
func (h *handle) await(ctx context.Context) error {
	h.mu.Lock()
	if h.state.Load() != objPending {
		h.mu.Unlock()
		return nil
	}
	if h.wait == nil {
		h.wait = make(chan struct{})
	}
	wait := h.wait
	h.mu.Unlock()
	if t := taskOf(ctx); t != nil && t.rt == h.rt {
		h.rt.blocked(t)
		defer h.rt.unblocked(t)
	}
	select {
	case <-wait:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("remote: get ObjectRef(%d): %w", h.id, ctx.Err())
	}
}
