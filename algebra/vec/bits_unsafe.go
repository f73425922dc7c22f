package vec

import "unsafe"

// boolBytes views bools as bytes (Go stores a bool as one byte, 0 or 1).
func boolBytes(b []bool) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), len(b))
}
