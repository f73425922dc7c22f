package gota

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/float16"
	"github.com/apache/arrow/go/v15/arrow/memory"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// buildRecord makes a record from one builder-filling func per column.
func buildRecord(t *testing.T, mem memory.Allocator, fields []arrow.Field, fill ...func(array.Builder)) arrow.Record {
	t.Helper()
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i, f := range fill {
		f(b.Field(i))
	}
	return b.NewRecord()
}

// cells renders column c of df as strings, "NA" for IsNA elements.
func cells(df gotadf.DataFrame, c int) []string {
	out := make([]string, df.Nrow())
	for i := range out {
		e := df.Elem(i, c)
		if e.IsNA() {
			out[i] = "NA"
		} else {
			out[i] = e.String()
		}
	}
	return out
}

func assertCells(t *testing.T, df gotadf.DataFrame, c int, want ...string) {
	t.Helper()
	if got := cells(df, c); !reflect.DeepEqual(got, want) {
		t.Errorf("column %d (%s): got %q, want %q", c, df.Names()[c], got, want)
	}
}

func nullable(name string, dt arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: dt, Nullable: true}
}

func TestToGotaTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	valid := []bool{true, false, true}
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}
	tsNY := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "America/New_York"}
	rec := buildRecord(t, mem, []arrow.Field{
		nullable("i8", arrow.PrimitiveTypes.Int8),
		nullable("i16", arrow.PrimitiveTypes.Int16),
		nullable("i32", arrow.PrimitiveTypes.Int32),
		nullable("i64", arrow.PrimitiveTypes.Int64),
		nullable("u8", arrow.PrimitiveTypes.Uint8),
		nullable("u16", arrow.PrimitiveTypes.Uint16),
		nullable("u32", arrow.PrimitiveTypes.Uint32),
		nullable("u64", arrow.PrimitiveTypes.Uint64),
		nullable("f32", arrow.PrimitiveTypes.Float32),
		nullable("f64", arrow.PrimitiveTypes.Float64),
		nullable("s", arrow.BinaryTypes.String),
		nullable("ls", arrow.BinaryTypes.LargeString),
		nullable("d", dictType),
		nullable("b", arrow.FixedWidthTypes.Boolean),
		nullable("ts", &arrow.TimestampType{Unit: arrow.Nanosecond}),
		nullable("tsny", tsNY),
		nullable("d32", arrow.FixedWidthTypes.Date32),
		nullable("d64", arrow.FixedWidthTypes.Date64),
	},
		func(b array.Builder) { b.(*array.Int8Builder).AppendValues([]int8{-128, 0, 127}, valid) },
		func(b array.Builder) { b.(*array.Int16Builder).AppendValues([]int16{-300, 0, 300}, valid) },
		func(b array.Builder) { b.(*array.Int32Builder).AppendValues([]int32{-70000, 0, 70000}, valid) },
		func(b array.Builder) {
			b.(*array.Int64Builder).AppendValues([]int64{math.MinInt64, 0, math.MaxInt64}, valid)
		},
		func(b array.Builder) { b.(*array.Uint8Builder).AppendValues([]uint8{0, 0, 255}, valid) },
		func(b array.Builder) { b.(*array.Uint16Builder).AppendValues([]uint16{1, 0, 65535}, valid) },
		func(b array.Builder) { b.(*array.Uint32Builder).AppendValues([]uint32{2, 0, math.MaxUint32}, valid) },
		func(b array.Builder) { b.(*array.Uint64Builder).AppendValues([]uint64{3, 0, math.MaxInt64}, valid) },
		func(b array.Builder) { b.(*array.Float32Builder).AppendValues([]float32{1.5, 0, -2.25}, valid) },
		func(b array.Builder) { b.(*array.Float64Builder).AppendValues([]float64{0.125, 0, 1e10}, valid) },
		func(b array.Builder) { b.(*array.StringBuilder).AppendValues([]string{"héllo", "", ""}, valid) },
		func(b array.Builder) { b.(*array.LargeStringBuilder).AppendValues([]string{"x", "", "yz"}, valid) },
		func(b array.Builder) {
			db := b.(*array.BinaryDictionaryBuilder)
			db.AppendString("red")
			db.AppendNull()
			db.AppendString("red")
		},
		func(b array.Builder) { b.(*array.BooleanBuilder).AppendValues([]bool{true, true, false}, valid) },
		func(b array.Builder) {
			b.(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{1_700_000_000_123_456_789, 0, 0}, valid)
		},
		func(b array.Builder) {
			b.(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{1_700_000_000_000, 0, 1_700_000_000_500}, valid)
		},
		func(b array.Builder) { b.(*array.Date32Builder).AppendValues([]arrow.Date32{19000, 0, -1}, valid) },
		func(b array.Builder) {
			b.(*array.Date64Builder).AppendValues([]arrow.Date64{19000 * 86_400_000, 0, 0}, valid)
		},
	)
	defer rec.Release()

	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []series.Type{
		series.Int, series.Int, series.Int, series.Int, series.Int, series.Int, series.Int, series.Int,
		series.Float, series.Float, series.String, series.String, series.String, series.Bool,
		series.String, series.String, series.String, series.String,
	}
	if got := df.Types(); !reflect.DeepEqual(got, wantTypes) {
		t.Fatalf("types: got %v, want %v", got, wantTypes)
	}
	wantNames := []string{"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
		"s", "ls", "d", "b", "ts", "tsny", "d32", "d64"}
	if got := df.Names(); !reflect.DeepEqual(got, wantNames) {
		t.Fatalf("names: got %v, want %v", got, wantNames)
	}
	if r, c := df.Dims(); r != 3 || c != 18 {
		t.Fatalf("dims: got %dx%d, want 3x18", r, c)
	}
	assertCells(t, df, 0, "-128", "NA", "127")
	assertCells(t, df, 1, "-300", "NA", "300")
	assertCells(t, df, 2, "-70000", "NA", "70000")
	assertCells(t, df, 3, "-9223372036854775808", "NA", "9223372036854775807")
	assertCells(t, df, 4, "0", "NA", "255")
	assertCells(t, df, 5, "1", "NA", "65535")
	assertCells(t, df, 6, "2", "NA", "4294967295")
	assertCells(t, df, 7, "3", "NA", "9223372036854775807")
	assertCells(t, df, 8, "1.500000", "NA", "-2.250000")
	assertCells(t, df, 9, "0.125000", "NA", "10000000000.000000")
	assertCells(t, df, 10, "héllo", "NA", "")
	assertCells(t, df, 11, "x", "NA", "yz")
	assertCells(t, df, 12, "red", "NA", "red")
	assertCells(t, df, 13, "true", "NA", "false")
	assertCells(t, df, 14, "2023-11-14T22:13:20.123456789Z", "NA", "1970-01-01T00:00:00Z")
	assertCells(t, df, 15, "2023-11-14T17:13:20-05:00", "NA", "2023-11-14T17:13:20.5-05:00")
	assertCells(t, df, 16, "2022-01-08", "NA", "1969-12-31")
	assertCells(t, df, 17, "2022-01-08", "NA", "1970-01-01")

	// Exact typed values, beyond their printed form.
	if got, _ := df.Elem(2, 3).Int(); got != math.MaxInt64 {
		t.Errorf("i64[2]: got %d", got)
	}
	if got := df.Elem(0, 9).Float(); got != 0.125 {
		t.Errorf("f64[0]: got %v", got)
	}
	// The RFC 3339 strings parse back to the same instants.
	ts, err := time.Parse(time.RFC3339Nano, df.Elem(2, 15).String())
	if err != nil || ts.UnixMilli() != 1_700_000_000_500 {
		t.Errorf("tsny[2]: parsed %v, %v", ts, err)
	}
}

func TestToGotaSlicedColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	valid := []bool{true, true, false, true, true}
	rec := buildRecord(t, mem, []arrow.Field{
		nullable("i", arrow.PrimitiveTypes.Int32),
		nullable("s", arrow.BinaryTypes.String),
		nullable("b", arrow.FixedWidthTypes.Boolean),
		nullable("ts", &arrow.TimestampType{Unit: arrow.Second}),
	},
		func(b array.Builder) { b.(*array.Int32Builder).AppendValues([]int32{1, 2, 3, 4, 5}, valid) },
		func(b array.Builder) {
			b.(*array.StringBuilder).AppendValues([]string{"a", "bb", "", "dddd", "e"}, valid)
		},
		func(b array.Builder) {
			b.(*array.BooleanBuilder).AppendValues([]bool{true, false, false, true, false}, valid)
		},
		func(b array.Builder) {
			b.(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{0, 60, 0, 3600, 86400}, valid)
		},
	)
	defer rec.Release()
	sl := rec.NewSlice(1, 4) // rows 1..3: a null in the middle, offsets not at zero
	defer sl.Release()

	df, err := ToGota(sl)
	if err != nil {
		t.Fatal(err)
	}
	assertCells(t, df, 0, "2", "NA", "4")
	assertCells(t, df, 1, "bb", "NA", "dddd")
	assertCells(t, df, 2, "false", "NA", "true")
	assertCells(t, df, 3, "1970-01-01T00:01:00Z", "NA", "1970-01-01T01:00:00Z")
}

