package vec_test

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/shoaldata/shoal/algebra/vec"
)

func fromJSON(dt arrow.DataType, js string) arrow.Array {
	a, _, err := array.FromJSON(memory.DefaultAllocator, dt, strings.NewReader(js))
	if err != nil {
		panic(err)
	}
	return a
}

func ExampleArith() {
	a := fromJSON(arrow.PrimitiveTypes.Int32, `[7, -7, null]`)
	defer a.Release()
	q, _ := vec.Arith(vec.FloorDiv, vec.ArrayOf(a), vec.ScalarOf(vec.Int64(2)), nil)
	defer q.Release()
	f, _ := vec.Arith(vec.Div, vec.ArrayOf(a), vec.ScalarOf(vec.Int64(2)), nil)
	defer f.Release()
	_, err := vec.Arith(vec.Add, vec.ArrayOf(a), vec.ScalarOf(vec.String("x")), nil)
	fmt.Println(q.DataType(), q)
	fmt.Println(f.DataType(), f)
	fmt.Println(err)
	// Output:
	// int64 [3 -4 (null)]
	// float64 [3.5 -3.5 (null)]
	// vec: add: int32 and utf8: type mismatch
}

func ExampleCompare() {
	a := fromJSON(arrow.BinaryTypes.String, `["apple", "fig", null]`)
	defer a.Release()
	m, _ := vec.Compare(vec.Lt, vec.ArrayOf(a), vec.ScalarOf(vec.String("banana")), nil)
	defer m.Release()
	fmt.Println(m)
	// Output: [true false (null)]
}

func ExampleAnd() {
	a := fromJSON(arrow.FixedWidthTypes.Boolean, `[true, false, null]`)
	defer a.Release()
	m, _ := vec.And(vec.ArrayOf(a), vec.ScalarOf(vec.NullOf(arrow.FixedWidthTypes.Boolean)), nil)
	defer m.Release()
	fmt.Println(m)
	// Output: [(null) false (null)]
}

func ExampleFilter() {
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	col := fromJSON(arrow.PrimitiveTypes.Int64, `[10, 20, 30, 40]`)
	defer col.Release()
	rec := array.NewRecord(schema, []arrow.Array{col}, 4)
	defer rec.Release()
	mask, _ := vec.Compare(vec.Gt, vec.ArrayOf(col), vec.ScalarOf(vec.Int64(15)), nil)
	defer mask.Release()
	out, _ := vec.Filter(rec, mask, nil)
	defer out.Release()
	fmt.Println(out.Column(0))
	// Output: [20 30 40]
}

func ExampleTake() {
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	col := fromJSON(arrow.BinaryTypes.String, `["a", "b", "c"]`)
	defer col.Release()
	rec := array.NewRecord(schema, []arrow.Array{col}, 3)
	defer rec.Release()
	out, _ := vec.Take(rec, []int64{2, -1, 0}, nil)
	defer out.Release()
	fmt.Println(out.Column(0))
	// Output: ["c" (null) "a"]
}

func ExampleCast() {
	a := fromJSON(arrow.BinaryTypes.String, `["1", "2", "x"]`)
	defer a.Release()
	_, err := vec.Cast(a, arrow.PrimitiveTypes.Int64, nil)
	fmt.Println(err)
	f := fromJSON(arrow.PrimitiveTypes.Float64, `[1, 2.5, null]`)
	defer f.Release()
	s, _ := vec.Cast(f, arrow.BinaryTypes.String, nil)
	defer s.Release()
	fmt.Println(s)
	// Output:
	// vec: cast utf8 to int64: row 2: "x": invalid syntax
	// ["1.0" "2.5" (null)]
}

func ExampleFillNull() {
	a := fromJSON(arrow.PrimitiveTypes.Float64, `[1, null]`)
	defer a.Release()
	out, _ := vec.FillNull(a, vec.ScalarOf(vec.Int64(0)), nil)
	defer out.Release()
	fmt.Println(out)
	// Output: [1 0]
}

func ExampleIsIn() {
	a := fromJSON(arrow.PrimitiveTypes.Int64, `[1, 2, null]`)
	defer a.Release()
	values := fromJSON(arrow.PrimitiveTypes.Int64, `[2, 3]`)
	defer values.Release()
	m, _ := vec.IsIn(a, values, nil)
	defer m.Release()
	fmt.Println(m)
	// Output: [false true false]
}

func ExampleResultType() {
	t, _ := vec.ResultType(vec.Add, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Float32)
	d, _ := vec.ResultType(vec.Sub, &arrow.TimestampType{Unit: arrow.Second}, &arrow.TimestampType{Unit: arrow.Second})
	fmt.Println(t, d, vec.Float64(1), vec.String("x"), vec.NullOf(arrow.PrimitiveTypes.Int64))
	// Output: float64 duration[s] 1.0 "x" null
}
