package order

import (
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
)

// Typed views of Arrow buffers. Arrow buffers are 64-byte aligned, so a
// buffer can be viewed as a slice of any fixed-width element type.

// bufferBytes returns buffer i of d whole (no offset applied), or nil.
func bufferBytes(d arrow.ArrayData, i int) []byte {
	bufs := d.Buffers()
	if i >= len(bufs) || bufs[i] == nil {
		return nil
	}
	return bufs[i].Bytes()
}

// values returns elements [off, off+n) of buffer i of d as a []T.
func values[T any](d arrow.ArrayData, i, off, n int) []T {
	b := bufferBytes(d, i)
	if n == 0 || len(b) == 0 {
		return nil
	}
	var z T
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(z)))
	return all[off : off+n]
}

// validBits returns d's validity bitmap, or nil if d has no nulls. A
// slice's null count may be unknown (-1): then the bitmap is returned.
func validBits(d arrow.ArrayData) []byte {
	if d.NullN() == 0 {
		return nil
	}
	return bufferBytes(d, 0)
}

func bitSet(b []byte, i int) bool { return b[uint(i)>>3]>>(uint(i)&7)&1 != 0 }

// bytesString views b as a string without copying; the string must not
// outlive the Arrow buffer b points into.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
