package shm

import (
	"os"
	"syscall"
)

// allocate reserves size bytes for f, so that writing through a mapping of
// it cannot run out of space.
func allocate(f *os.File, size int64) error {
	for {
		err := syscall.Fallocate(int(f.Fd()), 0, 0, size)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EOPNOTSUPP {
			return f.Truncate(size)
		}
		if err != nil {
			return &os.PathError{Op: "fallocate", Path: f.Name(), Err: err}
		}
		return nil
	}
}
