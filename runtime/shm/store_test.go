package shm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// newStore opens a store under a test directory, closed at the end.
func newStore(t testing.TB, opts Options) *Store {
	t.Helper()
	if opts.Node == "" {
		opts.Node = "n1"
	}
	if opts.Root == "" {
		opts.Root = t.TempDir()
	}
	if opts.SpillRoot == "" {
		opts.SpillRoot = t.TempDir()
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func newClient(t testing.TB, s *Store) *Client {
	t.Helper()
	c := s.Client()
	t.Cleanup(func() { c.Close() })
	return c
}

// testID returns a fixed ID, so that error messages can be asserted.
func testID(n byte) ID {
	var id ID
	id[15] = n
	return id
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i/7) + seed
	}
	return b
}

func wantErr(t *testing.T, err error, target error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", msg)
	}
	if !errors.Is(err, target) {
		t.Errorf("error %q does not wrap %v", err, target)
	}
	if err.Error() != msg {
		t.Errorf("error\n got %q\nwant %q", err, msg)
	}
}

func stat(t *testing.T, s *Store, id ID) ObjectInfo {
	t.Helper()
	info, err := s.Stat(id)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestOpenDefaultRoot(t *testing.T) {
	s, err := Open(Options{Node: "n1", SpillRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	root := os.TempDir()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		root = "/dev/shm"
	}
	if filepath.Dir(s.Dir()) != root || !strings.HasPrefix(filepath.Base(s.Dir()), "shoal-shm-") {
		t.Errorf("Dir() = %s, want %s/shoal-shm-*", s.Dir(), root)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Dir()); !os.IsNotExist(err) {
		t.Errorf("store directory left after Close: %v", err)
	}
}

func TestPutGet(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(1)
	want := pattern(10000, 3)
	if err := c.Put(ctx, id, want); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), id.String())); err != nil {
		t.Fatalf("sealed file: %v", err)
	}
	got, release, err := c.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("Get returned other bytes than Put")
	}
	if info := stat(t, s, id); info != (ObjectInfo{Size: 10000, Refs: 1, Pins: 1, Sealed: true}) {
		t.Errorf("while mapped: %+v", info)
	}
	release()
	release() // twice is harmless
	if info := stat(t, s, id); info != (ObjectInfo{Size: 10000, Refs: 1, Pins: 0, Sealed: true}) {
		t.Errorf("after release: %+v", info)
	}
	if st := s.Stats(); st.UsedBytes != 10000 || st.Objects != 1 || st.Pins != 0 {
		t.Errorf("stats %+v", st)
	}

	// An empty object maps nothing but is an object all the same.
	empty := testID(2)
	if err := c.Put(ctx, empty, nil); err != nil {
		t.Fatal(err)
	}
	got, release, err = c.Get(ctx, empty)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty object: %d bytes, %v", len(got), err)
	}
	release()
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(7)
	_, _, err := c.Get(ctx, id)
	wantErr(t, err, ErrNotFound, "shm: node n1: object 00000000000000000000000000000007: shm: object not found")
	if err := c.Put(ctx, id, []byte("x")); err != nil {
		t.Fatal(err)
	}
	err = c.Put(ctx, id, []byte("y"))
	wantErr(t, err, ErrExists, "shm: node n1: object 00000000000000000000000000000007: shm: object exists")
	_, err = c.Create(ctx, ID{}, 1)
	if err == nil || err.Error() != "shm: node n1: object 00000000000000000000000000000000: the zero id is invalid" {
		t.Errorf("zero id: %v", err)
	}
	err = s.unpin(id, 1)
	wantErr(t, err, ErrNotPinned, "shm: node n1: object 00000000000000000000000000000007: unpin: shm: object not pinned by this session")

	w, err := c.Create(ctx, testID(8), 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	wantErr(t, w.Seal(ctx), ErrSealed, "shm: node n1: object 00000000000000000000000000000008: shm: object not being created by this session")
	if err := w.Abort(ctx); err != nil {
		t.Errorf("Abort after Seal: %v", err)
	}
	if _, err := ParseID("xyz"); err == nil || err.Error() != `shm: object id "xyz": want 32 hex digits, got 3` {
		t.Errorf("ParseID: %v", err)
	}
	if got, err := ParseID(id.String()); err != nil || got != id {
		t.Errorf("ParseID(%s) = %v, %v", id, got, err)
	}
}

