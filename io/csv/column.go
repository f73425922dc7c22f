package csv

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/io/internal/readmem"
)

// vec is a growable typed slice over an allocator buffer, so parsed values
// land in the buffer the returned array owns, with no copy.
type vec[T any] struct {
	buf *memory.Buffer
	s   []T
}

func (v *vec[T]) grow(mem memory.Allocator, need int) {
	if need <= cap(v.s) {
		return
	}
	newCap := max(need, 2*cap(v.s), 64)
	var zero T
	sz := int(unsafe.Sizeof(zero))
	if v.buf == nil {
		v.buf = memory.NewResizableBuffer(mem)
	}
	v.buf.Reserve(newCap * sz)
	b := v.buf.Buf()
	readmem.AdviseHugePages(b)
	v.s = unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/sz)[:len(v.s)]
}

func (v *vec[T]) push(mem memory.Allocator, x T) {
	if len(v.s) == cap(v.s) {
		v.grow(mem, len(v.s)+1)
	}
	v.s = append(v.s, x)
}

// take hands the buffer (length set) to the caller, who must Release it.
func (v *vec[T]) take(mem memory.Allocator) *memory.Buffer {
	if v.buf == nil {
		v.grow(mem, 1)
	}
	var zero T
	v.buf.ResizeNoShrink(len(v.s) * int(unsafe.Sizeof(zero)))
	b := v.buf
	v.buf, v.s = nil, nil
	return b
}

func (v *vec[T]) release() {
	if v.buf != nil {
		v.buf.Release()
	}
	v.buf, v.s = nil, nil
}

// colBuilder accumulates one output column of one range.
type colBuilder struct {
	kind       kind
	src        int  // field index in the record
	promotable bool // inferred: a misfit promotes the column instead of failing
	mem        memory.Allocator
	n, nulls   int
	valid      vec[byte] // nil until the first null
	i64        vec[int64]
	i32        vec[int32] // int32, date32 and dictionary codes
	f64        vec[float64]
	f32        vec[float32]
	bits       vec[byte] // bool values
	offs       vec[int32]
	data       vec[byte]
	dict       *localDict
	dictHint   int
	hashes     []uint64 // per record of a batch
	touch      uint32   // keeps the prefetching loads alive
	failed     bool     // a value did not fit; need is the promoted kind
	need       kind
}

func (c *colBuilder) init(est int) {
	switch c.kind {
	case kInt64, kTimestamp, kTimestampTZ:
		c.i64.grow(c.mem, est)
	case kInt32, kDate32:
		c.i32.grow(c.mem, est)
	case kDict:
		c.i32.grow(c.mem, est)
		c.dict = newLocalDict(c.dictHint)
	case kFloat64:
		c.f64.grow(c.mem, est)
	case kFloat32:
		c.f32.grow(c.mem, est)
	case kBool:
		c.bits.grow(c.mem, est/8+1)
	case kString:
		c.offs.grow(c.mem, est+1)
		c.offs.s = append(c.offs.s, 0)
		c.data.grow(c.mem, est*8)
	}
}

func (c *colBuilder) release() {
	c.valid.release()
	c.i64.release()
	c.i32.release()
	c.f64.release()
	c.f32.release()
	c.bits.release()
	c.offs.release()
	c.data.release()
	c.dict = nil
}

func pushBit(mem memory.Allocator, v *vec[byte], i int, on bool) {
	if i&7 == 0 {
		v.push(mem, 0)
	}
	if on {
		v.s[i>>3] |= 1 << (i & 7)
	}
}

func (c *colBuilder) appendNull() {
	if c.valid.buf == nil {
		nb := (c.n + 7) / 8
		c.valid.grow(c.mem, max(nb+1, cap(c.i64.s)/8, cap(c.i32.s)/8, cap(c.f64.s)/8))
		c.valid.s = c.valid.s[:nb]
		for i := range c.valid.s {
			c.valid.s[i] = 0xFF
		}
		if c.n&7 != 0 {
			c.valid.s[nb-1] = byte(1<<(c.n&7)) - 1
		}
	}
	pushBit(c.mem, &c.valid, c.n, false)
	switch c.kind {
	case kInt64, kTimestamp, kTimestampTZ:
		c.i64.push(c.mem, 0)
	case kInt32, kDate32, kDict:
		c.i32.push(c.mem, 0)
	case kFloat64:
		c.f64.push(c.mem, 0)
	case kFloat32:
		c.f32.push(c.mem, 0)
	case kBool:
		pushBit(c.mem, &c.bits, c.n, false)
	case kString:
		c.offs.push(c.mem, int32(len(c.data.s)))
	}
	c.nulls++
	c.n++
}

