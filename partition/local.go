package partition

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/runtime/remote"
)

// ErrReleased is the cause of using a block after Release: a Deploy reading
// it, or Materialize of it.
var ErrReleased = errors.New("partition: block released")

// Releaser is the optional capability of an engine whose blocks can be freed
// before the garbage collector finds them unreachable. Both engines of this
// package implement it; Release (the package function) calls it when the
// engine does.
//
// Ownership: the engine holds one reference to each block's record. A block
// lives until it is released, or, failing that, until it is unreachable and
// the garbage collector has run (a safety net: Arrow memory from an
// accounting allocator should be given back by Release, not by the
// collector). Deploys that read a block keep its data alive until they have
// run, so releasing a block as soon as the Deploys that need it are made is
// safe and is what the primitives do with their intermediate blocks.
type Releaser interface {
	// Release gives up the caller's use of bs. Their data is freed once no
	// pending Deploy reads them. Later Deploys reading them, and Materialize
	// of them, fail with an error wrapping ErrReleased; Meta still answers.
	// Releasing a block twice is harmless; blocks of other engines and
	// failed blocks are ignored. Release must not race with Deploy,
	// Materialize or Wait of the same blocks.
	Release(bs []Block)
}

// Release releases bs on e if e is a Releaser, and does nothing otherwise
// (the garbage collector then frees them). See Releaser.
func Release(e Engine, bs ...Block) {
	if r, ok := e.(Releaser); ok && len(bs) > 0 {
		r.Release(bs)
	}
}

// NewLocal returns the single-node engine: kernels run on goroutines of
// this process, at most parallelism at a time (0 means GOMAXPROCS), and
// blocks are in-process futures holding the record and its Meta, with no
// copy and no serialization.
//
// Deploy never blocks: a kernel starts once its inputs are computed and a
// slot is free, in the order kernels became ready. A kernel runs with
// Deploy's ctx; if ctx is done before the kernel starts, it never starts and
// its outputs fail with ctx's error. A kernel's error, and a panic (turned
// into a *remote.PanicError in exactly one place, the local worker), reach
// its outputs as "partition: kernel NAME: ..." and flow into every
// dependent Deploy, wrapped again with that kernel's name and the input's
// position, so errors.Is and errors.As see the original cause.
//
// The engine implements Releaser: each block's record carries one
// reference for the block, plus one for every pending Deploy reading it.
func NewLocal(parallelism int) Engine {
	if parallelism <= 0 {
		parallelism = goruntime.GOMAXPROCS(0)
	}
	return &localEngine{limit: parallelism}
}

// localEngine is the single-node engine. Its scheduler is a counting semaphore
// with a FIFO of ready jobs: a worker goroutine that finishes a job takes
// the next ready one, so a busy engine hands work on without starting
// goroutines.
type localEngine struct {
	limit int

	mu      sync.Mutex // guards running and ready
	running int
	ready   []*localJob
	head    int // ready[head:] is the queue
}

func (e *localEngine) Name() string { return "local" }

// lstate is a block's state, shared by the block and the pending jobs that
// read it. Jobs hold the state, not the block, so an unreachable block can
// be collected (dropping its owner reference) while jobs still read it.
type lstate struct {
	kernel string        // the kernel making it; "" for Put
	done   chan struct{} // closed once sealed

	mu      sync.Mutex // guards sealed and waiters
	sealed  bool
	waiters []func()

	// Set before done is closed, read-only after.
	rec  arrow.Record
	meta Meta
	err  error

	// refs counts the owner's reference (until Release) and one per pending
	// job reading the block; rec is released when it reaches 0.
	refs    atomic.Int64
	dropped atomic.Bool // the owner's reference is gone
}

// newState returns an unsealed state with refs references: the owner's,
// and for a job's output the producer's, dropped once it has sealed it (so
// the record is never released before it is set).
func newState(kernel string, refs int64) *lstate {
	s := &lstate{kernel: kernel, done: make(chan struct{})}
	s.refs.Store(refs)
	return s
}

// seal sets the block's record (owned by the state from now on) or error,
// and runs what waited for it.
func (s *lstate) seal(rec arrow.Record, err error) {
	if err == nil {
		s.rec, s.meta = rec, MetaOf(rec)
	} else {
		s.err = err
	}
	s.mu.Lock()
	s.sealed = true
	waiters := s.waiters
	s.waiters = nil
	s.mu.Unlock()
	close(s.done)
	for _, f := range waiters {
		f()
	}
}

// onSealed runs f once the state is sealed: now if it is, else in the
// goroutine that seals it.
func (s *lstate) onSealed(f func()) {
	s.mu.Lock()
	if s.sealed {
		s.mu.Unlock()
		f()
		return
	}
	s.waiters = append(s.waiters, f)
	s.mu.Unlock()
}

