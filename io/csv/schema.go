package csv

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// InferSchemaFiles returns the schema ReadFiles would return for paths,
// from their headers and a sample of each (every record with SampleBytes
// WholeFile), without parsing them. With a sample, a value beyond it may
// still promote a column in ReadFiles (int64 to float64, say); with
// WholeFile the schema accounts for every value. Files are closed on
// return.
func InferSchemaFiles(ctx context.Context, paths []string, opt Options) (*arrow.Schema, error) {
	ins, closeAll, err := openFiles(ctx, paths)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	r, err := prepare(ctx, ins, opt)
	if err != nil {
		return nil, err
	}
	return r.schema(), nil
}

// colSpec is one output column: where it comes from and how it is parsed.
type colSpec struct {
	name       string
	src        int
	kind       kind
	promotable bool
	dt         arrow.DataType // set for overrides; else derived from kind
}

func (c *colSpec) dataType() arrow.DataType {
	if c.dt != nil {
		return c.dt
	}
	return kindType(c.kind)
}

func kindType(k kind) arrow.DataType {
	switch k {
	case kBool:
		return arrow.FixedWidthTypes.Boolean
	case kInt64:
		return arrow.PrimitiveTypes.Int64
	case kFloat64, kNull:
		return arrow.PrimitiveTypes.Float64
	case kInt32:
		return arrow.PrimitiveTypes.Int32
	case kFloat32:
		return arrow.PrimitiveTypes.Float32
	case kDict:
		return &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	case kDate32:
		return arrow.FixedWidthTypes.Date32
	case kTimestamp:
		return &arrow.TimestampType{Unit: arrow.Nanosecond}
	case kTimestampTZ:
		return &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}
	}
	return arrow.BinaryTypes.String
}

// overrideKind maps a dtype override to its kind.
func overrideKind(dt arrow.DataType) (kind, error) {
	switch t := dt.(type) {
	case *arrow.Int64Type:
		return kInt64, nil
	case *arrow.Int32Type:
		return kInt32, nil
	case *arrow.Float64Type:
		return kFloat64, nil
	case *arrow.Float32Type:
		return kFloat32, nil
	case *arrow.BooleanType:
		return kBool, nil
	case *arrow.StringType:
		return kString, nil
	case *arrow.Date32Type:
		return kDate32, nil
	case *arrow.TimestampType:
		if t.Unit != arrow.Nanosecond {
			break
		}
		if t.TimeZone != "" {
			return kTimestampTZ, nil
		}
		return kTimestamp, nil
	case *arrow.DictionaryType:
		if t.IndexType.ID() == arrow.INT32 && t.ValueType.ID() == arrow.STRING {
			return kDict, nil
		}
	}
	return 0, fmt.Errorf("%w: unsupported type %s", ErrOptions, dt)
}

// readHeader finds the header (or the first record, to count fields), the
// first data byte and its line number.
func readHeader(ctx context.Context, in *input, o *Options) error {
	tok := newTokenizer(o)
	want := 64 << 10
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf, err := in.readAt(nil, 0, want)
		if err != nil {
			return err
		}
		atEOF := int64(len(buf)) >= in.size
		p := 0
		if bytes.HasPrefix(buf, []byte{0xEF, 0xBB, 0xBF}) {
			p = 3
		}
		more := false
		for i := 0; i < o.SkipRows; i++ {
			j := bytes.IndexByte(buf[p:], '\n')
			if j < 0 {
				if !atEOF {
					more = true
				}
				p = len(buf)
				break
			}
			p += j + 1
		}
		var names []string
		found := false
		for !more {
			tok.reset()
			st, np, _ := tok.next(buf, p, atEOF)
			if st == recNeedMore {
				more = true
				break
			}
			if st == recEOF {
				break
			}
			if st == recSkip {
				p = np
				continue
			}
			found = true
			for _, f := range tok.fields {
				names = append(names, string(tok.bytesOf(buf, f)))
			}
			if o.Header {
				p = np
			}
			break
		}
		if more {
			want *= 2
			continue
		}
		in.dataStart = int64(p)
		in.baseLine = 1 + int64(bytes.Count(buf[:p], nl1))
		switch {
		case o.Header && !found:
			return fmt.Errorf("csv: %s: %w", in.name, ErrNoColumns)
		case o.Header && len(o.Names) > 0:
			if len(o.Names) != len(names) {
				return fmt.Errorf("%w: %d Names for %d columns in %s", ErrOptions, len(o.Names), len(names), in.name)
			}
			names = append([]string(nil), o.Names...)
		case !o.Header && len(o.Names) > 0:
			names = append([]string(nil), o.Names...)
		case !o.Header:
			if !found {
				return fmt.Errorf("csv: %s: %w", in.name, ErrNoColumns)
			}
			for i := range names {
				names[i] = "column_" + strconv.Itoa(i+1)
			}
		}
		in.names = dedupe(names)
		in.nfields = len(names)
		return nil
	}
}

