package dataframe

import (
	"context"
	"errors"
	"testing"
)

// pandas 1.5.3:
//
//	l = pd.DataFrame({"k": ["a","b","c"], "x": [1,2,3]}).set_index("k")
//	r = pd.DataFrame({"k": ["c","a","d"], "y": [30,10,40], "x": [7,8,9]}).set_index("k")
//	l.join(r, rsuffix="_right")              -> a 1 10 8 / b 2 NaN NaN / c 3 30 7
//	l.join(r, how="inner", rsuffix="_right") -> a 1 10 8 / c 3 30 7
func TestJoinOnIndex(t *testing.T) {
	ctx := context.Background()
	for mode, s := range modes(t) {
		l := s.FromColumns(NewColumn("k", []string{"a", "b", "c"}), NewColumn("x", []int64{1, 2, 3})).SetIndex("k")
		r := s.FromColumns(NewColumn("k", []string{"c", "a", "d"}), NewColumn("y", []int64{30, 10, 40}), NewColumn("x", []int64{7, 8, 9})).SetIndex("k")
		for how, want := range map[string][][]any{
			"left":  {{"a", int64(1), int64(10), int64(8)}, {"b", int64(2), nil, nil}, {"c", int64(3), int64(30), int64(7)}},
			"inner": {{"a", int64(1), int64(10), int64(8)}, {"c", int64(3), int64(30), int64(7)}},
		} {
			j := l.Join(r, how)
			if got := j.Columns(); len(got) != 3 || got[0] != "x" || got[1] != "y" || got[2] != "x_right" {
				t.Errorf("%s %s: columns %v, want [x y x_right]", mode, how, got)
			}
			got, err := j.ResetIndex(false).ToRecords(ctx)
			if err != nil || !equalRecords(got, want) {
				t.Errorf("%s %s: %v, %v, want %v", mode, how, got, err, want)
			}
		}
		// Collect keeps the result and its index.
		c, err := l.Join(r, "inner").Collect(ctx)
		if err != nil || len(c.IndexNames()) != 1 || c.IndexNames()[0] != "k" {
			t.Errorf("%s: Collect: %v, index %v", mode, err, c.IndexNames())
		}
	}
	noIndex := FromColumns(NewColumn("x", []int64{1}))
	if err := noIndex.Join(noIndex, "left").Err(); !errors.Is(err, ErrArgument) {
		t.Errorf("join without labelled indexes: %v", err)
	}
}