// gota's strings must not point into Arrow buffers, which a non-Go
// allocator frees on Release.
func TestToGotaCopiesStrings(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, []arrow.Field{nullable("s", arrow.BinaryTypes.String)},
		func(b array.Builder) { b.(*array.StringBuilder).AppendValues([]string{"abc", "def"}, nil) })
	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	data := rec.Column(0).Data().Buffers()[2].Bytes()
	for i := range data {
		data[i] = 'X'
	}
	rec.Release()
	assertCells(t, df, 0, "abc", "def")
}

func TestRoundTripArrowGotaArrow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	valid := []bool{false, true, true, false}
	rec := buildRecord(t, mem, []arrow.Field{
		nullable("z_int", arrow.PrimitiveTypes.Int64),
		nullable("a_float", arrow.PrimitiveTypes.Float64),
		nullable("m_str", arrow.BinaryTypes.String),
		nullable("b_bool", arrow.FixedWidthTypes.Boolean),
		nullable("clean", arrow.PrimitiveTypes.Int64),
	},
		func(b array.Builder) { b.(*array.Int64Builder).AppendValues([]int64{0, -5, math.MaxInt64, 0}, valid) },
		func(b array.Builder) {
			b.(*array.Float64Builder).AppendValues([]float64{0, math.Inf(-1), 3.25, 0}, valid)
		},
		func(b array.Builder) {
			b.(*array.StringBuilder).AppendValues([]string{"", "NaN", "", ""}, []bool{true, true, false, true})
		},
		func(b array.Builder) {
			b.(*array.BooleanBuilder).AppendValues([]bool{false, true, false, false}, valid)
		},
		func(b array.Builder) { b.(*array.Int64Builder).AppendValues([]int64{1, 2, 3, 4}, nil) },
	)
	defer rec.Release()

	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromGota(df, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if !back.Schema().Equal(rec.Schema()) {
		t.Fatalf("schema: got %v, want %v", back.Schema(), rec.Schema())
	}
	if !array.RecordEqual(back, rec) {
		t.Fatalf("round trip differs:\ngot  %v\nwant %v", back, rec)
	}
	// A column with no nulls carries no bitmap.
	if back.Column(4).NullBitmapBytes() != nil {
		t.Errorf("clean column has a validity bitmap")
	}
}

