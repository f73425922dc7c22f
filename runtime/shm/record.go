package shm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// PutRecord creates object id holding rec as an Arrow IPC stream (schema,
// one record batch, end of stream) written straight into shared memory,
// and seals it.
func (c *Client) PutRecord(ctx context.Context, id ID, rec arrow.Record) error {
	// Measure first: the object's size is fixed at Create. Writing the
	// stream to a counter copies nothing.
	var cw countWriter
	if err := writeRecord(&cw, rec); err != nil {
		return fmt.Errorf("shm: node %s: object %s: encode record: %w", c.b.node(), id, err)
	}
	w, err := c.Create(ctx, id, cw.n)
	if err != nil {
		return err
	}
	// Large buffers go straight through to the file; the small pieces
	// between them (metadata, padding) are gathered.
	bw := bufio.NewWriterSize(w, 256<<10)
	err = writeRecord(bw, rec)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && w.off != cw.n {
		err = fmt.Errorf("wrote %d bytes, measured %d", w.off, cw.n)
	}
	if err != nil {
		err = fmt.Errorf("shm: node %s: object %s: encode record: %w", c.b.node(), id, err)
		if aerr := w.Abort(ctx); aerr != nil {
			err = fmt.Errorf("%w (abort: %v)", err, aerr)
		}
		return err
	}
	return w.Seal(ctx)
}

func writeRecord(w io.Writer, rec arrow.Record) error {
	iw := ipc.NewWriter(w, ipc.WithSchema(rec.Schema()))
	err := iw.Write(rec)
	if cerr := iw.Close(); err == nil {
		err = cerr
	}
	return err
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// GetRecord returns object id, an Arrow IPC stream of one record batch, as
// an arrow.Record whose buffers point into the read-only shared mapping:
// nothing is copied. The mapping, and the object's pin, last until every
// array of the record is released (columns taken out of it and retained
// keep it too), so the caller must Release the record.
//
// Batches that cannot be read in place — compressed bodies, dictionary,
// union, view and run-end-encoded columns, buffers not 8-byte aligned — are
// read with arrow's IPC reader into Go memory instead; the mapping is then
// released before GetRecord returns.
func (c *Client) GetRecord(ctx context.Context, id ID) (arrow.Record, error) {
	data, release, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	rec, _, err := recordFromIPC(data, release)
	if err != nil {
		return nil, fmt.Errorf("shm: node %s: object %s: %w", c.b.node(), id, err)
	}
	return rec, nil
}

// mapping owns a shared mapping that Arrow buffers point into: it is the
// allocator of their parent buffer, whose Free (at the last Release)
// unmaps it and unpins the object.
type mapping struct {
	release func()
}

// Allocate and Reallocate are never called: the parent buffer is
// immutable. They allocate from Go's heap all the same.
func (m *mapping) Allocate(n int) []byte { return make([]byte, n) }

func (m *mapping) Reallocate(n int, b []byte) []byte {
	nb := make([]byte, n)
	copy(nb, b)
	return nb
}

func (m *mapping) Free([]byte) { m.release() }

// recordFromIPC reads the one record batch of the IPC stream in data and
// arranges for release to be called when the record no longer needs data.
// zeroCopy reports whether the record points into data; if not, release
// has been called.
func recordFromIPC(data []byte, release func()) (rec arrow.Record, zeroCopy bool, err error) {
	if err := checkSchema(data); err != nil {
		release()
		return nil, false, err
	}
	br := bytes.NewReader(data)
	ir, err := ipc.NewReader(br, ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		release()
		return nil, false, err
	}
	schema := ir.Schema()
	ir.Release()
	pos := len(data) - br.Len()
	if supported(schema) {
		rec, err := readInPlaceSafe(data, pos, schema, release)
		if err == nil {
			return rec, true, nil
		}
		if !errors.Is(err, errCopyInstead) {
			release()
			return nil, false, err
		}
	}
	rec, err = readCopy(data)
	release()
	return rec, false, err
}

// errCopyInstead says a batch must be read by copying.
var errCopyInstead = errors.New("cannot be read in place")

// readCopy reads the one batch of data with arrow's reader, into Go memory.
func readCopy(data []byte) (arrow.Record, error) {
	ir, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		return nil, err
	}
	defer ir.Release()
	if !ir.Next() {
		if err := ir.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("no record batch in the IPC stream")
	}
	rec := ir.Record()
	rec.Retain()
	if ir.Next() {
		rec.Release()
		return nil, errors.New("more than one record batch in the IPC stream")
	}
	if err := ir.Err(); err != nil {
		rec.Release()
		return nil, err
	}
	return rec, nil
}

