//go:build !linux

package shm

import "os"

// allocate sizes f; without fallocate, space is taken on first write.
func allocate(f *os.File, size int64) error { return f.Truncate(size) }
