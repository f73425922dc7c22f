package gota

import (
	"fmt"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// ToGota converts rec to a gota DataFrame with the same columns in the same
// order; the package doc gives the type mapping, including how NaN, null,
// timestamps and dates are carried.
//
// rec is borrowed: the DataFrame shares no memory with it (strings are
// copied out of Arrow buffers once per column), so rec may be released as
// soon as ToGota returns. A type without a gota counterpart, or an integer
// that does not fit in int, returns an error naming the column (wrapping
// ErrUnsupportedType or ErrIntOverflow) and no DataFrame. A record with no
// columns gives the zero DataFrame. Safe for concurrent use on distinct or
// shared records.
func ToGota(rec arrow.Record) (gotadf.DataFrame, error) {
	ncols := int(rec.NumCols())
	if ncols == 0 {
		return gotadf.DataFrame{}, nil
	}
	n := int(rec.NumRows())
	// series.New is gota's only constructor; fed a []bool of falses it
	// sizes the elements without boxing (small values are not allocated),
	// and the fill loops below overwrite every element. One slice serves
	// all columns.
	zeros := make([]bool, n)
	cols := make([]series.Series, ncols)
	for c := 0; c < ncols; c++ {
		name := rec.ColumnName(c)
		s, err := toSeries(rec.Column(c), name, zeros)
		if err != nil {
			return gotadf.DataFrame{}, err
		}
		cols[c] = s
	}
	df := gotadf.New(cols...)
	if df.Err != nil {
		return gotadf.DataFrame{}, fmt.Errorf("gota: building dataframe: %w", df.Err)
	}
	return df, nil
}

func toSeries(arr arrow.Array, name string, zeros []bool) (series.Series, error) {
	v := validity{bits: arr.NullBitmapBytes(), off: arr.Data().Offset(), nulls: arr.NullN() > 0}
	switch a := arr.(type) {
	case *array.Int8:
		return intSeries(a.Int8Values(), v, name, zeros)
	case *array.Int16:
		return intSeries(a.Int16Values(), v, name, zeros)
	case *array.Int32:
		return intSeries(a.Int32Values(), v, name, zeros)
	case *array.Int64:
		return intSeries(a.Int64Values(), v, name, zeros)
	case *array.Uint8:
		return intSeries(a.Uint8Values(), v, name, zeros)
	case *array.Uint16:
		return intSeries(a.Uint16Values(), v, name, zeros)
	case *array.Uint32:
		return intSeries(a.Uint32Values(), v, name, zeros)
	case *array.Uint64:
		return intSeries(a.Uint64Values(), v, name, zeros)
	case *array.Float32:
		return floatSeries(a.Float32Values(), v, name, zeros), nil
	case *array.Float64:
		return floatSeries(a.Float64Values(), v, name, zeros), nil
	case *array.Boolean:
		return boolSeries(a, v, name, zeros), nil
	case *array.String:
		if a.Len() == 0 {
			return series.New(zeros, series.String, name), nil
		}
		return stringSeries(a.ValueOffsets(), string(a.ValueBytes()), v, name, zeros), nil
	case *array.LargeString:
		if a.Len() == 0 {
			return series.New(zeros, series.String, name), nil
		}
		return stringSeries(a.ValueOffsets(), string(a.ValueBytes()), v, name, zeros), nil
	case *array.Dictionary:
		dict, ok := dictStrings(a.Dictionary())
		if !ok {
			break
		}
		return dictSeries(a, dict, v, name, zeros), nil
	case *array.Timestamp:
		toTime, err := a.DataType().(*arrow.TimestampType).GetToTimeFunc()
		if err != nil {
			return series.Series{}, fmt.Errorf("gota: column %q (%s): %w", name, arr.DataType(), err)
		}
		vals := a.TimestampValues()
		return formatSeries(len(vals), v, name, zeros, func(buf []byte, i int) []byte {
			return toTime(vals[i]).AppendFormat(buf, time.RFC3339Nano)
		}), nil
	case *array.Date32:
		vals := a.Date32Values()
		return formatSeries(len(vals), v, name, zeros, func(buf []byte, i int) []byte {
			return vals[i].ToTime().AppendFormat(buf, time.DateOnly)
		}), nil
	case *array.Date64:
		vals := a.Date64Values()
		return formatSeries(len(vals), v, name, zeros, func(buf []byte, i int) []byte {
			return vals[i].ToTime().AppendFormat(buf, time.DateOnly)
		}), nil
	}
	return series.Series{}, fmt.Errorf("%w: column %q has type %s", ErrUnsupportedType, name, arr.DataType())
}

// validity reads an array's null bitmap by logical row.
type validity struct {
	bits  []byte
	off   int
	nulls bool
}

func (v validity) isNull(i int) bool {
	return v.nulls && !bitutil.BitIsSet(v.bits, v.off+i)
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

func intSeries[T integer](vals []T, v validity, name string, zeros []bool) (series.Series, error) {
	s := series.New(zeros, series.Int, name)
	src := NewValue(series.Int)
	for i, x := range vals {
		if v.isNull(i) {
			s.Elem(i).Set(nil)
			continue
		}
		n := int(x)
		// The round trip catches uint64 (and, on 32-bit platforms, int64)
		// values outside int; the sign test catches uint64 values that wrap
		// to a negative int.
		if T(n) != x || (n < 0) != (x < 0) {
			return series.Series{}, fmt.Errorf("%w: column %q row %d: %d", ErrIntOverflow, name, i, x)
		}
		src.SetInt(n)
		s.Elem(i).Set(src)
	}
	return s, nil
}

func floatSeries[T float32 | float64](vals []T, v validity, name string, zeros []bool) series.Series {
	s := series.New(zeros, series.Float, name)
	src := NewValue(series.Float)
	for i, x := range vals {
		if v.isNull(i) {
			// Set(nil) marks the element NA; a NaN value is stored as NaN.
			s.Elem(i).Set(nil)
			continue
		}
		src.SetFloat(float64(x))
		s.Elem(i).Set(src)
	}
	return s
}

func boolSeries(a *array.Boolean, v validity, name string, zeros []bool) series.Series {
	s := series.New(zeros, series.Bool, name)
	src := NewValue(series.Bool)
	for i := 0; i < a.Len(); i++ {
		if v.isNull(i) {
			s.Elem(i).Set(nil)
			continue
		}
		src.SetBool(a.Value(i))
		s.Elem(i).Set(src)
	}
	return s
}

// stringSeries fills a String series from Arrow offsets into all, which
// holds the column's bytes copied once into Go memory: the elements are
// substrings of it, so there is no allocation per value and nothing points
// into Arrow buffers.
func stringSeries[O int32 | int64 | int](offs []O, all string, v validity, name string, zeros []bool) series.Series {
	s := series.New(zeros, series.String, name)
	src := NewValue(series.String)
	base := offs[0]
	for i := 0; i < len(offs)-1; i++ {
		if v.isNull(i) {
			s.Elem(i).Set(nil)
			continue
		}
		src.SetString(all[offs[i]-base : offs[i+1]-base])
		s.Elem(i).Set(src)
	}
	return s
}

// dictStrings returns a dictionary's values as Go strings sharing one copy
// of the value bytes ("" for null entries); ok is false when the values
// are not utf8 or large_utf8.
func dictStrings(d arrow.Array) (vals []string, ok bool) {
	if d.Len() == 0 {
		// Arrow may leave an empty array's offsets unset.
		_, ok = d.(*array.String)
		_, large := d.(*array.LargeString)
		return nil, ok || large
	}
	switch a := d.(type) {
	case *array.String:
		return splitStrings(a.ValueOffsets(), a.ValueBytes(), d), true
	case *array.LargeString:
		return splitStrings(a.ValueOffsets(), a.ValueBytes(), d), true
	}
	return nil, false
}

func splitStrings[O int32 | int64](offs []O, data []byte, a arrow.Array) []string {
	out := make([]string, len(offs)-1)
	all := string(data)
	base := offs[0]
	for i := range out {
		if !a.IsNull(i) {
			out[i] = all[offs[i]-base : offs[i+1]-base]
		}
	}
	return out
}

func dictSeries(a *array.Dictionary, dict []string, v validity, name string, zeros []bool) series.Series {
	s := series.New(zeros, series.String, name)
	src := NewValue(series.String)
	dv := a.Dictionary()
	for i := 0; i < a.Len(); i++ {
		if v.isNull(i) {
			s.Elem(i).Set(nil)
			continue
		}
		k := a.GetValueIndex(i)
		if dv.IsNull(k) {
			s.Elem(i).Set(nil)
			continue
		}
		src.SetString(dict[k])
		s.Elem(i).Set(src)
	}
	return s
}

// formatSeries renders each non-null row with appendRow into one byte
// buffer, copies that once into a string and fills a String series with
// substrings of it, so formatting allocates per column, not per value.
func formatSeries(n int, v validity, name string, zeros []bool, appendRow func(buf []byte, i int) []byte) series.Series {
	if n == 0 {
		return series.New(zeros, series.String, name)
	}
	var buf []byte
	offs := make([]int, n+1)
	for i := 0; i < n; i++ {
		if !v.isNull(i) {
			buf = appendRow(buf, i)
		}
		offs[i+1] = len(buf)
	}
	return stringSeries(offs, string(buf), v, name, zeros)
}
