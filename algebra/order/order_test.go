package order

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra/internal/kerneltest"
)

// fromJSON builds an array of type dt from JSON.
func fromJSON(t testing.TB, mem memory.Allocator, dt arrow.DataType, js string) arrow.Array {
	t.Helper()
	a, _, err := array.FromJSON(mem, dt, strings.NewReader(js))
	if err != nil {
		t.Fatalf("%s %s: %v", dt, js, err)
	}
	return a
}

// dictOf builds a dictionary<int8, utf8> array from its dictionary and
// codes (JSON arrays).
func dictOf(t testing.TB, mem memory.Allocator, dict, codes string) arrow.Array {
	t.Helper()
	d := fromJSON(t, mem, arrow.BinaryTypes.String, dict)
	defer d.Release()
	c := fromJSON(t, mem, arrow.PrimitiveTypes.Int8, codes)
	defer c.Release()
	return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}, c, d)
}

// record makes a record of columns a, b, c, ... and releases the arrays.
func record(cols ...arrow.Array) arrow.Record {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: string(rune('a' + i)), Type: c.DataType(), Nullable: true}
		defer c.Release()
	}
	n := int64(0)
	if len(cols) > 0 {
		n = int64(cols[0].Len())
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, n)
}

func TestIndices(t *testing.T) {
	i64 := arrow.PrimitiveTypes.Int64
	f64 := arrow.PrimitiveTypes.Float64
	str := arrow.BinaryTypes.String
	cases := []struct {
		name string
		col  func(memory.Allocator) arrow.Array
		key  Key
		want []int64
	}{
		{"int64 stable nulls last", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, i64, `[3, null, 1, 3, -2, 1, null]`)
		}, Key{}, []int64{4, 2, 5, 0, 3, 1, 6}},
		{"int64 desc nulls first", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, i64, `[3, null, 1, 3, -2, 1, null]`)
		}, Key{Descending: true, NullsFirst: true}, []int64{1, 6, 0, 3, 2, 5, 4}},
		{"int64 desc nulls last", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, i64, `[3, null, 1, 3, -2, 1, null]`)
		}, Key{Descending: true}, []int64{0, 3, 2, 5, 4, 1, 6}},
		{"int64 extremes", func(m memory.Allocator) arrow.Array {
			// Built, not parsed: FromJSON reads numbers as float64.
			b := array.NewInt64Builder(m)
			defer b.Release()
			b.AppendValues([]int64{0, math.MaxInt64, math.MinInt64, -1, 1}, nil)
			return b.NewArray()
		}, Key{}, []int64{2, 3, 0, 4, 1}},
		{"uint64 above int64", func(m memory.Allocator) arrow.Array {
			b := array.NewUint64Builder(m)
			defer b.Release()
			b.AppendValues([]uint64{math.MaxUint64, 0, 1 << 63, 5}, nil)
			return b.NewArray()
		}, Key{}, []int64{1, 3, 2, 0}},
		{"float64 NaN is null, -0 equals 0", func(m memory.Allocator) arrow.Array {
			a := array.NewFloat64Builder(m)
			defer a.Release()
			a.AppendValues([]float64{0.5, math.NaN(), -1.5, 0, math.Inf(-1), math.Copysign(0, -1), math.Inf(1)}, nil)
			a.AppendNull()
			return a.NewArray()
		}, Key{}, []int64{4, 2, 3, 5, 0, 6, 1, 7}},
		{"float64 NaN and null first, descending", func(m memory.Allocator) arrow.Array {
			a := array.NewFloat64Builder(m)
			defer a.Release()
			a.AppendValues([]float64{0.5, math.NaN(), -1.5}, nil)
			a.AppendNull()
			return a.NewArray()
		}, Key{Descending: true, NullsFirst: true}, []int64{1, 3, 0, 2}},
		{"float32", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.PrimitiveTypes.Float32, `[2.5, -3, null, 1e30, -1e-30]`)
		}, Key{}, []int64{1, 4, 0, 3, 2}},
		{"int8", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.PrimitiveTypes.Int8, `[127, -128, 0, null, -1]`)
		}, Key{NullsFirst: true}, []int64{3, 1, 4, 2, 0}},
		{"bool", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.FixedWidthTypes.Boolean, `[true, false, null, true, false]`)
		}, Key{}, []int64{1, 4, 0, 3, 2}},
		{"string", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, str, `["b", "", null, "ab", "a", "b", "B"]`)
		}, Key{}, []int64{1, 6, 4, 3, 0, 5, 2}},
		{"large string desc", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.BinaryTypes.LargeString, `["b", "", null, "ab", "a", "b"]`)
		}, Key{Descending: true}, []int64{0, 5, 3, 4, 1, 2}},
		{"dictionary with repeated and null entries", func(m memory.Allocator) arrow.Array {
			// entries: 0 "x", 1 "a", 2 null, 3 "x"
			return dictOf(t, m, `["x", "a", null, "x"]`, `[0, 3, 1, null, 2, 0, 1]`)
		}, Key{}, []int64{2, 6, 0, 1, 5, 3, 4}},
		{"timestamp", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.FixedWidthTypes.Timestamp_s, `["2024-01-02T00:00:00", "1969-12-31T00:00:00", null, "2024-01-01T00:00:00"]`)
		}, Key{}, []int64{1, 3, 0, 2}},
		{"date32 desc", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.FixedWidthTypes.Date32, `["2024-01-02", "1969-12-31", null, "2024-01-01"]`)
		}, Key{Descending: true}, []int64{0, 3, 1, 2}},
		{"date64", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.FixedWidthTypes.Date64, `["2024-01-02", "1969-12-31", "2024-01-01"]`)
		}, Key{}, []int64{1, 2, 0}},
		{"sliced", func(m memory.Allocator) arrow.Array {
			a := fromJSON(t, m, i64, `[100, 3, null, 1, 3, -200]`)
			defer a.Release()
			return array.NewSlice(a, 1, 5) // 3 null 1 3
		}, Key{}, []int64{2, 0, 3, 1}},
		{"sliced string", func(m memory.Allocator) arrow.Array {
			a := fromJSON(t, m, str, `["zz", "c", null, "a", "c", "0"]`)
			defer a.Release()
			return array.NewSlice(a, 1, 5) // c null a c
		}, Key{NullsFirst: true}, []int64{1, 2, 0, 3}},
		{"sliced float with NaN-free nulls", func(m memory.Allocator) arrow.Array {
			a := fromJSON(t, m, f64, `[null, 2, 1, null, 0]`)
			defer a.Release()
			return array.NewSlice(a, 1, 4) // 2 1 null
		}, Key{}, []int64{1, 0, 2}},
		{"empty", func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, i64, `[]`)
		}, Key{}, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec := record(c.col(mem))
			defer rec.Release()
			key := c.key
			key.Column = "a"
			got, err := Indices(rec, []Key{key})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Indices = %v, want %v", got, c.want)
			}
			// The naive reference agrees, and so does every TopK prefix.
			if ref := naiveIndices(rec, []Key{key}); !slices.Equal(ref, c.want) {
				t.Errorf("reference = %v, want %v (test table wrong?)", ref, c.want)
			}
			for k := 0; k <= len(c.want)+1; k++ {
				top, err := TopK(rec, []Key{key}, k)
				if err != nil {
					t.Fatal(err)
				}
				if want := c.want[:min(k, len(c.want))]; !slices.Equal(top, want) {
					t.Errorf("TopK(%d) = %v, want %v", k, top, want)
				}
			}
		})
	}
}

