package jsonl

import (
	"bytes"
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Values of field.col for keys outside the plan.
const (
	noColumn  = -1 // ignored (projection)
	newColumn = -2 // widens the plan
)

// newKey is a key outside the plan met by a chunk.
type newKey struct {
	name string
	off  int64 // input offset of the first line holding it
	pos  int   // and its field position in that line
	kind kind
}

// chunkResult is what parsing one chunk gives: a record, or (when a value
// did not fit the plan) the widening the chunk needs, or a bad line.
type chunkResult struct {
	rec     arrow.Record // nil when widened, failed or empty
	widened bool
	kinds   []kind   // joined kinds of the plan's inferred columns
	newKeys []newKey // in order of first occurrence
	seen    []bool   // plan columns some line held
	skipped int64
	err     error // a *BadLineError with a chunk-relative line, or other
}

// builder appends one column's values. Exactly one typed pointer is set.
type builder struct {
	b     array.Builder
	null  int // kNull columns: rows so far
	bool_ *array.BooleanBuilder
	i64   *array.Int64Builder
	f64   *array.Float64Builder
	str   *array.BinaryBuilder // utf8 and large_utf8 (StringBuilder's embedded builder)
	dict  *array.BinaryDictionaryBuilder
	ts    *array.TimestampBuilder
}

func newBuilder(mem memory.Allocator, c *colPlan) builder {
	if c.given == nil && c.kind == kNull {
		return builder{}
	}
	b := array.NewBuilder(mem, c.arrowType())
	out := builder{b: b}
	switch x := b.(type) {
	case *array.BooleanBuilder:
		out.bool_ = x
	case *array.Int64Builder:
		out.i64 = x
	case *array.Float64Builder:
		out.f64 = x
	case *array.StringBuilder:
		out.str = x.BinaryBuilder
	case *array.LargeStringBuilder:
		out.str = x.BinaryBuilder
	case *array.BinaryDictionaryBuilder:
		out.dict = x
	case *array.TimestampBuilder:
		out.ts = x
	}
	return out
}

func (b *builder) appendNull() {
	if b.b == nil {
		b.null++
		return
	}
	b.b.AppendNull()
}

// append adds the non-null value f, already checked to fit c.
func (b *builder) append(c *colPlan, f *field) {
	switch {
	case b.i64 != nil:
		if c.given != nil {
			b.i64.Append(f.i)
			return
		}
		switch f.kind {
		case vTrue:
			b.i64.Append(1)
		case vFalse:
			b.i64.Append(0)
		default:
			b.i64.Append(f.i) // set by valueKind
		}
	case b.f64 != nil:
		switch f.kind {
		case vTrue:
			b.f64.Append(1)
		case vFalse:
			b.f64.Append(0)
		default:
			if c.given != nil {
				b.f64.Append(f.f)
			} else {
				b.f64.Append(parseFloat(f.raw, 64))
			}
		}
	case b.str != nil:
		b.str.Append(f.raw)
	case b.bool_ != nil:
		b.bool_.Append(f.kind == vTrue)
	case b.ts != nil:
		b.ts.Append(arrow.Timestamp(f.i))
	case b.dict != nil:
		_ = b.dict.Append(f.raw) // only fails on a full int32 index, past 2^31 rows
	default:
		appendOther(b.b, f)
	}
}

// appendOther handles the given types that are rarely used.
func appendOther(b array.Builder, f *field) {
	switch x := b.(type) {
	case *array.Int8Builder:
		x.Append(int8(f.i))
	case *array.Int16Builder:
		x.Append(int16(f.i))
	case *array.Int32Builder:
		x.Append(int32(f.i))
	case *array.Uint8Builder:
		x.Append(uint8(f.u))
	case *array.Uint16Builder:
		x.Append(uint16(f.u))
	case *array.Uint32Builder:
		x.Append(uint32(f.u))
	case *array.Uint64Builder:
		x.Append(f.u)
	case *array.Float32Builder:
		x.Append(float32(f.f))
	case *array.Date32Builder:
		x.Append(arrow.Date32(f.i))
	default:
		panic(fmt.Sprintf("jsonl: no append for %T", b)) // givenColumn admits no other type
	}
}

func (b *builder) newArray(mem memory.Allocator) arrow.Array {
	if b.b == nil {
		return array.MakeArrayOfNull(mem, arrow.BinaryTypes.String, b.null)
	}
	return b.b.NewArray()
}

func (b *builder) release() {
	if b.b != nil {
		b.b.Release()
		b.b = nil
	}
}

// chunkParser parses the lines of one chunk against a plan. One goroutine
// owns it.
type chunkParser struct {
	p       *plan
	mem     memory.Allocator
	onBad   BadLines
	base    int64 // input offset of the chunk
	tok     tokenizer
	b       []builder // nil once widened
	stamp   []int     // line number that last set each column
	pred    []int32   // column of each field position in the previous line
	kinds   []kind
	seen    []bool
	newKeys []newKey
	newIdx  map[string]int
	widened bool
	rows    int
	skipped int64
}

// stop is polled between lines: it reports that the chunk's work is moot
// (an earlier chunk failed, or the context is done).
type stop func() bool

// parseChunk parses data, the whole lines of one chunk starting at input
// offset base.
func parseChunk(ctx context.Context, p *plan, data []byte, base int64, opt *Options, mem memory.Allocator, stopped stop) chunkResult {
	cp := &chunkParser{
		p: p, mem: mem, onBad: opt.OnBadLines, base: base,
		b:     make([]builder, len(p.cols)),
		stamp: make([]int, len(p.cols)),
		kinds: make([]kind, len(p.cols)),
		seen:  make([]bool, len(p.cols)),
	}
	for i := range p.cols {
		cp.b[i] = newBuilder(mem, &p.cols[i])
		cp.kinds[i] = p.cols[i].kind
	}
	defer cp.releaseBuilders()

	lineNo := 0
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		line := data[off:end]
		lineOff := off
		off = end + 1
		lineNo++
		if lineNo&1023 == 0 {
			if stopped() {
				return chunkResult{err: ctx.Err()}
			}
		}
		if blank(line) {
			continue
		}
		if err := cp.line(line, lineNo, base+int64(lineOff)); err != nil {
			if cp.onBad == Skip {
				cp.skipped++
				continue
			}
			return chunkResult{err: &BadLineError{Line: int64(lineNo), Err: err}}
		}
	}
	res := chunkResult{widened: cp.widened, kinds: cp.kinds, newKeys: cp.newKeys, seen: cp.seen, skipped: cp.skipped}
	if !cp.widened && cp.rows > 0 {
		cols := make([]arrow.Array, len(cp.b))
		for i := range cp.b {
			cols[i] = cp.b[i].newArray(mem)
		}
		res.rec = array.NewRecord(p.schema(), cols, int64(cp.rows))
		for _, c := range cols {
			c.Release()
		}
	}
	return res
}

