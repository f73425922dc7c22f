package dataframe

import (
	"context"
	"testing"
)

// Expected values from pandas 1.5.3:
//
//	df = pd.DataFrame({"k": list("abab") + ["a"], "v": [1, None, 3, 2, 5]})  # float64 v:
//	# pandas 1.5 propagates <NA> through cumsum of a nullable Int64, unlike
//	# float and pandas 2; Shoal skips nulls as skipna=True says.
//	df.v.cumsum()  -> 1, NaN, 4, 6, 11      df.v.cummax() -> 1, NaN, 3, 3, 5
//	df.v.shift(1)  -> NaN, 1, NaN, 3, 2     df.v.shift(-2) -> 3, 2, 5, NaN, NaN
//	df.groupby("k").v.cumsum()  -> 1, NaN, 4, 2, 9
//	df.groupby("k").cumcount()  -> 0, 0, 1, 1, 2
//	df.groupby("k").v.shift(1)  -> NaN, NaN, 1, NaN, 3
func TestWindowFunctions(t *testing.T) {
	ctx := context.Background()
	for mode, s := range modes(t) {
		df := s.FromColumns(
			NewColumn("k", []string{"a", "b", "a", "b", "a"}),
			NewNullableColumn("v", []int64{1, 0, 3, 2, 5}, []bool{true, false, true, true, true}),
		)
		for name, tc := range map[string]struct {
			s    *Series
			want []any
		}{
			"cumsum":         {df.Series("v").CumSum(), []any{int64(1), nil, int64(4), int64(6), int64(11)}},
			"cummax":         {df.Series("v").CumMax(), []any{int64(1), nil, int64(3), int64(3), int64(5)}},
			"cummin":         {df.Series("v").CumMin(), []any{int64(1), nil, int64(1), int64(1), int64(1)}},
			"shift1":         {df.Series("v").Shift(1), []any{nil, int64(1), nil, int64(3), int64(2)}},
			"shift-2":        {df.Series("v").Shift(-2), []any{int64(3), int64(2), int64(5), nil, nil}},
			"group cumsum":   {df.GroupBy("k").CumSum("v"), []any{int64(1), nil, int64(4), int64(2), int64(9)}},
			"group cumcount": {df.GroupBy("k").CumCount(), []any{int64(0), int64(0), int64(1), int64(1), int64(2)}},
			"group shift":    {df.GroupBy("k").Shift("v", 1), []any{nil, nil, int64(1), nil, int64(3)}},
		} {
			got, err := tc.s.Frame().ToRecords(ctx)
			if err != nil {
				t.Fatalf("%s %s: %v", mode, name, err)
			}
			var flat []any
			for _, r := range got {
				flat = append(flat, r[0])
			}
			if len(flat) != len(tc.want) {
				t.Errorf("%s %s: %v, want %v", mode, name, flat, tc.want)
				continue
			}
			for i := range flat {
				if flat[i] != tc.want[i] {
					t.Errorf("%s %s: %v, want %v", mode, name, flat, tc.want)
					break
				}
			}
		}
		// Labels survive: a filtered frame's cumsum keeps the kept rows' labels.
		got, err := df.Filter(Col("k").Eq("a")).Series("v").CumSum().Frame().ResetIndex(false).ToRecords(ctx)
		want := [][]any{{int64(0), int64(1)}, {int64(2), int64(4)}, {int64(4), int64(9)}}
		if err != nil || !equalRecords(got, want) {
			t.Errorf("%s: filtered cumsum %v, %v, want %v", mode, got, err, want)
		}
	}
}
