package shm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// Options configure a Store.
type Options struct {
	// Node names the node in error messages ("" means the host name).
	Node string
	// Root is the directory the store makes its own directory in. "" means
	// /dev/shm, or os.TempDir() where /dev/shm is absent.
	Root string
	// Capacity is the number of bytes objects may take in shared memory,
	// counting objects being written; <= 0 means unlimited.
	Capacity int64
	// SpillRoot is the directory the store makes its spill directory in.
	// "" means os.TempDir().
	SpillRoot string
	// DisableSpill makes Create fail with ErrStoreFull past the capacity
	// instead of spilling other objects to disk.
	DisableSpill bool
}

var (
	// ErrStoreFull is returned (wrapped) when an object does not fit in
	// shared memory and nothing can be spilled to make room.
	ErrStoreFull = errors.New("shm: store full")
	// ErrNotFound is returned (wrapped) for an object the store does not
	// hold: never created, aborted, or freed.
	ErrNotFound = errors.New("shm: object not found")
	// ErrExists is returned (wrapped) by Create of an ID the store holds.
	ErrExists = errors.New("shm: object exists")
	// ErrSealed is returned (wrapped) by Seal or Abort of an object that is
	// not being created by the caller's session.
	ErrSealed = errors.New("shm: object not being created by this session")
	// ErrNotPinned is returned (wrapped) by an unpin without a pin.
	ErrNotPinned = errors.New("shm: object not pinned by this session")
	// ErrObjectLost is returned (wrapped) when a spilled object cannot be
	// read back.
	ErrObjectLost = errors.New("shm: object lost")
	// ErrClosed is returned (wrapped) by a closed store or client.
	ErrClosed = errors.New("shm: store closed")
)

// Object states.
const (
	creating uint8 = iota // file being written under its temporary name
	sealed                // immutable, under its final name or spilled
	deleted               // freed while pinned: kept until the last unpin
)

// object is one object's metadata. All fields are guarded by Store.mu.
type object struct {
	id      ID
	size    int64
	state   uint8
	creator uint64 // session writing it, while creating
	refs    int64  // owner's and borrowers' references
	pins    int64  // mappings held by sessions
	inMem   bool   // its bytes are charged to Store.used (file in shm, or reserved)
	lastUse uint64 // Store.clock at the last create, pin or unpin

	done      chan struct{} // closed when it leaves the creating state
	spilling  bool          // the spiller is writing its spill file
	spill     string        // spill file, once written; kept until freed
	restoring chan struct{} // closed when a restore in progress ends
}

// session is one client's pins and unsealed objects; when it ends they are
// dropped, so a process that dies leaks nothing.
type session struct {
	pins     map[ID]int64
	creating map[ID]struct{}
}

// Stats is a snapshot of a Store's accounting.
type Stats struct {
	Objects        int   // objects held, sealed or not (freed-but-pinned ones included)
	UsedBytes      int64 // bytes in shared memory, with reservations of objects being written
	Capacity       int64 // Options.Capacity; 0 if unlimited
	SpilledObjects int   // objects whose only copy is their spill file
	SpilledBytes   int64 // their sizes
	Pins           int64 // mappings held, over all objects
	Spills         int64 // cumulative: objects moved out of shared memory
	Restores       int64 // cumulative: spill files read back
	SentBytes      int64 // cumulative: object bytes sent to other nodes by Pull
	SentWireBytes  int64 // cumulative: the chunk bytes that took on the wire, compressed or raw
	PulledBytes    int64 // cumulative: object bytes pulled from other nodes
}

// ObjectInfo describes one object.
type ObjectInfo struct {
	Size    int64
	Refs    int64 // the creator's reference and borrowers'
	Pins    int64 // mappings held by processes on the node
	Sealed  bool
	Spilled bool // only on disk now; the next pin restores it
}

// Store is a node's shared-memory object store. The node daemon owns it;
// other processes reach it through a Client. Its methods are safe for
// concurrent use.
type Store struct {
	opts     Options
	node     string
	dir      string // objects; made by Open, removed by Close
	spillDir string // spill files; made by Open, removed by Close

	// spillMu serializes making room (choosing and writing spill
	// victims). It is taken before mu, never while holding it.
	spillMu sync.Mutex

	mu       sync.Mutex
	closed   bool
	done     chan struct{} // closed by Close
	objects  map[ID]*object
	sessions map[uint64]*session
	nextSess uint64
	used     int64
	clock    uint64
	spills   int64
	restores int64

	sent, sentWire, pulled atomic.Int64 // transfer counters, kept apart from mu
}

