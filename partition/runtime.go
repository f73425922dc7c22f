package partition

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/runtime/remote"
)

// kernelTask runs one Deploy as one task. Its arguments are the input
// records (ObjectRefs of earlier outputs or Puts: dependencies); its results
// are the nout output records, which the runtime keeps in its object store,
// followed by their metas, small enough to stay inline with their ref, so
// Block.Meta never fetches data.
//
// The arguments are typed any, not arrow.Record: the outputs share a result
// list with the metas, so their refs are ObjectRef[any], and the runtime has
// no conversion between ObjectRef types.
var kernelTask = remote.RegisterN("partition.kernel", runKernel)

// metaList is a task's metas. As a Sizer it is measured without the
// store's reflective walk.
type metaList []Meta

func (m metaList) SizeBytes() int64 { return int64(len(m)) * 16 }

// kernelError is a kernel's own error as its task returns it: the driver
// side knows not to name the kernel again.
type kernelError struct {
	name string
	err  error
}

func (e *kernelError) Error() string { return fmt.Sprintf("partition: kernel %s: %v", e.name, e.err) }
func (e *kernelError) Unwrap() error { return e.err }

// runKernel is the task's function. It is asked for nres results: the
// kernel's nres-1 outputs and the metas.
func runKernel(ctx context.Context, k Kernel, in []any, nres int) ([]any, error) {
	nout := nres - 1
	recs := make([]arrow.Record, len(in))
	for i, v := range in {
		rec, ok := v.(arrow.Record)
		if !ok {
			return nil, &kernelError{k.Name, fmt.Errorf("input %d is a %T, not an arrow.Record", i, v)}
		}
		recs[i] = rec
	}
	if k.Fn == nil {
		return nil, &kernelError{k.Name, errors.New("no function")}
	}
	// A panic is the runtime's to catch, at its worker boundary.
	out, err := k.Fn(ctx, recs, nout)
	if err == nil {
		err = checkOutputs(out, nout)
	}
	if err != nil {
		return nil, &kernelError{k.Name, err}
	}
	res := make([]any, nout+1)
	metas := make(metaList, nout)
	for i, rec := range out {
		res[i], metas[i] = rec, MetaOf(rec)
	}
	res[nout] = metas
	return res, nil
}

// NewRuntime returns the engine that runs each Deploy as one task on rt, the
// task/actor runtime: blocks are ObjectRefs, inputs are passed as refs (so
// the runtime schedules a kernel once its inputs exist, wherever they are),
// Put is remote.Put and Materialize is remote.GetRetained.
//
// Errors keep their cause for errors.Is and errors.As: a kernel's error
// reaches Materialize, Meta and Wait inside the runtime's *remote.TaskError
// as "partition: kernel NAME: ...", and a dependent Deploy's outputs fail
// with "partition: kernel DEPENDENT: ..." around the runtime's report of the
// failed argument. A panic is caught by the runtime (which retries the task
// per its MaxRetries) and arrives as a *remote.PanicError. Cancelling
// Deploy's ctx cancels the task (remote.Cancel): if it has not started it
// never does, if it runs its context is cancelled; its outputs then fail
// with an error matching both context.Canceled and remote.ErrCancelled.
// A kernel runs with its task's context, not Deploy's: values carried by
// Deploy's ctx do not reach it.
//
// The engine implements Releaser with remote.Free, deferred until the
// Deploys reading a block have finished. Blocks not released are freed by
// the runtime when their refs become unreachable.
func NewRuntime(rt *remote.Runtime) Engine {
	return &rtEngine{rt: rt}
}

type rtEngine struct{ rt *remote.Runtime }

func (e *rtEngine) Name() string { return "runtime" }

// rtBlock is one output of a task, or a Put record.
type rtBlock struct {
	kernel string // "" for Put
	err    error  // the block failed before reaching the runtime
	rec    remote.ObjectRef[any]
	metas  remote.ObjectRef[any] // the task's metas; zero for Put
	idx    int                   // the block's position in metas
	meta   Meta                  // for Put
	ctx    context.Context       // Deploy's
	stop   func() bool           // unregisters the cancel callback

	released atomic.Bool
	mu       sync.Mutex              // guards users
	users    []remote.ObjectRef[any] // metas of Deploys reading the block, maybe finished
}

func failedRuntime(n int, kernel string, err error) []Block {
	out := make([]Block, n)
	for i := range out {
		out[i] = &rtBlock{kernel: kernel, err: err}
	}
	return out
}

// addUser notes a Deploy reading b, so Release can wait for it. Finished
// users are dropped now and then, to keep the list short.
func (b *rtBlock) addUser(metas remote.ObjectRef[any]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.users) >= 16 {
		_, b.users, _ = remote.Wait(context.Background(), b.users, 0, 0)
	}
	b.users = append(b.users, metas)
}

