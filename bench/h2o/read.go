package h2o

import (
	"bufio"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"os"
	"slices"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/csv"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// readSchema is the groupby table as the CSV reader parses it: the id
// strings plain, dictionary-encoded afterwards.
var readSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id1", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "id2", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "id3", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "id4", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "id5", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "id6", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "v1", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "v2", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "v3", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
}, nil)

// readChunk is the rows per record of the CSV reader: big enough to
// amortize its per-record cost, small enough that a chunk's strings stay
// in cache while they are encoded.
const readChunk = 1 << 16

// ReadGroupByCSV loads a groupby table G1 written as gen_h2o.py or
// WriteCSV write it (a header naming id1..id6, v1..v3 in that order; an
// empty field is NA) into one record of GroupBySchema, parsing with
// arrow/csv on the calling goroutine. The id strings become
// dictionary<int32, utf8> whose dictionaries hold the distinct strings of
// the file in ascending order, as pandas' category dtype.
//
// It is single-threaded: about 15 s for the 0.5 GB G1_1e7_1e2 file, most
// of it in arrow/csv (encoding/csv and its builders).
//
// Errors name the file, and the line when the CSV reader gives one (a
// malformed line or a wrong number of fields) or the lines of the chunk
// where a field failed to parse; a wrong header returns ErrBadHeader.
// Buffers come from mem; the caller owns the record and must Release it.
// Safe for concurrent use if mem is.
func ReadGroupByCSV(path string, mem memory.Allocator) (arrow.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("h2o: read csv: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20), readSchema,
		csv.WithHeader(true), csv.WithChunk(readChunk), csv.WithNullReader(true, ""), csv.WithAllocator(mem))
	defer r.Release()

	var b tableBuilder
	defer b.release()
	b.init(mem)
	rows := 0
	for first := true; ; first = false {
		more := r.Next()
		if first && r.Err() == nil {
			// The reader renames the schema's fields after the header.
			for i, fld := range r.Schema().Fields() {
				if fld.Name != readSchema.Field(i).Name {
					return nil, fmt.Errorf("%w: %s: column %d is %q, want %q", ErrBadHeader, path, i+1, fld.Name, readSchema.Field(i).Name)
				}
			}
		}
		if !more {
			break
		}
		rec := r.Record()
		if err := r.Err(); err != nil {
			// The chunk holds the field that failed; the reader does not say
			// which line (line 1 is the header).
			return nil, readError(path, err, fmt.Sprintf("lines %d-%d: ", rows+2, rows+1+int(rec.NumRows())))
		}
		b.append(rec)
		rows += int(rec.NumRows())
	}
	if err := r.Err(); err != nil {
		return nil, readError(path, err, "")
	}
	return b.finish(GroupBySchema), nil
}

// readError wraps err, a CSV reader's error, with the file's name and the
// line if err carries one, else where.
func readError(path string, err error, where string) error {
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("h2o: %s:%d: %w", path, pe.Line, err)
	}
	if errors.Is(err, csv.ErrMismatchFields) {
		return fmt.Errorf("%w: %s: %w", ErrBadHeader, path, err)
	}
	return fmt.Errorf("h2o: %s: %s%w", path, where, err)
}

// tableBuilder accumulates the reader's chunks into the groupby table.
type tableBuilder struct {
	ids  [3]dictEncoder
	ints [5]grower[int64]
	v3   grower[float64]
}

func (b *tableBuilder) init(mem memory.Allocator) {
	for i := range b.ids {
		b.ids[i] = dictEncoder{index: map[string]int32{}, codes: grower[int32]{mem: mem}}
	}
	for i := range b.ints {
		b.ints[i].mem = mem
	}
	b.v3.mem = mem
}

func (b *tableBuilder) append(rec arrow.Record) {
	for i := range b.ids {
		b.ids[i].append(rec.Column(i).(*array.String))
	}
	for i := range b.ints {
		col := rec.Column(3 + i).(*array.Int64)
		b.ints[i].append(col.Int64Values(), col)
	}
	col := rec.Column(8).(*array.Float64)
	b.v3.append(col.Float64Values(), col)
}

// finish returns the table; b is empty afterwards.
func (b *tableBuilder) finish(schema *arrow.Schema) arrow.Record {
	arrs := make([]arrow.Array, 0, 9)
	for i := range b.ids {
		arrs = append(arrs, b.ids[i].finish())
	}
	for i := range b.ints {
		arrs = append(arrs, b.ints[i].finish(arrow.PrimitiveTypes.Int64))
	}
	arrs = append(arrs, b.v3.finish(arrow.PrimitiveTypes.Float64))
	n := int64(arrs[0].Len())
	rec := array.NewRecord(schema, arrs, n)
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

func (b *tableBuilder) release() {
	for i := range b.ids {
		b.ids[i].codes.release()
	}
	for i := range b.ints {
		b.ints[i].release()
	}
	b.v3.release()
}

// grower is a column of T and its validity, grown by doubling as chunks
// arrive.
type grower[T int32 | int64 | float64] struct {
	mem          memory.Allocator
	vals, valid  *memory.Buffer // nil until the first append
	n, cap, null int
}

// extend makes room for m more rows and returns their values, to be
// written, and marks them valid.
func (g *grower[T]) extend(m int) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if g.vals == nil {
		g.vals, g.valid = memory.NewResizableBuffer(g.mem), memory.NewResizableBuffer(g.mem)
	}
	if g.n+m > g.cap {
		g.cap = max(2*g.cap, g.n+m, readChunk)
		g.vals.Reserve(g.cap * size)
		g.valid.Reserve(int(bitutil.BytesForBits(int64(g.cap))))
	}
	g.vals.ResizeNoShrink((g.n + m) * size)
	g.valid.ResizeNoShrink(int(bitutil.BytesForBits(int64(g.n + m))))
	bitutil.SetBitsTo(g.valid.Bytes(), int64(g.n), int64(m), true)
	all := unsafe.Slice((*T)(unsafe.Pointer(&g.vals.Bytes()[0])), g.n+m)
	g.n += m
	return all[g.n-m:]
}