// value appends b, reporting false when b does not fit the column's kind.
func (c *colBuilder) value(b []byte) bool {
	switch c.kind {
	case kInt64:
		v, ok := parseInt(b)
		if !ok {
			return false
		}
		c.i64.push(c.mem, v)
	case kFloat64:
		v, ok := parseFloat(b)
		if !ok {
			return false
		}
		c.f64.push(c.mem, v)
	case kDict:
		c.i32.push(c.mem, c.dict.code(b))
	case kString:
		if len(c.data.s)+len(b) > cap(c.data.s) {
			c.data.grow(c.mem, len(c.data.s)+len(b))
		}
		c.data.s = append(c.data.s, b...)
		c.offs.push(c.mem, int32(len(c.data.s)))
	case kBool:
		v, ok := parseBool(b)
		if !ok {
			return false
		}
		pushBit(c.mem, &c.bits, c.n, v)
	case kInt32:
		v, ok := parseInt(b)
		if !ok || v != int64(int32(v)) {
			return false
		}
		c.i32.push(c.mem, int32(v))
	case kFloat32:
		v, ok := parseFloat32(b)
		if !ok {
			return false
		}
		c.f32.push(c.mem, v)
	case kDate32:
		v, ok := parseDate(b)
		if !ok || len(b) != 10 {
			return false
		}
		c.i32.push(c.mem, int32(v))
	case kTimestamp, kTimestampTZ:
		v, zoned, _, ok := parseTimestamp(b)
		if !ok || (zoned && c.kind == kTimestamp && c.promotable) {
			return false
		}
		c.i64.push(c.mem, v)
	}
	if c.valid.buf != nil {
		pushBit(c.mem, &c.valid, c.n, true)
	}
	c.n++
	return true
}

func fieldBytes(buf, scratch []byte, f field) []byte {
	if f.q == 2 {
		return scratch[f.s:f.e]
	}
	return buf[f.s:f.e]
}

// parseBatch appends the values of m records whose fields are in fields, nf
// per record. It returns the first record whose value does not fit a column
// that cannot be promoted, or m. A misfit in a promotable column marks it
// failed (the read is redone with c.need) and the rest is only classified.
func (c *colBuilder) parseBatch(buf, scratch []byte, fields []field, nf, m int, na *naSet) int {
	if c.failed {
		return c.classifyRows(buf, scratch, fields, nf, 0, m, na)
	}
	src := c.src
	switch c.kind {
	case kDict:
		c.i32.grow(c.mem, len(c.i32.s)+m)
		d := c.dict
		// Hash the batch and touch each home slot first: the loads are
		// independent, so their cache misses overlap instead of queueing.
		hs := c.hashes[:0]
		var touch uint32
		for r := 0; r < m; r++ {
			h := hashBytes(fieldBytes(buf, scratch, fields[r*nf+src]))
			hs = append(hs, h)
			touch += d.slots[h&d.mask].code
		}
		c.hashes = hs
		c.touch += touch
		for r := 0; r < m; r++ {
			f := fields[r*nf+src]
			b := fieldBytes(buf, scratch, f)
			if f.q == 0 && na.match(b) {
				c.appendNull()
				continue
			}
			c.i32.s = append(c.i32.s, d.lookup(b, hs[r]))
			if c.valid.buf != nil {
				pushBit(c.mem, &c.valid, c.n, true)
			}
			c.n++
		}
		return m
	case kInt64:
		c.i64.grow(c.mem, len(c.i64.s)+m)
		for r := 0; r < m; r++ {
			f := fields[r*nf+src]
			b := fieldBytes(buf, scratch, f)
			if f.q == 0 && na.match(b) {
				c.appendNull()
				continue
			}
			v, ok := parseInt(b)
			if !ok {
				if c.fail(b) {
					return r
				}
				return c.classifyRows(buf, scratch, fields, nf, r+1, m, na)
			}
			c.i64.s = append(c.i64.s, v)
			if c.valid.buf != nil {
				pushBit(c.mem, &c.valid, c.n, true)
			}
			c.n++
		}
		return m
	case kFloat64:
		c.f64.grow(c.mem, len(c.f64.s)+m)
		for r := 0; r < m; r++ {
			f := fields[r*nf+src]
			b := fieldBytes(buf, scratch, f)
			if f.q == 0 && na.match(b) {
				c.appendNull()
				continue
			}
			v, ok := parseFloat(b)
			if !ok {
				if c.fail(b) {
					return r
				}
				return c.classifyRows(buf, scratch, fields, nf, r+1, m, na)
			}
			c.f64.s = append(c.f64.s, v)
			if c.valid.buf != nil {
				pushBit(c.mem, &c.valid, c.n, true)
			}
			c.n++
		}
		return m
	}
	for r := 0; r < m; r++ {
		f := fields[r*nf+src]
		b := fieldBytes(buf, scratch, f)
		if f.q == 0 && na.match(b) {
			c.appendNull()
			continue
		}
		if !c.value(b) {
			if c.fail(b) {
				return r
			}
			return c.classifyRows(buf, scratch, fields, nf, r+1, m, na)
		}
	}
	return m
}