// supported reports whether columns of type dt can be read in place.
func supported(schema *arrow.Schema) bool {
	if !schema.IsNativeEndian() {
		return false
	}
	for _, f := range schema.Fields() {
		if !supportedType(f.Type) {
			return false
		}
	}
	return true
}

func supportedType(dt arrow.DataType) bool {
	switch dt := dt.(type) {
	case *arrow.NullType, *arrow.BooleanType,
		*arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type,
		*arrow.Uint8Type, *arrow.Uint16Type, *arrow.Uint32Type, *arrow.Uint64Type,
		*arrow.Float16Type, *arrow.Float32Type, *arrow.Float64Type,
		*arrow.Decimal128Type, *arrow.Decimal256Type,
		*arrow.Time32Type, *arrow.Time64Type, *arrow.TimestampType,
		*arrow.Date32Type, *arrow.Date64Type,
		*arrow.MonthIntervalType, *arrow.DayTimeIntervalType, *arrow.MonthDayNanoIntervalType,
		*arrow.DurationType, *arrow.FixedSizeBinaryType,
		*arrow.BinaryType, *arrow.StringType, *arrow.LargeBinaryType, *arrow.LargeStringType:
		return true
	case *arrow.ListType:
		return supportedType(dt.Elem())
	case *arrow.LargeListType:
		return supportedType(dt.Elem())
	case *arrow.FixedSizeListType:
		return supportedType(dt.Elem())
	case *arrow.MapType:
		return supportedType(dt.Elem())
	case *arrow.StructType:
		for _, f := range dt.Fields() {
			if !supportedType(f.Type) {
				return false
			}
		}
		return true
	}
	return false
}

const (
	ipcContinuation   = 0xFFFFFFFF
	headerRecordBatch = 3
	fieldNodeSize     = 16 // struct FieldNode { length: long; null_count: long }
	bufferSize        = 16 // struct Buffer { offset: long; length: long }
)

// readMessage locates the IPC message at pos: its flatbuffer metadata, and
// its body's start and length. eos is true at an end-of-stream marker or
// the end of data.
func readMessage(data []byte, pos int) (meta []byte, bodyStart int, bodyLen int64, eos bool, err error) {
	if pos >= len(data) {
		return nil, 0, 0, true, nil
	}
	cont, ok := le32(data, pos)
	if !ok {
		return nil, 0, 0, false, errBadMessage
	}
	pos += 4
	metaLen := cont
	if cont == ipcContinuation {
		if metaLen, ok = le32(data, pos); !ok {
			return nil, 0, 0, false, errBadMessage
		}
		pos += 4
	}
	if metaLen == 0 {
		return nil, 0, 0, true, nil
	}
	if uint64(metaLen) > uint64(len(data)-pos) {
		return nil, 0, 0, false, errBadMessage
	}
	meta = data[pos : pos+int(metaLen)]
	msg, err := fbRoot(meta)
	if err != nil {
		return nil, 0, 0, false, err
	}
	bodyLen, err = msg.int64(3)
	if err != nil {
		return nil, 0, 0, false, err
	}
	bodyStart = pos + int(metaLen)
	if bodyLen < 0 || bodyLen > int64(len(data)-bodyStart) {
		return nil, 0, 0, false, errBadMessage
	}
	return meta, bodyStart, bodyLen, false, nil
}

// readInPlaceSafe is readInPlace turning a panic of arrow's array
// constructors, which trust buffer lengths, into an error: a corrupt object
// must not bring the process down.
func readInPlaceSafe(data []byte, pos int, schema *arrow.Schema, release func()) (rec arrow.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			rec, err = nil, fmt.Errorf("%w: %v", errBadMessage, p)
		}
	}()
	return readInPlace(data, pos, schema, release)
}