// Open makes a fresh store directory under opts.Root and a spill directory
// under opts.SpillRoot.
func Open(opts Options) (*Store, error) {
	node := opts.Node
	if node == "" {
		node, _ = os.Hostname()
	}
	root := opts.Root
	if root == "" {
		root = os.TempDir()
		if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
			root = "/dev/shm"
		}
	}
	dir, err := os.MkdirTemp(root, "shoal-shm-*")
	if err != nil {
		return nil, fmt.Errorf("shm: node %s: store directory: %w", node, err)
	}
	spillDir, err := os.MkdirTemp(opts.SpillRoot, "shoal-shm-spill-*")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("shm: node %s: spill directory: %w", node, err)
	}
	return &Store{
		opts:     opts,
		node:     node,
		dir:      dir,
		spillDir: spillDir,
		objects:  make(map[ID]*object),
		sessions: make(map[uint64]*session),
		done:     make(chan struct{}),
	}, nil
}

// Node returns the node name used in errors.
func (s *Store) Node() string { return s.node }

// Dir returns the directory holding the sealed objects' files.
func (s *Store) Dir() string { return s.dir }

// SpillDir returns the directory holding spill files.
func (s *Store) SpillDir() string { return s.spillDir }

func (s *Store) path(id ID) string    { return filepath.Join(s.dir, id.String()) }
func (s *Store) tmpPath(id ID) string { return filepath.Join(s.dir, id.String()+".tmp") }

func (s *Store) errf(id ID, format string, args ...any) error {
	return fmt.Errorf("shm: node %s: object %s: "+format, append([]any{s.node, id}, args...)...)
}

func (s *Store) notFound(id ID) error { return s.errf(id, "%w", ErrNotFound) }

func (s *Store) closedErr(id ID) error { return s.errf(id, "%w", ErrClosed) }

// openSession starts a session. It returns 0 if the store is closed.
func (s *Store) openSession() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0
	}
	s.nextSess++
	s.sessions[s.nextSess] = &session{pins: make(map[ID]int64), creating: make(map[ID]struct{})}
	return s.nextSess
}

// closeSession drops the session's pins and aborts its unsealed objects.
func (s *Store) closeSession(sid uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[sid]
	if ss == nil {
		return
	}
	delete(s.sessions, sid)
	for id, n := range ss.pins {
		if o := s.objects[id]; o != nil {
			o.pins -= n
			s.dropIfUnusedLocked(o)
		}
	}
	for id := range ss.creating {
		if o := s.objects[id]; o != nil && o.state == creating && o.creator == sid {
			s.abortLocked(o)
		}
	}
}

func (s *Store) sessionLocked(id ID, sid uint64) (*session, error) {
	if s.closed {
		return nil, s.closedErr(id)
	}
	ss := s.sessions[sid]
	if ss == nil {
		return nil, s.errf(id, "session %d: %w", sid, ErrClosed)
	}
	return ss, nil
}

