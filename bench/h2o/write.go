package h2o

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// cellFunc appends row i of one column to dst, nothing for a null.
type cellFunc func(dst []byte, i int) []byte

// WriteCSV writes rec to w as gen_h2o.py writes its tables (pandas'
// to_csv(index=False, float_format="%.6f")): a header of the column names,
// one line per row ending in "\n", fields separated by commas and never
// quoted, integers in decimal, reals as %.6f, strings as they are, a null
// as an empty field.
//
// Columns may be int32, int64, float64, utf8 or dictionary<int32, utf8>;
// another type returns ErrUnsupportedType, and a string holding a comma,
// quote or line break (which would need quoting) returns ErrNeedsQuoting,
// both before anything is written. rec is borrowed. Output is buffered
// here: w needs no buffering of its own.
func WriteCSV(w io.Writer, rec arrow.Record) error {
	cells := make([]cellFunc, rec.NumCols())
	for c, col := range rec.Columns() {
		f, err := cellWriter(col)
		if err != nil {
			return fmt.Errorf("h2o: write csv: column %q: %w", rec.ColumnName(c), err)
		}
		cells[c] = f
	}
	buf := make([]byte, 0, 1<<20)
	for c := range cells {
		if c > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, rec.ColumnName(c)...)
	}
	buf = append(buf, '\n')
	for i := 0; i < int(rec.NumRows()); i++ {
		for c, f := range cells {
			if c > 0 {
				buf = append(buf, ',')
			}
			buf = f(buf, i)
		}
		buf = append(buf, '\n')
		if len(buf) >= 1<<20-4096 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("h2o: write csv: %w", err)
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("h2o: write csv: %w", err)
	}
	return nil
}

// cellWriter returns the cellFunc of col, or an error if WriteCSV cannot
// write it.
func cellWriter(col arrow.Array) (cellFunc, error) {
	switch a := col.(type) {
	case *array.Int64:
		vals := a.Int64Values()
		return func(dst []byte, i int) []byte {
			if a.IsNull(i) {
				return dst
			}
			return strconv.AppendInt(dst, vals[i], 10)
		}, nil
	case *array.Int32:
		vals := a.Int32Values()
		return func(dst []byte, i int) []byte {
			if a.IsNull(i) {
				return dst
			}
			return strconv.AppendInt(dst, int64(vals[i]), 10)
		}, nil
	case *array.Float64:
		vals := a.Float64Values()
		return func(dst []byte, i int) []byte {
			if a.IsNull(i) {
				return dst
			}
			return strconv.AppendFloat(dst, vals[i], 'f', 6, 64)
		}, nil
	case *array.String:
		if err := checkUnquoted(a); err != nil {
			return nil, err
		}
		return func(dst []byte, i int) []byte {
			if a.IsNull(i) {
				return dst
			}
			return append(dst, a.Value(i)...)
		}, nil
	case *array.Dictionary:
		dict, ok := a.Dictionary().(*array.String)
		idx, ok2 := a.Indices().(*array.Int32)
		if !ok || !ok2 {
			return nil, fmt.Errorf("%w: %s", ErrUnsupportedType, col.DataType())
		}
		// Checks the whole dictionary, used or not: cheaper than per row.
		if err := checkUnquoted(dict); err != nil {
			return nil, err
		}
		codes := idx.Int32Values()
		return func(dst []byte, i int) []byte {
			if a.IsNull(i) {
				return dst
			}
			return append(dst, dict.Value(int(codes[i]))...)
		}, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrUnsupportedType, col.DataType())
}

// checkUnquoted returns ErrNeedsQuoting if a value of a would need quotes.
func checkUnquoted(a *array.String) error {
	for i := 0; i < a.Len(); i++ {
		if a.IsValid(i) && strings.ContainsAny(a.Value(i), ",\"\r\n") {
			return fmt.Errorf("%w: %q", ErrNeedsQuoting, a.Value(i))
		}
	}
	return nil
}
