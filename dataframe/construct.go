package dataframe

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Element is a Go type a column can be built from.
type Element interface {
	~int64 | ~int32 | ~int | ~float64 | ~float32 | ~bool | ~string | time.Time
}

// Column is a named column to build a frame from: NewColumn("a",
// []int64{1, 2}). Build columns with NewColumn, NewNullableColumn,
// NewCategorical or ArrowColumn.
type Column struct {
	name  string
	build func(mem memory.Allocator) (arrow.Array, error)
}

// NewColumn makes a column of values: int, int64 → int64; int32; float64;
// float32; bool; string; time.Time → timestamp[ns].
func NewColumn[T Element](name string, values []T) Column {
	return NewNullableColumn(name, values, nil)
}

// NewNullableColumn is NewColumn with validity: values[i] is null where
// valid[i] is false (valid nil: no nulls).
func NewNullableColumn[T Element](name string, values []T, valid []bool) Column {
	return Column{name: name, build: func(mem memory.Allocator) (arrow.Array, error) {
		if valid != nil && len(valid) != len(values) {
			return nil, fmt.Errorf("%w: column %q: %d values and %d validity flags", ErrArgument, name, len(values), len(valid))
		}
		return buildArray(mem, values, valid), nil
	}}
}

// NewCategorical makes a category column (an Arrow dictionary of
// strings, codes in first-appearance order), pandas' category dtype.
func NewCategorical(name string, values []string) Column {
	return Column{name: name, build: func(mem memory.Allocator) (arrow.Array, error) {
		b := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
		defer b.Release()
		for _, v := range values {
			if err := b.AppendString(v); err != nil {
				return nil, err
			}
		}
		return b.NewArray(), nil
	}}
}

// ArrowColumn wraps an Arrow array as a column; the frame built from it
// retains it, so arr must stay valid until then.
func ArrowColumn(name string, arr arrow.Array) Column {
	return Column{name: name, build: func(memory.Allocator) (arrow.Array, error) {
		arr.Retain()
		return arr, nil
	}}
}

func buildArray[T Element](mem memory.Allocator, values []T, valid []bool) arrow.Array {
	switch v := any(values).(type) {
	case []int64:
		return appendAll(array.NewInt64Builder(mem), v, valid)
	case []int32:
		return appendAll(array.NewInt32Builder(mem), v, valid)
	case []float64:
		return appendAll(array.NewFloat64Builder(mem), v, valid)
	case []float32:
		return appendAll(array.NewFloat32Builder(mem), v, valid)
	case []bool:
		return appendAll(array.NewBooleanBuilder(mem), v, valid)
	case []string:
		return appendAll(array.NewStringBuilder(mem), v, valid)
	case []int:
		w := make([]int64, len(v))
		for i, x := range v {
			w[i] = int64(x)
		}
		return appendAll(array.NewInt64Builder(mem), w, valid)
	case []time.Time:
		w := make([]arrow.Timestamp, len(v))
		for i, x := range v {
			w[i] = arrow.Timestamp(x.UnixNano())
		}
		return appendAll(array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Nanosecond}), w, valid)
	}
	// Named types (type Celsius float64): convert through reflection once
	// per value; frames are built once, this is not a hot loop.
	rv := reflect.ValueOf(values)
	switch rv.Type().Elem().Kind() {
	case reflect.Int, reflect.Int64:
		return appendAll(array.NewInt64Builder(mem), convert(rv, func(e reflect.Value) int64 { return e.Int() }), valid)
	case reflect.Int32:
		return appendAll(array.NewInt32Builder(mem), convert(rv, func(e reflect.Value) int32 { return int32(e.Int()) }), valid)
	case reflect.Float64:
		return appendAll(array.NewFloat64Builder(mem), convert(rv, func(e reflect.Value) float64 { return e.Float() }), valid)
	case reflect.Float32:
		return appendAll(array.NewFloat32Builder(mem), convert(rv, func(e reflect.Value) float32 { return float32(e.Float()) }), valid)
	case reflect.Bool:
		return appendAll(array.NewBooleanBuilder(mem), convert(rv, func(e reflect.Value) bool { return e.Bool() }), valid)
	default:
		return appendAll(array.NewStringBuilder(mem), convert(rv, func(e reflect.Value) string { return e.String() }), valid)
	}
}

