package shm

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/pierrec/lz4/v4"
)

// makeRoom charges size bytes for object id to the store, first spilling
// least recently used unpinned objects to disk if they do not fit. It
// returns an error wrapping ErrStoreFull if room cannot be made.
func (s *Store) makeRoom(id ID, size int64) error {
	s.spillMu.Lock()
	defer s.spillMu.Unlock()
	capacity := max(s.opts.Capacity, 0)
	var cause error
	s.mu.Lock()
	for {
		if s.closed {
			s.mu.Unlock()
			return s.closedErr(id)
		}
		if capacity == 0 || s.used+size <= capacity {
			s.used += size
			s.mu.Unlock()
			return nil
		}
		var victims []*object
		if !s.opts.DisableSpill && size <= capacity && cause == nil {
			victims = s.pickVictimsLocked(s.used + size - capacity)
		}
		if len(victims) == 0 {
			used := s.used
			s.mu.Unlock()
			if cause != nil {
				return s.errf(id, "%d bytes do not fit, %d of %d bytes in use (spilling: %v): %w",
					size, used, capacity, cause, ErrStoreFull)
			}
			return s.errf(id, "%d bytes do not fit, %d of %d bytes in use: %w", size, used, capacity, ErrStoreFull)
		}
		for _, v := range victims {
			v.spilling = true
		}
		s.mu.Unlock()

		// Write the spill files with the lock released: pins of other
		// objects, and of the victims (which then stay), go on meanwhile.
		files := make([]string, len(victims))
		for i, v := range victims {
			if v.spill != "" {
				files[i] = v.spill // spilled before and restored: the file is still good
				continue
			}
			if files[i], cause = s.writeSpill(v); cause != nil {
				break
			}
		}

		s.mu.Lock()
		for i, v := range victims {
			v.spilling = false
			switch {
			case files[i] == "":
			case v.state == deleted || s.closed:
				os.Remove(files[i])
			case v.pins > 0 || !v.inMem:
				v.spill = files[i] // pinned meanwhile: it stays, its spill file too
			default:
				v.spill = files[i]
				os.Remove(s.path(v.id))
				v.inMem = false
				s.used -= v.size
				s.spills++
			}
		}
	}
}

// pickVictimsLocked returns the least recently used sealed, unpinned
// objects in memory whose sizes add up to need bytes, or all there are if
// they do not. s.mu is held.
func (s *Store) pickVictimsLocked(need int64) []*object {
	var cands []*object
	for _, o := range s.objects {
		if o.state == sealed && o.inMem && o.pins == 0 && !o.spilling && o.size > 0 {
			cands = append(cands, o)
		}
	}
	slices.SortFunc(cands, func(a, b *object) int {
		switch {
		case a.lastUse < b.lastUse:
			return -1
		case a.lastUse > b.lastUse:
			return 1
		}
		return 0
	})
	var got int64
	for i, o := range cands {
		if got += o.size; got >= need {
			return cands[:i+1]
		}
	}
	return cands
}

// writeSpill writes o's bytes, LZ4-compressed, to a file in the spill
// directory and returns its path. o is sealed and its file stays in place
// until the caller removes it.
func (s *Store) writeSpill(o *object) (string, error) {
	// Read with read calls, not a mapping: on tmpfs they copy at memory
	// speed, where a mapping takes a fault per 4 KiB page.
	in, err := os.Open(s.path(o.id))
	if err != nil {
		return "", s.errf(o.id, "spill: %w", err)
	}
	defer in.Close()
	path := filepath.Join(s.spillDir, o.id.String()+".lz4")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", s.errf(o.id, "spill: %w", err)
	}
	zw := lz4.NewWriter(f)
	err = zw.Apply(lz4.BlockSizeOption(lz4BlockSize(o.size)))
	if err == nil {
		var n int64
		n, err = io.CopyBuffer(zw, struct{ io.Reader }{in}, make([]byte, min(o.size, 1<<20)+1))
		if err == nil && n != o.size {
			err = fmt.Errorf("read %d bytes of %d", n, o.size)
		}
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", s.errf(o.id, "spill to %s: %w", path, err)
	}
	return path, nil
}

// restore brings spilled object o back into shared memory: it makes room,
// decompresses the spill file into a temporary file and renames it into
// place. The caller has set o.restoring, so no one else restores or spills
// o meanwhile.
func (s *Store) restore(o *object) error {
	if err := s.makeRoom(o.id, o.size); err != nil {
		return err
	}
	tmp, err := s.readSpill(o)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && !s.closed && o.state != deleted {
		// Renamed under the lock: o cannot be deleted, and its ID taken by
		// a new object, in between.
		if err = os.Rename(tmp, s.path(o.id)); err != nil {
			err = s.errf(o.id, "restore: %w", err)
		}
	}
	switch {
	case s.closed:
		return s.closedErr(o.id)
	case err != nil || o.state == deleted:
		s.used -= o.size
		os.Remove(tmp)
		if err != nil {
			return err
		}
		return s.notFound(o.id)
	}
	o.inMem = true
	s.restores++
	return nil
}

// readSpill decompresses o's spill file into a new temporary file in the
// store's directory and returns its path.
func (s *Store) readSpill(o *object) (string, error) {
	tmp := filepath.Join(s.dir, o.id.String()+".restore")
	if err := createFile(tmp, o.size, false); err != nil {
		return "", s.errf(o.id, "restore: %w", err)
	}
	if err := decompressInto(tmp, o.spill, o.size); err != nil {
		os.Remove(tmp)
		return "", s.errf(o.id, "restore from %s: %v: %w", o.spill, err, ErrObjectLost)
	}
	return tmp, nil
}

func decompressInto(dst, src string, size int64) error {
	out, err := os.OpenFile(dst, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer out.Close()
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	zr := lz4.NewReader(in)
	n, err := io.CopyN(out, zr, size)
	if err == io.EOF {
		return fmt.Errorf("%d bytes, want %d", n, size)
	}
	if err != nil {
		return err
	}
	var one [1]byte
	if n, err := zr.Read(one[:]); n != 0 || !errors.Is(err, io.EOF) {
		return fmt.Errorf("longer than %d bytes", size)
	}
	return out.Close()
}

// lz4BlockSize fits the frame's block size to the object: writer and reader
// each allocate a whole block.
func lz4BlockSize(size int64) lz4.BlockSize {
	switch {
	case size <= 64<<10:
		return lz4.Block64Kb
	case size <= 256<<10:
		return lz4.Block256Kb
	case size <= 1<<20:
		return lz4.Block1Mb
	}
	return lz4.Block4Mb
}
