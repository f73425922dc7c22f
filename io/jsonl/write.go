package jsonl

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// WriteOptions configure WriteFile and Write.
type WriteOptions struct {
	// Progress, if set, is called every 4096 rows and at the end of each
	// record with the rows written so far (to the writer's buffer) and
	// the total rows of recs. Calls come from the calling goroutine; done
	// never decreases and the last call has done == total (no call for
	// zero rows).
	Progress func(done, total int64)
}

// WriteFile writes recs to path as JSON lines (see the package doc for the
// format) through a temporary file in the same directory renamed over
// path, so readers never see a partial file. Records are borrowed.
func WriteFile(ctx context.Context, path string, recs []arrow.Record, opt WriteOptions) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := Write(ctx, tmp, recs, opt); err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("jsonl: %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	return nil
}

// Write writes recs to w as JSON lines, one object per row, keys in each
// record's schema order. Records are borrowed; w is not closed.
func Write(ctx context.Context, w io.Writer, recs []arrow.Record, opt WriteOptions) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var line []byte
	var total, done int64
	for _, rec := range recs {
		total += rec.NumRows()
	}
	for _, rec := range recs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("jsonl: %w", err)
		}
		n := int(rec.NumCols())
		keys := make([][]byte, n)
		vals := make([]valueWriter, n)
		for j := 0; j < n; j++ {
			k := []byte{'{'}
			if j > 0 {
				k[0] = ','
			}
			k = appendString(k, rec.ColumnName(j))
			keys[j] = append(k, ':')
			vw, err := newValueWriter(rec.Column(j))
			if err != nil {
				return fmt.Errorf("jsonl: column %q: %w", rec.ColumnName(j), err)
			}
			vals[j] = vw
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			line = line[:0]
			if n == 0 {
				line = append(line, '{')
			}
			for j := 0; j < n; j++ {
				line = append(line, keys[j]...)
				line = vals[j](line, i)
			}
			line = append(line, '}', '\n')
			if _, err := bw.Write(line); err != nil {
				return fmt.Errorf("jsonl: %w", err)
			}
			if i&4095 == 4095 {
				if ctx.Err() != nil {
					return fmt.Errorf("jsonl: %w", ctx.Err())
				}
				if opt.Progress != nil {
					opt.Progress(done+int64(i)+1, total)
				}
			}
		}
		if n := rec.NumRows(); n > 0 {
			done += n
			if opt.Progress != nil && n&4095 != 0 { // else reported in the loop
				opt.Progress(done, total)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	return nil
}

// valueWriter appends the JSON of row i (null included) to b.
type valueWriter func(b []byte, i int) []byte

func nullable(a arrow.Array, f valueWriter) valueWriter {
	if a.NullN() == 0 {
		return f
	}
	return func(b []byte, i int) []byte {
		if a.IsNull(i) {
			return append(b, "null"...)
		}
		return f(b, i)
	}
}

func intWriter[T int8 | int16 | int32 | int64](vals []T) valueWriter {
	return func(b []byte, i int) []byte { return strconv.AppendInt(b, int64(vals[i]), 10) }
}

func uintWriter[T uint8 | uint16 | uint32 | uint64](vals []T) valueWriter {
	return func(b []byte, i int) []byte { return strconv.AppendUint(b, uint64(vals[i]), 10) }
}

func floatWriter[T float32 | float64](vals []T, bits int) valueWriter {
	return func(b []byte, i int) []byte { return appendFloat(b, float64(vals[i]), bits) }
}

// appendFloat writes the shortest text that reads back as f, with ".0" on
// integral values so that they read back as floats; NaN and ±Inf, which
// JSON cannot spell, as null.
func appendFloat(b []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	n := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, bits)
	for _, c := range b[n:] {
		if c == '.' || c == 'e' {
			return b
		}
	}
	return append(b, '.', '0')
}