// fail records a misfit b; it reports true when b is an error (the column
// cannot be promoted to hold it).
func (c *colBuilder) fail(b []byte) bool {
	k := c.classifyFor(b)
	if !c.promotable || (c.kind >= kDate32 && k == kString) {
		return true
	}
	c.need = joinKind(joinKind(c.kind, c.need), k)
	c.failed = true
	return false
}

func (c *colBuilder) classifyRows(buf, scratch []byte, fields []field, nf, from, m int, na *naSet) int {
	for r := from; r < m; r++ {
		f := fields[r*nf+c.src]
		b := fieldBytes(buf, scratch, f)
		if f.q == 0 && na.match(b) {
			continue
		}
		if c.fail(b) {
			return r
		}
	}
	return m
}

// truncate keeps the first n values (after an error, for NRows).
func (c *colBuilder) truncate(n int) {
	if n >= c.n || c.failed {
		return
	}
	switch c.kind {
	case kInt64, kTimestamp, kTimestampTZ:
		c.i64.s = c.i64.s[:n]
	case kInt32, kDate32, kDict:
		c.i32.s = c.i32.s[:n]
	case kFloat64:
		c.f64.s = c.f64.s[:n]
	case kFloat32:
		c.f32.s = c.f32.s[:n]
	case kBool:
		c.bits.s = c.bits.s[:(n+7)/8]
	case kString:
		c.offs.s = c.offs.s[:n+1]
		c.data.s = c.data.s[:c.offs.s[n]]
	}
	if c.valid.buf != nil {
		c.valid.s = c.valid.s[:(n+7)/8]
		c.nulls = 0
		for i := 0; i < n; i++ {
			if c.valid.s[i>>3]&(1<<(i&7)) == 0 {
				c.nulls++
			}
		}
	}
	c.n = n
}

// classifyFor is the kind a misfit value needs in column c.
func (c *colBuilder) classifyFor(b []byte) kind {
	if c.kind >= kDate32 {
		return classifyDate(b)
	}
	return classify(b)
}

