package parquet

import (
	"encoding/binary"
	"errors"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	pq "github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/metadata"
	"github.com/apache/arrow/go/v15/parquet/schema"
)

// The fast path decodes flat column chunks straight from their pages into
// the final Arrow buffers, sized once from the row group's row count.
// pqarrow's record readers build each column through growing builders and
// per-page scratch (arrow v15's dictionary decoder allocates three slices
// per page: uint64 indices, []bool validity and []int indices again);
// perf put pqarrow's decoding and the page faults of that garbage at two
// thirds of a 1e7-row H2O read. Anything the fast path does not know —
// nested columns, other encodings, other types, or an error — is read by
// pqarrow instead, so the fast path never changes what a read returns.

// errSlowPath says a column chunk needs pqarrow.
var errSlowPath = errors.New("parquet: column needs the general reader")

// useFastPath is switched off by tests to read with pqarrow alone.
var useFastPath = true

// fastColumns counts column chunks the fast path decoded (for tests).
var fastColumns atomic.Int64

type fastKind uint8

const (
	fkNone fastKind = iota
	fkBool
	fkInt32   // INT32 as int32 or date32
	fkInt64   // INT64 as int64 or a timestamp of the same unit
	fkFloat32 // FLOAT
	fkFloat64 // DOUBLE
	fkBytes   // BYTE_ARRAY as string or binary
	fkDict    // BYTE_ARRAY as dictionary<int32, string or binary>
)

// fastKindOf says how the fast path decodes leaf col into type dt (the type
// pqarrow would give it), or fkNone.
func fastKindOf(col *schema.Column, dt arrow.DataType) fastKind {
	if col.MaxRepetitionLevel() != 0 || col.MaxDefinitionLevel() > 1 {
		return fkNone
	}
	switch col.PhysicalType() {
	case pq.Types.Boolean:
		if dt.ID() == arrow.BOOL {
			return fkBool
		}
	case pq.Types.Int32:
		if dt.ID() == arrow.INT32 || dt.ID() == arrow.DATE32 {
			return fkInt32
		}
	case pq.Types.Int64:
		switch dt := dt.(type) {
		case *arrow.Int64Type:
			return fkInt64
		case *arrow.TimestampType:
			if ts, ok := col.LogicalType().(*schema.TimestampLogicalType); ok && sameUnit(ts.TimeUnit(), dt.Unit) {
				return fkInt64
			}
		}
	case pq.Types.Float:
		if dt.ID() == arrow.FLOAT32 {
			return fkFloat32
		}
	case pq.Types.Double:
		if dt.ID() == arrow.FLOAT64 {
			return fkFloat64
		}
	case pq.Types.ByteArray:
		switch dt := dt.(type) {
		case *arrow.StringType, *arrow.BinaryType:
			return fkBytes
		case *arrow.DictionaryType:
			v := dt.ValueType.ID()
			if dt.IndexType.ID() == arrow.INT32 && (v == arrow.STRING || v == arrow.BINARY) {
				return fkDict
			}
		}
	}
	return fkNone
}

func sameUnit(u schema.TimeUnitType, a arrow.TimeUnit) bool {
	switch u {
	case schema.TimeUnitMillis:
		return a == arrow.Millisecond
	case schema.TimeUnitMicros:
		return a == arrow.Microsecond
	case schema.TimeUnitNanos:
		return a == arrow.Nanosecond
	}
	return false
}

// columnDecoder decodes the pages of one column chunk of rows rows.
type columnDecoder struct {
	kind   fastKind
	dt     arrow.DataType
	maxDef int16
	rows   int
	mem    memory.Allocator

	pos   int    // rows decoded so far
	nulls int    // nulls so far
	valid []byte // validity bitmap, nil while every row is valid
	vals  []byte // fixed-width values, bool bits, or dictionary codes
	offs  []byte // string offsets (int32)
	data  []byte // string bytes: all of its allocation; dataN are used
	dataN int

	// The dictionary page, copied: arrow v15 frees its buffer when the
	// page reader moves on (and may reuse it when uncompressed).
	dict8    []uint64
	dict4    []uint32
	dictOffs []int32
	dictData []byte
	haveDict bool
	levels   []uint32 // scratch: definition levels of a page
	idx      []uint32 // scratch: dictionary indexes of a page
}