// TestReadersSeeOnlySealed: an object being written is invisible under its
// final name, and Get waits for the seal.
func TestReadersSeeOnlySealed(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(3)
	w, err := c.Create(ctx, id, 5)
	if err != nil {
		t.Fatal(err)
	}
	copy(w.Bytes(), "hello")
	if _, err := os.Stat(filepath.Join(s.Dir(), id.String())); !os.IsNotExist(err) {
		t.Fatalf("final name exists before seal: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, _, err = c.Get(short, id)
	cancel()
	wantErr(t, err, context.DeadlineExceeded, "shm: node n1: object 00000000000000000000000000000003: waiting for seal: context deadline exceeded")

	type result struct {
		b   string
		err error
	}
	got := make(chan result)
	go func() {
		b, release, err := c.Get(ctx, id)
		if err != nil {
			got <- result{"", err}
			return
		}
		defer release()
		got <- result{string(b), nil}
	}()
	if err := w.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	if r := <-got; r.err != nil || r.b != "hello" {
		t.Fatalf("Get after seal: %q, %v", r.b, r.err)
	}
}

// TestImmutable: a sealed object's mapping is read-only; writing faults.
func TestImmutable(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(4)
	if err := c.Put(ctx, id, []byte("sealed")); err != nil {
		t.Fatal(err)
	}
	b, release, err := c.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	faulted := func() (faulted bool) {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() { faulted = recover() != nil }()
		b[0] = 'S'
		return false
	}()
	if !faulted {
		t.Fatal("writing to a sealed object's mapping did not fault")
	}
	if string(b) != "sealed" {
		t.Fatalf("object changed: %q", b)
	}
}

func TestRefCounts(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	owner := newClient(t, s)
	borrower := newClient(t, s)
	id := testID(5)
	if err := owner.Put(ctx, id, pattern(100, 1)); err != nil {
		t.Fatal(err)
	}
	if err := borrower.AddRef(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRef(id); err != nil { // a remote borrower, via the daemon
		t.Fatal(err)
	}
	_, release, err := borrower.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if info := stat(t, s, id); info.Refs != 3 || info.Pins != 1 {
		t.Errorf("refs %d pins %d, want 3 and 1", info.Refs, info.Pins)
	}
	for _, rel := range []func(context.Context, ID) error{owner.Release, borrower.Release} {
		if err := rel(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if info := stat(t, s, id); info.Refs != 1 {
		t.Errorf("refs %d, want 1", info.Refs)
	}
	release()
	if err := s.Release(id); err != nil {
		t.Fatal(err)
	}
	_, err = s.Stat(id)
	wantErr(t, err, ErrNotFound, "shm: node n1: object 00000000000000000000000000000005: shm: object not found")
	if _, err := os.Stat(filepath.Join(s.Dir(), id.String())); !os.IsNotExist(err) {
		t.Errorf("file left after the last release: %v", err)
	}
	if st := s.Stats(); st.UsedBytes != 0 || st.Objects != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestDeletePinned: Delete removes the file at once, but a reader's
// mapping stays valid and the bytes stay charged until it is released.
func TestDeletePinned(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(6)
	want := pattern(5000, 9)
	if err := c.Put(ctx, id, want); err != nil {
		t.Fatal(err)
	}
	b, release, err := c.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), id.String())); !os.IsNotExist(err) {
		t.Errorf("file left after Delete: %v", err)
	}
	if !bytes.Equal(b, want) {
		t.Error("mapping changed after Delete")
	}
	if st := s.Stats(); st.UsedBytes != 5000 || st.Pins != 1 {
		t.Errorf("while still mapped: %+v", st)
	}
	_, _, err = c.Get(ctx, id)
	wantErr(t, err, ErrNotFound, "shm: node n1: object 00000000000000000000000000000006: shm: object not found")
	err = c.Put(ctx, id, want)
	wantErr(t, err, ErrExists, "shm: node n1: object 00000000000000000000000000000006: shm: object exists")
	release()
	if st := s.Stats(); st.UsedBytes != 0 || st.Objects != 0 || st.Pins != 0 {
		t.Errorf("after release: %+v", st)
	}
}

// TestSessionClose: closing a client drops its pins and aborts what it was
// writing.
func TestSessionClose(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := s.Client()
	if err := c.Put(ctx, testID(1), pattern(10, 0)); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Get(ctx, testID(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, testID(2), 100); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Pins != 1 || st.UsedBytes != 110 || st.Objects != 2 {
		t.Fatalf("before close: %+v", st)
	}
	c.Close()
	if st := s.Stats(); st.Pins != 0 || st.UsedBytes != 10 || st.Objects != 1 {
		t.Errorf("after close: %+v", st)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), testID(2).String()+".tmp")); !os.IsNotExist(err) {
		t.Errorf("unsealed file left: %v", err)
	}
	_, _, err = c.Get(ctx, testID(1))
	wantErr(t, err, ErrClosed, "shm: node n1: object 00000000000000000000000000000001: session 1: shm: store closed")
}

func TestStoreFull(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Capacity: 3000, DisableSpill: true})
	c := newClient(t, s)
	for i := byte(1); i <= 2; i++ {
		if err := c.Put(ctx, testID(i), pattern(1000, i)); err != nil {
			t.Fatal(err)
		}
	}
	err := c.Put(ctx, testID(3), pattern(1500, 3))
	wantErr(t, err, ErrStoreFull, "shm: node n1: object 00000000000000000000000000000003: 1500 bytes do not fit, 2000 of 3000 bytes in use: shm: store full")
	_, err = c.Create(ctx, testID(4), 3001)
	wantErr(t, err, ErrStoreFull, "shm: node n1: object 00000000000000000000000000000004: 3001 bytes do not fit, 2000 of 3000 bytes in use: shm: store full")
	if st := s.Stats(); st.UsedBytes != 2000 || st.Objects != 2 {
		t.Errorf("a failed create left accounting behind: %+v", st)
	}
	// Freeing makes room.
	if err := c.Release(ctx, testID(1)); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, testID(3), pattern(1500, 3)); err != nil {
		t.Fatal(err)
	}
}