// dedupe renames repeated names like pandas: a, a.1, a.2.
func dedupe(names []string) []string {
	seen := make(map[string]int, len(names))
	for _, n := range names {
		seen[n] = 0
	}
	out := make([]string, len(names))
	used := make(map[string]bool, len(names))
	for i, n := range names {
		name := n
		for used[name] {
			seen[n]++
			name = n + "." + strconv.Itoa(seen[n])
		}
		used[name] = true
		out[i] = name
	}
	return out
}

// resolveColumns picks the output columns and their parse plans.
func resolveColumns(names []string, o *Options) ([]colSpec, error) {
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	unknown := func(n string) error {
		return fmt.Errorf("%w %q; the file's columns are: %s", ErrUnknownColumn, n, strings.Join(names, ", "))
	}
	for n := range o.Types {
		if _, ok := index[n]; !ok {
			return nil, unknown(n)
		}
	}
	dates := map[string]bool{}
	for _, n := range o.ParseDates {
		if _, ok := index[n]; !ok {
			return nil, unknown(n)
		}
		dates[n] = true
	}
	cats := map[string]bool{}
	for _, n := range o.Categorical {
		if _, ok := index[n]; !ok {
			return nil, unknown(n)
		}
		cats[n] = true
	}
	sel := o.Columns
	if len(sel) == 0 {
		sel = names
	}
	seen := map[string]bool{}
	cols := make([]colSpec, 0, len(sel))
	for _, n := range sel {
		i, ok := index[n]
		if !ok {
			return nil, unknown(n)
		}
		if seen[n] {
			return nil, fmt.Errorf("%w: column %q selected twice", ErrOptions, n)
		}
		seen[n] = true
		c := colSpec{name: n, src: i, kind: kNull, promotable: true}
		if dt, ok := o.Types[n]; ok {
			k, err := overrideKind(dt)
			if err != nil {
				return nil, fmt.Errorf("%w (column %q)", err, n)
			}
			c.kind, c.promotable, c.dt = k, false, dt
		} else if cats[n] {
			c.kind, c.promotable = kDict, false
		} else if dates[n] {
			c.kind = kDate32 // widened by the sample
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// sampleStats is what inference learns from the sample.
type sampleStats struct {
	kinds    []kind
	distinct []*localDict // distinct values of string and categorical columns
	nonNull  []int
	rows     int
	bytes    int64
}

// sample parses windows spread over in (start, middle, end) and joins the
// class of every value into st. Windows after the first start after a
// newline, and their last partial record is dropped. A negative
// SampleBytes (WholeFile) reads every record instead.
func sample(ctx context.Context, in *input, o *Options, cols []colSpec, na *naSet, st *sampleStats) error {
	if o.SampleBytes < 0 {
		return sampleAll(ctx, in, o, cols, na, st)
	}
	tok := newTokenizer(o)
	dataLen := in.size - in.dataStart
	budget := int64(o.SampleBytes)
	type window struct{ off, n int64 }
	var wins []window
	if dataLen <= budget {
		wins = []window{{in.dataStart, dataLen}}
	} else {
		const k = 8
		w := budget / k
		for i := int64(0); i < k; i++ {
			wins = append(wins, window{in.dataStart + i*(dataLen-w)/(k-1), w})
		}
	}
	var buf []byte
	for wi, w := range wins {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		buf, err = in.readAt(buf[:0], w.off, int(w.n))
		if err != nil {
			return err
		}
		atEOF := w.off+int64(len(buf)) >= in.size
		p := 0
		if wi > 0 {
			j := bytes.IndexByte(buf, '\n')
			if j < 0 {
				continue
			}
			p = j + 1
		}
		got := false
		for {
			tok.reset()
			status, np, _ := tok.next(buf, p, atEOF)
			if status == recNeedMore && !got {
				// Every window yields at least one record, however small
				// the sample.
				buf, err = in.readAt(buf, w.off+int64(len(buf)), max(len(buf), 4096))
				if err != nil {
					return err
				}
				atEOF = w.off+int64(len(buf)) >= in.size
				continue
			}
			if status == recNeedMore || status == recEOF {
				break
			}
			got = got || status == recOK
			if status == recOK {
				st.add(tok, buf, np-p, in.nfields, o, cols, na)
			}
			p = np
		}
	}
	return nil
}

// sampleChunk is sampleAll's buffer size; tests lower it so that records
// straddle many refills.
var sampleChunk = 4 << 20

// sampleAll joins every record of in into st, reading it in order through
// one buffer: memory stays at a chunk (or the longest record), however
// large the file.
func sampleAll(ctx context.Context, in *input, o *Options, cols []colSpec, na *naSet, st *sampleStats) error {
	chunk := sampleChunk
	tok := newTokenizer(o)
	off := in.dataStart // file offset of buf[0]
	buf, err := in.readAt(make([]byte, 0, chunk), off, chunk)
	if err != nil {
		return err
	}
	p := 0
	for {
		tok.reset()
		status, np, _ := tok.next(buf, p, off+int64(len(buf)) >= in.size)
		switch status {
		case recEOF:
			return nil
		case recNeedMore:
			if err := ctx.Err(); err != nil {
				return err
			}
			// Keep the partial record and fill the buffer behind it,
			// doubling it only for a record longer than half of it.
			buf = buf[:copy(buf, buf[p:])]
			off += int64(p)
			p = 0
			buf, err = in.readAt(buf, off+int64(len(buf)), max(cap(buf)-len(buf), len(buf)))
			if err != nil {
				return err
			}
			continue
		case recOK:
			st.add(tok, buf, np-p, in.nfields, o, cols, na)
		}
		p = np
	}
}

// add joins the class of each value of the tokenizer's one record (n
// bytes) into st; a record with the wrong field count is left out.
func (st *sampleStats) add(tok *tokenizer, buf []byte, n, nfields int, o *Options, cols []colSpec, na *naSet) {
	if len(tok.fields) != nfields {
		return
	}
	st.rows++
	st.bytes += int64(n)
	for ci := range cols {
		c := &cols[ci]
		if !c.promotable && c.kind != kDict {
			continue
		}
		f := tok.fields[c.src]
		b := tok.bytesOf(buf, f)
		if f.q == 0 && na.match(b) {
			continue
		}
		if c.kind == kDict { // sizes the dictionary tables
			st.distinct[ci].code(b)
			continue
		}
		st.nonNull[ci]++
		if c.kind >= kDate32 {
			if k := classifyDate(b); k != kString {
				st.kinds[ci] = joinKind(st.kinds[ci], k)
			}
			continue
		}
		k := classify(b)
		st.kinds[ci] = joinKind(st.kinds[ci], k)
		if k == kString && o.AutoCategoryRatio > 0 {
			st.distinct[ci].code(b)
		}
	}
}

// inferKinds settles each promotable column's kind from the sample.
func inferKinds(cols []colSpec, st *sampleStats, o *Options) {
	for ci := range cols {
		c := &cols[ci]
		if !c.promotable {
			continue
		}
		k := st.kinds[ci]
		if c.kind >= kDate32 {
			if k == kNull {
				k = kTimestamp
			}
			c.kind = k
			continue
		}
		switch {
		case k == kNull && st.rows == 0:
			k = kString // no data rows: pandas gives object columns
		case k == kNull:
			k = kFloat64 // all-NA column: float64, as pandas
		case k == kString && o.AutoCategoryRatio > 0 && st.nonNull[ci] > 0 &&
			float64(st.distinct[ci].len())/float64(st.nonNull[ci]) < o.AutoCategoryRatio:
			k = kDict
			c.promotable = false
		}
		c.kind = k
	}
}

// naSet matches unquoted fields against the NA values without allocating.
type naSet struct {
	lens  [256]uint64 // per first byte, a bit per length below 64
	set   map[string]struct{}
	empty bool
}

func newNASet(vals []string) *naSet {
	s := &naSet{set: map[string]struct{}{}}
	for _, v := range vals {
		if v == "" {
			s.empty = true
			continue
		}
		if len(v) < 64 {
			s.lens[v[0]] |= 1 << len(v)
		}
		s.set[v] = struct{}{}
	}
	return s
}

func (s *naSet) match(b []byte) bool {
	if len(b) == 0 {
		return s.empty
	}
	if len(b) >= 64 || s.lens[b[0]]&(1<<len(b)) == 0 {
		return false
	}
	_, ok := s.set[string(b)]
	return ok
}