func (cp *chunkParser) releaseBuilders() {
	for i := range cp.b {
		cp.b[i].release()
	}
	cp.b = nil
}

// lookup finds the plan column of key at field position k, trying the
// column at that position in the previous line first (lines usually
// repeat their key order).
func (cp *chunkParser) lookup(k int, key []byte) int32 {
	if k < len(cp.pred) {
		if c := cp.pred[k]; c >= 0 && cp.p.cols[c].name == string(key) {
			return c
		}
	}
	c, ok := cp.p.index[string(key)]
	if !ok {
		c = noColumn
		if !cp.p.project {
			c = newColumn
		}
	}
	if k < len(cp.pred) {
		cp.pred[k] = int32(c)
	} else {
		cp.pred = append(cp.pred, int32(c))
	}
	return int32(c)
}

// line handles one non-blank line. A returned error makes it a bad line,
// and then nothing of it was kept.
func (cp *chunkParser) line(line []byte, lineNo int, off int64) error {
	t := &cp.tok
	if err := t.parse(line); err != nil {
		return err
	}
	// Check everything before keeping anything.
	widen := false
	for k := range t.fields {
		f := &t.fields[k]
		f.col = cp.lookup(k, f.key)
		switch {
		case f.col == newColumn:
			if cp.newIdx == nil {
				cp.newIdx = make(map[string]int)
			}
			for _, g := range t.fields[:k] { // new keys are rare: a scan will do
				if g.col == newColumn && bytes.Equal(g.key, f.key) {
					return fmt.Errorf("duplicate key %q", f.key)
				}
			}
			if g, ok := cp.p.given[string(f.key)]; ok && f.kind != vNull {
				// Checked now so that every pass finds the same bad lines.
				if err := convertGiven(&g, f); err != nil {
					return err
				}
			}
			widen = true
			continue
		case f.col == noColumn:
			continue
		}
		if cp.stamp[f.col] == lineNo {
			return fmt.Errorf("duplicate key %q", f.key)
		}
		cp.stamp[f.col] = lineNo
		c := &cp.p.cols[f.col]
		if f.kind == vNull {
			continue
		}
		if c.given != nil {
			if err := convertGiven(c, f); err != nil {
				return err
			}
			continue
		}
		if valueKind(f) > cp.kinds[f.col] {
			widen = true
		}
	}

	if widen && !cp.widened {
		cp.widened = true
		cp.releaseBuilders()
	}
	if cp.widened {
		cp.infer(off)
		return nil
	}
	for k := range t.fields {
		f := &t.fields[k]
		if f.col < 0 {
			continue
		}
		cp.seen[f.col] = true
		if f.kind == vNull {
			cp.b[f.col].appendNull()
		} else {
			cp.b[f.col].append(&cp.p.cols[f.col], f)
		}
	}
	for c := range cp.b {
		if cp.stamp[c] != lineNo {
			cp.b[c].appendNull()
		}
	}
	cp.rows++
	return nil
}

// infer joins the checked line's value kinds into the chunk's widening.
func (cp *chunkParser) infer(off int64) {
	for k := range cp.tok.fields {
		f := &cp.tok.fields[k]
		switch {
		case f.col == noColumn:
		case f.col == newColumn:
			vk := valueKind(f)
			j, ok := cp.newIdx[string(f.key)]
			if !ok {
				j = len(cp.newKeys)
				cp.newIdx[string(f.key)] = j
				cp.newKeys = append(cp.newKeys, newKey{name: string(f.key), off: off, pos: k})
			}
			cp.newKeys[j].kind = max(cp.newKeys[j].kind, vk)
		default:
			cp.seen[f.col] = true
			if cp.p.cols[f.col].given == nil {
				cp.kinds[f.col] = max(cp.kinds[f.col], valueKind(f))
			}
		}
	}
}

// BadLineError is a line a read could not store. Line is 1-based.
type BadLineError struct {
	Name string
	Line int64
	Err  error
}

func (e *BadLineError) Error() string {
	return fmt.Sprintf("jsonl: %s:%d: %v", e.Name, e.Line, e.Err)
}

// Is makes errors.Is(err, ErrBadLine) hold.
func (e *BadLineError) Is(target error) bool { return target == ErrBadLine }

func (e *BadLineError) Unwrap() error { return e.Err }