func TestSpillRestore(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Capacity: 3 << 20})
	c := newClient(t, s)
	const size = 1 << 20
	for i := byte(1); i <= 3; i++ {
		if err := c.Put(ctx, testID(i), pattern(size, i)); err != nil {
			t.Fatal(err)
		}
	}
	// Use 1, so 2 is the least recently used.
	_, release, err := c.Get(ctx, testID(1))
	if err != nil {
		t.Fatal(err)
	}
	release()
	if err := c.Put(ctx, testID(4), pattern(size, 4)); err != nil {
		t.Fatal(err)
	}
	if info := stat(t, s, testID(2)); !info.Spilled {
		t.Fatalf("object 2 not spilled: %+v", info)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), testID(2).String())); !os.IsNotExist(err) {
		t.Errorf("spilled object's shm file left: %v", err)
	}
	spillFile := filepath.Join(s.SpillDir(), testID(2).String()+".lz4")
	fi, err := os.Stat(spillFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= size/10 {
		t.Errorf("spill file of a repetitive MiB is %d bytes: not compressed", fi.Size())
	}
	if st := s.Stats(); st.SpilledObjects != 1 || st.SpilledBytes != size || st.UsedBytes != 3*size || st.Spills != 1 {
		t.Errorf("stats after spill %+v", st)
	}

	// Get restores it (spilling 3, now the least recently used).
	b, release, err := c.Get(ctx, testID(2))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, pattern(size, 2)) {
		t.Fatal("restored bytes differ")
	}
	if info := stat(t, s, testID(3)); !info.Spilled {
		t.Errorf("object 3 not spilled to restore 2: %+v", info)
	}
	if st := s.Stats(); st.Restores != 1 || st.Spills != 2 || st.UsedBytes != 3*size {
		t.Errorf("stats after restore %+v", st)
	}

	// Pinned objects are not spilled: with 2 pinned and 1 and 4 pinned
	// too, nothing can move.
	var releases []func()
	for _, i := range []byte{1, 4} {
		_, rel, err := c.Get(ctx, testID(i))
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	err = c.Put(ctx, testID(5), pattern(size, 5))
	wantErr(t, err, ErrStoreFull, "shm: node n1: object 00000000000000000000000000000005: 1048576 bytes do not fit, 3145728 of 3145728 bytes in use: shm: store full")
	release()
	for _, rel := range releases {
		rel()
	}
	if err := c.Put(ctx, testID(5), pattern(size, 5)); err != nil {
		t.Fatal(err)
	}

	// Deleting a spilled object removes its spill file.
	if err := c.Delete(ctx, testID(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.SpillDir(), testID(3).String()+".lz4")); !os.IsNotExist(err) {
		t.Errorf("spill file left after Delete: %v", err)
	}

	// Every object still reads back equal.
	for _, i := range []byte{1, 2, 4, 5} {
		b, release, err := c.Get(ctx, testID(i))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, pattern(size, i)) {
			t.Errorf("object %d differs after spilling and restoring", i)
		}
		release()
	}
}

