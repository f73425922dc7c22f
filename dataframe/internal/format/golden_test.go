package format

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// The cases below rebuild, column for column, the frames of
// testdata/make_golden.py, whose pandas output is in testdata/<name>.txt.

// cols builds arrays with one allocator and releases them at the end.
type cols struct {
	t    *testing.T
	mem  *memory.CheckedAllocator
	keep []arrow.Array
}

func newCols(t *testing.T) *cols {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	c := &cols{t: t, mem: mem}
	t.Cleanup(func() {
		for _, a := range c.keep {
			a.Release()
		}
		mem.AssertSize(t, 0)
	})
	return c
}

func (c *cols) add(a arrow.Array) arrow.Array { c.keep = append(c.keep, a); return a }

// nulls marks the positions given as null.
func nulls(n int, at ...int) []bool {
	v := make([]bool, n)
	for i := range v {
		v[i] = true
	}
	for _, i := range at {
		v[i] = false
	}
	return v
}

func (c *cols) i64(vals []int64, nullAt ...int) arrow.Array {
	b := array.NewInt64Builder(c.mem)
	defer b.Release()
	b.AppendValues(vals, nulls(len(vals), nullAt...))
	return c.add(b.NewArray())
}

func (c *cols) seq(from, n int64) arrow.Array {
	v := make([]int64, n)
	for i := range v {
		v[i] = from + int64(i)
	}
	return c.i64(v)
}

