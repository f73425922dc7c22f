package golden

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func allTypes() Table {
	return Table{Columns: []Column{
		{"i", Int64, []any{int64(1), nil, int64(-3)}},
		{"i32", Int32, []any{nil, int64(math.MinInt32), int64(7)}},
		{"f", Float64, []any{1.5, math.Inf(-1), nil}},
		{"f32", Float32, []any{0.25, nil, 2.0}},
		{"b", Bool, []any{true, false, nil}},
		{"s", String, []any{"x", nil, ""}},
		{"c", Category, []any{"q", nil, "p"}},
		{"t", Timestamp, []any{"2024-01-02T03:04:05.5", nil, "1969-12-31T23:59:59"}},
		{"d", Date, []any{"1970-01-02", "1969-12-31", nil}},
	}}
}

func nulls(a arrow.Array) []bool {
	n := make([]bool, a.Len())
	for i := range n {
		n[i] = a.IsNull(i)
	}
	return n
}

func checkNulls(t *testing.T, name string, a arrow.Array, want ...bool) {
	t.Helper()
	got := nulls(a)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s nulls = %v, want %v", name, got, want)
			return
		}
	}
}

func TestRecordEveryDtype(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := allTypes().Record(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 3 || rec.NumCols() != 9 {
		t.Fatalf("shape %dx%d", rec.NumRows(), rec.NumCols())
	}
	wantTypes := []arrow.DataType{
		arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Float64,
		arrow.PrimitiveTypes.Float32, arrow.FixedWidthTypes.Boolean, arrow.BinaryTypes.String,
		&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String},
		&arrow.TimestampType{Unit: arrow.Nanosecond}, arrow.FixedWidthTypes.Date32,
	}
	for i, f := range rec.Schema().Fields() {
		if !arrow.TypeEqual(f.Type, wantTypes[i]) || !f.Nullable || f.Name != allTypes().Columns[i].Name {
			t.Errorf("field %d = %v, want %s of %v, nullable", i, f, allTypes().Columns[i].Name, wantTypes[i])
		}
	}
	if tz := rec.Column(7).DataType().(*arrow.TimestampType).TimeZone; tz != "" {
		t.Errorf("timestamp zone %q", tz)
	}

	i64 := rec.Column(0).(*array.Int64)
	if i64.Value(0) != 1 || i64.Value(2) != -3 {
		t.Errorf("int64 = %v", i64)
	}
	checkNulls(t, "int64", i64, false, true, false)
	i32 := rec.Column(1).(*array.Int32)
	if i32.Value(1) != math.MinInt32 || i32.Value(2) != 7 {
		t.Errorf("int32 = %v", i32)
	}
	checkNulls(t, "int32", i32, true, false, false)
	f64 := rec.Column(2).(*array.Float64)
	if f64.Value(0) != 1.5 || !math.IsInf(f64.Value(1), -1) {
		t.Errorf("float64 = %v", f64)
	}
	checkNulls(t, "float64", f64, false, false, true)
	f32 := rec.Column(3).(*array.Float32)
	if f32.Value(0) != 0.25 || f32.Value(2) != 2 {
		t.Errorf("float32 = %v", f32)
	}
	checkNulls(t, "float32", f32, false, true, false)
	b := rec.Column(4).(*array.Boolean)
	if !b.Value(0) || b.Value(1) {
		t.Errorf("bool = %v", b)
	}
	checkNulls(t, "bool", b, false, false, true)
	s := rec.Column(5).(*array.String)
	if s.Value(0) != "x" || s.Value(2) != "" {
		t.Errorf("string = %v", s)
	}
	checkNulls(t, "string", s, false, true, false)

	// Categories are numbered in first-appearance order: q before p.
	c := rec.Column(6).(*array.Dictionary)
	dict := c.Dictionary().(*array.String)
	if dict.Len() != 2 || dict.Value(0) != "q" || dict.Value(1) != "p" {
		t.Errorf("dictionary = %v, want [q p]", dict)
	}
	idx := c.Indices().(*array.Int32)
	if idx.Value(0) != 0 || idx.Value(2) != 1 {
		t.Errorf("indices = %v, want [0 null 1]", idx)
	}
	checkNulls(t, "category", c, false, true, false)

	ts := rec.Column(7).(*array.Timestamp)
	want0 := time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.UTC).UnixNano()
	if int64(ts.Value(0)) != want0 || int64(ts.Value(2)) != -1_000_000_000 {
		t.Errorf("timestamp = %v, want [%d null -1e9]", ts.TimestampValues(), want0)
	}
	checkNulls(t, "timestamp", ts, false, true, false)
	d := rec.Column(8).(*array.Date32)
	if d.Value(0) != 1 || d.Value(1) != -1 {
		t.Errorf("date32 = %v, want [1 -1 null]", d.Date32Values())
	}
	checkNulls(t, "date", d, false, false, true)
}

