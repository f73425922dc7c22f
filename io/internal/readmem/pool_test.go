package readmem

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

func TestPoolReusesOnlyAfterRecycle(t *testing.T) {
	p := NewPool(nil)
	defer Close(p)
	a := p.Allocate(100 << 10)
	if len(a) != 100<<10 || cap(a) != 128<<10 || addr(a)%64 != 0 {
		t.Fatalf("len %d cap %d addr %% 64 = %d; want 102400, 131072, 0", len(a), cap(a), addr(a)%64)
	}
	for i := range a {
		a[i] = 0xFF
	}
	p.Free(a)
	b := p.Allocate(90 << 10)
	if addr(b) == addr(a) {
		t.Fatal("a freed buffer was reused before Recycle")
	}
	Recycle(p)
	c := p.Allocate(70 << 10)
	if addr(c) != addr(a) {
		t.Fatal("a recycled buffer of the same class was not reused")
	}
	if !bytes.Equal(c, make([]byte, len(c))) {
		t.Fatal("a reused buffer is not zeroed")
	}
}

func TestPoolReallocate(t *testing.T) {
	p := NewPool(memory.NewGoAllocator())
	defer Close(p)
	a := p.Allocate(64 << 10)
	for i := range a {
		a[i] = byte(i)
	}
	// Shrink, then grow within the capacity: the regrown tail is zero.
	a = p.Reallocate(1000, a)
	a = p.Reallocate(2000, a)
	for i := 1000; i < 2000; i++ {
		if a[i] != 0 {
			t.Fatalf("byte %d = %d after regrowing, want 0", i, a[i])
		}
	}
	// Grow past the capacity: contents kept, old buffer pending.
	b := p.Reallocate(200<<10, a)
	if cap(b) != 256<<10 || b[999] != byte(999%256) || b[1500] != 0 {
		t.Fatalf("cap %d, b[999]=%d b[1500]=%d", cap(b), b[999], b[1500])
	}
	Recycle(p)
	if c := p.Allocate(64 << 10); addr(c) != addr(a) {
		t.Fatal("the buffer Reallocate replaced was not recycled")
	}
}

func TestPoolSmallAndClosed(t *testing.T) {
	p := NewPool(nil)
	small := p.Allocate(1000)
	p.Free(small)
	big := p.Allocate(1 << 20)
	Close(p)
	p.Free(big)
	Recycle(p)
	if c := p.Allocate(1 << 20); addr(c) == addr(big) {
		t.Fatal("a buffer freed after Close was reused")
	}
	if n := len(p.(*Pool).free[class(1000)]); n != 0 {
		t.Fatalf("a small buffer was pooled (%d)", n)
	}
}

func TestNewPoolKeepsOtherAllocators(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	if p := NewPool(mem); p != memory.Allocator(mem) {
		t.Fatal("a checked allocator was wrapped: its accounting would break")
	}
	Recycle(mem) // no-ops on a plain allocator
	Close(mem)
}