// fastWorker is what one read worker reuses from column chunk to column
// chunk: its allocator, a page reader (which keeps its decompression
// buffer: a new one per chunk grew a fresh buffer every time, 5% of the
// read in memclr and page faults) and the decoders' scratch.
type fastWorker struct {
	mem    memory.Allocator
	pages  file.PageReader
	levels []uint32 // definition levels of a page
	idx    []uint32 // dictionary indexes or bools of a page
}

// chunkSource is what a page reader for a column chunk is made from.
type chunkSource struct {
	file  *file.Reader
	props *pq.ReaderProperties
	ra    pq.ReaderAtSeeker
}

// pageReader returns a page reader over column chunk leaf of rg: the
// worker's own, reset onto it, when the chunk is plain (not encrypted, not
// from a parquet-mr old enough to need arrow's size padding).
func (w *fastWorker) pageReader(src chunkSource, rg *file.RowGroupReader, leaf int) (file.PageReader, error) {
	col, err := rg.MetaData().ColumnChunk(leaf)
	if err != nil {
		return nil, err
	}
	if col.CryptoMetadata() != nil || src.file.MetaData().WriterVersion().LessThan(metadata.Parquet816FixedVersion) {
		return rg.GetColumnPageReader(leaf)
	}
	start := col.DataPageOffset()
	if col.HasDictionaryPage() && col.DictionaryPageOffset() > 0 && start > col.DictionaryPageOffset() {
		start = col.DictionaryPageOffset()
	}
	stream, err := src.props.GetStream(src.ra, start, col.TotalCompressedSize())
	if err != nil {
		return nil, err
	}
	if w.pages == nil {
		if w.pages, err = file.NewPageReader(stream, col.NumValues(), col.Compression(), w.mem, nil); err != nil {
			return nil, err
		}
		return w.pages, nil
	}
	w.pages.Reset(stream, col.NumValues(), col.Compression(), nil)
	return w.pages, w.pages.Err()
}