func TestSpillLost(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{Capacity: 2000})
	c := newClient(t, s)
	if err := c.Put(ctx, testID(1), pattern(1000, 1)); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, testID(2), pattern(1500, 2)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.SpillDir(), testID(1).String()+".lz4")
	if err := os.WriteFile(path, []byte("not lz4"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Get(ctx, testID(1))
	if !errors.Is(err, ErrObjectLost) {
		t.Fatalf("got %v, want ErrObjectLost", err)
	}
	want := fmt.Sprintf("shm: node n1: object %s: restore from %s: lz4: bad magic number: shm: object lost", testID(1), path)
	if err.Error() != want {
		t.Errorf("error\n got %q\nwant %q", err, want)
	}
	if st := s.Stats(); st.UsedBytes != 0 || st.SpilledObjects != 2 {
		t.Errorf("a failed restore left accounting behind: %+v", st)
	}
}

func TestWriter(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(1)
	w, err := c.Create(ctx, id, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	copy(w.Bytes()[3:], "de") // the mapping and file writes meet
	if _, err := w.WriteAt([]byte("fghij"), 5); err != nil {
		t.Fatal(err)
	}
	_, err = w.WriteAt([]byte("xy"), 9)
	if err == nil || err.Error() != "shm: node n1: object 00000000000000000000000000000001: write of 2 bytes at 9 past its 10 bytes" {
		t.Errorf("write past the end: %v", err)
	}
	if err := w.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = w.Write([]byte("k"))
	wantErr(t, err, ErrSealed, "shm: node n1: object 00000000000000000000000000000001: write: shm: object not being created by this session")
	for _, cl := range []*Client{c, c.Populating()} {
		b, release, err := cl.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != "abcdefghij" {
			t.Errorf("object holds %q", b)
		}
		release()
	}

	// Abort drops the object and its reservation.
	w, err = c.Create(ctx, testID(2), 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Objects != 1 || st.UsedBytes != 10 {
		t.Errorf("after abort: %+v", st)
	}
}
