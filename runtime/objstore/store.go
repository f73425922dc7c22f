package objstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// ID identifies an object in a Store. IDs are assigned in increasing order
// from 1 and never reused; 0 is never a valid ID.
type ID uint64

// Compression selects how spill files are compressed.
type Compression int

const (
	// LZ4 writes spill files as LZ4 frames. It is the default.
	LZ4 Compression = iota
	// Zstd writes spill files as zstd streams: smaller, slower.
	Zstd
)

func (c Compression) String() string {
	switch c {
	case LZ4:
		return "lz4"
	case Zstd:
		return "zstd"
	}
	return fmt.Sprintf("Compression(%d)", int(c))
}

// Options configure a Store. The zero value is an unlimited store.
type Options struct {
	// Capacity is the number of bytes, as measured by SizeOf, that sealed
	// values may hold in memory before the store spills; <= 0 means
	// unlimited (nothing is ever spilled).
	Capacity int64
	// SpillDir is the directory for spill files. It is created on first
	// spill if missing, and only the store's own files are removed from it.
	// Files are named by object ID, so two live stores must not share one.
	// "" means a fresh os.MkdirTemp("", "shoal-spill-*") directory, created
	// on first spill and removed by Close.
	SpillDir string
	// Compression compresses spill files.
	Compression Compression
	// DisableSpill makes Put and Seal fail with ErrStoreFull past the
	// capacity instead of spilling.
	DisableSpill bool
	// Allocator allocates the buffers of Arrow values read back from spill
	// files into memory. nil means memory.DefaultAllocator.
	Allocator memory.Allocator
}

var (
	// ErrStoreFull is returned (wrapped) when a value does not fit in memory
	// and cannot be spilled.
	ErrStoreFull = errors.New("objstore: store full")
	// ErrObjectFreed is returned (wrapped) for an ID whose reference count
	// reached 0, or that never existed.
	ErrObjectFreed = errors.New("objstore: object freed")
	// ErrObjectLost is returned (wrapped) when a spill file cannot be read
	// back or decoded.
	ErrObjectLost = errors.New("objstore: object lost")
	// ErrClosed is returned (wrapped) by a closed store.
	ErrClosed = errors.New("objstore: store closed")
	// ErrSealed is returned (wrapped) by Seal of an object already sealed.
	ErrSealed = errors.New("objstore: object already sealed")
)

// Stats is a snapshot of a Store's accounting.
type Stats struct {
	Objects        int   // live objects (pending + sealed)
	MemoryBytes    int64 // bytes of sealed values held in memory, by SizeOf, and reserved for values being read back
	Capacity       int64 // Options.Capacity; 0 if unlimited
	SpilledObjects int   // objects whose only copy is on disk
	SpilledBytes   int64 // SizeOf bytes of those objects
	SpillFileBytes int64 // bytes of spill files on disk (compressed)
	SpillFiles     int   // spill files on disk
	Spills         int64 // cumulative: values dropped from memory to disk
	SpillWrites    int64 // cumulative: spill files written
	Restores       int64 // cumulative: spill files read back and decoded
}

// Store is an in-process object store. Its methods are safe for concurrent
// use. The zero value is not usable; call New.
type Store struct {
	opts     Options
	capacity int64 // 0: unlimited
	alloc    memory.Allocator

	// spillMu serializes everything that writes spill files or creates the
	// spill directory, and Close. It is taken before mu, never while
	// holding it.
	spillMu sync.Mutex

	mu      sync.Mutex
	closed  bool
	objects map[ID]*entry
	last    ID
	used    int64  // bytes charged: sealed values in memory, plus reservations
	lru     entry  // sentinel of the spill candidates; lru.next is the most recent
	free    *entry // freed entries for reuse, linked by next
	nfree   int
	dir     string
	ownDir  bool

	spilledObjects int
	spilledBytes   int64
	fileBytes      int64
	files          int
	spills         int64
	spillWrites    int64
	restores       int64
}

// Object states.
const (
	pending uint8 = iota
	sealing       // Seal is making room; still not readable
	sealed
)

// Entry flags.
const (
	inMemory    uint8 = 1 << iota // value is held and charged to used
	inLRU                         // linked in the spill candidates
	spilling                      // being written to disk by the spiller
	unspillable                   // encoding failed; never try again
	refCounted                    // value has Retain/Release and the store holds a reference
	errorValue                    // value is an error: never spilled
)