// readColumn decodes leaf of row group rg as type dt, or returns
// errSlowPath (or another error) for pqarrow to read it.
func (w *fastWorker) readColumn(src chunkSource, rg *file.RowGroupReader, leaf int, dt arrow.DataType) (arrow.Array, error) {
	col := src.file.MetaData().Schema.Column(leaf)
	kind := fastKindOf(col, dt)
	if kind == fkNone {
		return nil, errSlowPath
	}
	pr, err := w.pageReader(src, rg, leaf)
	if err != nil {
		return nil, err
	}
	defer func() { // a page the loop stopped at is still held
		if p := pr.Page(); p != nil {
			p.Release()
		}
	}()
	d := &columnDecoder{kind: kind, dt: dt, maxDef: col.MaxDefinitionLevel(), rows: int(rg.NumRows()), mem: w.mem,
		levels: w.levels, idx: w.idx}
	defer func() { w.levels, w.idx = d.levels, d.idx }()
	defer d.release()
	d.alloc()
	for pr.Next() {
		var err error
		switch p := pr.Page().(type) {
		case *file.DictionaryPage:
			err = d.dictionary(p.Data(), int(p.NumValues()))
		case *file.DataPageV1:
			data := p.Data()
			var levels []byte
			if d.maxDef > 0 {
				if p.DefinitionLevelEncoding() != pq.Encodings.RLE || len(data) < 4 {
					return nil, errSlowPath
				}
				n := int(binary.LittleEndian.Uint32(data))
				if n > len(data)-4 {
					return nil, errSlowPath
				}
				levels, data = data[4:4+n], data[4+n:]
			}
			err = d.page(pq.Encoding(p.Encoding()), data, levels, int(p.NumValues()))
		case *file.DataPageV2:
			data := p.Data()
			rl, dl := int(p.RepetitionLevelByteLen()), int(p.DefinitionLevelByteLen())
			if rl != 0 || dl < 0 || dl > len(data) || (d.maxDef == 0 && dl != 0) {
				return nil, errSlowPath
			}
			err = d.page(pq.Encoding(p.Encoding()), data[dl:], data[:dl], int(p.NumValues()))
		default:
			return nil, errSlowPath
		}
		if err != nil {
			return nil, err
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if d.pos != d.rows {
		return nil, errSlowPath
	}
	fastColumns.Add(1)
	return d.finish(), nil
}

func (d *columnDecoder) width() int {
	switch d.kind {
	case fkInt32, fkFloat32, fkDict:
		return 4
	case fkInt64, fkFloat64:
		return 8
	}
	return 0
}

// alloc sizes the output for the whole chunk; string data grows as read.
// Every buffer keeps the length it was allocated with, which is what an
// accounting allocator (memory.CheckedAllocator) expects back in Free.
func (d *columnDecoder) alloc() {
	switch d.kind {
	case fkBool:
		d.vals = d.mem.Allocate(bitutilBytes(d.rows))
	case fkBytes:
		d.offs = d.mem.Allocate(4 * (d.rows + 1))
		d.data = d.mem.Allocate(1 << 16)
	default:
		d.vals = d.mem.Allocate(d.width() * d.rows)
	}
}

// release frees what finish did not hand over.
func (d *columnDecoder) release() {
	for _, b := range [][]byte{d.valid, d.vals, d.offs, d.data} {
		if b != nil {
			d.mem.Free(b)
		}
	}
	d.valid, d.vals, d.offs, d.data = nil, nil, nil, nil
}

func (d *columnDecoder) finish() arrow.Array {
	var valid *memory.Buffer
	if d.valid != nil {
		valid = memory.NewBufferWithAllocator(d.valid, d.mem)
	}
	var data *array.Data
	switch d.kind {
	case fkBytes:
		offs := memory.NewBufferWithAllocator(d.offs, d.mem)
		var vals *memory.Buffer
		if d.dataN == 0 { // a checked allocator loses track of a buffer reallocated to 0
			d.mem.Free(d.data)
			vals = memory.NewBufferWithAllocator(nil, d.mem)
		} else {
			vals = memory.NewBufferWithAllocator(d.mem.Reallocate(d.dataN, d.data), d.mem)
		}
		data = array.NewData(d.dt, d.rows, []*memory.Buffer{valid, offs, vals}, nil, d.nulls, 0)
		offs.Release()
		vals.Release()
	case fkDict:
		dict := d.dictArray()
		codes := memory.NewBufferWithAllocator(d.vals, d.mem)
		data = array.NewDataWithDictionary(d.dt, d.rows, []*memory.Buffer{valid, codes}, d.nulls, 0, dict)
		codes.Release()
		dict.Release()
	default:
		vals := memory.NewBufferWithAllocator(d.vals, d.mem)
		data = array.NewData(d.dt, d.rows, []*memory.Buffer{valid, vals}, nil, d.nulls, 0)
		vals.Release()
	}
	if valid != nil {
		valid.Release()
	}
	d.valid, d.vals, d.offs, d.data = nil, nil, nil, nil
	defer data.Release()
	return array.MakeFromData(data)
}

// dictArray builds the dictionary's values (all of them, so codes stay
// valid even for entries no row uses, as pqarrow does).
func (d *columnDecoder) dictArray() *array.Data {
	vt := d.dt.(*arrow.DictionaryType).ValueType
	if len(d.dictOffs) == 0 { // no dictionary page (all null): empty
		d.dictOffs = []int32{0}
	}
	offs := d.mem.Allocate(4 * len(d.dictOffs))
	copy(viewAs[int32](offs), d.dictOffs)
	data := d.mem.Allocate(len(d.dictData))
	copy(data, d.dictData)
	ob, db := memory.NewBufferWithAllocator(offs, d.mem), memory.NewBufferWithAllocator(data, d.mem)
	defer ob.Release()
	defer db.Release()
	return array.NewData(vt, len(d.dictOffs)-1, []*memory.Buffer{nil, ob, db}, nil, 0, 0)
}

// dictionary copies a PLAIN-encoded dictionary page of n values.
func (d *columnDecoder) dictionary(b []byte, n int) error {
	if d.haveDict || n < 0 {
		return errSlowPath
	}
	d.haveDict = true
	switch d.kind {
	case fkInt32, fkFloat32:
		if len(b) < 4*n {
			return errSlowPath
		}
		d.dict4 = make([]uint32, n)
		copy(bytesOf(d.dict4), b)
	case fkInt64, fkFloat64:
		if len(b) < 8*n {
			return errSlowPath
		}
		d.dict8 = make([]uint64, n)
		copy(bytesOf(d.dict8), b)
	case fkBytes, fkDict:
		d.dictOffs = make([]int32, 1, n+1)
		d.dictData = make([]byte, 0, len(b))
		for range n {
			if len(b) < 4 {
				return errSlowPath
			}
			l := int(binary.LittleEndian.Uint32(b))
			if l > len(b)-4 {
				return errSlowPath
			}
			d.dictData = append(d.dictData, b[4:4+l]...)
			d.dictOffs = append(d.dictOffs, int32(len(d.dictData)))
			b = b[4+l:]
		}
	default:
		return errSlowPath
	}
	return nil
}

// page decodes one data page of n level entries (rows: the column is flat).
func (d *columnDecoder) page(enc pq.Encoding, values, levels []byte, n int) error {
	if n < 0 || n > d.rows-d.pos {
		return errSlowPath
	}
	nonNull := n
	var lv []uint32
	if d.maxDef > 0 {
		if allValid(levels, n) { // the usual page of a column without nulls
			if d.valid != nil {
				setBits(d.valid, d.pos, d.pos+n)
			}
		} else {
			lv = grow(&d.levels, n)
			if err := decodeHybrid(levels, 1, lv); err != nil {
				return err
			}
			nonNull = d.applyLevels(lv)
		}
	}
	dictEnc := enc == pq.Encodings.PlainDict || enc == pq.Encodings.RLEDict
	var idx []uint32
	if dictEnc {
		if !d.haveDict || len(values) < 1 || values[0] > 32 {
			return errSlowPath
		}
		idx = grow(&d.idx, nonNull)
		if err := decodeHybrid(values[1:], uint(values[0]), idx); err != nil {
			return err
		}
	} else if enc != pq.Encodings.Plain && !(d.kind == fkBool && enc == pq.Encodings.RLE) {
		return errSlowPath
	}
	var err error
	switch d.kind {
	case fkInt32, fkFloat32:
		out := viewAs[uint32](d.vals)[d.pos : d.pos+n]
		if dictEnc {
			err = gather(out[:nonNull], d.dict4, idx)
		} else {
			err = copyPlain(out[:nonNull], values)
		}
		spreadNulls(out, lv, nonNull)
	case fkInt64, fkFloat64:
		out := viewAs[uint64](d.vals)[d.pos : d.pos+n]
		if dictEnc {
			err = gather(out[:nonNull], d.dict8, idx)
		} else {
			err = copyPlain(out[:nonNull], values)
		}
		spreadNulls(out, lv, nonNull)
	case fkDict:
		if !dictEnc {
			return errSlowPath // a dictionary that overflowed to PLAIN: pqarrow re-encodes
		}
		out := viewAs[int32](d.vals)[d.pos : d.pos+n]
		limit := uint32(len(d.dictOffs) - 1)
		for i, x := range idx {
			if x >= limit {
				return errSlowPath
			}
			out[i] = int32(x)
		}
		spreadNulls(out, lv, nonNull)
	case fkBool:
		err = d.bools(enc, values, lv, n, nonNull)
	case fkBytes:
		err = d.byteArrays(dictEnc, values, idx, lv, n)
	}
	if err != nil {
		return err
	}
	d.pos += n
	return nil
}

// applyLevels records the page's validity and returns its non-null count.
func (d *columnDecoder) applyLevels(lv []uint32) int {
	nonNull := 0
	for _, l := range lv {
		nonNull += int(l & 1)
	}
	if nonNull == len(lv) && d.valid == nil {
		return nonNull
	}
	if d.valid == nil {
		d.valid = d.mem.Allocate(int(bitutilBytes(d.rows)))
		setBits(d.valid, 0, d.pos)
	}
	for i, l := range lv {
		if l&1 != 0 {
			d.valid[(d.pos+i)>>3] |= 1 << ((d.pos + i) & 7)
		}
	}
	d.nulls += len(lv) - nonNull
	return nonNull
}

func (d *columnDecoder) bools(enc pq.Encoding, values []byte, lv []uint32, n, nonNull int) error {
	src := grow(&d.idx, nonNull)
	if enc == pq.Encodings.RLE {
		if len(values) < 4 {
			return errSlowPath
		}
		l := int(binary.LittleEndian.Uint32(values))
		if l > len(values)-4 {
			return errSlowPath
		}
		if err := decodeHybrid(values[4:4+l], 1, src); err != nil {
			return err
		}
	} else {
		if len(values)*8 < nonNull {
			return errSlowPath
		}
		for i := range src {
			src[i] = uint32(values[i>>3]>>(i&7)) & 1
		}
	}
	j := 0
	for i := range n {
		if lv != nil && lv[i]&1 == 0 {
			continue
		}
		if src[j] != 0 {
			p := d.pos + i
			d.vals[p>>3] |= 1 << (p & 7)
		}
		j++
	}
	return nil
}

func (d *columnDecoder) byteArrays(dictEnc bool, values []byte, idx []uint32, lv []uint32, n int) error {
	offs := viewAs[int32](d.offs)
	off := int32(d.dataN)
	offs[0] = 0
	j := 0
	for i := range n {
		if lv == nil || lv[i]&1 != 0 {
			var v []byte
			if dictEnc {
				x := idx[j]
				if int(x) >= len(d.dictOffs)-1 {
					return errSlowPath
				}
				v = d.dictData[d.dictOffs[x]:d.dictOffs[x+1]]
			} else {
				if len(values) < 4 {
					return errSlowPath
				}
				l := int(binary.LittleEndian.Uint32(values))
				if l > len(values)-4 {
					return errSlowPath
				}
				v, values = values[4:4+l], values[4+l:]
			}
			j++
			if len(v) > math.MaxInt32-d.dataN {
				return errSlowPath // past int32 offsets: pqarrow chunks it
			}
			if d.dataN+len(v) > len(d.data) {
				d.data = d.mem.Reallocate(min(max(2*len(d.data), d.dataN+len(v)), math.MaxInt32), d.data)
			}
			d.dataN += copy(d.data[d.dataN:], v)
			off = int32(d.dataN)
		}
		offs[d.pos+i+1] = off
	}
	return nil
}

// allValid says whether 1-bit definition levels start with a run of at
// least n ones.
func allValid(levels []byte, n int) bool {
	h, k := binary.Uvarint(levels)
	return k > 0 && h&1 == 0 && h>>1 >= uint64(n) && len(levels) > k && levels[k] == 1
}

// decodeHybrid fills out from Parquet's RLE / bit-packed hybrid encoding
// of width-bit values.
func decodeHybrid(data []byte, width uint, out []uint32) error {
	if width > 32 {
		return errSlowPath
	}
	mask := uint32(uint64(1)<<width - 1)
	bw := int(width+7) / 8
	i := 0
	for i < len(out) {
		h, k := binary.Uvarint(data)
		if k <= 0 {
			return errSlowPath
		}
		data = data[k:]
		if h&1 == 0 { // a run of one value
			if len(data) < bw {
				return errSlowPath
			}
			var v uint32
			for b := range bw {
				v |= uint32(data[b]) << (8 * b)
			}
			data = data[bw:]
			m := int(min(h>>1, uint64(len(out)-i)))
			fill(out[i:i+m], v&mask)
			i += m
			continue
		}
		// A run cannot hold more groups than bytes remain (width >= 1);
		// clamping keeps the products below from overflowing.
		groups := min(h>>1, uint64(len(data))+1)
		if groups == 0 {
			continue // an empty run: legal, if useless
		}
		if width == 0 {
			m := int(min(groups*8, uint64(len(out)-i)))
			fill(out[i:i+m], 0)
			i += m
			continue
		}
		nbytes := int(min(groups*uint64(width), uint64(len(data))))
		m := min(int(min(groups*8, uint64(len(out)-i))), nbytes*8/int(width))
		if m == 0 {
			return errSlowPath
		}
		unpack(data[:nbytes], width, out[i:i+m])
		data = data[nbytes:]
		i += m
	}
	return nil
}

// unpack reads len(out) little-endian width-bit values from src.
func unpack(src []byte, width uint, out []uint32) {
	mask := uint64(1)<<width - 1
	bit := uint(0)
	j := 0
	// Whole 64-bit loads while 8 bytes remain past the value's first byte.
	for ; j < len(out) && int(bit>>3)+8 <= len(src); j++ {
		w := binary.LittleEndian.Uint64(src[bit>>3:])
		out[j] = uint32(w >> (bit & 7) & mask)
		bit += width
	}
	for ; j < len(out); j++ {
		var w uint64
		for b, p := 0, int(bit>>3); b < 8 && p+b < len(src); b++ {
			w |= uint64(src[p+b]) << (8 * b)
		}
		out[j] = uint32(w >> (bit & 7) & mask)
		bit += width
	}
}

func fill(s []uint32, v uint32) {
	for i := range s {
		s[i] = v
	}
}

// gather sets out[i] = dict[idx[i]].
func gather[T uint32 | uint64](out, dict []T, idx []uint32) error {
	n := uint32(len(dict))
	for i, x := range idx {
		if x >= n {
			return errSlowPath
		}
		out[i] = dict[x]
	}
	return nil
}

// copyPlain copies PLAIN fixed-width values.
func copyPlain[T uint32 | uint64](out []T, values []byte) error {
	b := bytesOf(out)
	if len(values) < len(b) {
		return errSlowPath
	}
	copy(b, values)
	return nil
}

// spreadNulls spreads the first nonNull values of out to the rows whose level
// says valid, back to front, zeroing null slots (Arrow leaves them
// undefined; zero keeps outputs reproducible).
func spreadNulls[T any](out []T, lv []uint32, nonNull int) {
	if lv == nil || nonNull == len(out) {
		return
	}
	var zero T
	j := nonNull - 1
	for i := len(out) - 1; i > j; i-- {
		if lv[i]&1 != 0 {
			out[i] = out[j]
			j--
		} else {
			out[i] = zero
		}
	}
}

func setBits(b []byte, from, to int) {
	for i := from; i < to; i++ {
		b[i>>3] |= 1 << (i & 7)
	}
}

func bitutilBytes(n int) int { return (n + 7) / 8 }

func grow(s *[]uint32, n int) []uint32 {
	if cap(*s) < n {
		*s = make([]uint32, n)
	}
	return (*s)[:n]
}

// viewAs views b (allocator memory, 64-byte aligned) as a slice of T.
func viewAs[T any](b []byte) []T {
	if len(b) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(zero)))
}

// bytesOf is viewAs' inverse.
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}