func newValueWriter(a arrow.Array) (valueWriter, error) {
	var f valueWriter
	switch a := a.(type) {
	case *array.Null:
		return func(b []byte, _ int) []byte { return append(b, "null"...) }, nil
	case *array.Boolean:
		f = func(b []byte, i int) []byte { return strconv.AppendBool(b, a.Value(i)) }
	case *array.Int8:
		f = intWriter(a.Int8Values())
	case *array.Int16:
		f = intWriter(a.Int16Values())
	case *array.Int32:
		f = intWriter(a.Int32Values())
	case *array.Int64:
		f = intWriter(a.Int64Values())
	case *array.Uint8:
		f = uintWriter(a.Uint8Values())
	case *array.Uint16:
		f = uintWriter(a.Uint16Values())
	case *array.Uint32:
		f = uintWriter(a.Uint32Values())
	case *array.Uint64:
		f = uintWriter(a.Uint64Values())
	case *array.Float32:
		f = floatWriter(a.Float32Values(), 32)
	case *array.Float64:
		f = floatWriter(a.Float64Values(), 64)
	case *array.String:
		f = func(b []byte, i int) []byte { return appendString(b, a.Value(i)) }
	case *array.LargeString:
		f = func(b []byte, i int) []byte { return appendString(b, a.Value(i)) }
	case *array.Binary:
		f = func(b []byte, i int) []byte { return appendBase64(b, a.Value(i)) }
	case *array.LargeBinary:
		f = func(b []byte, i int) []byte { return appendBase64(b, a.Value(i)) }
	case *array.Timestamp:
		toTime, err := a.DataType().(*arrow.TimestampType).GetToTimeFunc()
		if err != nil {
			return nil, err
		}
		vals := a.TimestampValues()
		f = func(b []byte, i int) []byte {
			b = append(b, '"')
			b = toTime(vals[i]).AppendFormat(b, time.RFC3339Nano)
			return append(b, '"')
		}
	case *array.Date32:
		vals := a.Date32Values()
		f = func(b []byte, i int) []byte {
			b = append(b, '"')
			b = vals[i].ToTime().AppendFormat(b, time.DateOnly)
			return append(b, '"')
		}
	case *array.Date64:
		vals := a.Date64Values()
		f = func(b []byte, i int) []byte {
			b = append(b, '"')
			b = vals[i].ToTime().AppendFormat(b, time.DateOnly)
			return append(b, '"')
		}
	case *array.Dictionary:
		dict, err := newValueWriter(a.Dictionary())
		if err != nil {
			return nil, err
		}
		f = func(b []byte, i int) []byte { return dict(b, a.GetValueIndex(i)) }
	case array.ListLike:
		elems, err := newValueWriter(a.ListValues())
		if err != nil {
			return nil, err
		}
		f = func(b []byte, i int) []byte {
			start, end := a.ValueOffsets(i)
			b = append(b, '[')
			for k := start; k < end; k++ {
				if k > start {
					b = append(b, ',')
				}
				b = elems(b, int(k))
			}
			return append(b, ']')
		}
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		keys := make([][]byte, a.NumField())
		fields := make([]valueWriter, a.NumField())
		for j := range fields {
			k := []byte{'{'}
			if j > 0 {
				k[0] = ','
			}
			k = appendString(k, st.Field(j).Name)
			keys[j] = append(k, ':')
			w, err := newValueWriter(a.Field(j))
			if err != nil {
				return nil, err
			}
			fields[j] = w
		}
		f = func(b []byte, i int) []byte {
			if len(fields) == 0 {
				b = append(b, '{')
			}
			for j := range fields {
				b = append(b, keys[j]...)
				b = fields[j](b, i)
			}
			return append(b, '}')
		}
	default:
		// Decimals, intervals, maps...: Arrow's own JSON form, one
		// allocation per value, for types no hot path writes.
		f = func(b []byte, i int) []byte {
			js, err := json.Marshal(a.GetOneForMarshal(i))
			if err != nil {
				return appendString(b, a.ValueStr(i))
			}
			return append(b, js...)
		}
	}
	return nullable(a, f), nil
}

func appendBase64(b []byte, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