// wait blocks until the state is sealed or ctx is done.
func (s *lstate) wait(ctx context.Context) error {
	select {
	case <-s.done:
		return nil
	default:
	}
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("partition: waiting for kernel %s: %w", s.kernel, ctx.Err())
	}
}

// acquire takes a reference for a reader; it fails once the owner released
// the block.
func (s *lstate) acquire() bool {
	if s.dropped.Load() {
		return false
	}
	for {
		n := s.refs.Load()
		if n == 0 {
			return false
		}
		if s.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// unref drops a reference; the last one releases the record. Only the
// reader that took a reference, or the owner (via drop), calls it.
func (s *lstate) unref() {
	if s.refs.Add(-1) == 0 && s.rec != nil {
		s.rec.Release()
	}
}

// drop gives up the owner's reference, once.
func (s *lstate) drop() {
	if s.dropped.CompareAndSwap(false, true) {
		s.unref()
	}
}

// localBlock is what users hold. A cleanup drops its owner reference if it
// becomes unreachable without Release.
type localBlock struct{ st *lstate }

func newLocalBlock(st *lstate) *localBlock {
	b := &localBlock{st}
	goruntime.AddCleanup(b, (*lstate).drop, st)
	return b
}

func (b *localBlock) Meta(ctx context.Context) (Meta, error) {
	if err := b.st.wait(ctx); err != nil {
		return Meta{}, err
	}
	return b.st.meta, b.st.err
}

// failedLocal returns n blocks failed with err.
func failedLocal(n int, kernel string, err error) []Block {
	out := make([]Block, n)
	for i := range out {
		st := newState(kernel, 1)
		st.seal(nil, err)
		out[i] = newLocalBlock(st)
	}
	return out
}

// localJob is one Deploy: a kernel run waiting for its inputs and a slot.
type localJob struct {
	e       *localEngine
	ctx     context.Context
	k       Kernel
	in      []*lstate // each holds a reference for the job
	out     []*lstate
	pending atomic.Int32 // inputs not yet sealed, plus one while Deploy registers
	state   atomic.Int32 // jobWaiting, then jobStarted or jobCancelled
	stop    func() bool  // unregisters the ctx callback
}

const (
	jobWaiting int32 = iota
	jobStarted
	jobCancelled
)

func (e *localEngine) Deploy(ctx context.Context, k Kernel, in []Block, nout int) []Block {
	if nout < 1 {
		return nil
	}
	j := &localJob{e: e, ctx: ctx, k: k, in: make([]*lstate, 0, len(in)), out: make([]*lstate, nout)}
	for i, b := range in {
		lb, ok := b.(*localBlock)
		var err error
		switch {
		case !ok:
			err = fmt.Errorf("input %d: a %T is not a block of the local engine", i, b)
		case !lb.st.acquire():
			err = fmt.Errorf("input %d: %w", i, ErrReleased)
		}
		if err != nil {
			j.unrefInputs()
			return failedLocal(nout, k.Name, fmt.Errorf("partition: kernel %s: %w", k.Name, err))
		}
		j.in = append(j.in, lb.st)
	}
	blocks := make([]Block, nout)
	for i := range j.out {
		j.out[i] = newState(k.Name, 2)
		blocks[i] = newLocalBlock(j.out[i])
	}
	j.pending.Store(int32(len(j.in)) + 1)
	for _, st := range j.in {
		st.onSealed(j.inputReady)
	}
	// After the loop: cancel may run at once, and it drops j.in.
	if ctx.Done() != nil {
		j.stop = context.AfterFunc(ctx, j.cancel)
	}
	j.inputReady() // Deploy's own count: the job may now be ready
	return blocks
}

func (j *localJob) inputReady() {
	if j.pending.Add(-1) == 0 {
		j.e.schedule(j)
	}
}

// cancel runs when Deploy's ctx is done: a job not yet started never
// starts, and its outputs fail at once.
func (j *localJob) cancel() {
	if j.state.CompareAndSwap(jobWaiting, jobCancelled) {
		j.fail(fmt.Errorf("partition: kernel %s: %w", j.k.Name, j.ctx.Err()))
	}
}

func (j *localJob) fail(err error) {
	j.unrefInputs()
	for _, st := range j.out {
		st.seal(nil, err)
		st.unref()
	}
}

func (j *localJob) unrefInputs() {
	for _, st := range j.in {
		st.unref()
	}
	j.in = nil
}

// schedule starts j on a new worker if a slot is free, or queues it.
func (e *localEngine) schedule(j *localJob) {
	e.mu.Lock()
	if e.running < e.limit {
		e.running++
		e.mu.Unlock()
		go e.work(j)
		return
	}
	e.ready = append(e.ready, j)
	e.mu.Unlock()
}

// work runs j, then ready jobs until none is left, then frees its slot.
func (e *localEngine) work(j *localJob) {
	for j != nil {
		j.run()
		e.mu.Lock()
		j = nil
		if e.head < len(e.ready) {
			j = e.ready[e.head]
			e.ready[e.head] = nil
			e.head++
			if e.head == len(e.ready) {
				e.ready, e.head = e.ready[:0], 0
			}
		} else {
			e.running--
		}
		e.mu.Unlock()
	}
}

// run runs the kernel, if the job was not cancelled, and seals its outputs.
func (j *localJob) run() {
	if !j.state.CompareAndSwap(jobWaiting, jobStarted) {
		return // cancelled: already failed
	}
	if j.stop != nil {
		j.stop()
	}
	name := j.k.Name
	if err := j.ctx.Err(); err != nil {
		j.fail(fmt.Errorf("partition: kernel %s: %w", name, err))
		return
	}
	recs := make([]arrow.Record, len(j.in))
	for i, st := range j.in {
		if st.err != nil {
			j.fail(fmt.Errorf("partition: kernel %s: input %d: %w", name, i, st.err))
			return
		}
		recs[i] = st.rec
	}
	out, err := callKernel(j.ctx, j.k, recs, len(j.out))
	j.unrefInputs()
	if err != nil {
		j.fail(fmt.Errorf("partition: kernel %s: %w", name, err))
		return
	}
	for i, st := range j.out {
		st.seal(out[i], nil)
		st.unref()
	}
}

// callKernel runs k: the local worker boundary, the one place where a kernel's
// panic becomes an error. It checks the outputs: exactly nout, none nil.
// On error it has released whatever outputs the kernel returned.
func callKernel(ctx context.Context, k Kernel, in []arrow.Record, nout int) (out []arrow.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, &remote.PanicError{Value: p, Stack: string(debug.Stack())}
		}
	}()
	if k.Fn == nil {
		return nil, errors.New("no function")
	}
	out, err = k.Fn(ctx, in, nout)
	if err != nil {
		return nil, err
	}
	if err := checkOutputs(out, nout); err != nil {
		return nil, err
	}
	return out, nil
}