func convert[T any](rv reflect.Value, f func(reflect.Value) T) []T {
	out := make([]T, rv.Len())
	for i := range out {
		out[i] = f(rv.Index(i))
	}
	return out
}

type valuesAppender[T any] interface {
	array.Builder
	AppendValues(v []T, valid []bool)
}

func appendAll[T any, B valuesAppender[T]](b B, v []T, valid []bool) arrow.Array {
	defer b.Release()
	b.AppendValues(v, valid)
	return b.NewArray()
}

// FromColumns builds a frame of columns, which must have equal lengths,
// in the Default session.
func FromColumns(columns ...Column) *DataFrame { return Default.FromColumns(columns...) }

// FromColumns builds a frame of columns in s.
func (s *Session) FromColumns(columns ...Column) *DataFrame {
	mem := s.cfg.Mem
	fields := make([]arrow.Field, len(columns))
	arrs := make([]arrow.Array, len(columns))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	var rows int64 = -1
	seen := map[string]bool{}
	for i, c := range columns {
		if seen[c.name] {
			return errorFrame(fmt.Errorf("%w: column %q given twice", ErrArgument, c.name))
		}
		seen[c.name] = true
		a, err := c.build(mem)
		if err != nil {
			return errorFrame(err)
		}
		arrs[i] = a
		if rows >= 0 && int64(a.Len()) != rows {
			return errorFrame(fmt.Errorf("%w: column %q has %d rows, column %q has %d", ErrArgument, c.name, a.Len(), columns[0].name, rows))
		}
		rows = int64(a.Len())
		fields[i] = arrow.Field{Name: c.name, Type: a.DataType(), Nullable: true}
	}
	rows = max(rows, 0)
	rec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, rows)
	defer rec.Release()
	return fromRecord(s, rec, nil)
}

// FromArrow makes a frame of rec's columns (retained, not copied).
func FromArrow(rec arrow.Record) *DataFrame { return Default.FromArrow(rec) }

// FromArrow makes a frame of rec's columns in s.
func (s *Session) FromArrow(rec arrow.Record) *DataFrame {
	for _, f := range rec.Schema().Fields() {
		if isIndexColumn(f.Name) {
			return errorFrame(fmt.Errorf("%w: column name %q is reserved for the index", ErrArgument, f.Name))
		}
	}
	return fromRecord(s, rec, nil)
}

// FromArrowTable makes a frame of an Arrow table's record batches.
func FromArrowTable(t arrow.Table) *DataFrame {
	tr := array.NewTableReader(t, -1)
	defer tr.Release()
	var recs []arrow.Record
	for tr.Next() {
		r := tr.Record()
		r.Retain()
		recs = append(recs, r)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if len(recs) == 1 {
		return FromArrow(recs[0])
	}
	var cols []Column
	for i, f := range t.Schema().Fields() {
		parts := make([]arrow.Array, len(recs))
		for j, r := range recs {
			parts[j] = r.Column(i)
		}
		if len(parts) == 0 {
			b := array.NewBuilder(memory.DefaultAllocator, f.Type)
			a := b.NewArray()
			b.Release()
			defer a.Release() // ArrowColumn retains it when the frame is built
			cols = append(cols, ArrowColumn(f.Name, a))
			continue
		}
		a, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			return errorFrame(err)
		}
		defer a.Release()
		cols = append(cols, ArrowColumn(f.Name, a))
	}
	return FromColumns(cols...)
}