// entry is one object. All fields are guarded by Store.mu, and no pointer
// to an entry is kept outside it: code that lets go of the lock looks the
// ID up again, so freed entries can be reused.
type entry struct {
	id    ID
	refs  int32
	state uint8
	flags uint8
	size  int64
	value any   // when inMemory
	err   error // sealed error

	prev, next *entry // spill candidates, when inLRU

	wait chan struct{} // closed at seal or free; made by the first Get that waits
	cb   func()        // first OnSealed callback
	cbs  []func()      // further OnSealed callbacks

	file      *spillFile   // spill file on disk, once written
	restoring *restoreCall // in-flight read of file
}

// restoreCall lets concurrent Gets of one spilled object share one read.
type restoreCall struct {
	done    chan struct{}
	value   any
	err     error
	cached  bool  // value was kept in memory; waiters look it up again
	waiters int32 // Gets waiting for it besides the reader
}

// restoreHook, if set, runs before a spill file is read back. Tests only.
var restoreHook func()

// rc is implemented by Arrow's reference-counted values.
type rc interface {
	Retain()
	Release()
}

// New returns an empty store. It does no I/O: the spill directory is made on
// first spill.
func New(opts Options) (*Store, error) {
	if opts.Compression != LZ4 && opts.Compression != Zstd {
		return nil, fmt.Errorf("objstore: unknown compression %v", opts.Compression)
	}
	s := &Store{
		opts:     opts,
		capacity: max(opts.Capacity, 0),
		alloc:    opts.Allocator,
		objects:  make(map[ID]*entry),
	}
	if s.alloc == nil {
		s.alloc = memory.DefaultAllocator
	}
	s.lru.next, s.lru.prev = &s.lru, &s.lru
	return s, nil
}

// NewPending creates an unsealed object with reference count 1 and returns
// its ID. It returns 0 if the store is closed.
func (s *Store) NewPending() ID {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0
	}
	e := s.newEntry()
	s.last++
	e.id = s.last
	s.objects[e.id] = e
	s.mu.Unlock()
	return e.id
}

// maxFree bounds the entries kept for reuse.
const maxFree = 4096

// newEntry returns a zero entry with one reference, reused if one is free.
// s.mu is held.
func (s *Store) newEntry() *entry {
	e := s.free
	if e == nil {
		return &entry{refs: 1}
	}
	s.free, e.next = e.next, nil
	s.nfree--
	e.refs = 1
	return e
}

// freeEntry keeps e, just removed from s.objects, for reuse. s.mu is held.
func (s *Store) freeEntry(e *entry) {
	if s.nfree >= maxFree {
		return
	}
	*e = entry{next: s.free}
	s.free = e
	s.nfree++
}

// Put creates a sealed object holding v, with reference count 1. An Arrow
// value is Retained, not copied; the caller keeps its own reference. If v
// does not fit, Put spills other values, or writes v itself straight to
// disk; if that is impossible (DisableSpill, or v cannot be encoded) it
// returns 0 and an error wrapping ErrStoreFull that names the sizes.
func (s *Store) Put(v any) (ID, error) {
	size, flags := measure(v)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return 0, ErrClosed
	}
	s.last++
	id := s.last
	if s.fits(size) {
		e := s.newEntry()
		e.id, e.state = id, sealed
		s.used += size
		s.hold(e, v, size, flags)
		s.objects[id] = e
		s.mu.Unlock()
		return id, nil
	}
	s.mu.Unlock()

	charged, f, err := s.place(id, v, size)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		removeFile(f)
		return 0, ErrClosed
	}
	e := s.newEntry()
	e.id, e.state = id, sealed
	if charged {
		s.hold(e, v, size, flags)
	} else {
		s.holdOnDisk(e, f, size)
	}
	s.objects[id] = e
	s.mu.Unlock()
	return id, nil
}

// Seal sets the value of a pending object, or its error if err != nil (v is
// then ignored), and wakes its Gets and OnSealed callbacks. An Arrow value is
// Retained: Seal never takes the caller's reference.
//
// Sealing an object that was already freed discards v and returns nil.
// Sealing twice returns an error wrapping ErrSealed. If v does not fit and
// cannot be spilled, the object is sealed with an error wrapping
// ErrStoreFull instead, and Seal returns that error.
func (s *Store) Seal(id ID, v any, err error) error {
	var size int64
	var flags uint8
	if err == nil {
		size, flags = measure(v)
	}
	s.mu.Lock()
	e, werr := s.sealable(id)
	if e == nil {
		s.mu.Unlock()
		return werr
	}
	if err != nil {
		e.err = err
		w := s.wake(e)
		s.mu.Unlock()
		w.run()
		return nil
	}
	if s.fits(size) {
		s.used += size
		s.hold(e, v, size, flags)
		w := s.wake(e)
		s.mu.Unlock()
		w.run()
		return nil
	}
	e.state = sealing
	s.mu.Unlock()

	charged, f, err := s.place(id, v, size)
	s.mu.Lock()
	e = s.objects[id]
	if s.closed || e == nil {
		closed := s.closed
		if !closed && charged {
			s.used -= size
		}
		s.mu.Unlock()
		removeFile(f)
		if closed {
			return fmt.Errorf("objstore: object %d: %w", id, ErrClosed)
		}
		return nil
	}
	switch {
	case err != nil:
		e.err = err
	case charged:
		s.hold(e, v, size, flags)
	default:
		s.holdOnDisk(e, f, size)
	}
	w := s.wake(e)
	s.mu.Unlock()
	w.run()
	return err
}