// Narrower Arrow types widen to gota's and come back as int64/float64/utf8.
func TestRoundTripWidens(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, []arrow.Field{
		nullable("u16", arrow.PrimitiveTypes.Uint16),
		nullable("f32", arrow.PrimitiveTypes.Float32),
		nullable("ls", arrow.BinaryTypes.LargeString),
	},
		func(b array.Builder) { b.(*array.Uint16Builder).AppendValues([]uint16{7, 65535}, []bool{true, false}) },
		func(b array.Builder) { b.(*array.Float32Builder).AppendValues([]float32{0.5, 2}, []bool{false, true}) },
		func(b array.Builder) { b.(*array.LargeStringBuilder).AppendValues([]string{"p", "q"}, nil) },
	)
	defer rec.Release()
	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := FromGota(df, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	want := buildRecord(t, mem, []arrow.Field{
		nullable("u16", arrow.PrimitiveTypes.Int64),
		nullable("f32", arrow.PrimitiveTypes.Float64),
		nullable("ls", arrow.BinaryTypes.String),
	},
		func(b array.Builder) { b.(*array.Int64Builder).AppendValues([]int64{7, 0}, []bool{true, false}) },
		func(b array.Builder) { b.(*array.Float64Builder).AppendValues([]float64{0, 2}, []bool{false, true}) },
		func(b array.Builder) { b.(*array.StringBuilder).AppendValues([]string{"p", "q"}, nil) },
	)
	defer want.Release()
	if !array.RecordEqual(back, want) {
		t.Fatalf("got %v, want %v", back, want)
	}
}

// gotaFrame builds a frame with NAs in every type, the way gota users do.
func gotaFrame() gotadf.DataFrame {
	return gotadf.New(
		series.New([]interface{}{3, nil, -1, 40}, series.Int, "x_int"),
		series.New([]interface{}{1.5, 2.5, nil, math.NaN()}, series.Float, "y_float"),
		series.New([]interface{}{"a", nil, "", "dd"}, series.String, "s"),
		series.New([]interface{}{nil, true, false, true}, series.Bool, "b"),
	)
}

func TestRoundTripGotaArrowGota(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	df := gotaFrame()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	rec, err := FromGota(df, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	back, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Names(), df.Names()) || !reflect.DeepEqual(back.Types(), df.Types()) {
		t.Fatalf("got %v %v, want %v %v", back.Names(), back.Types(), df.Names(), df.Types())
	}
	for c := 0; c < df.Ncol(); c++ {
		if got, want := cells(back, c), cells(df, c); !reflect.DeepEqual(got, want) {
			t.Errorf("column %d: got %q, want %q", c, got, want)
		}
	}
	assertCells(t, back, 0, "3", "NA", "-1", "40")
	assertCells(t, back, 1, "1.500000", "2.500000", "NA", "NA")
	assertCells(t, back, 2, "a", "NA", "", "dd")
	assertCells(t, back, 3, "NA", "true", "false", "true")
}

