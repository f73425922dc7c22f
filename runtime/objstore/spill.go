package objstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// spillFile is a value's copy on disk. It is immutable once made.
type spillFile struct {
	path string
	size int64 // bytes on disk
	kind kind
	typ  reflect.Type // for gob: the value's dynamic type
}

// errNotSpillable reports a value that cannot be encoded; it stays in
// memory.
var errNotSpillable = errors.New("objstore: value cannot be spilled")

// victim is a value being written out by the spiller, copied out of its
// entry so that the write needs no lock.
type victim struct {
	id   ID
	v    any
	size int64
}

// place makes room for size bytes that did not fit, for object id holding v.
// It reports whether the bytes were charged to memory, or else returns the
// file v was written straight to, or else an error wrapping ErrStoreFull.
func (s *Store) place(id ID, v any, size int64) (charged bool, f *spillFile, err error) {
	s.spillMu.Lock()
	defer s.spillMu.Unlock()
	charged, cause := s.makeRoomLocked(size)
	if charged || errors.Is(cause, ErrClosed) {
		return charged, nil, cause
	}
	if !s.opts.DisableSpill {
		f, err := s.writeSpill(id, v, size)
		if err == nil {
			return false, f, nil
		}
		if !errors.Is(err, errNotSpillable) && cause == nil {
			cause = err
		}
	}
	s.mu.Lock()
	used := s.used
	s.mu.Unlock()
	if cause != nil {
		return false, nil, fmt.Errorf("objstore: object %d: %d bytes do not fit, %d of %d bytes in use (spilling: %v): %w",
			id, size, used, s.capacity, cause, ErrStoreFull)
	}
	return false, nil, fmt.Errorf("objstore: object %d: %d bytes do not fit, %d of %d bytes in use: %w",
		id, size, used, s.capacity, ErrStoreFull)
}

// makeRoom charges size bytes to memory, spilling other values to make room
// if need be, and reports whether it could.
func (s *Store) makeRoom(size int64) (bool, error) {
	s.spillMu.Lock()
	defer s.spillMu.Unlock()
	return s.makeRoomLocked(size)
}

// makeRoomLocked is makeRoom with s.spillMu held. Victims are chosen least
// recently used first; their files are written with s.mu released, and the
// loop starts over, since others may have taken or freed memory meanwhile.
// The error is why spilling failed, if it did.
func (s *Store) makeRoomLocked(size int64) (bool, error) {
	var cause error
	s.mu.Lock()
	for {
		switch {
		case s.closed:
			s.mu.Unlock()
			return false, ErrClosed
		case s.fits(size):
			s.used += size
			s.mu.Unlock()
			return true, nil
		case s.opts.DisableSpill || size > s.capacity || cause != nil:
			s.mu.Unlock()
			return false, cause
		}
		victims, dropped, evicted := s.pickVictims(s.used + size - s.capacity)
		if len(victims) == 0 && evicted == 0 {
			s.mu.Unlock()
			return false, nil
		}
		s.mu.Unlock()
		releaseAll(dropped)

		files := make([]*spillFile, len(victims))
		errs := make([]error, len(victims))
		for i, vc := range victims {
			files[i], errs[i] = s.writeSpill(vc.id, vc.v, vc.size)
			if errs[i] != nil && !errors.Is(errs[i], errNotSpillable) {
				for j := i + 1; j < len(victims); j++ {
					errs[j] = errs[i] // a disk error: stop here
				}
				break
			}
		}

		s.mu.Lock()
		dropped = dropped[:0]
		var orphans []*spillFile
		for i, vc := range victims {
			e := s.objects[vc.id]
			if e == nil { // freed while being written
				orphans = append(orphans, files[i])
				continue
			}
			e.flags &^= spilling
			switch err := errs[i]; {
			case errors.Is(err, errNotSpillable):
				e.flags |= unspillable
				s.lruRemove(e)
			case err != nil:
				cause = err
			default:
				s.files++
				s.fileBytes += files[i].size
				s.spillWrites++
				e.file = files[i]
				if v := s.evict(e); v != nil {
					dropped = append(dropped, v)
				}
			}
		}
		s.mu.Unlock()
		for _, vc := range victims {
			releaseValue(vc.v) // the spiller's own reference
		}
		releaseAll(dropped)
		for _, f := range orphans {
			removeFile(f)
		}
		s.mu.Lock()
	}
}