// sealable returns the pending entry id, or the error Seal should return
// (nil for a freed object). s.mu is held.
func (s *Store) sealable(id ID) (*entry, error) {
	e := s.objects[id]
	switch {
	case s.closed:
		return nil, fmt.Errorf("objstore: object %d: %w", id, ErrClosed)
	case e == nil:
		return nil, nil
	case e.state != pending:
		return nil, fmt.Errorf("objstore: object %d: %w", id, ErrSealed)
	}
	return e, nil
}

// Get returns the value of id, waiting until it is sealed, ctx is done (the
// error then wraps ctx.Err()) or the store is closed (ErrClosed). An object
// sealed with an error returns that very error, unwrapped. A freed or unknown
// id returns an error wrapping ErrObjectFreed.
//
// A spilled value is read back transparently, once however many Gets ask
// for it at the same time, and kept in memory again if it fits (spilling
// others if need be); if it cannot fit, Get returns it without keeping it,
// and an Arrow value so returned lives on Go's heap, reclaimed by the
// garbage collector rather than by Release.
//
// The value is shared: do not modify it. An Arrow value stays valid while the
// object is live and in memory; use GetRetained to keep one longer.
func (s *Store) Get(ctx context.Context, id ID) (any, error) {
	v, err, _ := s.get(ctx, id, true, false)
	return v, err
}

// GetRetained is Get for callers that keep Arrow values: if the value has
// Retain and Release methods, it is Retained under the store's lock, so it
// stays valid after the object is spilled or freed, and the caller must
// Release it.
func (s *Store) GetRetained(ctx context.Context, id ID) (any, error) {
	v, err, _ := s.get(ctx, id, true, true)
	return v, err
}

// TryGet is Get without waiting: ok is false, and v and err nil, if id is not
// sealed yet. It may still read a spilled value back from disk.
func (s *Store) TryGet(id ID) (v any, err error, ok bool) {
	return s.get(context.Background(), id, false, false)
}

func (s *Store) get(ctx context.Context, id ID, block, retain bool) (any, error, bool) {
	s.mu.Lock()
	for {
		if s.closed {
			s.mu.Unlock()
			return nil, fmt.Errorf("objstore: object %d: %w", id, ErrClosed), true
		}
		e := s.objects[id]
		if e == nil {
			s.mu.Unlock()
			return nil, freedError(id), true
		}
		if e.state != sealed {
			if !block {
				s.mu.Unlock()
				return nil, nil, false
			}
			if e.wait == nil {
				e.wait = make(chan struct{})
			}
			wait := e.wait
			s.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
				return nil, fmt.Errorf("objstore: object %d: %w", id, ctx.Err()), true
			}
			s.mu.Lock()
			continue
		}
		if e.err != nil {
			err := e.err
			s.mu.Unlock()
			return nil, err, true
		}
		if e.flags&inMemory != 0 {
			s.touch(e)
			v := e.value
			if retain && e.flags&refCounted != 0 {
				v.(rc).Retain()
			}
			s.mu.Unlock()
			return v, nil, true
		}
		if r := e.restoring; r != nil {
			r.waiters++
			s.mu.Unlock()
			select {
			case <-r.done:
			case <-ctx.Done():
				return nil, fmt.Errorf("objstore: object %d: %w", id, ctx.Err()), true
			}
			if r.err != nil || !r.cached {
				if r.err == nil && retain {
					retainValue(r.value)
				}
				return r.value, r.err, true
			}
			s.mu.Lock() // kept in memory: look again
			continue
		}
		r := &restoreCall{done: make(chan struct{})}
		e.restoring = r
		f, size := e.file, e.size
		s.mu.Unlock()
		if restoreHook != nil {
			restoreHook()
		}
		v, err := s.restore(id, f, size, r, retain)
		return v, err, true
	}
}

