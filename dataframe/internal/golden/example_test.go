package golden_test

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/dataframe/internal/golden"
)

// A test turns a case's input into a record, runs Shoal, and compares.
// Here the "engine" returns its input, so the int column with a null
// matches pandas' float upcast and the row order does not matter.
func ExampleCompare() {
	mem := memory.NewGoAllocator()
	in := golden.Table{Columns: []golden.Column{
		{Name: "k", Dtype: golden.Category, Values: []any{"b", "a"}},
		{Name: "v", Dtype: golden.Int64, Values: []any{nil, int64(1)}},
	}}
	rec, err := in.Record(mem)
	if err != nil {
		panic(err)
	}
	defer rec.Release()

	want := golden.Table{Columns: []golden.Column{
		{Name: "k", Dtype: golden.String, Values: []any{"a", "b"}},
		{Name: "v", Dtype: golden.Float64, Values: []any{1.0, nil}},
	}}
	fmt.Println(golden.Compare(rec, want, false))
	fmt.Println(golden.Compare(rec, want, true))
	// Output:
	// <nil>
	// golden: result differs from pandas: column "k" (string) row 0: got "b", want "a"
}

func ExampleLoadAll() {
	cases, err := golden.LoadAll("../../testdata/pandas")
	if err != nil {
		panic(err)
	}
	for _, c := range cases {
		if c.Name == "merge_semi" {
			fmt.Println(c.Op, c.Args["how"], c.Args["on"], c.Ordered, c.Expected.NumRows())
		}
	}
	// Output:
	// merge semi [id] true 3
}