// FromRecords builds a frame from rows of Go values (pandas
// DataFrame.from_records). Each column's type is inferred once over all
// its values, with a fixed promotion order: bool; int (int, int32, int64)
// widening to float64 when any float appears; string; time.Time. nil is
// null. Values that do not promote (a string in a number column) are an
// error naming the row and column.
func FromRecords(columns []string, rows [][]any) *DataFrame {
	cols := make([]Column, len(columns))
	for c, name := range columns {
		kind := ""
		for r, row := range rows {
			if len(row) != len(columns) {
				return errorFrame(fmt.Errorf("%w: row %d has %d values, want %d", ErrArgument, r, len(row), len(columns)))
			}
			k := kindOf(row[c])
			switch {
			case k == "" || k == kind:
			case kind == "":
				kind = k
			case kind == "int" && k == "float", kind == "float" && k == "int":
				kind = "float"
			default:
				return errorFrame(fmt.Errorf("%w: column %q, row %d: %T among %s values", ErrType, name, r, row[c], kind))
			}
			if k == "?" {
				return errorFrame(fmt.Errorf("%w: column %q, row %d: unsupported Go type %T", ErrType, name, r, row[c]))
			}
		}
		valid := make([]bool, len(rows))
		for r, row := range rows {
			valid[r] = row[c] != nil
		}
		switch kind {
		case "bool":
			cols[c] = NewNullableColumn(name, pick(rows, c, func(v any) bool { return v.(bool) }), valid)
		case "int":
			cols[c] = NewNullableColumn(name, pick(rows, c, toInt), valid)
		case "float", "":
			cols[c] = NewNullableColumn(name, pick(rows, c, toFloat), valid)
		case "string":
			cols[c] = NewNullableColumn(name, pick(rows, c, func(v any) string { return v.(string) }), valid)
		case "time":
			cols[c] = NewNullableColumn(name, pick(rows, c, func(v any) time.Time { return v.(time.Time) }), valid)
		}
	}
	return FromColumns(cols...)
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return ""
	case bool:
		return "bool"
	case int, int32, int64:
		return "int"
	case float32, float64:
		return "float"
	case string:
		return "string"
	case time.Time:
		return "time"
	}
	return "?"
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case nil:
		return 0
	}
	return float64(toInt(v))
}

func pick[T any](rows [][]any, c int, conv func(any) T) []T {
	out := make([]T, len(rows))
	for r, row := range rows {
		if row[c] != nil {
			out[r] = conv(row[c])
		}
	}
	return out
}

// FromStructs builds a frame with a column per exported field of T (a
// struct type), named by the field's `shoal:"name"` tag or its name.
// Fields of pointer type are nullable (nil is null). Supported field
// types: the Element types and pointers to them.
func FromStructs[T any](rows []T) *DataFrame {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return errorFrame(fmt.Errorf("%w: FromStructs needs a struct type, got %s", ErrType, t))
	}
	var columns []string
	var fields []int
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("shoal"); ok {
			if tag == "-" {
				continue
			}
			name = tag
		}
		columns = append(columns, name)
		fields = append(fields, i)
	}
	recs := make([][]any, len(rows))
	for r := range rows {
		v := reflect.ValueOf(rows[r])
		row := make([]any, len(fields))
		for c, fi := range fields {
			fv := v.Field(fi)
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			row[c] = fv.Interface()
		}
		recs[r] = row
	}
	if len(rows) == 0 {
		// No values to infer from: type the columns by the fields.
		var cols []Column
		for c, fi := range fields {
			cols = append(cols, emptyColumn(columns[c], t.Field(fi).Type))
		}
		return FromColumns(cols...)
	}
	return FromRecords(columns, recs)
}

func emptyColumn(name string, t reflect.Type) Column {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		return NewColumn[time.Time](name, nil)
	case t.Kind() == reflect.Bool:
		return NewColumn[bool](name, nil)
	case t.Kind() == reflect.String:
		return NewColumn[string](name, nil)
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return NewColumn[float64](name, nil)
	}
	return NewColumn[int64](name, nil)
}

// FromMap builds a frame from a map of column name to a slice ([]int64,
// []int, []int32, []float64, []float32, []bool, []string or
// []time.Time). Go maps have no order, so columns are sorted by name.
func FromMap(m map[string]any) *DataFrame {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	cols := make([]Column, len(names))
	for i, n := range names {
		switch v := m[n].(type) {
		case []int64:
			cols[i] = NewColumn(n, v)
		case []int:
			cols[i] = NewColumn(n, v)
		case []int32:
			cols[i] = NewColumn(n, v)
		case []float64:
			cols[i] = NewColumn(n, v)
		case []float32:
			cols[i] = NewColumn(n, v)
		case []bool:
			cols[i] = NewColumn(n, v)
		case []string:
			cols[i] = NewColumn(n, v)
		case []time.Time:
			cols[i] = NewColumn(n, v)
		default:
			return errorFrame(fmt.Errorf("%w: FromMap: column %q is a %T; want a slice of %s", ErrType, n, v,
				strings.Join([]string{"int64", "int", "int32", "float64", "float32", "bool", "string", "time.Time"}, ", ")))
		}
	}
	return FromColumns(cols...)
}
