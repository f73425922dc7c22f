package golden

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// got describes the record under test: a Table built with Record, or
// Arrow arrays built by hand for the types Record does not make.
type got func(mem memory.Allocator) (arrow.Record, error)

func fromTable(cols ...Column) got {
	return func(mem memory.Allocator) (arrow.Record, error) { return Table{Columns: cols}.Record(mem) }
}

// fromArrays names the arrays a, b, ... and takes ownership of them.
func fromArrays(build func(mem memory.Allocator) []arrow.Array) got {
	return func(mem memory.Allocator) (arrow.Record, error) {
		arrs := build(mem)
		fields := make([]arrow.Field, len(arrs))
		for i, a := range arrs {
			fields[i] = arrow.Field{Name: string(rune('a' + i)), Type: a.DataType(), Nullable: true}
		}
		rec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(arrs[0].Len()))
		for _, a := range arrs {
			a.Release()
		}
		return rec, nil
	}
}

func col1(name, dtype string, vals ...any) Column { return Column{name, dtype, vals} }

func want(cols ...Column) Table { return Table{Columns: cols} }

func TestCompare(t *testing.T) {
	ts := func(s string) any { return s }
	for _, tc := range []struct {
		name    string
		got     got
		want    Table
		ordered bool
		err     string // "" for a match
	}{
		{name: "every dtype equal", got: fromTable(allTypes().Columns...), want: allTypes(), ordered: true},
		{name: "empty", got: fromTable(), want: want(), ordered: true},
		{name: "zero rows", got: fromTable(col1("a", Int64)), want: want(col1("a", Float64)), ordered: false},

		{name: "column count", got: fromTable(col1("a", Int64, 1)),
			want: want(col1("a", Int64, 1), col1("b", Int64, 1)), ordered: true,
			err: "got 1 columns [a], want 2 columns [a b]"},
		{name: "column name", got: fromTable(col1("x", Int64, 1)), want: want(col1("a", Int64, 1)), ordered: true,
			err: `column 0 is "x", want "a"`},
		{name: "column order", got: fromTable(col1("b", Int64, 1), col1("a", Int64, 1)),
			want: want(col1("a", Int64, 1), col1("b", Int64, 1)), ordered: true, err: `column 0 is "b", want "a"`},
		{name: "row count", got: fromTable(col1("a", Int64, 1, 2)), want: want(col1("a", Int64, 1, 2, 3)),
			ordered: true, err: "got 2 rows, want 3"},

		{name: "int differs", got: fromTable(col1("a", Int64, 1, 5)), want: want(col1("a", Int64, 1, 4)),
			ordered: true, err: `column "a" (int64) row 1: got 5, want 4`},
		{name: "int null vs value", got: fromTable(col1("a", Int64, nil)), want: want(col1("a", Int64, 1)),
			ordered: true, err: "row 0: got null, want 1"},
		{name: "int value vs null", got: fromTable(col1("a", Int64, 1)), want: want(col1("a", Int64, nil)),
			ordered: true, err: "row 0: got 1, want null"},
		{name: "int32 got for int64 want", got: fromTable(col1("a", Int32, 1, nil)),
			want: want(col1("a", Int64, 1, nil)), ordered: true},
		{name: "uint8 got for int32 want", got: fromArrays(func(mem memory.Allocator) []arrow.Array {
			b := array.NewUint8Builder(mem)
			defer b.Release()
			b.AppendValues([]uint8{200, 0}, []bool{true, false})
			return []arrow.Array{b.NewArray()}
		}), want: want(col1("a", Int32, 200, nil)), ordered: true},
		{name: "float got for int want", got: fromTable(col1("a", Float64, 1.0)), want: want(col1("a", Int64, 1)),
			ordered: true, err: `column "a": got Arrow type float64, want dtype int64`},

		{name: "float within relative", got: fromTable(col1("a", Float64, 1e6*(1+1e-10))),
			want: want(col1("a", Float64, 1e6)), ordered: true},
		{name: "float beyond relative", got: fromTable(col1("a", Float64, 1.000001)),
			want: want(col1("a", Float64, 1.0)), ordered: true, err: "row 0: got 1.000001, want 1"},
		{name: "float within absolute", got: fromTable(col1("a", Float64, 1e-13)),
			want: want(col1("a", Float64, 0.0)), ordered: true},
		{name: "float beyond absolute", got: fromTable(col1("a", Float64, 1e-11)),
			want: want(col1("a", Float64, 0.0)), ordered: true, err: "got 1e-11, want 0"},
		{name: "NaN got is null", got: fromTable(col1("a", Float64, math.NaN(), 2.0)),
			want: want(col1("a", Float64, nil, 2.0)), ordered: true},
		{name: "NaN want is null", got: fromTable(col1("a", Float32, nil)),
			want: want(col1("a", Float64, math.NaN())), ordered: true},
		{name: "NaN is not a value", got: fromTable(col1("a", Float64, math.NaN())),
			want: want(col1("a", Float64, 0.0)), ordered: true, err: "got null, want 0"},
		{name: "infinities equal", got: fromTable(col1("a", Float64, math.Inf(1), math.Inf(-1))),
			want: want(col1("a", Float64, math.Inf(1), math.Inf(-1))), ordered: true},
		{name: "infinity is not huge", got: fromTable(col1("a", Float64, 1e308)),
			want: want(col1("a", Float64, math.Inf(1))), ordered: true, err: "got 1e+308, want +Inf"},
		{name: "infinity sign", got: fromTable(col1("a", Float64, math.Inf(-1))),
			want: want(col1("a", Float64, math.Inf(1))), ordered: true, err: "got -Inf, want +Inf"},
		{name: "int column for upcast float", got: fromTable(col1("a", Int64, 1, nil, 3)),
			want: want(col1("a", Float64, 1.0, nil, 3.0)), ordered: true},
		{name: "int column for upcast float differs", got: fromTable(col1("a", Int64, 1, nil, 4)),
			want: want(col1("a", Float64, 1.0, nil, 3.0)), ordered: true, err: "row 2: got 4, want 3"},
		{name: "int column for fractional float", got: fromTable(col1("a", Int64, 2)),
			want: want(col1("a", Float64, 2.5)), ordered: true, err: "got 2, want 2.5"},
		{name: "float32 tolerance", got: fromTable(col1("a", Float64, 0.1)),
			want: want(col1("a", Float32, float64(float32(0.1)))), ordered: true},
		{name: "float64 is stricter", got: fromTable(col1("a", Float64, 0.1)),
			want: want(col1("a", Float64, float64(float32(0.1)))), ordered: true, err: "got 0.1, want 0.10000000149"},
		{name: "string got for float want", got: fromTable(col1("a", String, "1")),
			want: want(col1("a", Float64, 1.0)), ordered: true, err: "got Arrow type utf8, want dtype float64"},

		{name: "bool differs", got: fromTable(col1("a", Bool, true, true)), want: want(col1("a", Bool, true, false)),
			ordered: true, err: "row 1: got true, want false"},
		{name: "int got for bool want", got: fromTable(col1("a", Int64, 1)), want: want(col1("a", Bool, true)),
			ordered: true, err: "got Arrow type int64, want dtype bool"},

		{name: "utf8 for category", got: fromTable(col1("a", String, "p", nil)),
			want: want(col1("a", Category, "p", nil)), ordered: true},
		{name: "dictionary for string", got: fromTable(col1("a", Category, "q", "p", nil, "q")),
			want: want(col1("a", String, "q", "p", nil, "q")), ordered: true},
		{name: "large utf8 for string", got: fromArrays(func(mem memory.Allocator) []arrow.Array {
			b := array.NewLargeStringBuilder(mem)
			defer b.Release()
			b.AppendValues([]string{"x", ""}, []bool{true, false})
			return []arrow.Array{b.NewArray()}
		}), want: want(col1("a", String, "x", nil)), ordered: true},
		{name: "string differs", got: fromTable(col1("a", Category, "q", "b")),
			want: want(col1("a", String, "q", "a")), ordered: true, err: `row 1: got "b", want "a"`},
		{name: "int dictionary for string", got: fromArrays(func(mem memory.Allocator) []arrow.Array {
			ib := array.NewInt8Builder(mem)
			defer ib.Release()
			ib.Append(0)
			db := array.NewInt64Builder(mem)
			defer db.Release()
			db.Append(5)
			ia, da := ib.NewArray(), db.NewArray()
			defer ia.Release()
			defer da.Release()
			dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.PrimitiveTypes.Int64}
			return []arrow.Array{array.NewDictionaryArray(dt, ia, da)}
		}), want: want(col1("a", String, "5")), ordered: true, err: "want dtype string"},

		{name: "timestamp in microseconds", got: fromArrays(func(mem memory.Allocator) []arrow.Array {
			b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"})
			defer b.Release()
			b.Append(1704164645_000001) // 2024-01-02T03:04:05.000001
			b.AppendNull()
			return []arrow.Array{b.NewArray()}
		}), want: want(col1("a", Timestamp, ts("2024-01-02T03:04:05.000001"), nil)), ordered: true},
		{name: "timestamp differs", got: fromTable(col1("a", Timestamp, "2024-01-02T03:04:05.000001")),
			want: want(col1("a", Timestamp, "2024-01-02T03:04:05")), ordered: true,
			err: "got 2024-01-02T03:04:05.000001, want 2024-01-02T03:04:05"},
		{name: "date64", got: fromArrays(func(mem memory.Allocator) []arrow.Array {
			b := array.NewDate64Builder(mem)
			defer b.Release()
			b.AppendValues([]arrow.Date64{-86400_000, 19724 * 86400_000}, nil)
			return []arrow.Array{b.NewArray()}
		}), want: want(col1("a", Date, "1969-12-31", "2024-01-02")), ordered: true},
		{name: "date differs", got: fromTable(col1("a", Date, "2024-01-03")), want: want(col1("a", Date, "2024-01-02")),
			ordered: true, err: "got 2024-01-03, want 2024-01-02"},
		{name: "string got for date want", got: fromTable(col1("a", String, "2024-01-02")),
			want: want(col1("a", Date, "2024-01-02")), ordered: true, err: "got Arrow type utf8, want dtype date"},

		{name: "ordered rejects permutation", got: fromTable(col1("a", Int64, 2, 1)),
			want: want(col1("a", Int64, 1, 2)), ordered: true, err: "row 0: got 2, want 1"},
		{name: "multiset accepts permutation",
			got:  fromTable(col1("k", String, "b", nil, "a", "b"), col1("v", Int64, 2, 0, 1, 1)),
			want: want(col1("k", String, "a", "b", "b", nil), col1("v", Float64, 1.0, 1.0, 2.0, 0.0)), ordered: false},
		{name: "multiset with float noise", got: fromTable(col1("x", Float64, 3.0000000000001, nil, 1.0)),
			want: want(col1("x", Float64, 1.0, 3.0, math.NaN())), ordered: false},
		{name: "multiset counts multiplicity", got: fromTable(col1("a", Int64, 1, 1, 2)),
			want: want(col1("a", Int64, 2, 2, 1)), ordered: false,
			err: `column "a" (int64) sorted row 1 (got row 1, want row 0): got 1, want 2`},
		{name: "multiset pairs rows, not columns",
			got:  fromTable(col1("k", String, "a", "b"), col1("v", Int64, 2, 1)),
			want: want(col1("k", String, "a", "b"), col1("v", Int64, 1, 2)), ordered: false,
			err: `column "v" (int64) sorted row 0 (got row 0, want row 0): got 2, want 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec, err := tc.got(mem)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			err = Compare(rec, tc.want, tc.ordered)
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("Compare = %v, want nil", err)
			case tc.err != "" && err == nil:
				t.Errorf("Compare = nil, want an error containing %q", tc.err)
			case tc.err != "" && (!errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("Compare = %v, want ErrMismatch containing %q", err, tc.err)
			}
		})
	}
}

func TestCompareBadWantTable(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tc := range []struct {
		got  Column
		want Table
		msg  string
	}{
		{col1("a", Int64, 1), want(col1("a", Int64, 1), col1("b", Int64)), `column "b" has 0 values`},
		{col1("a", Int64, 1), want(col1("a", "int8", 1)), `unknown dtype "int8"`},
		{col1("a", Int64, 1), want(col1("a", Int64, "1")), "string value 1 for dtype int64"},
		{col1("a", Timestamp, nil), want(col1("a", Timestamp, "yesterday")), "string value yesterday"},
	} {
		rec, err := Table{Columns: []Column{tc.got}}.Record(mem)
		if err != nil {
			t.Fatal(err)
		}
		if err := Compare(rec, tc.want, true); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Compare(%v) = %v, want ErrFormat containing %q", tc.want, err, tc.msg)
		}
		rec.Release()
	}
}
