package dataframe_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/shoaldata/shoal/dataframe"
)

func sales() *dataframe.DataFrame {
	return dataframe.FromColumns(
		dataframe.NewColumn("store", []string{"a", "b", "a", "c", "b", "a"}),
		dataframe.NewColumn("units", []int64{3, 1, 4, 1, 5, 9}),
		dataframe.NewColumn("price", []float64{2.5, 10, 2.5, 7.25, 10, 2.5}),
	)
}

func ExampleFromColumns() {
	fmt.Println(sales())
	// Output:
	//   store  units  price
	// 0     a      3   2.50
	// 1     b      1  10.00
	// 2     a      4   2.50
	// 3     c      1   7.25
	// 4     b      5  10.00
	// 5     a      9   2.50
}

func ExampleDataFrame_Filter() {
	df := sales().Filter(dataframe.Col("units").Gt(2).And(dataframe.Col("price").Lt(5.0)))
	fmt.Println(df)
	// Output:
	//   store  units  price
	// 0     a      3    2.5
	// 2     a      4    2.5
	// 5     a      9    2.5
}

func ExampleDataFrame_WithColumn() {
	df := sales().WithColumn("revenue", dataframe.Col("units").Mul(dataframe.Col("price")))
	fmt.Println(df.Head(3))
	// Output:
	//   store  units  price  revenue
	// 0     a      3    2.5      7.5
	// 1     b      1   10.0     10.0
	// 2     a      4    2.5     10.0
}

func ExampleDataFrame_GroupBy() {
	// AsIndex(false) keeps the keys as columns (pandas as_index=False);
	// by default they become the index.
	df := sales().GroupBy("store").AsIndex(false).Agg(dataframe.Sum("units"), dataframe.Mean("price").As("avg_price"), dataframe.Size())
	fmt.Println(df)
	// Output:
	//   store  units  avg_price  size
	// 0     a     16       2.50     3
	// 1     b      6      10.00     2
	// 2     c      1       7.25     1
}

func ExampleDataFrame_SortValues() {
	fmt.Println(sales().SortValues(dataframe.Desc("price"), dataframe.Asc("units")))
	// Output:
	//   store  units  price
	// 1     b      1  10.00
	// 4     b      5  10.00
	// 3     c      1   7.25
	// 0     a      3   2.50
	// 2     a      4   2.50
	// 5     a      9   2.50
}

func ExampleDataFrame_Merge() {
	stores := dataframe.FromColumns(
		dataframe.NewColumn("store", []string{"a", "b", "d"}),
		dataframe.NewColumn("city", []string{"Oslo", "Lima", "Pune"}),
	)
	fmt.Println(sales().Merge(stores, dataframe.MergeOptions{On: []string{"store"}, How: "left"}))
	// Output:
	//   store  units  price  city
	// 0     a      3   2.50  Oslo
	// 1     b      1  10.00  Lima
	// 2     a      4   2.50  Oslo
	// 3     c      1   7.25  None
	// 4     b      5  10.00  Lima
	// 5     a      9   2.50  Oslo
}

func ExampleDataFrame_Explain() {
	df := sales().Filter(dataframe.Col("units").Ge(4)).Select("store")
	fmt.Print(df.Explain())
	// Output:
	// == Logical plan ==
	// Project __index_level_0__, store
	//   Filter (units >= 4)
	//     RowNumber AS __index_level_0__
	//       Scan table
	// == Optimized plan ==
	// Project __index_level_0__, store
	//   Scan table row_number=__index_level_0__ columns=[store, __index_level_0__] filter=(units >= 4)
}

func ExampleDataFrame_Describe() {
	d, err := sales().Describe(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	// Output:
	//            units      price
	// count  6.000000   6.000000
	// mean   3.833333   5.791667
	// std    2.994439   3.743049
	// min    1.000000   2.500000
	// 25%    1.500000   2.500000
	// 50%    3.500000   4.875000
	// 75%    4.750000   9.312500
	// max    9.000000  10.000000
}

func ExampleDataFrame_Rows() {
	for row, err := range sales().Head(2).Rows(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(row.Values())
	}
	// Output:
	// [a 3 2.5]
	// [b 1 10]
}

func ExampleFromRecords() {
	df := dataframe.FromRecords([]string{"name", "score"}, [][]any{{"ann", 3}, {"bob", 4.5}, {"cy", nil}})
	fmt.Println(df)
	fmt.Println(df.Dtypes())
	// Output:
	//   name  score
	// 0  ann    3.0
	// 1  bob    4.5
	// 2   cy    NaN
	// [object float64]
}

func ExampleFromStructs() {
	type trade struct {
		Symbol string  `shoal:"symbol"`
		Qty    int64   `shoal:"qty"`
		Price  float64 `shoal:"price"`
	}
	df := dataframe.FromStructs([]trade{{"ACME", 10, 1.5}, {"INIT", 5, 20}})
	fmt.Println(df)
	// Output:
	//   symbol  qty  price
	// 0   ACME   10    1.5
	// 1   INIT    5   20.0
}

func ExampleFromMap() {
	df := dataframe.FromMap(map[string]any{"b": []float64{0.5, 1.5}, "a": []int64{1, 2}})
	rows, cols, err := df.Shape(context.Background())
	fmt.Println(rows, cols, err)
	fmt.Println(df)
	// Output:
	// 2 2 <nil>
	//    a    b
	// 0  1  0.5
	// 1  2  1.5
}

func ExampleDataFrame_Info() {
	info, err := sales().Info(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	// pandas pads the dtype column with trailing spaces; trimmed here.
	for _, line := range strings.Split(strings.TrimSuffix(info, "\n"), "\n") {
		fmt.Println(strings.TrimRight(line, " "))
	}
	// Output:
	// <class 'pandas.core.frame.DataFrame'>
	// RangeIndex: 6 entries, 0 to 5
	// Data columns (total 3 columns):
	//  #   Column  Non-Null Count  Dtype
	// ---  ------  --------------  -----
	//  0   store   6 non-null      object
	//  1   units   6 non-null      int64
	//  2   price   6 non-null      float64
	// dtypes: float64(1), int64(1), object(1)
	// memory usage: 130.0+ bytes
}

func ExampleDataFrame_Loc() {
	df := sales().SetIndex("store").Loc("c", "b")
	fmt.Println(df.ResetIndex(false))
	// Output:
	//   store  units  price
	// 0     c      1   7.25
	// 1     b      1  10.00
	// 2     b      5  10.00
}

func ExampleConcat() {
	a := dataframe.FromColumns(dataframe.NewColumn("x", []int64{1, 2}))
	b := dataframe.FromColumns(dataframe.NewColumn("x", []int64{3}), dataframe.NewColumn("y", []string{"z"}))
	fmt.Println(dataframe.Concat(true, a, b))
	// Output:
	//    x     y
	// 0  1  None
	// 1  2  None
	// 2  3     z
}

func ExampleSeries_ValueCounts() {
	vc, err := sales().Series("store").ValueCounts(context.Background(), dataframe.ValueCountsOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vc)
	// Output:
	//    store
	// a      3
	// b      2
	// c      1
}

func ExampleSeries_CumSum() {
	fmt.Println(sales().Series("units").CumSum())
	// Output:
	// 0     3
	// 1     4
	// 2     8
	// 3     9
	// 4    14
	// 5    23
	// Name: units, dtype: int64
}