func (c *cols) i8(vals ...int8) arrow.Array {
	b := array.NewInt8Builder(c.mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return c.add(b.NewArray())
}

func (c *cols) f64(vals ...float64) arrow.Array {
	b := array.NewFloat64Builder(c.mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return c.add(b.NewArray())
}

func (c *cols) f32(vals ...float32) arrow.Array {
	b := array.NewFloat32Builder(c.mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return c.add(b.NewArray())
}

func (c *cols) str(vals []string, nullAt ...int) arrow.Array {
	b := array.NewStringBuilder(c.mem)
	defer b.Release()
	b.AppendValues(vals, nulls(len(vals), nullAt...))
	return c.add(b.NewArray())
}

func (c *cols) boolean(vals []bool, nullAt ...int) arrow.Array {
	b := array.NewBooleanBuilder(c.mem)
	defer b.Release()
	b.AppendValues(vals, nulls(len(vals), nullAt...))
	return c.add(b.NewArray())
}

// ts parses "2006-01-02 15:04:05.999999999" values; "" is null.
func (c *cols) ts(unit arrow.TimeUnit, tz string, vals ...string) arrow.Array {
	b := array.NewTimestampBuilder(c.mem, &arrow.TimestampType{Unit: unit, TimeZone: tz})
	defer b.Release()
	for _, v := range vals {
		if v == "" {
			b.AppendNull()
			continue
		}
		tm, err := time.Parse("2006-01-02 15:04:05.999999999", v)
		if err != nil {
			tm, err = time.Parse(time.DateOnly, v)
		}
		if err != nil {
			c.t.Fatal(err)
		}
		b.Append(arrow.Timestamp(tm.UnixNano() / nanosPer(unit)))
	}
	return c.add(b.NewArray())
}

func (c *cols) date32(vals ...string) arrow.Array {
	b := array.NewDate32Builder(c.mem)
	defer b.Release()
	for _, v := range vals {
		if v == "" {
			b.AppendNull()
			continue
		}
		tm, err := time.Parse(time.DateOnly, v)
		if err != nil {
			c.t.Fatal(err)
		}
		b.Append(arrow.Date32FromTime(tm))
	}
	return c.add(b.NewArray())
}

func (c *cols) dur(unit arrow.TimeUnit, vals []int64, nullAt ...int) arrow.Array {
	b := array.NewDurationBuilder(c.mem, &arrow.DurationType{Unit: unit})
	defer b.Release()
	valid := nulls(len(vals), nullAt...)
	for i, v := range vals {
		if valid[i] {
			b.Append(arrow.Duration(v))
		} else {
			b.AppendNull()
		}
	}
	return c.add(b.NewArray())
}

// category builds a dictionary of strings; "" is null. The dictionary
// holds the categories in the order given, as pandas sorts them.
func (c *cols) category(categories []string, vals ...string) arrow.Array {
	typ := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	b := array.NewDictionaryBuilder(c.mem, typ).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	if err := b.InsertStringDictValues(c.str(categories).(*array.String)); err != nil {
		c.t.Fatal(err)
	}
	for _, v := range vals {
		if v == "" {
			b.AppendNull()
		} else if err := b.AppendString(v); err != nil {
			c.t.Fatal(err)
		}
	}
	return c.add(b.NewArray())
}

// table cuts full columns (and index levels) to what Rows and Cols say
// Frame shows, as Shoal's caller does.
func (c *cols) table(names []string, full []arrow.Array, index *Index, opt Options) Table {
	rows := int64(0)
	if len(full) > 0 {
		rows = int64(full[0].Len())
	} else if index != nil {
		rows = int64(index.Head[0].Len())
	}
	head, tail := Rows(rows, opt)
	l, r := Cols(len(names), opt)
	cut := func(arrs []arrow.Array, hidden bool) (h, t []arrow.Array) {
		h = make([]arrow.Array, len(arrs))
		if tail > 0 {
			t = make([]arrow.Array, len(arrs))
		}
		for i, a := range arrs {
			if hidden && i >= l && i < len(arrs)-r {
				continue // Cols hides it: the caller need not fetch it
			}
			h[i] = c.add(array.NewSlice(a, 0, head))
			if tail > 0 {
				t[i] = c.add(array.NewSlice(a, rows-tail, rows))
			}
		}
		return h, t
	}
	tb := Table{Columns: names, TotalRows: rows}
	tb.Head, tb.Tail = cut(full, true)
	if index != nil {
		ih, it := cut(index.Head, false)
		tb.Index = &Index{Names: index.Names, Head: ih, Tail: it}
	}
	return tb
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s: got\n%s\n--- want\n%s\n--- got %q\nwant %q", name, got, want, got, want)
	}
}

func names(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

func TestFrameGolden(t *testing.T) {
	opt := DefaultOptions()
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name  string
		build func(c *cols) Table
	}{
		{"ints", func(c *cols) Table {
			return c.table([]string{"a", "bb", "long_name"}, []arrow.Array{
				c.i64([]int64{1, 2, 3}), c.i64([]int64{10, -200, 3000}), c.i64([]int64{0, 0, 7})}, nil, opt)
		}},
		{"floats_trim", func(c *cols) Table {
			return c.table([]string{"x", "y"}, []arrow.Array{c.f64(1.5, 2.25, 3.0), c.f64(1, 2, -3)}, nil, opt)
		}},
		{"floats_nan_inf", func(c *cols) Table {
			return c.table([]string{"x", "y"}, []arrow.Array{c.f64(1, nan, inf, -inf), c.f64(0.5, nan, nan, 2)}, nil, opt)
		}},
		{"floats_sci_small", func(c *cols) Table {
			return c.table([]string{"x", "y"}, []arrow.Array{c.f64(1e-7, 1, 2.5), c.f64(0, 0.000001, 12)}, nil, opt)
		}},
		{"floats_sci_large", func(c *cols) Table {
			return c.table([]string{"x", "y", "z"}, []arrow.Array{
				c.f64(1.5e10, 2, 3), c.f64(123456.5, 1, -2), c.f64(1234567, 1, inf)}, nil, opt)
		}},
		{"floats_precision", func(c *cols) Table {
			return c.table([]string{"x", "y"}, []arrow.Array{c.f64(0.1234567891, 3.14159265, -2), c.f64(1e6, 2, 0.5)}, nil, opt)
		}},
		{"strings", func(c *cols) Table {
			x60, y50 := strings.Repeat("x", 60), strings.Repeat("y", 50)
			return c.table([]string{"s", "t", "n"}, []arrow.Array{
				c.str([]string{"a", "", "hello world"}, 1), c.str([]string{x60, "short", y50}), c.i64([]int64{1, 2, 3})}, nil, opt)
		}},
		{"bools", func(c *cols) Table {
			return c.table([]string{"b", "nb"}, []arrow.Array{
				c.boolean([]bool{true, false, true}), c.boolean([]bool{true, false, false}, 1)}, nil, opt)
		}},
		{"int_nulls", func(c *cols) Table {
			return c.table([]string{"i", "j"}, []arrow.Array{c.i64([]int64{1, 0, -30}, 1), c.f64(1.5, 2, 3)}, nil, opt)
		}},
		{"timestamps", func(c *cols) Table {
			return c.table([]string{"sec", "day", "ms"}, []arrow.Array{
				c.ts(arrow.Nanosecond, "", "2024-01-02 03:04:05", "", "2024-12-31 23:59:59"),
				c.ts(arrow.Microsecond, "", "2024-01-02", "2024-02-03", ""),
				c.ts(arrow.Millisecond, "", "2024-01-02 03:04:05.123", "2024-01-02", "2024-01-02 00:00:01"),
			}, nil, opt)
		}},
		{"timestamps_fine", func(c *cols) Table {
			return c.table([]string{"us", "ns"}, []arrow.Array{
				c.ts(arrow.Microsecond, "", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05"),
				c.ts(arrow.Nanosecond, "", "2024-01-02 03:04:05.000000001", "2024-01-02 03:04:05.5"),
			}, nil, opt)
		}},
		{"timestamps_tz", func(c *cols) Table {
			return c.table([]string{"utc", "n"}, []arrow.Array{
				c.ts(arrow.Nanosecond, "UTC", "2024-01-02 03:04:05", "2024-01-02", ""), c.i64([]int64{1, 2, 3})}, nil, opt)
		}},
		{"dates", func(c *cols) Table {
			return c.table([]string{"d", "n"}, []arrow.Array{c.date32("2024-01-02", "", "1999-12-31"), c.i64([]int64{1, 2, 3})}, nil, opt)
		}},
		{"category", func(c *cols) Table {
			return c.table([]string{"c", "n"}, []arrow.Array{
				c.category([]string{"high", "lo"}, "lo", "", "high", "lo"), c.i64([]int64{1, 2, 3, 4})}, nil, opt)
		}},
		{"durations", func(c *cols) Table {
			day := int64(86400e9)
			return c.table([]string{"days", "hms"}, []arrow.Array{
				c.dur(arrow.Nanosecond, []int64{day, 2 * day, 0}, 2),
				c.dur(arrow.Millisecond, []int64{3723000, 86401500, -60000}),
			}, nil, opt)
		}},
		{"trunc_rows", func(c *cols) Table {
			b := make([]float64, 100)
			for i := range b {
				b[i] = float64(i) * 0.5
			}
			return c.table([]string{"a", "b"}, []arrow.Array{c.seq(0, 100), c.f64(b...)}, nil, opt)
		}},
		{"trunc_cols", func(c *cols) Table {
			var arrs []arrow.Array
			for i := range int64(25) {
				arrs = append(arrs, c.i64([]int64{i, i * 10}))
			}
			return c.table(names(25, "c%d"), arrs, nil, opt)
		}},
		{"trunc_both", func(c *cols) Table {
			var arrs []arrow.Array
			for i := range int64(30) {
				arrs = append(arrs, c.seq(i, 70))
			}
			return c.table(names(30, "c%d"), arrs, nil, opt)
		}},
		{"wrap", func(c *cols) Table {
			var arrs []arrow.Array
			for i := range 9 {
				arrs = append(arrs, c.f64(float64(i)*1000.5, -1.25))
			}
			return c.table(names(9, "column_%d"), arrs, nil, opt)
		}},
		{"wrap_trunc", func(c *cols) Table {
			var arrs []arrow.Array
			for i := range int64(24) {
				arrs = append(arrs, c.seq(i, 70))
			}
			return c.table(names(24, "col%02d"), arrs, nil, opt)
		}},
		{"empty", func(c *cols) Table {
			return c.table([]string{"a", "b"}, []arrow.Array{c.i64(nil), c.f64()}, nil, opt)
		}},
		{"no_columns", func(c *cols) Table {
			return Table{TotalRows: 3}
		}},
		{"index_str", func(c *cols) Table {
			return c.table([]string{"v", "w"}, []arrow.Array{c.i64([]int64{1, 22, 333}), c.str([]string{"p", "q", "r"})},
				&Index{Names: []string{"key"}, Head: []arrow.Array{c.str([]string{"a", "bbb", "cc"})}}, opt)
		}},
		{"index_int_unnamed", func(c *cols) Table {
			return c.table([]string{"v"}, []arrow.Array{c.f64(1.5, 2, 3)},
				&Index{Names: []string{""}, Head: []arrow.Array{c.i64([]int64{10, 200, 3})}}, opt)
		}},
		{"index_int_named_trunc", func(c *cols) Table {
			return c.table([]string{"v"}, []arrow.Array{c.seq(0, 80)},
				&Index{Names: []string{"id"}, Head: []arrow.Array{c.seq(1000, 80)}}, opt)
		}},
		{"multiindex", func(c *cols) Table {
			return c.table([]string{"v", "w"}, []arrow.Array{c.i64([]int64{10, 20, 30, 40}), c.f64(0.5, 1, 1.5, 2)},
				&Index{Names: []string{"k1", "k2"}, Head: []arrow.Array{
					c.str([]string{"a", "a", "b", "b"}), c.i64([]int64{1, 2, 1, 30})}}, opt)
		}},
		{"multiindex_unnamed", func(c *cols) Table {
			return c.table([]string{"v"}, []arrow.Array{c.i64([]int64{1, 2, 3})},
				&Index{Head: []arrow.Array{c.str([]string{"x", "x", "y"}), c.str([]string{"p", "q", "p"})}}, opt)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCols(t)
			golden(t, tc.name, Frame(tc.build(c), opt))
		})
	}
}

func TestSeriesGolden(t *testing.T) {
	opt := DefaultOptions()
	cases := []struct {
		name, series string
		build        func(c *cols) Table
	}{
		{"series_int", "n", func(c *cols) Table {
			return c.table([]string{"n"}, []arrow.Array{c.i64([]int64{1, 20, 300})}, nil, opt)
		}},
		{"series_float_noname", "", func(c *cols) Table {
			return c.table([]string{""}, []arrow.Array{c.f64(1.5, math.NaN(), 3.25)}, nil, opt)
		}},
		{"series_trunc", "r", func(c *cols) Table {
			return c.table([]string{"r"}, []arrow.Array{c.seq(0, 100)}, nil, opt)
		}},
		{"series_str_index", "s", func(c *cols) Table {
			return c.table([]string{"s"}, []arrow.Array{c.str([]string{"x", "", "zz"}, 1)},
				&Index{Names: []string{"key"}, Head: []arrow.Array{c.str([]string{"a", "b", "c"})}}, opt)
		}},
		{"series_category", "c", func(c *cols) Table {
			return c.table([]string{"c"}, []arrow.Array{c.category([]string{"a", "b"}, "b", "a", "", "b")}, nil, opt)
		}},
		{"series_int_nulls", "i", func(c *cols) Table {
			return c.table([]string{"i"}, []arrow.Array{c.i64([]int64{5, 0, 7}, 1)}, nil, opt)
		}},
		{"series_datetime", "d", func(c *cols) Table {
			return c.table([]string{"d"}, []arrow.Array{c.ts(arrow.Nanosecond, "", "2024-01-02", "2024-01-03")}, nil, opt)
		}},
		{"series_empty", "e", func(c *cols) Table {
			return c.table([]string{"e"}, []arrow.Array{c.f64()}, nil, opt)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCols(t)
			golden(t, tc.name, Series(tc.series, tc.build(c), opt))
		})
	}
}

func TestInfoGolden(t *testing.T) {
	c := newCols(t)
	i64, f64, str := arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64, arrow.BinaryTypes.String
	golden(t, "info_basic", Info([]ColumnInfo{{"a", 5, i64}, {"b", 4, f64}, {"c", 5, i64}}, 5, nil, 252))
	golden(t, "info_mixed", Info([]ColumnInfo{
		{"name", 2, str},
		{"flag", 3, arrow.FixedWidthTypes.Boolean},
		{"t", 3, &arrow.TimestampType{Unit: arrow.Nanosecond}},
		{"c", 3, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: str}},
		{"f", 3, arrow.PrimitiveTypes.Float32},
		{"i8", 3, arrow.PrimitiveTypes.Int8},
	}, 3, nil, 325))
	golden(t, "info_str_index", Info([]ColumnInfo{{"v", 200000, i64}}, 200000,
		&IndexInfo{Ends: []arrow.Array{c.str([]string{"k0", "k199999"})}}, 3200000))
	golden(t, "info_multiindex", Info([]ColumnInfo{{"v", 4, i64}, {"w", 4, f64}}, 4,
		&IndexInfo{Ends: []arrow.Array{c.str([]string{"a", "b"}), c.i64([]int64{1, 30})}}, 430))
}