// create reserves size bytes for id, creates its unsealed file and returns
// the file's path. The object has one reference, its creator's. mapped
// says whether the writer may write through a mapping (see createFile).
func (s *Store) create(id ID, sid uint64, size int64, mapped bool) (string, error) {
	if id.IsZero() {
		return "", s.errf(id, "%w", errZeroID)
	}
	if size < 0 {
		return "", s.errf(id, "negative size %d", size)
	}
	s.mu.Lock()
	ss, err := s.sessionLocked(id, sid)
	if err != nil {
		s.mu.Unlock()
		return "", err
	}
	if s.objects[id] != nil {
		s.mu.Unlock()
		return "", s.errf(id, "%w", ErrExists)
	}
	o := &object{id: id, size: size, state: creating, creator: sid, refs: 1, done: make(chan struct{})}
	s.objects[id] = o
	ss.creating[id] = struct{}{}
	s.mu.Unlock()

	if err := s.makeRoom(id, size); err != nil {
		s.mu.Lock()
		if s.objects[id] == o && o.state == creating {
			s.abortLocked(o)
		}
		s.mu.Unlock()
		return "", err
	}
	s.mu.Lock()
	if s.objects[id] != o || o.state != creating {
		// Aborted or deleted while room was made.
		closed := s.closed
		if !closed {
			s.used -= size
		}
		s.mu.Unlock()
		if closed {
			return "", s.closedErr(id)
		}
		return "", s.notFound(id)
	}
	o.inMem = true
	s.mu.Unlock()

	tmp := s.tmpPath(id)
	if err := createFile(tmp, size, mapped); err != nil {
		s.mu.Lock()
		if s.objects[id] == o && o.state == creating {
			s.abortLocked(o)
		}
		s.mu.Unlock()
		return "", s.errf(id, "create %d bytes: %w", size, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects[id] != o || o.state != creating {
		// Aborted while the file was made, after abort removed it.
		os.Remove(tmp)
		if s.closed {
			return "", s.closedErr(id)
		}
		return "", s.notFound(id)
	}
	return tmp, nil
}

// seal makes id immutable and visible to readers: its file is renamed to
// its final name, atomically.
func (s *Store) seal(id ID, sid uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.sessionLocked(id, sid)
	if err != nil {
		return err
	}
	o, err := s.liveLocked(id)
	if err != nil {
		return err
	}
	if o.state != creating || o.creator != sid || !o.inMem {
		return s.errf(id, "seal: %w", ErrSealed)
	}
	if err := os.Rename(s.tmpPath(id), s.path(id)); err != nil {
		return s.errf(id, "seal: %w", err)
	}
	delete(ss.creating, id)
	o.state = sealed
	o.creator = 0
	s.clock++
	o.lastUse = s.clock
	close(o.done)
	return nil
}

// abort drops an object the session is creating.
func (s *Store) abort(id ID, sid uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.sessionLocked(id, sid)
	if err != nil {
		return err
	}
	o, err := s.liveLocked(id)
	if err != nil {
		return err
	}
	if o.state != creating || o.creator != sid {
		return s.errf(id, "abort: %w", ErrSealed)
	}
	delete(ss.creating, id)
	s.abortLocked(o)
	return nil
}

// abortLocked removes an unsealed object. s.mu is held.
func (s *Store) abortLocked(o *object) {
	if ss := s.sessions[o.creator]; ss != nil {
		delete(ss.creating, o.id)
	}
	delete(s.objects, o.id)
	if o.inMem {
		s.used -= o.size
		o.inMem = false
	}
	o.state = deleted
	os.Remove(s.tmpPath(o.id))
	close(o.done)
}

// pin waits until id is sealed, restores it from its spill file if need
// be, and keeps it in shared memory for the session until unpin. It
// returns the sealed file's path and size.
func (s *Store) pin(ctx context.Context, id ID, sid uint64) (string, int64, error) {
	s.mu.Lock()
	for {
		ss, err := s.sessionLocked(id, sid)
		if err != nil {
			s.mu.Unlock()
			return "", 0, err
		}
		o := s.objects[id]
		if o == nil || o.state == deleted {
			s.mu.Unlock()
			return "", 0, s.notFound(id)
		}
		if o.state == creating {
			s.mu.Unlock()
			select {
			case <-o.done:
			case <-ctx.Done():
				return "", 0, s.errf(id, "waiting for seal: %w", ctx.Err())
			}
			s.mu.Lock()
			continue
		}
		if o.inMem {
			o.pins++
			ss.pins[id]++
			s.clock++
			o.lastUse = s.clock
			s.mu.Unlock()
			return s.path(id), o.size, nil
		}
		if r := o.restoring; r != nil {
			s.mu.Unlock()
			select {
			case <-r:
			case <-ctx.Done():
				return "", 0, s.errf(id, "waiting for restore: %w", ctx.Err())
			}
			s.mu.Lock()
			continue
		}
		r := make(chan struct{})
		o.restoring = r
		s.mu.Unlock()
		err = s.restore(o)
		s.mu.Lock()
		o.restoring = nil
		close(r)
		if err != nil {
			s.mu.Unlock()
			return "", 0, err
		}
		// Pinned on the next turn of the loop, under this same lock, so
		// that it cannot be spilled again first.
	}
}

// unpin drops one of the session's pins on id.
func (s *Store) unpin(id ID, sid uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, err := s.sessionLocked(id, sid)
	if err != nil {
		return err
	}
	if ss.pins[id] == 0 {
		return s.errf(id, "unpin: %w", ErrNotPinned)
	}
	if ss.pins[id]--; ss.pins[id] == 0 {
		delete(ss.pins, id)
	}
	o := s.objects[id]
	o.pins--
	s.clock++
	o.lastUse = s.clock
	s.dropIfUnusedLocked(o)
	return nil
}

// dropIfUnusedLocked forgets a deleted object once its last pin is gone and
// gives its memory back. s.mu is held.
func (s *Store) dropIfUnusedLocked(o *object) {
	if o.state != deleted || o.pins > 0 {
		return
	}
	delete(s.objects, o.id)
	if o.inMem {
		s.used -= o.size
		o.inMem = false
	}
}

// AddRef adds a reference to id, for a borrower: a process or node that
// holds the object's ID and may read it later.
func (s *Store) AddRef(id ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.liveLocked(id)
	if err != nil {
		return err
	}
	o.refs++
	return nil
}

// liveLocked returns id's object unless the store is closed or the object
// unknown or deleted. s.mu is held.
func (s *Store) liveLocked(id ID) (*object, error) {
	if s.closed {
		return nil, s.closedErr(id)
	}
	o := s.objects[id]
	if o == nil || o.state == deleted {
		return nil, s.notFound(id)
	}
	return o, nil
}

// Release drops a reference to id; at zero the object is deleted as by
// Delete.
func (s *Store) Release(id ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.liveLocked(id)
	if err != nil {
		return err
	}
	if o.refs--; o.refs <= 0 {
		s.deleteLocked(o)
	}
	return nil
}

// Delete frees id whatever its reference count: its file and spill file
// are removed at once. Processes that have it mapped keep reading it (the
// kernel keeps an unlinked file's pages while they are mapped); its bytes
// stay charged to the store until the last of them unpins it. An object
// being written is aborted.
func (s *Store) Delete(id ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.liveLocked(id)
	if err != nil {
		return err
	}
	s.deleteLocked(o)
	return nil
}

// deleteLocked frees o. s.mu is held.
func (s *Store) deleteLocked(o *object) {
	if o.state == creating {
		s.abortLocked(o)
		return
	}
	o.state = deleted
	if o.inMem {
		os.Remove(s.path(o.id))
	}
	if o.spill != "" && !o.spilling {
		os.Remove(o.spill) // else the spiller removes it when done
	}
	s.dropIfUnusedLocked(o)
}

// Stat describes id.
func (s *Store) Stat(id ID) (ObjectInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.liveLocked(id)
	if err != nil {
		return ObjectInfo{}, err
	}
	return ObjectInfo{
		Size:    o.size,
		Refs:    o.refs,
		Pins:    o.pins,
		Sealed:  o.state == sealed,
		Spilled: o.state == sealed && !o.inMem,
	}, nil
}

// Contains reports whether id is sealed in the store (in memory or
// spilled).
func (s *Store) Contains(id ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[id]
	return o != nil && o.state == sealed
}

// Stats returns a snapshot of the store's accounting.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{
		Objects:   len(s.objects),
		UsedBytes: s.used,
		Capacity:  max(s.opts.Capacity, 0),
		Spills:    s.spills,
		Restores:  s.restores,

		SentBytes:     s.sent.Load(),
		SentWireBytes: s.sentWire.Load(),
		PulledBytes:   s.pulled.Load(),
	}
	for _, o := range s.objects {
		st.Pins += o.pins
		if o.state == sealed && !o.inMem {
			st.SpilledObjects++
			st.SpilledBytes += o.size
		}
	}
	return st
}

// Close ends every session and removes the store's and spill directories.
// Mappings that processes still hold stay readable until they unmap them.
// Later calls fail with ErrClosed. Closing twice returns nil.
func (s *Store) Close() error {
	s.spillMu.Lock()
	defer s.spillMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	for _, o := range s.objects {
		if o.state == creating {
			close(o.done)
		}
	}
	s.objects = make(map[ID]*object)
	s.sessions = make(map[uint64]*session)
	s.used = 0
	s.mu.Unlock()
	err := errors.Join(os.RemoveAll(s.dir), os.RemoveAll(s.spillDir))
	if err != nil {
		return fmt.Errorf("shm: node %s: close: %w", s.node, err)
	}
	return nil
}
