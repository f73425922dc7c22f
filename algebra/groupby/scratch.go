package groupby

import "sync"

// Scratch memory. Per-row buffers (codes, group ids, composite keys, hash
// slots) are the bulk of a call's allocation and die with it; fresh pages
// cost far more than the loops that fill them, so they are recycled
// through pools across calls. Results, which the caller owns, never come
// from here.

type slicePool[T any] struct{ p sync.Pool }

// get returns a slice of length n with arbitrary contents.
func (sp *slicePool[T]) get(n int) []T {
	if v, ok := sp.p.Get().(*[]T); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]T, n)
}

// getZeroed returns a zeroed slice of length n.
func (sp *slicePool[T]) getZeroed(n int) []T {
	s := sp.get(n)
	clear(s)
	return s
}

// put recycles s, which its user must not touch again.
func (sp *slicePool[T]) put(s []T) {
	if cap(s) >= 1024 {
		sp.p.Put(&s)
	}
}

var (
	int32Pool   slicePool[int32]
	uint64Pool  slicePool[uint64]
	float64Pool slicePool[float64]
	slotPool    slicePool[u64Slot]
	pairPool    slicePool[sortPair]
)
