package objstore

import (
	"bufio"
	"encoding"
	"encoding/gob"
	"fmt"
	"io"
	"reflect"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// kind is how a value is encoded in its spill file.
type kind uint8

const (
	kindNone   kind = iota // cannot be spilled
	kindBytes              // []byte, raw
	kindString             // string, raw
	kindRecord             // arrow.Record, one batch of an IPC stream
	kindArray              // arrow.Array, as the one column of a record
	kindTable              // arrow.Table, an IPC stream of its batches
	kindGob                // anything else, encoding/gob of the dynamic type
)

// kindOf returns how v would be encoded, and for gob its dynamic type.
func kindOf(v any) (kind, reflect.Type) {
	switch v.(type) {
	case nil, error:
		return kindNone, nil
	case []byte:
		return kindBytes, nil
	case string:
		return kindString, nil
	case arrow.Record:
		return kindRecord, nil
	case arrow.Table:
		return kindTable, nil
	case arrow.Array:
		return kindArray, nil
	}
	t := reflect.TypeOf(v)
	if !gobLossless(t) {
		return kindNone, nil
	}
	return kindGob, t
}

// encode writes v, of kind k, to w.
func encode(w io.Writer, k kind, v any) error {
	switch k {
	case kindBytes:
		_, err := w.Write(v.([]byte))
		return err
	case kindString:
		_, err := io.WriteString(w, v.(string))
		return err
	case kindRecord:
		rec := v.(arrow.Record)
		return writeIPC(w, rec.Schema(), func(iw *ipc.Writer) error { return iw.Write(rec) })
	case kindArray:
		arr := v.(arrow.Array)
		schema := arrow.NewSchema([]arrow.Field{{Name: "array", Type: arr.DataType(), Nullable: true}}, nil)
		rec := array.NewRecord(schema, []arrow.Array{arr}, int64(arr.Len()))
		defer rec.Release()
		return writeIPC(w, schema, func(iw *ipc.Writer) error { return iw.Write(rec) })
	case kindTable:
		tbl := v.(arrow.Table)
		return writeIPC(w, tbl.Schema(), func(iw *ipc.Writer) error {
			tr := array.NewTableReader(tbl, -1)
			defer tr.Release()
			for tr.Next() {
				if err := iw.Write(tr.Record()); err != nil {
					return err
				}
			}
			return tr.Err()
		})
	case kindGob:
		return gob.NewEncoder(w).EncodeValue(reflect.ValueOf(v))
	}
	return errNotSpillable
}

func writeIPC(w io.Writer, schema *arrow.Schema, write func(*ipc.Writer) error) error {
	iw := ipc.NewWriter(w, ipc.WithSchema(schema))
	err := write(iw)
	if cerr := iw.Close(); err == nil {
		err = cerr
	}
	return err
}

// decode reads a value of f's kind from r. Arrow buffers come from alloc.
func decode(r io.Reader, f *spillFile, alloc memory.Allocator) (any, error) {
	switch f.kind {
	case kindBytes:
		return io.ReadAll(r)
	case kindString:
		b, err := io.ReadAll(r)
		return string(b), err
	case kindRecord, kindArray:
		recs, _, err := readIPC(r, alloc)
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			releaseAll(recordsAsAny(recs))
			return nil, fmt.Errorf("%d record batches, want 1", len(recs))
		}
		if f.kind == kindRecord {
			return recs[0], nil
		}
		arr := recs[0].Column(0)
		arr.Retain()
		recs[0].Release()
		return arr, nil
	case kindTable:
		recs, schema, err := readIPC(r, alloc)
		if err != nil {
			return nil, err
		}
		tbl := array.NewTableFromRecords(schema, recs)
		releaseAll(recordsAsAny(recs))
		return tbl, nil
	case kindGob:
		p := reflect.New(f.typ)
		if err := gob.NewDecoder(r).DecodeValue(p); err != nil {
			return nil, err
		}
		return p.Elem().Interface(), nil
	}
	return nil, fmt.Errorf("unknown kind %d", f.kind)
}

// readIPC reads every record batch of an IPC stream. The caller owns them.
func readIPC(r io.Reader, alloc memory.Allocator) ([]arrow.Record, *arrow.Schema, error) {
	ir, err := ipc.NewReader(r, ipc.WithAllocator(alloc))
	if err != nil {
		return nil, nil, err
	}
	defer ir.Release()
	var recs []arrow.Record
	for ir.Next() {
		rec := ir.Record()
		rec.Retain()
		recs = append(recs, rec)
	}
	if err := ir.Err(); err != nil {
		releaseAll(recordsAsAny(recs))
		return nil, nil, err
	}
	return recs, ir.Schema(), nil
}