// finish builds the column's array (not for dictionaries) and empties c.
func (c *colBuilder) finish(dt arrow.DataType) arrow.Array {
	var validBuf *memory.Buffer
	if c.nulls > 0 {
		validBuf = c.valid.take(c.mem)
	} else {
		c.valid.release()
	}
	var bufs []*memory.Buffer
	switch c.kind {
	case kInt64, kTimestamp, kTimestampTZ:
		bufs = []*memory.Buffer{validBuf, c.i64.take(c.mem)}
	case kInt32, kDate32:
		bufs = []*memory.Buffer{validBuf, c.i32.take(c.mem)}
	case kFloat64:
		bufs = []*memory.Buffer{validBuf, c.f64.take(c.mem)}
	case kFloat32:
		bufs = []*memory.Buffer{validBuf, c.f32.take(c.mem)}
	case kBool:
		bufs = []*memory.Buffer{validBuf, c.bits.take(c.mem)}
	case kString:
		bufs = []*memory.Buffer{validBuf, c.offs.take(c.mem), c.data.take(c.mem)}
	default:
		panic("csv: finish of a dictionary column")
	}
	d := array.NewData(dt, c.n, bufs, nil, c.nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	a := array.MakeFromData(d)
	d.Release()
	return a
}

// finishDict builds the dictionary column, remapping local codes through
// remap into the shared dictionary dict.
func (c *colBuilder) finishDict(dt arrow.DataType, remap []int32, dict arrow.Array) arrow.Array {
	codes := c.i32.s
	if len(remap) > 0 {
		for i, k := range codes {
			codes[i] = remap[k]
		}
	}
	var validBuf *memory.Buffer
	if c.nulls > 0 {
		validBuf = c.valid.take(c.mem)
	} else {
		c.valid.release()
	}
	bufs := []*memory.Buffer{validBuf, c.i32.take(c.mem)}
	d := array.NewData(arrow.PrimitiveTypes.Int32, c.n, bufs, nil, c.nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	idx := array.MakeFromData(d)
	d.Release()
	a := array.NewDictionaryArray(dt, idx, dict)
	idx.Release()
	c.dict = nil
	return a
}

// localDict maps a range's category values to local codes: open addressing
// over 32-byte slots holding the hash tag, the code and, for values up to 16
// bytes, the value itself, so a probe touches one cache line; longer values
// are compared in the arena. No string is made per row.
type localDict struct {
	slots []dictSlot
	offs  []uint32 // value k is arena[offs[k]:offs[k+1]]
	arena []byte
	mask  uint64
}

type dictSlot struct {
	tag, code uint32 // code+1; 0 is an empty slot
	n, off    uint32
	key       [16]byte // the value when n <= 16
}

func newLocalDict(hint int) *localDict {
	size := 1024
	for size < 2*hint {
		size *= 2
	}
	return &localDict{slots: make([]dictSlot, size), mask: uint64(size - 1), offs: []uint32{0}}
}

func (d *localDict) len() int { return len(d.offs) - 1 }

func (d *localDict) value(k int) []byte { return d.arena[d.offs[k]:d.offs[k+1]] }

func (d *localDict) code(b []byte) int32 { return d.lookup(b, hashBytes(b)) }

func (d *localDict) lookup(b []byte, h uint64) int32 {
	tag := uint32(h >> 32)
	i := h & d.mask
	n := len(b)
	for {
		s := &d.slots[i]
		if s.code == 0 {
			break
		}
		if s.tag == tag && int(s.n) == n {
			if n <= 16 {
				if equalBytes(s.key[:n], b) {
					return int32(s.code - 1)
				}
			} else if string(d.arena[s.off:s.off+s.n]) == string(b) {
				return int32(s.code - 1)
			}
		}
		i = (i + 1) & d.mask
	}
	k := d.len()
	off := uint32(len(d.arena))
	d.arena = append(d.arena, b...)
	d.offs = append(d.offs, uint32(len(d.arena)))
	s := dictSlot{tag: tag, code: uint32(k + 1), off: off, n: uint32(n)}
	copy(s.key[:], b)
	d.slots[i] = s
	if 2*(k+1) > len(d.slots) {
		d.rehash()
	}
	return int32(k)
}

func (d *localDict) rehash() {
	old := d.slots
	d.slots = make([]dictSlot, 2*len(old))
	d.mask = uint64(len(d.slots) - 1)
	for _, s := range old {
		if s.code == 0 {
			continue
		}
		i := hashBytes(d.arena[s.off:s.off+s.n]) & d.mask
		for d.slots[i].code != 0 {
			i = (i + 1) & d.mask
		}
		d.slots[i] = s
	}
}

// equalBytes compares equal-length short strings with word loads.
func equalBytes(a, b []byte) bool {
	n := len(b)
	if n >= 8 {
		return binary.LittleEndian.Uint64(a) == binary.LittleEndian.Uint64(b) &&
			binary.LittleEndian.Uint64(a[n-8:]) == binary.LittleEndian.Uint64(b[n-8:])
	}
	if n >= 4 {
		return binary.LittleEndian.Uint32(a) == binary.LittleEndian.Uint32(b) &&
			binary.LittleEndian.Uint32(a[n-4:]) == binary.LittleEndian.Uint32(b[n-4:])
	}
	return string(a) == string(b)
}

// hashBytes is a fast multiply-mix hash of short byte strings; overlapping
// word loads read the tail without a byte loop.
func hashBytes(b []byte) uint64 {
	const m = 0x9E3779B97F4A7C15
	n := len(b)
	h := uint64(n) * m
	var x, y uint64
	switch {
	case n > 16:
		for p := b; len(p) > 16; p = p[16:] {
			h = bits.RotateLeft64(h^binary.LittleEndian.Uint64(p)*m, 31) * m
			h = bits.RotateLeft64(h^binary.LittleEndian.Uint64(p[8:])*m, 31) * m
		}
		x, y = binary.LittleEndian.Uint64(b[n-16:]), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 8:
		x, y = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		x, y = uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		x = uint64(b[0]) | uint64(b[n/2])<<8 | uint64(b[n-1])<<16
	}
	h = (h ^ x*m) * m
	h = (bits.RotateLeft64(h, 29) ^ y) * 0xBF58476D1CE4E5B9
	h ^= h >> 31
	h *= m
	h ^= h >> 32
	return h
}