// checkOutputs verifies a kernel's outputs; on error it releases them (the
// kernel handed them over).
func checkOutputs(out []arrow.Record, nout int) error {
	var err error
	if len(out) != nout {
		err = fmt.Errorf("returned %d records, want %d", len(out), nout)
	} else if i := nilRecord(out); i >= 0 {
		err = fmt.Errorf("returned a nil record as output %d", i)
	}
	if err != nil {
		for _, r := range out {
			if r != nil {
				r.Release()
			}
		}
	}
	return err
}

func nilRecord(recs []arrow.Record) int {
	for i, r := range recs {
		if r == nil {
			return i
		}
	}
	return -1
}

func (e *localEngine) Put(ctx context.Context, rec arrow.Record) (Block, error) {
	if rec == nil {
		return nil, errors.New("partition: put: nil record")
	}
	st := newState("", 1)
	st.seal(rec, nil)
	return newLocalBlock(st), nil
}

func (e *localEngine) Materialize(ctx context.Context, bs []Block) ([]arrow.Record, error) {
	return materializeEach(ctx, bs, e.materialize)
}

func (e *localEngine) materialize(ctx context.Context, i int, b Block) (arrow.Record, error) {
	lb, ok := b.(*localBlock)
	if !ok {
		return nil, fmt.Errorf("partition: materialize: block %d: a %T is not a block of the local engine", i, b)
	}
	st := lb.st
	if err := st.wait(ctx); err != nil {
		return nil, err
	}
	if st.err != nil {
		return nil, st.err
	}
	if !st.acquire() {
		return nil, fmt.Errorf("partition: materialize: block %d: %w", i, ErrReleased)
	}
	st.rec.Retain()
	st.unref()
	return st.rec, nil
}

func (e *localEngine) Wait(ctx context.Context, bs []Block) error {
	for i, b := range bs {
		lb, ok := b.(*localBlock)
		if !ok {
			return fmt.Errorf("partition: wait: block %d: a %T is not a block of the local engine", i, b)
		}
		if err := lb.st.wait(ctx); err != nil {
			return err
		}
		if lb.st.err != nil {
			return lb.st.err
		}
	}
	return nil
}

func (e *localEngine) Release(bs []Block) {
	for _, b := range bs {
		if lb, ok := b.(*localBlock); ok {
			lb.st.drop()
		}
	}
}
