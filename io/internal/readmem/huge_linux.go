//go:build linux

package readmem

import (
	"syscall"
	"unsafe"
)

// AdviseHugePages asks for transparent huge pages on the 2 MiB-aligned
// interior of a large buffer before it is first written: one fault per
// 2 MiB instead of per 4 KiB (THP is often in "madvise" mode). Advice
// only: errors are ignored.
func AdviseHugePages(b []byte) {
	const huge = 2 << 20
	if cap(b) < 2*huge {
		return
	}
	b = b[:cap(b)]
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	a := (p + huge - 1) &^ (huge - 1)
	e := (p + uintptr(len(b))) &^ (huge - 1)
	if e > a {
		_ = syscall.Madvise(b[a-p:e-p], 14) // MADV_HUGEPAGE
	}
}
