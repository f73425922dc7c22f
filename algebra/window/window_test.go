package window

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func floats(mem memory.Allocator, v []float64, valid []bool) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.AppendValues(v, valid)
	return b.NewArray()
}

func TestApply(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	nan := 0.0
	nan = nan / nan
	col := floats(mem, []float64{1, 0, nan, 2, 4}, []bool{true, false, true, true, true})
	defer col.Release()
	ids := []int32{0, 1, 0, -1, 1}
	for _, tc := range []struct {
		f       Func
		ids     []int32
		carry   State
		periods int
		want    string
		end     State
	}{
		// Nulls and NaN stay null and leave the running value alone.
		{CumSum, nil, State{}, 0, "[1 (null) (null) 3 7]", State{Valid: true, F: 7}},
		// A carried state continues the previous partition.
		{CumSum, nil, State{Valid: true, F: 10}, 0, "[11 (null) (null) 13 17]", State{Valid: true, F: 17}},
		{CumMax, nil, State{Valid: true, F: 3}, 0, "[3 (null) (null) 3 4]", State{Valid: true, F: 4}},
		{CumProd, nil, State{}, 0, "[1 (null) (null) 2 8]", State{Valid: true, F: 8}},
		// Per group; -1 rows get null.
		{CumSum, ids, State{}, 0, "[1 (null) (null) (null) 4]", State{Valid: true, F: 1}},
		{CumCount, ids, State{}, 0, "[0 0 1 (null) 1]", State{N: 2}},
		{CumCount, nil, State{N: 5}, 0, "[5 6 7 8 9]", State{N: 10}},
		{Shift, nil, State{}, 2, "[(null) (null) 1 (null) NaN]", State{}},
		{Shift, ids, State{}, -1, "[NaN 4 (null) (null) (null)]", State{}},
	} {
		out, end, err := Apply(col, tc.f, tc.ids, 2, tc.periods, tc.carry, mem)
		if err != nil {
			t.Fatalf("%s: %v", tc.f, err)
		}
		if got := out.String(); got != tc.want {
			t.Errorf("%s ids=%v carry=%+v: %s, want %s", tc.f, tc.ids != nil, tc.carry, got, tc.want)
		}
		if tc.f != Shift && end != tc.end {
			t.Errorf("%s: end state %+v, want %+v", tc.f, end, tc.end)
		}
		out.Release()
	}
	// Integers stay integers; strings have no cumulative sum.
	b := array.NewInt32Builder(mem)
	b.AppendValues([]int32{3, -1, 2}, nil)
	ints := b.NewArray()
	b.Release()
	defer ints.Release()
	out, _, err := Apply(ints, CumSum, nil, 1, 0, State{}, mem)
	if err != nil || out.DataType().ID() != arrow.INT64 || out.String() != "[3 2 4]" {
		t.Errorf("int32 cumsum: %v %v", out, err)
	}
	out.Release()
	if _, err := ResultType(CumSum, arrow.BinaryTypes.String); err == nil {
		t.Error("cumsum of strings: no error")
	}
	// An empty partition after a shuffle has no groups.
	empty := floats(mem, nil, nil)
	defer empty.Release()
	out, _, err = Apply(empty, CumSum, []int32{}, 0, 0, State{}, mem)
	if err != nil || out.Len() != 0 {
		t.Errorf("empty: %v %v", out, err)
	}
	out.Release()
}