func TestIndicesMultiKey(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(
		dictOf(t, mem, `["y", "x"]`, `[0, 1, 0, null, 1, 0, 1]`),
		fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[5, 2, 5, 1, null, 3, 2]`),
		fromJSON(t, mem, arrow.BinaryTypes.String, `["p", "q", "o", "r", "s", "t", "p"]`),
	)
	defer rec.Release()
	cases := []struct {
		keys []Key
		want []int64
	}{
		// x: rows 1 (2), 4 (null), 6 (2); y: rows 0 (5), 2 (5), 5 (3); null: 3
		{[]Key{{Column: "a"}, {Column: "b"}}, []int64{1, 6, 4, 5, 0, 2, 3}},
		{[]Key{{Column: "a"}, {Column: "b", Descending: true, NullsFirst: true}}, []int64{4, 1, 6, 0, 2, 5, 3}},
		{[]Key{{Column: "a", Descending: true, NullsFirst: true}, {Column: "b"}, {Column: "c"}}, []int64{3, 5, 2, 0, 6, 1, 4}},
		{[]Key{{Column: "b"}, {Column: "c", Descending: true}}, []int64{3, 1, 6, 5, 0, 2, 4}},
		{nil, []int64{0, 1, 2, 3, 4, 5, 6}},
	}
	for _, c := range cases {
		got, err := Indices(rec, c.keys)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%v: Indices = %v, want %v", c.keys, got, c.want)
		}
		if ref := naiveIndices(rec, c.keys); !slices.Equal(ref, c.want) {
			t.Errorf("%v: reference = %v, want %v", c.keys, ref, c.want)
		}
		for k := range 9 {
			top, err := TopK(rec, c.keys, k)
			if err != nil {
				t.Fatal(err)
			}
			if want := c.want[:min(k, len(c.want))]; !slices.Equal(top, want) {
				t.Errorf("%v: TopK(%d) = %v, want %v", c.keys, k, top, want)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int64)
	lb.Append(true)
	list := lb.NewArray()
	lb.Release()
	rec := record(fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[1]`), list)
	defer rec.Release()

	_, err := Indices(rec, []Key{{Column: "x"}})
	if !errors.Is(err, ErrUnknownColumn) || err.Error() != `order: unknown column "x" (columns: a, b)` {
		t.Errorf("unknown column: %v", err)
	}
	_, err = TopK(rec, []Key{{Column: "b"}}, 1)
	if !errors.Is(err, ErrType) || err.Error() != `order: unsupported type list<item: int64, nullable> of column "b"` {
		t.Errorf("unsupported type: %v", err)
	}
	if _, err := Sample(rec, "x", 3, mem); !errors.Is(err, ErrUnknownColumn) {
		t.Errorf("Sample: %v", err)
	}
	if _, err := Sample(rec, "a", -1, mem); !errors.Is(err, ErrArgument) {
		t.Errorf("Sample: %v", err)
	}
	if _, err := Splitters(list, 3, false, mem); !errors.Is(err, ErrType) {
		t.Errorf("Splitters: %v", err)
	}
	if _, err := Splitters(rec.Column(0), 0, false, mem); !errors.Is(err, ErrArgument) {
		t.Errorf("Splitters: %v", err)
	}
}