func TestFromGotaValues(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := FromGota(gotaFrame(), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	want := buildRecord(t, mem, []arrow.Field{
		nullable("x_int", arrow.PrimitiveTypes.Int64),
		nullable("y_float", arrow.PrimitiveTypes.Float64),
		nullable("s", arrow.BinaryTypes.String),
		nullable("b", arrow.FixedWidthTypes.Boolean),
	},
		func(b array.Builder) {
			b.(*array.Int64Builder).AppendValues([]int64{3, 0, -1, 40}, []bool{true, false, true, true})
		},
		// gota's NaN is NA, so it becomes null like the nil.
		func(b array.Builder) {
			b.(*array.Float64Builder).AppendValues([]float64{1.5, 2.5, 0, 0}, []bool{true, true, false, false})
		},
		func(b array.Builder) {
			b.(*array.StringBuilder).AppendValues([]string{"a", "", "", "dd"}, []bool{true, false, true, true})
		},
		func(b array.Builder) {
			b.(*array.BooleanBuilder).AppendValues([]bool{false, true, false, true}, []bool{false, true, true, true})
		},
	)
	defer want.Release()
	if !array.RecordEqual(rec, want) {
		t.Fatalf("got %v\nwant %v", rec, want)
	}
	if rec.Column(1).NullN() != 2 {
		t.Errorf("float nulls: got %d, want 2", rec.Column(1).NullN())
	}
}

// NaN and null are distinct in Arrow; gota reports both as NA, so NaN does
// not survive Arrow → gota → Arrow (documented in doc.go).
func TestNaNVersusNA(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, []arrow.Field{nullable("f", arrow.PrimitiveTypes.Float64)},
		func(b array.Builder) {
			b.(*array.Float64Builder).AppendValues([]float64{1, math.NaN(), 0}, []bool{true, true, false})
		})
	defer rec.Release()
	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	col := df.Col("f")
	if got := col.IsNaN(); !reflect.DeepEqual(got, []bool{false, true, true}) {
		t.Errorf("gota IsNaN: got %v", got)
	}
	fl := col.Float()
	if fl[0] != 1 || !math.IsNaN(fl[1]) || !math.IsNaN(fl[2]) {
		t.Errorf("gota Float(): got %v", fl)
	}
	// gota skips neither: its Sum of a column with NA is NaN.
	if s := col.Sum(); !math.IsNaN(s) {
		t.Errorf("gota Sum: got %v, want NaN", s)
	}

	back, err := FromGota(df, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	f := back.Column(0).(*array.Float64)
	if f.NullN() != 2 || !f.IsValid(0) || f.Value(0) != 1 || !f.IsNull(1) || !f.IsNull(2) {
		t.Errorf("back: got %v (nulls %d), want [1 null null]", f, f.NullN())
	}
}

func TestGotaOperationsOnConverted(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, []arrow.Field{
		nullable("id", arrow.PrimitiveTypes.Int32),
		nullable("x", arrow.PrimitiveTypes.Float64),
		nullable("name", arrow.BinaryTypes.String),
	},
		func(b array.Builder) { b.(*array.Int32Builder).AppendValues([]int32{1, 2, 3, 4, 5}, nil) },
		func(b array.Builder) {
			b.(*array.Float64Builder).AppendValues([]float64{0.5, 2, 0, 7.5, 3}, []bool{true, true, false, true, true})
		},
		func(b array.Builder) {
			b.(*array.StringBuilder).AppendValues([]string{"a", "b", "c", "d", "e"}, nil)
		},
	)
	defer rec.Release()
	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	if df.Nrow() != 5 || df.Ncol() != 3 {
		t.Fatalf("dims %dx%d", df.Nrow(), df.Ncol())
	}
	x := df.Col("x").Float()
	if x[0] != 0.5 || x[1] != 2 || !math.IsNaN(x[2]) || x[3] != 7.5 || x[4] != 3 {
		t.Errorf("Col(x).Float(): got %v", x)
	}
	ids, err := df.Col("id").Int()
	if err != nil || !reflect.DeepEqual(ids, []int{1, 2, 3, 4, 5}) {
		t.Errorf("Col(id).Int(): got %v, %v", ids, err)
	}

	// NA compares false, so row 3 drops out of both filters.
	big := df.Filter(gotadf.F{Colname: "x", Comparator: series.Greater, Comparando: 1.0})
	if big.Err != nil {
		t.Fatal(big.Err)
	}
	if got := big.Col("name").Records(); !reflect.DeepEqual(got, []string{"b", "d", "e"}) {
		t.Errorf("Filter x > 1: got %v", got)
	}
	if got := big.Col("x").Sum(); got != 12.5 {
		t.Errorf("Filter x > 1, Sum: got %v", got)
	}
	sorted := big.Arrange(gotadf.RevSort("x"))
	if got := sorted.Col("id").Records(); !reflect.DeepEqual(got, []string{"4", "5", "2"}) {
		t.Errorf("Arrange: got %v", got)
	}

	// And the result converts back.
	out, err := FromGota(sorted, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	ids64 := out.Column(0).(*array.Int64).Int64Values()
	if !reflect.DeepEqual(ids64, []int64{4, 5, 2}) {
		t.Errorf("back: got %v", ids64)
	}
}

func TestFromGotaError(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	bad := gotaFrame().Select([]string{"nope"})
	if bad.Err == nil {
		t.Fatal("gota accepted an unknown column")
	}
	rec, err := FromGota(bad, mem)
	if rec != nil {
		rec.Release()
		t.Fatal("got a record with an error")
	}
	if !errors.Is(err, ErrFrame) || !errors.Is(err, bad.Err) {
		t.Fatalf("error %v does not wrap ErrFrame and the frame's error", err)
	}
	if !strings.HasPrefix(err.Error(), "gota: ") || !strings.Contains(err.Error(), bad.Err.Error()) {
		t.Errorf("message: %q", err)
	}
}

func TestEmptyFrames(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	t.Run("zero rows", func(t *testing.T) {
		rec := buildRecord(t, mem, []arrow.Field{
			nullable("i", arrow.PrimitiveTypes.Int64),
			nullable("f", arrow.PrimitiveTypes.Float64),
			nullable("s", arrow.BinaryTypes.String),
			nullable("b", arrow.FixedWidthTypes.Boolean),
			nullable("ls", arrow.BinaryTypes.LargeString),
			nullable("d", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}),
			nullable("ts", arrow.FixedWidthTypes.Timestamp_us),
		}, func(array.Builder) {})
		defer rec.Release()
		df, err := ToGota(rec)
		if err != nil {
			t.Fatal(err)
		}
		if df.Nrow() != 0 || df.Ncol() != 7 {
			t.Fatalf("dims %dx%d", df.Nrow(), df.Ncol())
		}
		want := []series.Type{series.Int, series.Float, series.String, series.Bool, series.String, series.String, series.String}
		if !reflect.DeepEqual(df.Types(), want) {
			t.Fatalf("types %v", df.Types())
		}
		back, err := FromGota(df, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer back.Release()
		if back.NumRows() != 0 || back.NumCols() != 7 {
			t.Fatalf("back: %d rows %d cols", back.NumRows(), back.NumCols())
		}
		wantTypes := []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64,
			arrow.BinaryTypes.String, arrow.FixedWidthTypes.Boolean, arrow.BinaryTypes.String,
			arrow.BinaryTypes.String, arrow.BinaryTypes.String}
		for i, w := range wantTypes {
			if got := back.Column(i).DataType(); !arrow.TypeEqual(got, w) {
				t.Errorf("column %d: type %v, want %v", i, got, w)
			}
		}
	})

	t.Run("zero columns", func(t *testing.T) {
		rec := array.NewRecord(arrow.NewSchema(nil, nil), nil, 0)
		defer rec.Release()
		df, err := ToGota(rec)
		if err != nil {
			t.Fatal(err)
		}
		if df.Err != nil || df.Nrow() != 0 || df.Ncol() != 0 {
			t.Fatalf("got %dx%d err %v", df.Nrow(), df.Ncol(), df.Err)
		}
		back, err := FromGota(df, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer back.Release()
		if back.NumRows() != 0 || back.NumCols() != 0 {
			t.Fatalf("back: %d rows %d cols", back.NumRows(), back.NumCols())
		}
	})

	t.Run("gota zero rows", func(t *testing.T) {
		df := gotadf.New(series.New([]int{}, series.Int, "i"), series.New([]string{}, series.String, "s"))
		rec, err := FromGota(df, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		if rec.NumRows() != 0 || rec.NumCols() != 2 || rec.ColumnName(1) != "s" {
			t.Fatalf("got %v", rec)
		}
	})
}

func TestToGotaErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	t.Run("unsupported", func(t *testing.T) {
		rec := buildRecord(t, mem, []arrow.Field{
			nullable("ok", arrow.PrimitiveTypes.Int64),
			nullable("half", arrow.FixedWidthTypes.Float16),
		},
			func(b array.Builder) { b.(*array.Int64Builder).Append(1) },
			func(b array.Builder) { b.(*array.Float16Builder).Append(float16.New(1)) },
		)
		defer rec.Release()
		_, err := ToGota(rec)
		if !errors.Is(err, ErrUnsupportedType) {
			t.Fatalf("got %v, want ErrUnsupportedType", err)
		}
		if want := `gota: unsupported Arrow type: column "half" has type float16`; err.Error() != want {
			t.Errorf("message: got %q, want %q", err, want)
		}
	})

	t.Run("dictionary of ints", func(t *testing.T) {
		rec := buildRecord(t, mem, []arrow.Field{
			nullable("d", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.PrimitiveTypes.Int32}),
		}, func(b array.Builder) { b.(*array.Int32DictionaryBuilder).Append(5) })
		defer rec.Release()
		if _, err := ToGota(rec); !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), `"d"`) {
			t.Fatalf("got %v, want ErrUnsupportedType naming d", err)
		}
	})

	t.Run("uint64 overflow", func(t *testing.T) {
		rec := buildRecord(t, mem, []arrow.Field{nullable("u", arrow.PrimitiveTypes.Uint64)},
			func(b array.Builder) {
				b.(*array.Uint64Builder).AppendValues([]uint64{math.MaxInt64, 0, math.MaxInt64 + 1}, []bool{true, false, true})
			})
		defer rec.Release()
		_, err := ToGota(rec)
		if !errors.Is(err, ErrIntOverflow) {
			t.Fatalf("got %v, want ErrIntOverflow", err)
		}
		if want := `gota: integer overflows int: column "u" row 2: 9223372036854775808`; err.Error() != want {
			t.Errorf("message: got %q, want %q", err, want)
		}
	})
}

