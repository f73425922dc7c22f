package shm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// backend is what a Client asks of the store's owner: the node daemon's
// Store itself in its own process, or the NodeStore service from others.
type backend interface {
	node() string
	create(ctx context.Context, id ID, size int64) (path string, err error)
	seal(ctx context.Context, id ID) error
	abort(ctx context.Context, id ID) error
	pin(ctx context.Context, id ID) (path string, size int64, err error)
	unpin(ctx context.Context, id ID) error
	addRef(ctx context.Context, id ID) error
	release(ctx context.Context, id ID) error
	delete(ctx context.Context, id ID) error
	stat(ctx context.Context, id ID) (ObjectInfo, error)
	close() error
}

// Client reads and writes a node's objects from any process on the node.
// Its methods are safe for concurrent use. Pins it holds are dropped when
// it is closed, or when its process dies.
type Client struct {
	b        backend
	populate bool
}

// Populating returns a client sharing c's session whose Get and GetRecord
// map every page of the object up front (MAP_POPULATE). Mapping is then
// slower, but reading all of it is much faster than taking a page fault
// per page as a lazy mapping does: for callers that read whole objects.
// Closing either client ends the session of both.
func (c *Client) Populating() *Client { return &Client{b: c.b, populate: true} }

// Client returns a client for use in the store's own process: it calls the
// store directly, with no RPC. Close it when done.
func (s *Store) Client() *Client {
	return &Client{b: &localBackend{s: s, sid: s.openSession()}}
}

// Node returns the name of the node whose store the client uses.
func (c *Client) Node() string { return c.b.node() }

// Close ends the client's session: its pins are dropped and objects it has
// created but not sealed are aborted. Mappings it returned stay readable
// until released, but no longer count against the store.
func (c *Client) Close() error { return c.b.close() }

// Writer is an object being created. Fill it with Write or WriteAt (file
// writes: on tmpfs they copy straight into the object's pages, and are
// faster than first-touch writes through a mapping), or through the
// writable shared mapping that Bytes returns; then Seal publishes it and
// Abort drops it. A Writer is for one goroutine.
type Writer struct {
	c    *Client
	id   ID
	f    *os.File
	data []byte
	off  int64
	done bool
}

// Create creates object id of size bytes. The creator holds the object's
// one reference (see Release). It fails with ErrExists if the store holds
// id, and with ErrStoreFull if size bytes cannot be made room for.
func (c *Client) Create(ctx context.Context, id ID, size int64) (*Writer, error) {
	path, err := c.b.create(ctx, id, size)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	var data []byte
	if err == nil {
		if data, err = mapFile(path, size, true, false); err != nil {
			f.Close()
		}
	}
	if err != nil {
		err = fmt.Errorf("shm: node %s: object %s: %w", c.b.node(), id, err)
		if aerr := c.b.abort(ctx, id); aerr != nil {
			err = fmt.Errorf("%w (abort: %v)", err, aerr)
		}
		return nil, err
	}
	return &Writer{c: c, id: id, f: f, data: data}, nil
}

// ID returns the object's ID.
func (w *Writer) ID() ID { return w.id }

// Bytes returns the object's bytes, a writable shared mapping, to fill in.
// The slice is valid until Seal or Abort.
func (w *Writer) Bytes() []byte { return w.data }

// Write writes p after the bytes written by earlier Writes.
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.WriteAt(p, w.off)
	w.off += int64(n)
	return n, err
}

// WriteAt writes p at off. Writing past the object's size is an error.
func (w *Writer) WriteAt(p []byte, off int64) (int, error) {
	if w.done {
		return 0, fmt.Errorf("shm: node %s: object %s: write: %w", w.c.b.node(), w.id, ErrSealed)
	}
	if off < 0 || int64(len(p)) > int64(len(w.data))-off {
		return 0, fmt.Errorf("shm: node %s: object %s: write of %d bytes at %d past its %d bytes", w.c.b.node(), w.id, len(p), off, len(w.data))
	}
	n, err := w.f.WriteAt(p, off)
	if err != nil {
		err = fmt.Errorf("shm: node %s: object %s: %w", w.c.b.node(), w.id, err)
	}
	return n, err
}

