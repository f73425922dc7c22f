package golden

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Arrow types of the dtypes, as Record builds them.
var (
	CategoryType  = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	TimestampType = &arrow.TimestampType{Unit: arrow.Nanosecond}
)

// ArrowType is the Arrow type Record gives a column of dtype d, nil for an
// unknown dtype.
func ArrowType(d string) arrow.DataType {
	switch d {
	case Int64:
		return arrow.PrimitiveTypes.Int64
	case Int32:
		return arrow.PrimitiveTypes.Int32
	case Float64:
		return arrow.PrimitiveTypes.Float64
	case Float32:
		return arrow.PrimitiveTypes.Float32
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case String:
		return arrow.BinaryTypes.String
	case Category:
		return CategoryType
	case Timestamp:
		return TimestampType
	case Date:
		return arrow.FixedWidthTypes.Date32
	}
	return nil
}

// Record builds t's columns (not its Index; call t.Index.Record for that)
// as one Arrow record allocated from mem: int64, int32, float64, float32,
// bool, utf8 strings, category as dictionary<int32, utf8> with the
// dictionary in first-appearance order, timestamp[ns] without a zone, and
// date32. Every field is nullable. The caller owns the record and must
// Release it. On error nothing stays allocated.
func (t Table) Record(mem memory.Allocator) (arrow.Record, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(t.Columns))
	cols := make([]arrow.Array, 0, len(t.Columns))
	release := func() {
		for _, a := range cols {
			a.Release()
		}
	}
	for i, c := range t.Columns {
		a, err := buildColumn(mem, c)
		if err != nil {
			release()
			return nil, err
		}
		cols = append(cols, a)
		fields[i] = arrow.Field{Name: c.Name, Type: a.DataType(), Nullable: true}
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(t.NumRows()))
	release() // the record holds its own references
	return rec, nil
}

func badValue(c Column, row int, v any) error {
	return fmt.Errorf("%w: column %q row %d: %T value %v for dtype %s", ErrFormat, c.Name, row, v, v, c.Dtype)
}

// errWrongType is what a conversion returns for a value of the wrong Go
// type; buildColumn reports it as badValue.
var errWrongType = errors.New("wrong type")

// typedBuilder is an Arrow builder of T values.
type typedBuilder[T any] interface {
	array.Builder
	Append(T)
}

// fill appends every value of c to b through conv, nil as null, and returns
// the array (b is released).
func fill[T any](b typedBuilder[T], c Column, conv func(any) (T, error)) (arrow.Array, error) {
	defer b.Release()
	b.Reserve(len(c.Values))
	for i, v := range c.Values {
		if v == nil {
			b.AppendNull()
			continue
		}
		x, err := conv(v)
		if errors.Is(err, errWrongType) {
			return nil, badValue(c, i, v)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: column %q row %d: %w", ErrFormat, c.Name, i, err)
		}
		b.Append(x)
	}
	return b.NewArray(), nil
}

// as is a conversion from values of Go type T as they are.
func as[T any](v any) (T, error) {
	x, ok := v.(T)
	if !ok {
		return x, errWrongType
	}
	return x, nil
}

// parsed is a conversion parsing strings with parse into T.
func parsed[T ~int32 | ~int64](parse func(string) (int64, error)) func(any) (T, error) {
	return func(v any) (T, error) {
		s, ok := v.(string)
		if !ok {
			return 0, errWrongType
		}
		n, err := parse(s)
		return T(n), err
	}
}

func buildColumn(mem memory.Allocator, c Column) (arrow.Array, error) {
	switch c.Dtype {
	case Int64:
		return fill(array.NewInt64Builder(mem), c, func(v any) (int64, error) {
			n, ok := asInt64(v)
			if !ok {
				return 0, errWrongType
			}
			return n, nil
		})
	case Int32:
		return fill(array.NewInt32Builder(mem), c, func(v any) (int32, error) {
			n, ok := asInt64(v)
			if !ok || int64(int32(n)) != n {
				return 0, errWrongType
			}
			return int32(n), nil
		})
	case Float64:
		return fill(array.NewFloat64Builder(mem), c, func(v any) (float64, error) {
			f, ok := asFloat64(v)
			if !ok {
				return 0, errWrongType
			}
			return f, nil
		})
	case Float32:
		return fill(array.NewFloat32Builder(mem), c, func(v any) (float32, error) {
			f, ok := asFloat64(v)
			if !ok {
				return 0, errWrongType
			}
			return float32(f), nil
		})
	case Bool:
		return fill(array.NewBooleanBuilder(mem), c, as[bool])
	case String:
		return fill(array.NewStringBuilder(mem), c, as[string])
	case Category:
		return buildCategory(mem, c)
	case Timestamp:
		return fill(array.NewTimestampBuilder(mem, TimestampType), c, parsed[arrow.Timestamp](parseTimestamp))
	case Date:
		return fill(array.NewDate32Builder(mem), c, parsed[arrow.Date32](parseDate))
	}
	return nil, fmt.Errorf("%w: column %q: unknown dtype %q", ErrFormat, c.Name, c.Dtype)
}

// buildCategory numbers the categories in first-appearance order, which is
// the order Shoal's readers give a dictionary.
func buildCategory(mem memory.Allocator, c Column) (arrow.Array, error) {
	idx := array.NewInt32Builder(mem)
	defer idx.Release()
	dict := array.NewStringBuilder(mem)
	defer dict.Release()
	idx.Reserve(len(c.Values))
	codes := make(map[string]int32)
	for i, v := range c.Values {
		if v == nil {
			idx.AppendNull()
			continue
		}
		s, ok := v.(string)
		if !ok {
			return nil, badValue(c, i, v)
		}
		code, seen := codes[s]
		if !seen {
			code = int32(len(codes))
			codes[s] = code
			dict.Append(s)
		}
		idx.Append(code)
	}
	ia, da := idx.NewArray(), dict.NewArray()
	defer ia.Release()
	defer da.Release()
	return array.NewDictionaryArray(CategoryType, ia, da), nil
}