func TestColumnNames(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	names := []string{"zeta", "alpha", "mid", "dup", "dup", ""}
	fields := make([]arrow.Field, len(names))
	fill := make([]func(array.Builder), len(names))
	for i, n := range names {
		fields[i] = nullable(n, arrow.PrimitiveTypes.Int64)
		v := int64(i)
		fill[i] = func(b array.Builder) { b.(*array.Int64Builder).Append(v) }
	}
	rec := buildRecord(t, mem, fields, fill...)
	defer rec.Release()
	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	// Order kept; gota's constructor renames repeated and empty names.
	want := []string{"zeta", "alpha", "mid", "dup_0", "dup_1", "X0"}
	if got := df.Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("names: got %v, want %v", got, want)
	}
	for c := range names {
		assertCells(t, df, c, fmt.Sprint(c))
	}
	back, err := FromGota(df, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	for c, w := range want {
		if back.ColumnName(c) != w || back.Column(c).(*array.Int64).Value(0) != int64(c) {
			t.Errorf("back column %d: %s = %v", c, back.ColumnName(c), back.Column(c))
		}
	}
}

// A utf8 "NaN" stays a string in gota, though gota's loaders read it as NA.
func TestStringNaNIsNotNA(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := buildRecord(t, mem, []arrow.Field{nullable("s", arrow.BinaryTypes.String)},
		func(b array.Builder) { b.(*array.StringBuilder).AppendValues([]string{"NaN", ""}, []bool{true, false}) })
	defer rec.Release()
	df, err := ToGota(rec)
	if err != nil {
		t.Fatal(err)
	}
	if df.Elem(0, 0).IsNA() || df.Elem(0, 0).String() != "NaN" || !df.Elem(1, 0).IsNA() {
		t.Fatalf("got %q", cells(df, 0))
	}
	// Contrast: gota's own constructor treats the text as NA.
	if !series.Strings([]string{"NaN"}).Elem(0).IsNA() {
		t.Errorf("gota no longer reads \"NaN\" as NA; update doc.go")
	}
}

// Dictionaries over large_utf8, with a null dictionary entry and a sliced
// index array.
func TestToGotaDictionaryLargeString(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	vb := array.NewLargeStringBuilder(mem)
	vb.AppendValues([]string{"lo", "", "hi"}, []bool{true, false, true})
	dict := vb.NewArray()
	vb.Release()
	defer dict.Release()
	ib := array.NewInt32Builder(mem)
	ib.AppendValues([]int32{0, 2, 1, 0, 2}, []bool{true, true, true, false, true})
	idx := ib.NewArray()
	ib.Release()
	defer idx.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.LargeString}
	arr := array.NewDictionaryArray(dt, idx, dict)
	defer arr.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{nullable("d", dt)}, nil), []arrow.Array{arr}, 5)
	defer rec.Release()
	sl := rec.NewSlice(1, 5)
	defer sl.Release()

	df, err := ToGota(sl)
	if err != nil {
		t.Fatal(err)
	}
	assertCells(t, df, 0, "hi", "NA", "NA", "hi")
	back, err := FromGota(df, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if got := fmt.Sprint(back.Column(0)); got != `["hi" (null) (null) "hi"]` {
		t.Errorf("back: %s", got)
	}
}
