//go:build !linux

package readmem

// AdviseHugePages does nothing where transparent huge pages do not exist.
func AdviseHugePages([]byte) {}
