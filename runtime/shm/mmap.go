package shm

import (
	"fmt"
	"os"
	"syscall"
)

// createFile creates path, a file of size bytes. With preallocate the
// bytes are allocated up front, so that a full /dev/shm fails here with
// ENOSPC rather than later with SIGBUS in whoever writes through a
// mapping; files filled by write calls only need not, as a write reports
// ENOSPC itself.
func createFile(path string, size int64, preallocate bool) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	switch {
	case size > 0 && preallocate:
		err = allocate(f, size)
	case size > 0:
		err = f.Truncate(size)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// mapFile maps size bytes of path, read-only or writable. A size of 0 maps
// nothing (mmap refuses empty mappings) and returns an empty slice.
// populate maps every page up front, which costs far less than a fault per
// page for a caller that reads the whole object; readers that may touch a
// few columns only leave it off.
func mapFile(path string, size int64, writable, populate bool) ([]byte, error) {
	if size == 0 {
		return []byte{}, nil
	}
	flag, prot := os.O_RDONLY, syscall.PROT_READ
	if writable {
		flag, prot = os.O_RDWR, syscall.PROT_READ|syscall.PROT_WRITE
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() != size {
		return nil, fmt.Errorf("%s: %d bytes, want %d", path, fi.Size(), size)
	}
	if int64(int(size)) != size {
		return nil, fmt.Errorf("%s: %d bytes do not fit in the address space", path, size)
	}
	flags := syscall.MAP_SHARED
	if populate {
		flags |= syscall.MAP_POPULATE
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), prot, flags)
	if err != nil {
		return nil, fmt.Errorf("mmap %s: %w", path, err)
	}
	return b, nil
}

// unmap undoes mapFile.
func unmap(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return syscall.Munmap(b)
}