// pickVictims chooses spill candidates, least recently used first, until
// need bytes are covered. Those with a file on disk already are dropped from
// memory at once and counted in evicted (the values to Release are
// returned); the others are marked spilling and returned for writing, each
// with a reference of the spiller's own. s.mu is held.
func (s *Store) pickVictims(need int64) (victims []victim, dropped []any, evicted int) {
	for e := s.lru.prev; e != &s.lru && need > 0; {
		prev := e.prev
		switch {
		case e.flags&spilling != 0:
		case e.file != nil:
			need -= e.size
			evicted++
			if v := s.evict(e); v != nil {
				dropped = append(dropped, v)
			}
		default:
			need -= e.size
			e.flags |= spilling
			if e.flags&refCounted != 0 {
				e.value.(rc).Retain()
			}
			victims = append(victims, victim{e.id, e.value, e.size})
		}
		e = prev
	}
	return victims, dropped, evicted
}

// evict drops e's in-memory copy, whose file is on disk, and returns the
// value if the store's reference to it must be Released. s.mu is held.
func (s *Store) evict(e *entry) any {
	var v any
	if e.flags&refCounted != 0 {
		v = e.value
	}
	s.lruRemove(e)
	e.value = nil
	e.flags &^= inMemory | refCounted
	s.used -= e.size
	s.spilledObjects++
	s.spilledBytes += e.size
	s.spills++
	return v
}

// writeSpill encodes v, compresses it and writes it to <dir>/<id>.spill by
// way of a temporary file, so the final name never holds a partial file. It
// returns errNotSpillable (wrapped) if v cannot be encoded. s.spillMu is
// held; s.mu is not.
func (s *Store) writeSpill(id ID, v any, size int64) (*spillFile, error) {
	k, typ := kindOf(v)
	if k == kindNone {
		return nil, errNotSpillable
	}
	dir, err := s.ensureDir()
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, fmt.Sprintf("%d.spill.tmp-*", id))
	if err != nil {
		return nil, fmt.Errorf("objstore: object %d: %w", id, err)
	}
	fail := func(err error) (*spillFile, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	cw := &countWriter{w: tmp}
	zw, err := newCompressor(s.opts.Compression, cw, size)
	if err != nil {
		return fail(fmt.Errorf("objstore: object %d: %w", id, err))
	}
	encErr := encode(zw, k, v)
	closeErr := zw.Close()
	switch {
	case cw.err != nil:
		return fail(fmt.Errorf("objstore: object %d: write %s: %w", id, tmp.Name(), cw.err))
	case encErr != nil:
		return fail(fmt.Errorf("objstore: object %d: %w: %v", id, errNotSpillable, encErr))
	case closeErr != nil:
		return fail(fmt.Errorf("objstore: object %d: write %s: %w", id, tmp.Name(), closeErr))
	}
	if err := tmp.Close(); err != nil {
		return fail(fmt.Errorf("objstore: object %d: write %s: %w", id, tmp.Name(), err))
	}
	path := filepath.Join(dir, fmt.Sprintf("%d.spill", id))
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(fmt.Errorf("objstore: object %d: %w", id, err))
	}
	return &spillFile{path: path, size: cw.n, kind: k, typ: typ}, nil
}

// readSpill reads object id back from f, decoding Arrow buffers with alloc.
// Any failure is reported wrapping ErrObjectLost.
func (s *Store) readSpill(id ID, f *spillFile, alloc memory.Allocator) (any, error) {
	lost := func(err error) error {
		return fmt.Errorf("objstore: object %d: spill file %s: %w: %w", id, f.path, ErrObjectLost, err)
	}
	file, err := os.Open(f.path)
	if err != nil {
		return nil, lost(err)
	}
	defer file.Close()
	zr, err := newDecompressor(s.opts.Compression, file)
	if err != nil {
		return nil, lost(err)
	}
	defer zr.Close()
	v, err := decode(zr, f, alloc)
	if err != nil {
		return nil, lost(err)
	}
	return v, nil
}

// ensureDir returns the spill directory, making it on first use. s.spillMu
// is held; s.mu is not.
func (s *Store) ensureDir() (string, error) {
	s.mu.Lock()
	dir := s.dir
	s.mu.Unlock()
	if dir != "" {
		return dir, nil
	}
	own := s.opts.SpillDir == ""
	var err error
	if own {
		dir, err = os.MkdirTemp("", "shoal-spill-*")
	} else {
		dir, err = s.opts.SpillDir, os.MkdirAll(s.opts.SpillDir, 0o755)
	}
	if err != nil {
		return "", fmt.Errorf("objstore: spill directory: %w", err)
	}
	s.mu.Lock()
	s.dir, s.ownDir = dir, own
	s.mu.Unlock()
	return dir, nil
}

func removeFile(f *spillFile) {
	if f != nil {
		os.Remove(f.path)
	}
}

func releaseAll(vs []any) {
	for _, v := range vs {
		releaseValue(v)
	}
}
