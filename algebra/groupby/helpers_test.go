package groupby

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Column builders for tests: a nil element is a null.

type col struct {
	name string
	arr  arrow.Array
}

func record(cols ...col) arrow.Record {
	fs := make([]arrow.Field, len(cols))
	as := make([]arrow.Array, len(cols))
	n := 0
	for i, c := range cols {
		fs[i] = arrow.Field{Name: c.name, Type: c.arr.DataType(), Nullable: true}
		as[i] = c.arr
		n = c.arr.Len()
	}
	rec := array.NewRecord(arrow.NewSchema(fs, nil), as, int64(n))
	for _, a := range as {
		a.Release()
	}
	return rec
}

func ints(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(int64(v.(int)))
		}
	}
	return b.NewArray()
}

func floats64(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			b.AppendNull()
		case int:
			b.Append(float64(v))
		case float64:
			b.Append(v)
		}
	}
	return b.NewArray()
}

func strs(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(v.(string))
		}
	}
	return b.NewArray()
}

func bools(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(v.(bool))
		}
	}
	return b.NewArray()
}

// dictStrs builds a dictionary<int32, utf8> column over dict with the
// given indices (nil: null).
func dictStrs(mem memory.Allocator, dict []string, idx ...any) arrow.Array {
	d := strs(mem, anys(dict)...)
	defer d.Release()
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	for _, v := range idx {
		if v == nil {
			ib.AppendNull()
		} else {
			ib.Append(int32(v.(int)))
		}
	}
	ia := ib.NewArray()
	defer ia.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	return array.NewDictionaryArray(dt, ia, d)
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// cells renders a column for comparison: null as "null", floats with 12
// significant digits.
func cells(a arrow.Array) []string {
	out := make([]string, a.Len())
	for i := range out {
		if a.IsNull(i) {
			out[i] = "null"
			continue
		}
		switch a := a.(type) {
		case *array.Float64:
			if v := a.Value(i); math.IsNaN(v) {
				out[i] = "NaN"
			} else {
				out[i] = strconv.FormatFloat(v, 'g', 12, 64)
			}
		case *array.Dictionary:
			out[i] = a.Dictionary().(*array.String).Value(a.GetValueIndex(i))
		default:
			out[i] = a.ValueStr(i)
		}
	}
	return out
}

// table renders a record as one []string per column, prefixed by its
// name and type.
func table(rec arrow.Record) [][]string {
	out := make([][]string, rec.NumCols())
	for i, c := range rec.Columns() {
		out[i] = append([]string{rec.ColumnName(i) + ":" + c.DataType().String()}, cells(c)...)
	}
	return out
}

func checkTable(t *testing.T, got arrow.Record, want [][]string) {
	t.Helper()
	g := table(got)
	if fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("got\n%v\nwant\n%v", fmtTable(g), fmtTable(want))
	}
}

func fmtTable(tb [][]string) string {
	s := ""
	for _, c := range tb {
		s += fmt.Sprintf("  %q\n", c)
	}
	return s
}

func newInt32s(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(int32(v.(int)))
		}
	}
	return b.NewArray()
}

func newTimestamps(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Second})
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(arrow.Timestamp(v.(int)))
		}
	}
	return b.NewArray()
}

func newDate32s(mem memory.Allocator, vals ...any) arrow.Array {
	b := array.NewDate32Builder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(arrow.Date32(v.(int)))
		}
	}
	return b.NewArray()
}