// The naive reference: sort.SliceStable with a comparator over Go values.

// compareCells compares two non-null cells of one column.
func compareCells(a, b any) int {
	switch a := a.(type) {
	case int64:
		return cmpOf(a, b.(int64))
	case uint64:
		return cmpOf(a, b.(uint64))
	case float64:
		return cmpOf(a, b.(float64))
	case string:
		return strings.Compare(a, b.(string))
	case bool:
		x, y := 0, 0
		if a {
			x = 1
		}
		if b.(bool) {
			y = 1
		}
		return x - y
	}
	panic("compareCells")
}

func cmpOf[T int64 | uint64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// naiveLess is the ordering contract of Indices, written out plainly.
func naiveLess(cols []arrow.Array, keys []Key, x, y int) bool {
	for j, k := range keys {
		a, b := kerneltest.Cell(cols[j], x), kerneltest.Cell(cols[j], y)
		switch {
		case a == nil && b == nil:
			continue
		case a == nil:
			return k.NullsFirst
		case b == nil:
			return !k.NullsFirst
		}
		c := compareCells(a, b)
		if k.Descending {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
	}
	return false
}

func naiveIndices(rec arrow.Record, keys []Key) []int64 {
	cols := make([]arrow.Array, len(keys))
	for j, k := range keys {
		cols[j] = rec.Column(rec.Schema().FieldIndices(k.Column)[0])
	}
	out := make([]int64, rec.NumRows())
	for i := range out {
		out[i] = int64(i)
	}
	sort.SliceStable(out, func(x, y int) bool { return naiveLess(cols, keys, int(out[x]), int(out[y])) })
	return out
}
