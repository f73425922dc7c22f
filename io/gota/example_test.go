package gota_test

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/shoaldata/shoal/io/gota"
)

func ExampleFromGota() {
	df := gotadf.New(
		series.New([]interface{}{1, nil, 3}, series.Int, "id"),
		series.New([]string{"a", "b", "c"}, series.String, "name"),
	)
	rec, err := gota.FromGota(df, memory.DefaultAllocator)
	if err != nil {
		panic(err)
	}
	defer rec.Release()
	fmt.Println(rec.Schema().Field(0).Type, rec.Column(0))
	fmt.Println(rec.Schema().Field(1).Type, rec.Column(1))
	// Output:
	// int64 [1 (null) 3]
	// utf8 ["a" "b" "c"]
}

func ExampleToGota() {
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	b.AppendValues([]float64{0.5, 0, 2}, []bool{true, false, true})
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 3)
	col.Release()
	defer rec.Release()

	df, err := gota.ToGota(rec)
	if err != nil {
		panic(err)
	}
	fmt.Println(df.Col("x").Type(), df.Col("x").Records(), df.Col("x").IsNaN())
	// Output:
	// float [0.500000 NaN 2.000000] [false true false]
}
