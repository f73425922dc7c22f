package dataframe_test

import (
	"context"
	"fmt"
	"testing"

	shoal "github.com/shoaldata/shoal/dataframe"
	"github.com/shoaldata/shoal/gota/dataframe"
	"github.com/shoaldata/shoal/gota/series"
)

func TestToShoalAndBack(t *testing.T) {
	df := dataframe.New(
		series.New([]interface{}{1, nil, 3}, series.Int, "a"),
		series.New([]string{"x", "y", "x"}, series.String, "b"),
	)
	sdf, err := df.ToShoal()
	if err != nil {
		t.Fatal(err)
	}
	agg := sdf.GroupBy("b").AsIndex(false).Agg(shoal.Sum("a"), shoal.Count("a").As("n"))
	back := dataframe.FromShoal(context.Background(), agg)
	want := "[[b a n] [x 4 2] [y 0 0]]"
	if got := fmt.Sprint(back.Records()); got != want || back.Err != nil {
		t.Errorf("FromShoal(groupby) = %s (err %v), want %s", got, back.Err, want)
	}
	dup := df.Rename("b", "a")
	if _, err := dup.ToShoal(); err == nil || err.Error() != `to shoal: column name "b" appears twice` {
		t.Errorf("ToShoal with a repeated name: err = %v", err)
	}
	if _, err := (dataframe.DataFrame{}).Select("zz").ToShoal(); err == nil || err.Error() != "can't select columns: can't select columns: column name \"zz\" not found" {
		t.Errorf("ToShoal of an error frame: err = %v", err)
	}
}

// Example_native moves one step of a gota program to Shoal's own API and
// back.
func Example_native() {
	df := dataframe.LoadRecords([][]string{{"k", "v"}, {"a", "1"}, {"b", "2"}, {"a", "3"}})
	sdf, err := df.ToShoal()
	if err != nil {
		panic(err)
	}
	sums := sdf.GroupBy("k").AsIndex(false).Agg(shoal.Sum("v"))
	fmt.Println(dataframe.FromShoal(context.Background(), sums))
	// Output:
	// [2x2] DataFrame
	//
	//     k        v
	//  0: a        4
	//  1: b        2
	//     <string> <int>
}