func TestRecordEmpty(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tb := range []Table{
		{},
		{Columns: []Column{{"a", Int64, nil}, {"c", Category, []any{}}, {"t", Timestamp, []any{}}}},
	} {
		rec, err := tb.Record(mem)
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumRows() != 0 || int(rec.NumCols()) != len(tb.Columns) {
			t.Errorf("shape %dx%d", rec.NumRows(), rec.NumCols())
		}
		rec.Release()
	}
}

func TestRecordIndexIsSeparate(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tb := Table{Columns: []Column{{"v", Int64, []any{int64(1)}}},
		Index: &Table{Columns: []Column{{"id", String, []any{"a"}}}}}
	rec, err := tb.Record(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumCols() != 1 || rec.ColumnName(0) != "v" {
		t.Errorf("record columns = %v, want [v]", gotNames(rec))
	}
	ix, err := tb.Index.Record(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Release()
	if ix.ColumnName(0) != "id" || ix.Column(0).(*array.String).Value(0) != "a" {
		t.Errorf("index record = %v", ix)
	}
}

func TestRecordRejectsBadValues(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	good := Column{"g", String, []any{"a", "b"}} // built before the bad one: must be released
	for _, tc := range []struct {
		col Column
		msg string
	}{
		{Column{"a", Int64, []any{int64(1), "2"}}, `column "a" row 1: string value 2 for dtype int64`},
		{Column{"a", Int32, []any{int64(1) << 40, nil}}, "row 0: int64 value 1099511627776 for dtype int32"},
		{Column{"a", Float64, []any{nil, true}}, "row 1: bool value true"},
		{Column{"a", Float32, []any{"x", nil}}, "row 0: string value x"},
		{Column{"a", Bool, []any{int64(1), nil}}, "row 0: int64 value 1"},
		{Column{"a", String, []any{1.5, nil}}, "row 0: float64 value 1.5"},
		{Column{"a", Category, []any{"x", 3}}, "row 1: int value 3"},
		{Column{"a", Timestamp, []any{"2024-01-02", nil}}, `row 0: timestamp "2024-01-02"`},
		{Column{"a", Date, []any{nil, int64(3)}}, "row 1: int64 value 3"},
		{Column{"a", "decimal", []any{nil, nil}}, `unknown dtype "decimal"`},
		{Column{"a", Int64, []any{int64(1)}}, `has 1 values`},
	} {
		_, err := Table{Columns: []Column{good, tc.col}}.Record(mem)
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s %v: err = %v, want ErrFormat containing %q", tc.col.Dtype, tc.col.Values, err, tc.msg)
		}
	}
}

func TestRecordAcceptsHandWrittenGoTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := Table{Columns: []Column{
		{"i", Int64, []any{1, int32(2)}},
		{"f", Float64, []any{3, float32(0.5)}},
	}}.Record(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if v := rec.Column(0).(*array.Int64).Int64Values(); v[0] != 1 || v[1] != 2 {
		t.Errorf("ints = %v", v)
	}
	if v := rec.Column(1).(*array.Float64).Float64Values(); v[0] != 3 || v[1] != 0.5 {
		t.Errorf("floats = %v", v)
	}
}