// Seal unmaps the object and makes it immutable and readable.
func (w *Writer) Seal(ctx context.Context) error {
	if err := w.finish(); err != nil {
		return err
	}
	return w.c.b.seal(ctx, w.id)
}

// Abort unmaps the object and drops it. It is a no-op after Seal or Abort.
func (w *Writer) Abort(ctx context.Context) error {
	if w.done {
		return nil
	}
	if err := w.finish(); err != nil {
		return err
	}
	return w.c.b.abort(ctx, w.id)
}

func (w *Writer) finish() error {
	if w.done {
		return fmt.Errorf("shm: node %s: object %s: %w", w.c.b.node(), w.id, ErrSealed)
	}
	w.done = true
	data := w.data
	w.data = nil
	err := errors.Join(unmap(data), w.f.Close())
	if err != nil {
		return fmt.Errorf("shm: node %s: object %s: %w", w.c.b.node(), w.id, err)
	}
	return nil
}

// Put creates object id holding a copy of data and seals it.
func (c *Client) Put(ctx context.Context, id ID, data []byte) error {
	w, err := c.Create(ctx, id, int64(len(data)))
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Abort(ctx)
		return err
	}
	return w.Seal(ctx)
}

// Get maps object id read-only and returns its bytes, zero-copy, waiting
// until it is sealed if it is being created. The bytes are valid until
// release is called; the object stays in shared memory (it is not spilled)
// until then. Writing to them faults. release may be called more than once
// and from any goroutine.
func (c *Client) Get(ctx context.Context, id ID) (data []byte, release func(), err error) {
	path, size, err := c.b.pin(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	data, err = mapFile(path, size, false, c.populate)
	if err != nil {
		err = fmt.Errorf("shm: node %s: object %s: %w", c.b.node(), id, err)
		c.unpin(id)
		return nil, nil, err
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			unmap(data)
			c.unpin(id)
		})
	}
	return data, release, nil
}

// unpin drops a pin from a release func, which has no context: a store
// that is gone has dropped the pin already.
func (c *Client) unpin(id ID) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.b.unpin(ctx, id)
}

// AddRef adds a borrower's reference to id.
func (c *Client) AddRef(ctx context.Context, id ID) error { return c.b.addRef(ctx, id) }

// Release drops a reference to id; the object is deleted when none are
// left.
func (c *Client) Release(ctx context.Context, id ID) error { return c.b.release(ctx, id) }

// Delete frees id at once, whatever its reference count (see
// Store.Delete).
func (c *Client) Delete(ctx context.Context, id ID) error { return c.b.delete(ctx, id) }

// Stat describes id.
func (c *Client) Stat(ctx context.Context, id ID) (ObjectInfo, error) { return c.b.stat(ctx, id) }

// localBackend calls the store in-process.
type localBackend struct {
	s   *Store
	sid uint64 // 0 if the store was closed when the client was made
}

func (l *localBackend) node() string { return l.s.node }

func (l *localBackend) create(_ context.Context, id ID, size int64) (string, error) {
	return l.s.create(id, l.sid, size, true)
}
func (l *localBackend) seal(_ context.Context, id ID) error  { return l.s.seal(id, l.sid) }
func (l *localBackend) abort(_ context.Context, id ID) error { return l.s.abort(id, l.sid) }
func (l *localBackend) pin(ctx context.Context, id ID) (string, int64, error) {
	return l.s.pin(ctx, id, l.sid)
}
func (l *localBackend) unpin(_ context.Context, id ID) error              { return l.s.unpin(id, l.sid) }
func (l *localBackend) addRef(_ context.Context, id ID) error             { return l.s.AddRef(id) }
func (l *localBackend) release(_ context.Context, id ID) error            { return l.s.Release(id) }
func (l *localBackend) delete(_ context.Context, id ID) error             { return l.s.Delete(id) }
func (l *localBackend) stat(_ context.Context, id ID) (ObjectInfo, error) { return l.s.Stat(id) }
func (l *localBackend) close() error {
	l.s.closeSession(l.sid)
	return nil
}
