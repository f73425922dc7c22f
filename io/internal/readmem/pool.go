package readmem

import (
	"math/bits"
	"sync"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// minPooled is the smallest buffer a Pool recycles: below it the Go heap's
// own size classes already reuse memory that is resident.
const minPooled = 64 << 10

// Pool is a memory.Allocator for one worker of a read: buffers of 64 KiB
// and more come in power-of-two capacities, and freed ones are reused by
// later allocations of their class, so a decoder's per-page and per-batch
// scratch lands in memory that is already faulted in instead of fresh
// pages. Buffers are zeroed like the Go allocator's.
//
// A freed buffer becomes reusable only at Recycle, which the worker calls
// between units of work (a Parquet row group). Arrow's decoders free some
// buffers while still reading them — the Go allocator's Free is a no-op,
// so nothing there notices: arrow v15's serializedPageReader releases a
// dictionary page's buffer when Next returns, while the dictionary
// decoder keeps slices of it for the whole column chunk. Reusing at once
// corrupted the dictionaries; deferring reuse to the end of the row group
// is safe because nothing outlives it.
//
// Close ends the recycling: buffers freed after it (the caller's records,
// later) go back to the Go heap. Only a *memory.GoAllocator is pooled (its
// Free is a no-op, so a buffer may change hands without accounting);
// NewPool returns any other allocator unchanged.
type Pool struct {
	inner   memory.Allocator
	mu      sync.Mutex
	closed  bool
	free    [64][][]byte // reusable, by log2(capacity)
	pending [][]byte     // freed since the last Recycle
}

// NewPool wraps mem; nil means memory.DefaultAllocator.
func NewPool(mem memory.Allocator) memory.Allocator {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if _, ok := mem.(*memory.GoAllocator); !ok {
		return mem
	}
	return &Pool{inner: mem}
}

// Recycle makes the buffers freed so far reusable. The caller promises
// that nothing reads them any more. p may be any allocator NewPool
// returned.
func Recycle(p memory.Allocator) {
	if p, ok := p.(*Pool); ok {
		p.mu.Lock()
		if !p.closed {
			for _, b := range p.pending {
				c := class(cap(b))
				p.free[c] = append(p.free[c], b)
			}
		}
		clear(p.pending)
		p.pending = p.pending[:0]
		p.mu.Unlock()
	}
}

// Close stops recycling and drops the kept buffers. p may be any
// allocator NewPool returned.
func Close(p memory.Allocator) {
	if p, ok := p.(*Pool); ok {
		p.mu.Lock()
		p.closed = true
		p.free = [64][][]byte{}
		p.pending = nil
		p.mu.Unlock()
	}
}

func class(size int) int { return bits.Len(uint(size - 1)) }

// Allocate returns size zeroed bytes, 64-byte aligned.
func (p *Pool) Allocate(size int) []byte {
	if size < minPooled {
		return p.inner.Allocate(size)
	}
	c := class(size)
	p.mu.Lock()
	if n := len(p.free[c]); n > 0 {
		b := p.free[c][n-1]
		p.free[c][n-1] = nil
		p.free[c] = p.free[c][:n-1]
		p.mu.Unlock()
		clear(b[:size])
		return b[:size]
	}
	p.mu.Unlock()
	b := p.inner.Allocate(1 << c)
	AdviseHugePages(b)
	return b[:size]
}

// Reallocate grows or shrinks b to size, keeping its contents; bytes past
// the old length are zero.
func (p *Pool) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		old := len(b)
		b = b[:size]
		if size > old {
			clear(b[old:])
		}
		return b
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

// Free keeps b for reuse after the next Recycle, while the pool is open.
func (p *Pool) Free(b []byte) {
	c := cap(b)
	if c < minPooled || c&(c-1) != 0 {
		return // not a pooled capacity: the Go heap collects it
	}
	p.mu.Lock()
	if !p.closed {
		p.pending = append(p.pending, b[:0])
	}
	p.mu.Unlock()
}

var _ memory.Allocator = (*Pool)(nil)