func recordsAsAny(recs []arrow.Record) []any {
	vs := make([]any, len(recs))
	for i, r := range recs {
		vs[i] = r
	}
	return vs
}

// newCompressor returns a writer compressing into w a value of about size
// bytes; Close ends the stream but does not close w.
func newCompressor(c Compression, w io.Writer, size int64) (io.WriteCloser, error) {
	switch c {
	case LZ4:
		zw := lz4.NewWriter(w)
		// A block buffer is allocated whole, and the reader allocates one
		// per read: size it to the value.
		if err := zw.Apply(lz4.BlockSizeOption(lz4BlockSize(size))); err != nil {
			return nil, err
		}
		return zw, nil
	case Zstd:
		enc, _ := zstdEncoders.Get().(*zstd.Encoder)
		if enc == nil {
			var err error
			if enc, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1)); err != nil {
				return nil, err
			}
		}
		enc.ResetContentSize(w, -1)
		return zstdWriter{enc}, nil
	}
	return nil, fmt.Errorf("unknown compression %v", c)
}

func lz4BlockSize(size int64) lz4.BlockSize {
	switch {
	case size <= 64<<10:
		return lz4.Block64Kb
	case size <= 256<<10:
		return lz4.Block256Kb
	case size <= 1<<20:
		return lz4.Block1Mb
	}
	return lz4.Block4Mb
}

// Zstd coders are costly to make and safe to reuse after Reset; with a
// concurrency of 1 they run no goroutines, so the pools may drop them.
var zstdEncoders, zstdDecoders sync.Pool

type zstdWriter struct{ *zstd.Encoder }

func (z zstdWriter) Close() error {
	err := z.Encoder.Close()
	z.Encoder.Reset(nil)
	zstdEncoders.Put(z.Encoder)
	return err
}

type zstdReader struct{ *zstd.Decoder }

func (z zstdReader) Close() error {
	z.Decoder.Reset(nil)
	zstdDecoders.Put(z.Decoder)
	return nil
}

// newDecompressor returns a reader decompressing r; Close releases it but
// does not close r.
func newDecompressor(c Compression, r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	switch c {
	case LZ4:
		return io.NopCloser(lz4.NewReader(br)), nil
	case Zstd:
		dec, _ := zstdDecoders.Get().(*zstd.Decoder)
		if dec == nil {
			var err error
			if dec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1)); err != nil {
				return nil, err
			}
		}
		if err := dec.Reset(br); err != nil {
			return nil, err
		}
		return zstdReader{dec}, nil
	}
	return nil, fmt.Errorf("unknown compression %v", c)
}

// countWriter counts the bytes written to w and keeps the first error, so
// that a failing disk can be told from a value that cannot be encoded.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}

var gobLosslessCache sync.Map // reflect.Type -> bool

// gobLossless reports whether gob round-trips values of type t without
// silently dropping data: gob skips unexported, chan and func fields, which
// would make a spilled value come back different. Types that encode
// themselves (GobEncoder, BinaryMarshaler, TextMarshaler) are trusted.
func gobLossless(t reflect.Type) bool {
	if ok, found := gobLosslessCache.Load(t); found {
		return ok.(bool)
	}
	ok := typeLossless(t, make(map[reflect.Type]bool))
	gobLosslessCache.Store(t, ok)
	return ok
}

var (
	gobEncoderType      = reflect.TypeFor[gob.GobEncoder]()
	binaryMarshalerType = reflect.TypeFor[encoding.BinaryMarshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
)

// marshals reports whether gob encodes t with the type's own method.
func marshals(t reflect.Type) bool {
	return t.Implements(gobEncoderType) || t.Implements(binaryMarshalerType) || t.Implements(textMarshalerType)
}

func typeLossless(t reflect.Type, seen map[reflect.Type]bool) bool {
	if marshals(t) || marshals(reflect.PointerTo(t)) {
		return true
	}
	if seen[t] {
		return true // a recursive type: its other parts decide
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	case reflect.Array, reflect.Slice, reflect.Pointer:
		return typeLossless(t.Elem(), seen)
	case reflect.Map:
		return typeLossless(t.Key(), seen) && typeLossless(t.Elem(), seen)
	case reflect.Interface:
		return true // gob itself refuses unregistered concrete types
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || !typeLossless(f.Type, seen) {
				return false
			}
		}
		return true
	}
	return false
}