// append adds vals, the values of col, and col's validity.
func (g *grower[T]) append(vals []T, col arrow.Array) {
	m := len(vals)
	if m == 0 {
		return
	}
	copy(g.extend(m), vals)
	g.setValidity(col, g.n-m)
}

// setValidity copies col's validity to rows at..at+col.Len().
func (g *grower[T]) setValidity(col arrow.Array, at int) {
	if nulls := col.NullN(); nulls > 0 {
		bitutil.CopyBitmap(col.NullBitmapBytes(), col.Data().Offset(), col.Len(), g.valid.Bytes(), at)
		g.null += nulls
	}
}

// finish returns the column as an array of type dt; g is empty afterwards.
func (g *grower[T]) finish(dt arrow.DataType) arrow.Array {
	vals, valid := g.take()
	return newPrimitive(dt, g.n, vals, valid)
}

// take hands over the buffers trimmed to the rows, the bitmap nil when no
// row is null; g keeps only its row count.
func (g *grower[T]) take() (vals, valid *memory.Buffer) {
	var zero T
	if g.vals == nil {
		g.vals, g.valid = memory.NewResizableBuffer(g.mem), memory.NewResizableBuffer(g.mem)
	}
	vals, valid = g.vals, g.valid
	g.vals, g.valid = nil, nil
	vals.Resize(g.n * int(unsafe.Sizeof(zero)))
	if g.null == 0 {
		valid.Release()
		return vals, nil
	}
	valid.Resize(int(bitutil.BytesForBits(int64(g.n))))
	return vals, valid
}

func (g *grower[T]) release() {
	if g.vals != nil {
		g.vals.Release()
		g.valid.Release()
		g.vals, g.valid = nil, nil
	}
}

// dictEncoder dictionary-encodes a string column chunk by chunk.
type dictEncoder struct {
	index map[string]int32 // string -> code, in order of first sight
	dict  []string         // code -> string
	codes grower[int32]
}

// append encodes col. A map lookup keyed by string(bytes) does not
// allocate; only a new distinct string is copied.
func (e *dictEncoder) append(col *array.String) {
	m := col.Len()
	if m == 0 {
		return
	}
	codes := e.codes.extend(m)
	offs := col.ValueOffsets()
	data := col.ValueBytes()
	// ValueOffsets and ValueBytes are already shifted by the array's offset.
	base := offs[0]
	for i := range codes {
		if col.IsNull(i) {
			codes[i] = 0
			continue
		}
		s := data[offs[i]-base : offs[i+1]-base]
		c, ok := e.index[string(s)]
		if !ok {
			c = int32(len(e.dict))
			str := string(s)
			e.index[str] = c
			e.dict = append(e.dict, str)
		}
		codes[i] = c
	}
	e.codes.setValidity(col, e.codes.n-m)
}

// finish returns the encoded column with its dictionary sorted ascending.
func (e *dictEncoder) finish() arrow.Array {
	order := make([]int32, len(e.dict)) // new code -> old code
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		switch sa, sb := e.dict[a], e.dict[b]; {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return 0
	})
	remap := make([]int32, len(order)) // old code -> new code
	sortedDict := make([]string, len(order))
	for newCode, old := range order {
		remap[old] = int32(newCode)
		sortedDict[newCode] = e.dict[old]
	}
	n := e.codes.n
	vals, valid := e.codes.take()
	if n > 0 && len(remap) > 0 { // no dictionary: every row is null
		codes := unsafe.Slice((*int32)(unsafe.Pointer(&vals.Bytes()[0])), n)
		for i, c := range codes {
			codes[i] = remap[c] // a null's code 0 maps to a valid code too
		}
	}
	dict := newStrings(e.codes.mem, sortedDict)
	defer dict.Release()
	return newDict(n, vals, valid, dict)
}

// newStrings returns the utf8 array of strs.
func newStrings(mem memory.Allocator, strs []string) arrow.Array {
	total := 0
	for _, s := range strs {
		total += len(s)
	}
	offBuf, offs := alloc[int32](mem, len(strs)+1)
	dataBuf := memory.NewResizableBuffer(mem)
	dataBuf.Resize(total)
	data := dataBuf.Bytes()[:0]
	offs[0] = 0
	for i, s := range strs {
		data = append(data, s...)
		offs[i+1] = int32(len(data))
	}
	ad := array.NewData(arrow.BinaryTypes.String, len(strs), []*memory.Buffer{nil, offBuf, dataBuf}, nil, 0, 0)
	offBuf.Release()
	dataBuf.Release()
	defer ad.Release()
	return array.MakeFromData(ad)
}
