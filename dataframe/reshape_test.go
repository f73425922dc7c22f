package dataframe

import (
	"context"
	"errors"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// pandas 1.5.3:
//
//	pd.DataFrame({"id": [1, 2, 3, 4], "tags": [["a", "b"], [], None, ["c"]]}).explode("tags")
//	   id  tags        (labels 0, 0, 1, 2, 3; the empty and the null list give NaN/None)
func TestExplode(t *testing.T) {
	ctx := context.Background()
	lb := array.NewListBuilder(memory.DefaultAllocator, arrow.BinaryTypes.String)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	lb.Append(true)
	vb.Append("a")
	vb.Append("b")
	lb.Append(true) // []
	lb.AppendNull()
	lb.Append(true)
	vb.Append("c")
	tags := lb.NewArray()
	lb.Release()
	defer tags.Release()
	for mode, s := range modes(t) {
		df := s.FromColumns(NewColumn("id", []int64{1, 2, 3, 4}), ArrowColumn("tags", tags))
		got, err := df.Explode("tags").ResetIndex(false).ToRecords(ctx)
		want := [][]any{{int64(0), int64(1), "a"}, {int64(0), int64(1), "b"}, {int64(1), int64(2), nil}, {int64(2), int64(3), nil}, {int64(3), int64(4), "c"}}
		if err != nil || !equalRecords(got, want) {
			t.Errorf("%s: %v, %v, want %v", mode, got, err, want)
		}
		if err := df.Explode("id").Err(); !errors.Is(err, ErrType) {
			t.Errorf("%s: explode of an int column: %v", mode, err)
		}
	}
}

// pandas 1.5.3: pd.DataFrame({"a": [1, 2], "b": [3.5, 4]}).T has index a, b,
// columns 0, 1, float64 values 1.0 2.0 / 3.5 4.0.
func TestTranspose(t *testing.T) {
	ctx := context.Background()
	df := FromColumns(NewColumn("a", []int64{1, 2}), NewColumn("b", []float64{3.5, 4}))
	tr, err := df.Transpose(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "     0    1\na  1.0  2.0\nb  3.5  4.0"
	if got := tr.String(); got != want {
		t.Errorf("transpose:\n%s\nwant:\n%s", got, want)
	}
	mixed := FromColumns(NewColumn("a", []int64{1}), NewColumn("s", []string{"x"}))
	if _, err := mixed.Transpose(ctx); !errors.Is(err, ErrType) {
		t.Errorf("mixed transpose: %v", err)
	}
}