// restore reads object id back from f for r, keeps it in memory if room can
// be made, and publishes the result to r's waiters.
func (s *Store) restore(id ID, f *spillFile, size int64, r *restoreCall, retain bool) (any, error) {
	// Reserve before allocating: a value that will be kept is decoded with
	// the store's allocator; one that cannot be is left to the garbage
	// collector, since nobody would Release it.
	charged, err := s.makeRoom(size)
	var v any
	if !errors.Is(err, ErrClosed) {
		alloc := memory.Allocator(memory.NewGoAllocator())
		if charged {
			alloc = s.alloc
		}
		v, err = s.readSpill(id, f, alloc)
	}

	var drop any
	s.mu.Lock()
	e := s.objects[id]
	switch {
	case s.closed:
		drop, err = v, fmt.Errorf("objstore: object %d: %w", id, ErrClosed)
	case e == nil:
		if charged {
			s.used -= size
		}
		drop, err = v, freedError(id)
	case err != nil:
		if charged {
			s.used -= size
		}
		e.restoring = nil
	default:
		e.restoring = nil
		s.restores++
		if charged {
			_, flags := measure(v)
			e.value, e.flags = v, e.flags|inMemory|flags&(refCounted|errorValue)
			s.spilledObjects--
			s.spilledBytes -= size
			s.lruPush(e)
			r.cached = true
		}
		if retain {
			retainValue(v)
		}
	}
	if err == nil {
		r.value = v
	} else {
		v = nil
	}
	r.err = err
	s.mu.Unlock()
	close(r.done)
	if drop != nil {
		releaseValue(drop)
	}
	return v, err
}

// Ready reports whether id is sealed. It is false for unknown and freed IDs.
func (s *Store) Ready(id ID) bool {
	s.mu.Lock()
	e := s.objects[id]
	ok := e != nil && e.state == sealed
	s.mu.Unlock()
	return ok
}

// OnSealed arranges for fn to be called once when id is sealed. If id is
// already sealed, unknown or freed, or the store is closed, fn runs at once
// in the caller's goroutine. Otherwise it runs in the goroutine that seals
// id, frees it before it is sealed, or closes the store, after the store's
// lock is released. fn must not block for long.
func (s *Store) OnSealed(id ID, fn func()) {
	s.mu.Lock()
	e := s.objects[id]
	if s.closed || e == nil || e.state == sealed {
		s.mu.Unlock()
		fn()
		return
	}
	if e.cb == nil {
		e.cb = fn
	} else {
		e.cbs = append(e.cbs, fn)
	}
	s.mu.Unlock()
}

// AddRef adds a reference to id. It returns an error wrapping ErrObjectFreed
// if id is not live, or ErrClosed.
func (s *Store) AddRef(id ID) error {
	s.mu.Lock()
	e := s.objects[id]
	switch {
	case s.closed:
		s.mu.Unlock()
		return fmt.Errorf("objstore: object %d: %w", id, ErrClosed)
	case e == nil:
		s.mu.Unlock()
		return freedError(id)
	}
	e.refs++
	s.mu.Unlock()
	return nil
}

// Release drops a reference to id and reports whether id was live. When the
// count reaches 0 the object is freed: its Arrow value is Released, its bytes
// leave the accounting, its spill file is deleted, and Gets still waiting for
// it fail with ErrObjectFreed (OnSealed callbacks run, so that dependents can
// find out). Release of an unknown or freed id does nothing.
func (s *Store) Release(id ID) bool {
	s.mu.Lock()
	e := s.objects[id]
	if e == nil {
		s.mu.Unlock()
		return false
	}
	if e.refs--; e.refs > 0 {
		s.mu.Unlock()
		return true
	}
	delete(s.objects, id)
	var drop any
	if e.flags&inMemory != 0 {
		s.used -= e.size
		s.lruRemove(e)
		if e.flags&refCounted != 0 {
			drop = e.value
		}
	} else if e.state == sealed && e.file != nil {
		s.spilledObjects--
		s.spilledBytes -= e.size
	}
	f := e.file
	if f != nil {
		s.files--
		s.fileBytes -= f.size
	}
	var w wakeup
	if e.state != sealed {
		w = s.wake(e)
	}
	s.freeEntry(e)
	s.mu.Unlock()
	if drop != nil {
		drop.(rc).Release()
	}
	removeFile(f)
	w.run()
	return true
}