// readInPlace builds the record batch of the message at pos with buffers
// sliced from data.
func readInPlace(data []byte, pos int, schema *arrow.Schema, release func()) (arrow.Record, error) {
	meta, bodyStart, bodyLen, eos, err := readMessage(data, pos)
	if err != nil {
		return nil, err
	}
	if eos {
		return nil, errors.New("no record batch in the IPC stream")
	}
	msg, _ := fbRoot(meta)
	typ, err := msg.uint8(1)
	if err != nil {
		return nil, err
	}
	if typ != headerRecordBatch {
		return nil, errCopyInstead // e.g. a dictionary batch
	}
	rb, ok, err := msg.table(2)
	if err != nil || !ok {
		return nil, errBadMessage
	}
	length, err := rb.int64(0)
	if err != nil {
		return nil, err
	}
	nodes, err := rb.structs(1, fieldNodeSize)
	if err != nil {
		return nil, err
	}
	bufs, err := rb.structs(2, bufferSize)
	if err != nil {
		return nil, err
	}
	if _, compressed, err := rb.table(3); err != nil || compressed {
		return nil, errors.Join(err, errCopyInstead)
	}
	_, _, _, eos, err = readMessage(data, bodyStart+int(bodyLen))
	if err != nil {
		return nil, err
	}
	if !eos {
		return nil, errors.New("more than one record batch in the IPC stream")
	}

	parent := memory.NewBufferWithAllocator(data, &mapping{release: release})
	l := &loader{data: data, parent: parent, bodyStart: bodyStart, bodyLen: bodyLen, nodes: nodes, bufs: bufs}
	cols := make([]arrow.Array, 0, len(schema.Fields()))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, f := range schema.Fields() {
		d, err := l.load(f.Type)
		if err != nil {
			// The partial columns are released (deferred), and our own
			// reference is dropped without Release, which would unmap
			// data under the caller, who falls back or releases it.
			return nil, err
		}
		cols = append(cols, array.MakeFromData(d))
		d.Release()
	}
	rec := array.NewRecord(schema, cols, length)
	parent.Release() // the record's buffers hold the mapping from here on
	return rec, nil
}

// loader walks a record batch's field nodes and buffers in schema order,
// as arrow's IPC reader does, slicing buffers out of the mapping.
type loader struct {
	data      []byte
	parent    *memory.Buffer
	bodyStart int
	bodyLen   int64
	nodes     [][]byte
	bufs      [][]byte
	inode     int
	ibuf      int
	made      []*memory.Buffer // our references, released when the batch is built
}

func (l *loader) node() (length, nulls int, err error) {
	if l.inode >= len(l.nodes) {
		return 0, 0, errBadMessage
	}
	n := l.nodes[l.inode]
	l.inode++
	length64 := int64(binary.LittleEndian.Uint64(n))
	nulls64 := int64(binary.LittleEndian.Uint64(n[8:]))
	if length64 < 0 || nulls64 < 0 || nulls64 > length64 || int64(int(length64)) != length64 {
		return 0, 0, errBadMessage
	}
	return int(length64), int(nulls64), nil
}

func (l *loader) skip() { l.ibuf++ }

func (l *loader) buffer() (*memory.Buffer, error) {
	if l.ibuf >= len(l.bufs) {
		return nil, errBadMessage
	}
	b := l.bufs[l.ibuf]
	l.ibuf++
	off := int64(binary.LittleEndian.Uint64(b))
	n := int64(binary.LittleEndian.Uint64(b[8:]))
	if off < 0 || n < 0 || off > l.bodyLen || n > l.bodyLen-off {
		return nil, errBadMessage
	}
	if n == 0 {
		return memory.NewBufferBytes(nil), nil
	}
	start := l.bodyStart + int(off)
	if start%8 != 0 {
		return nil, errCopyInstead // Arrow reads values through typed pointers
	}
	buf := memory.SliceBuffer(l.parent, start, int(n))
	l.made = append(l.made, buf)
	return buf, nil
}

// validity returns the validity bitmap, absent when there are no nulls.
func (l *loader) validity(nulls int) (*memory.Buffer, error) {
	if nulls == 0 {
		l.skip()
		return nil, nil
	}
	return l.buffer()
}

