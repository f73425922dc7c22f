//go:build linux || darwin || freebsd

package csv

import (
	"os"
	"syscall"
	"unsafe"
)

// mapFile maps a regular file read-only. Parsing the page cache in place
// saves the copy a read makes and the page faults of a fresh buffer to copy
// into: pprof on the 2-core VM put those at 15% of a 0.5 GB read. A file
// truncated while mapped faults on access; workers turn that fault into an
// error (see parallel).
func mapFile(f *os.File, size int64) ([]byte, func(), bool) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { _ = syscall.Munmap(data) }, true
}

// releaseMapped drops the pages of b, a parsed part of a mapping, from this
// process (the page cache keeps them), so a read's resident set holds its
// output and not the whole file. Only whole pages inside b are dropped.
func releaseMapped(b []byte) {
	page := uintptr(os.Getpagesize())
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	a := (p + page - 1) &^ (page - 1)
	e := (p + uintptr(len(b))) &^ (page - 1)
	if e > a {
		_ = syscall.Madvise(b[a-p:e-p], syscall.MADV_DONTNEED)
	}
}