// Stats returns a snapshot of the store's accounting.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Objects:        len(s.objects),
		MemoryBytes:    s.used,
		Capacity:       s.capacity,
		SpilledObjects: s.spilledObjects,
		SpilledBytes:   s.spilledBytes,
		SpillFileBytes: s.fileBytes,
		SpillFiles:     s.files,
		Spills:         s.spills,
		SpillWrites:    s.spillWrites,
		Restores:       s.restores,
	}
}

// SpillDir returns the spill directory, or "" until the first spill makes
// it.
func (s *Store) SpillDir() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dir
}

// Close frees every object: pending Gets fail with ErrClosed, OnSealed
// callbacks still registered run, Arrow values are Released, and spill files
// are deleted, with the spill directory if the store made it. Later calls
// fail with ErrClosed (NewPending returns 0). Close waits for spill writes
// in progress; a Get reading a spill file back fails with ErrClosed when it
// finishes. Closing twice returns nil.
func (s *Store) Close() error {
	s.spillMu.Lock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.spillMu.Unlock()
		return nil
	}
	s.closed = true
	objects := s.objects
	s.objects = make(map[ID]*entry)
	dir, ownDir := s.dir, s.ownDir
	s.used, s.spilledObjects, s.spilledBytes, s.fileBytes, s.files = 0, 0, 0, 0, 0
	s.lru.next, s.lru.prev = &s.lru, &s.lru
	var wakes []wakeup
	for _, e := range objects {
		if e.state != sealed {
			wakes = append(wakes, s.wake(e))
		}
	}
	s.mu.Unlock()

	var errs []error
	for _, e := range objects {
		if e.flags&inMemory != 0 && e.flags&refCounted != 0 {
			e.value.(rc).Release()
		}
		if e.file != nil && !ownDir {
			if err := os.Remove(e.file.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if ownDir {
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
		}
	}
	s.spillMu.Unlock()
	for _, w := range wakes {
		w.run()
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("objstore: close: %w", err)
	}
	return nil
}

// fits reports whether size more bytes fit in memory. s.mu is held.
func (s *Store) fits(size int64) bool {
	return s.capacity == 0 || s.used+size <= s.capacity
}

// hold stores v in memory in e; its bytes are already charged. s.mu is held.
func (s *Store) hold(e *entry, v any, size int64, flags uint8) {
	if flags&refCounted != 0 {
		v.(rc).Retain()
	}
	e.value, e.size, e.flags = v, size, e.flags|inMemory|flags
	s.lruPush(e)
}

// holdOnDisk records that e's only copy is the spill file f. s.mu is held.
func (s *Store) holdOnDisk(e *entry, f *spillFile, size int64) {
	e.file, e.size = f, size
	s.files++
	s.fileBytes += f.size
	s.spillWrites++
	s.spills++
	s.spilledObjects++
	s.spilledBytes += size
}

// wakeup is what sealing or freeing a pending object must run once the
// store's lock is released.
type wakeup struct {
	wait chan struct{}
	cb   func()
	cbs  []func()
}

// wake marks e sealed and collects its waiters. s.mu is held.
func (s *Store) wake(e *entry) wakeup {
	e.state = sealed
	w := wakeup{e.wait, e.cb, e.cbs}
	e.wait, e.cb, e.cbs = nil, nil, nil
	return w
}

func (w wakeup) run() {
	if w.wait != nil {
		close(w.wait)
	}
	if w.cb != nil {
		w.cb()
	}
	for _, fn := range w.cbs {
		fn()
	}
}

// lruPush makes e the most recent spill candidate, if it can be one. s.mu is
// held.
func (s *Store) lruPush(e *entry) {
	if s.capacity == 0 || e.size == 0 || e.flags&(unspillable|errorValue) != 0 {
		return
	}
	e.flags |= inLRU
	e.prev, e.next = &s.lru, s.lru.next
	e.next.prev, s.lru.next = e, e
}

func (s *Store) lruRemove(e *entry) {
	if e.flags&inLRU == 0 {
		return
	}
	e.flags &^= inLRU
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// touch records a use of e: the order of the list is the store's logical
// clock. s.mu is held.
func (s *Store) touch(e *entry) {
	if e.flags&inLRU == 0 || s.lru.next == e {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = &s.lru, s.lru.next
	e.next.prev, s.lru.next = e, e
}

func freedError(id ID) error {
	return fmt.Errorf("objstore: object %d: %w", id, ErrObjectFreed)
}

func retainValue(v any) {
	if r, ok := v.(rc); ok {
		r.Retain()
	}
}

func releaseValue(v any) {
	if r, ok := v.(rc); ok {
		r.Release()
	}
}