// buffers reads n buffers after the validity bitmap.
func (l *loader) buffers(nulls, n int) ([]*memory.Buffer, error) {
	v, err := l.validity(nulls)
	if err != nil {
		return nil, err
	}
	out := []*memory.Buffer{v}
	for range n {
		b, err := l.buffer()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// load reads the next array, of type dt. The caller releases it.
func (l *loader) load(dt arrow.DataType) (d arrow.ArrayData, err error) {
	defer func() {
		// array.NewData took references of its own.
		for _, b := range l.made {
			b.Release()
		}
		l.made = l.made[:0]
	}()
	return l.loadArray(dt, 0)
}

const maxNesting = 64

func (l *loader) loadArray(dt arrow.DataType, depth int) (arrow.ArrayData, error) {
	if depth > maxNesting {
		return nil, errCopyInstead
	}
	length, nulls, err := l.node()
	if err != nil {
		return nil, err
	}
	var (
		bufs     []*memory.Buffer
		children []arrow.ArrayData
	)
	defer func() {
		for _, c := range children {
			c.Release()
		}
	}()
	child := func(t arrow.DataType) error {
		c, err := l.loadArray(t, depth+1)
		if err == nil {
			children = append(children, c)
		}
		return err
	}
	switch dt := dt.(type) {
	case *arrow.NullType:
		return array.NewData(dt, length, nil, nil, nulls, 0), nil
	case *arrow.BinaryType, *arrow.StringType, *arrow.LargeBinaryType, *arrow.LargeStringType:
		bufs, err = l.buffers(nulls, 2)
	case *arrow.FixedSizeBinaryType:
		bufs, err = l.buffers(nulls, 1)
	case *arrow.ListType:
		if bufs, err = l.buffers(nulls, 1); err == nil {
			err = child(dt.Elem())
		}
	case *arrow.LargeListType:
		if bufs, err = l.buffers(nulls, 1); err == nil {
			err = child(dt.Elem())
		}
	case *arrow.MapType:
		if bufs, err = l.buffers(nulls, 1); err == nil {
			err = child(dt.Elem())
		}
	case *arrow.FixedSizeListType:
		if bufs, err = l.buffers(nulls, 0); err == nil {
			err = child(dt.Elem())
		}
	case *arrow.StructType:
		bufs, err = l.buffers(nulls, 0)
		for _, f := range dt.Fields() {
			if err != nil {
				break
			}
			err = child(f.Type)
		}
	default:
		if !supportedType(dt) {
			return nil, errCopyInstead
		}
		// Fixed-width values: arrow's writer sends no data buffer for an
		// empty array, but still counts one.
		if length == 0 {
			if bufs, err = l.buffers(nulls, 0); err == nil {
				l.skip()
				bufs = append(bufs, nil)
			}
		} else {
			bufs, err = l.buffers(nulls, 1)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := checkLayout(dt, length, nulls, bufs, children); err != nil {
		return nil, err
	}
	return array.NewData(dt, length, bufs, children, nulls, 0), nil
}

// checkLayout checks that an array's buffers and children are as long as
// its length needs, and that its offsets stay within its values, so that
// no access to the record can go out of bounds, whatever the object holds.
// Offsets are read in full: a scan of the offsets buffer, small beside the
// values it indexes.
func checkLayout(dt arrow.DataType, length, nulls int, bufs []*memory.Buffer, children []arrow.ArrayData) error {
	n := int64(length)
	bitsFit := func(b *memory.Buffer, bits int64) bool {
		// b holds n values of bits each; divide rather than multiply, so
		// that a huge corrupt length cannot overflow.
		return n == 0 || (b != nil && int64(b.Len())*8/bits >= n)
	}
	if nulls > 0 && !bitsFit(bufs[0], 1) {
		return errBadMessage
	}
	switch dt := dt.(type) {
	case *arrow.NullType:
		return nil
	case *arrow.BinaryType, *arrow.StringType:
		return checkOffsets32(bufs[1], n, int64(bufs[2].Len()))
	case *arrow.LargeBinaryType, *arrow.LargeStringType:
		return checkOffsets64(bufs[1], n, int64(bufs[2].Len()))
	case *arrow.ListType:
		return checkOffsets32(bufs[1], n, int64(children[0].Len()))
	case *arrow.MapType:
		return checkOffsets32(bufs[1], n, int64(children[0].Len()))
	case *arrow.LargeListType:
		return checkOffsets64(bufs[1], n, int64(children[0].Len()))
	case *arrow.FixedSizeListType:
		if size := int64(dt.Len()); size < 0 || (size > 0 && int64(children[0].Len())/size < n) {
			return errBadMessage
		}
		return nil
	case *arrow.StructType:
		for _, c := range children {
			if c.Len() < length {
				return errBadMessage
			}
		}
		return nil
	case *arrow.FixedSizeBinaryType:
		if !bitsFit(bufs[1], 8*int64(dt.ByteWidth)) {
			return errBadMessage
		}
		return nil
	case arrow.FixedWidthDataType:
		if !bitsFit(bufs[1], int64(dt.BitWidth())) {
			return errBadMessage
		}
		return nil
	}
	return errCopyInstead
}

func checkOffsets32(b *memory.Buffer, n, limit int64) error {
	if n == 0 {
		return nil
	}
	if b == nil || int64(b.Len())/4 < n+1 {
		return errBadMessage
	}
	prev := int32(0)
	for i, o := range arrow.Int32Traits.CastFromBytes(b.Bytes())[:n+1] {
		if o < prev && i > 0 || o < 0 || int64(o) > limit {
			return errBadMessage
		}
		prev = o
	}
	return nil
}

func checkOffsets64(b *memory.Buffer, n, limit int64) error {
	if n == 0 {
		return nil
	}
	if b == nil || int64(b.Len())/8 < n+1 {
		return errBadMessage
	}
	prev := int64(0)
	for i, o := range arrow.Int64Traits.CastFromBytes(b.Bytes())[:n+1] {
		if o < prev && i > 0 || o < 0 || o > limit {
			return errBadMessage
		}
		prev = o
	}
	return nil
}