// wrap names b's kernel in err, unless err is that kernel's own error,
// which names it already.
func (b *rtBlock) wrap(err error) error {
	var te *remote.TaskError
	if errors.As(err, &te) {
		if _, own := te.Err.(*kernelError); own {
			return err
		}
	}
	if b.ctx != nil && errors.Is(err, remote.ErrCancelled) {
		if cerr := b.ctx.Err(); cerr != nil {
			return fmt.Errorf("partition: kernel %s: %w: %w", b.kernel, cerr, err)
		}
	}
	if b.kernel == "" {
		return fmt.Errorf("partition: put block: %w", err)
	}
	return fmt.Errorf("partition: kernel %s: %w", b.kernel, err)
}

func (b *rtBlock) Meta(ctx context.Context) (Meta, error) {
	if b.err != nil {
		return Meta{}, b.err
	}
	if b.metas.ID() == 0 { // Put
		return b.meta, nil
	}
	v, err := remote.Get(ctx, b.metas)
	if err != nil {
		return Meta{}, b.wrap(err)
	}
	b.finished()
	return v.(metaList)[b.idx], nil
}

// finished unregisters the cancel callback once the task is known to be
// done: its closure keeps the task's refs reachable.
func (b *rtBlock) finished() {
	if b.stop != nil {
		b.stop()
	}
}

func (e *rtEngine) Deploy(ctx context.Context, k Kernel, in []Block, nout int) []Block {
	if nout < 1 {
		return nil
	}
	args := make([]remote.Arg[any], len(in))
	inputs := make([]*rtBlock, len(in))
	for i, b := range in {
		rb, ok := b.(*rtBlock)
		var err error
		switch {
		case !ok:
			err = fmt.Errorf("input %d: a %T is not a block of the runtime engine", i, b)
		case rb.err != nil:
			err = fmt.Errorf("input %d: %w", i, rb.err)
		case rb.released.Load():
			err = fmt.Errorf("input %d: %w", i, ErrReleased)
		}
		if err != nil {
			return failedRuntime(nout, k.Name, fmt.Errorf("partition: kernel %s: %w", k.Name, err))
		}
		args[i], inputs[i] = rb.rec, rb
	}
	if err := ctx.Err(); err != nil {
		return failedRuntime(nout, k.Name, fmt.Errorf("partition: kernel %s: %w", k.Name, err))
	}
	refs := kernelTask.Remote(e.rt, remote.Val(k), nout+1, args...)
	metas := refs[nout]
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { remote.Cancel(metas) })
	}
	for _, rb := range inputs {
		rb.addUser(metas)
	}
	out := make([]Block, nout)
	for i := range out {
		out[i] = &rtBlock{kernel: k.Name, rec: refs[i], metas: metas, idx: i, ctx: ctx, stop: stop}
	}
	return out
}

func (e *rtEngine) Put(ctx context.Context, rec arrow.Record) (Block, error) {
	if rec == nil {
		return nil, errors.New("partition: put: nil record")
	}
	defer rec.Release() // the store took a reference of its own
	ref, err := remote.Put[any](e.rt, rec)
	if err != nil {
		return nil, fmt.Errorf("partition: put: %w", err)
	}
	return &rtBlock{rec: ref, meta: MetaOf(rec)}, nil
}

func (e *rtEngine) Materialize(ctx context.Context, bs []Block) ([]arrow.Record, error) {
	return materializeEach(ctx, bs, e.materialize)
}

func (e *rtEngine) materialize(ctx context.Context, i int, b Block) (arrow.Record, error) {
	rb, ok := b.(*rtBlock)
	switch {
	case !ok:
		return nil, fmt.Errorf("partition: materialize: block %d: a %T is not a block of the runtime engine", i, b)
	case rb.err != nil:
		return nil, rb.err
	case rb.released.Load():
		return nil, fmt.Errorf("partition: materialize: block %d: %w", i, ErrReleased)
	}
	v, err := remote.GetRetained(ctx, rb.rec)
	if err != nil {
		return nil, rb.wrap(err)
	}
	rb.finished()
	return v.(arrow.Record), nil
}

// Wait waits for the tasks' metas: a task's results are sealed together, so
// a kernel's failure shows here. (Failing to store an output, when the
// object store is full and cannot spill, shows only at Materialize.)
func (e *rtEngine) Wait(ctx context.Context, bs []Block) error {
	for i, b := range bs {
		rb, ok := b.(*rtBlock)
		if !ok {
			return fmt.Errorf("partition: wait: block %d: a %T is not a block of the runtime engine", i, b)
		}
		if _, err := rb.Meta(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (e *rtEngine) Release(bs []Block) {
	var now, later []remote.Ref
	var pending []remote.ObjectRef[any]
	for _, b := range bs {
		rb, ok := b.(*rtBlock)
		if !ok || rb.err != nil || !rb.released.CompareAndSwap(false, true) {
			continue
		}
		rb.finished()
		rb.mu.Lock()
		users := rb.users
		rb.users = nil
		rb.mu.Unlock()
		_, busy, _ := remote.Wait(context.Background(), users, 0, 0)
		if len(busy) == 0 {
			now = append(now, rb.rec)
		} else {
			later = append(later, rb.rec)
			pending = append(pending, busy...)
		}
	}
	remote.Free(now...)
	if len(later) > 0 {
		go func() {
			remote.Wait(context.Background(), pending, len(pending), remote.NoTimeout)
			remote.Free(later...)
		}()
	}
}
