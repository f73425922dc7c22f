package format

import (
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func TestDtype(t *testing.T) {
	str := arrow.BinaryTypes.String
	cases := []struct {
		typ  arrow.DataType
		want string
	}{
		{arrow.PrimitiveTypes.Int8, "int8"},
		{arrow.PrimitiveTypes.Int64, "int64"},
		{arrow.PrimitiveTypes.Uint16, "uint16"},
		{arrow.PrimitiveTypes.Uint64, "uint64"},
		{arrow.PrimitiveTypes.Float32, "float32"},
		{arrow.PrimitiveTypes.Float64, "float64"},
		{arrow.FixedWidthTypes.Boolean, "bool"},
		{str, "object"},
		{arrow.BinaryTypes.LargeString, "object"},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}, "category"},
		{&arrow.TimestampType{Unit: arrow.Nanosecond}, "datetime64[ns]"},
		{&arrow.TimestampType{Unit: arrow.Microsecond}, "datetime64[us]"},
		{&arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, "datetime64[ns, UTC]"},
		{arrow.FixedWidthTypes.Date32, "object"},
		{arrow.FixedWidthTypes.Date64, "object"},
		{&arrow.DurationType{Unit: arrow.Nanosecond}, "timedelta64[ns]"},
	}
	for _, c := range cases {
		if got := Dtype(c.typ); got != c.want {
			t.Errorf("Dtype(%s) = %q, want %q", c.typ, got, c.want)
		}
	}
}

func TestRowsCols(t *testing.T) {
	opt := DefaultOptions()
	for _, c := range []struct {
		total, head, tail int64
	}{{0, 0, 0}, {60, 60, 0}, {61, 5, 5}, {1 << 40, 5, 5}} {
		if h, tl := Rows(c.total, opt); h != c.head || tl != c.tail {
			t.Errorf("Rows(%d) = %d, %d; want %d, %d", c.total, h, tl, c.head, c.tail)
		}
	}
	if h, tl := Rows(100, Options{MaxRows: 60}); h != 30 || tl != 30 {
		t.Errorf("Rows without MinRows = %d, %d; want 30, 30", h, tl)
	}
	if h, tl := Rows(100, Options{}); h != 100 || tl != 0 {
		t.Errorf("Rows without MaxRows = %d, %d; want 100, 0", h, tl)
	}
	if l, r := Cols(20, opt); l != 20 || r != 0 {
		t.Errorf("Cols(20) = %d, %d; want 20, 0", l, r)
	}
	if l, r := Cols(21, opt); l != 10 || r != 10 {
		t.Errorf("Cols(21) = %d, %d; want 10, 10", l, r)
	}
}

func TestFloatNotation(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cases := []struct {
		in   []float64
		want []string
	}{
		{[]float64{1, 2}, []string{" 1.0", " 2.0"}},
		{[]float64{0.5, 0.25, -0.125}, []string{" 0.500", " 0.250", "-0.125"}},
		{[]float64{1e-7}, []string{" 1.000000e-07"}},
		{[]float64{1e20}, []string{" 1.000000e+20"}},
		{[]float64{999999.5}, []string{" 999999.5"}},
	}
	for _, c := range cases {
		b := array.NewFloat64Builder(mem)
		b.AppendValues(c.in, nil)
		a := b.NewArray()
		got := formatValues([]arrow.Array{a}, true)
		a.Release()
		b.Release()
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%v: got %q, want %q", c.in, got, c.want)
		}
	}
}

func ExampleFrame() {
	mem := memory.NewGoAllocator()
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	ib.AppendValues([]int64{1, 20, 300}, nil)
	n := ib.NewArray()
	defer n.Release()
	fb := array.NewFloat64Builder(mem)
	defer fb.Release()
	fb.AppendValues([]float64{0.5, 1.25, 2}, nil)
	x := fb.NewArray()
	defer x.Release()

	opt := DefaultOptions()
	head, _ := Rows(3, opt) // a small frame: fetch every row, no tail
	fmt.Println(head)
	fmt.Println(Frame(Table{Columns: []string{"n", "x"}, Head: []arrow.Array{n, x}, TotalRows: 3}, opt))
	// Output:
	// 3
	//      n     x
	// 0    1  0.50
	// 1   20  1.25
	// 2  300  2.00
}

func ExampleSeries() {
	b := array.NewStringBuilder(memory.NewGoAllocator())
	defer b.Release()
	b.AppendValues([]string{"a", "", "ccc"}, []bool{true, false, true})
	s := b.NewArray()
	defer s.Release()
	fmt.Println(Series("s", Table{Columns: []string{"s"}, Head: []arrow.Array{s}, TotalRows: 3}, DefaultOptions()))
	// Output:
	// 0       a
	// 1    None
	// 2     ccc
	// Name: s, dtype: object
}

func ExampleInfo() {
	fmt.Print(Info([]ColumnInfo{
		{Name: "a", NonNull: 3, Type: arrow.PrimitiveTypes.Int64},
		{Name: "b", NonNull: 2, Type: arrow.PrimitiveTypes.Int64},
	}, 3, nil, 2048))
	// Output:
	// <class 'pandas.core.frame.DataFrame'>
	// RangeIndex: 3 entries, 0 to 2
	// Data columns (total 2 columns):
	//  #   Column  Non-Null Count  Dtype
	// ---  ------  --------------  -----
	//  0   a       3 non-null      int64
	//  1   b       2 non-null      int64
	// dtypes: int64(2)
	// memory usage: 2.0 KB
}

func ExampleDtype() {
	fmt.Println(Dtype(&arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}))
	// Output: datetime64[ns, UTC]
}

// BenchmarkFrame prints a truncated frame of 20 shown columns (ints,
// floats, strings) as DataFrame.String would.
func BenchmarkFrame(b *testing.B) {
	mem := memory.NewGoAllocator()
	opt := DefaultOptions()
	var head, tail []arrow.Array
	names := make([]string, 30)
	for i := range names {
		names[i] = fmt.Sprintf("col%d", i)
		for _, dst := range []*[]arrow.Array{&head, &tail} {
			var a arrow.Array
			switch i % 3 {
			case 0:
				bb := array.NewInt64Builder(mem)
				bb.AppendValues([]int64{1, 22, 333, -4444, 5}, nil)
				a = bb.NewArray()
				bb.Release()
			case 1:
				bb := array.NewFloat64Builder(mem)
				bb.AppendValues([]float64{1.5, 2.25, 1e3, -0.125, 7}, nil)
				a = bb.NewArray()
				bb.Release()
			default:
				bb := array.NewStringBuilder(mem)
				bb.AppendValues([]string{"alpha", "beta", "gamma", "delta", "epsilon"}, nil)
				a = bb.NewArray()
				bb.Release()
			}
			*dst = append(*dst, a)
		}
	}
	tb := Table{Columns: names, Head: head, Tail: tail, TotalRows: 1_000_000}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(Frame(tb, opt)) == 0 {
			b.Fatal("empty")
		}
	}
}
