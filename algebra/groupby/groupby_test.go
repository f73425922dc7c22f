package groupby

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// sample is the hand-checked table of the semantic tests. Group rows:
// a: 1,4  b: 0,2,6  c: 5  null: 3,7. f has NaN and null (both missing).
func sample(mem memory.Allocator) arrow.Record {
	return record(
		col{"k", strs(mem, "b", "a", "b", nil, "a", "c", "b", nil)},
		col{"k2", ints(mem, 1, 1, 2, 1, 1, 2, 1, 1)},
		col{"v", ints(mem, 1, 2, 3, 4, nil, 6, 7, 8)},
		col{"f", floats64(mem, 1.5, math.NaN(), 2.5, nil, 4.0, math.NaN(), -1.0, 3.0)},
		col{"s", strs(mem, "x", "y", nil, "z", "w", nil, "a", "q")},
	)
}

var sampleAggs = []Agg{
	{Func: Sum, Column: "f", As: "f_sum"},
	{Func: Mean, Column: "f", As: "f_mean"},
	{Func: Min, Column: "f", As: "f_min"},
	{Func: Max, Column: "f", As: "f_max"},
	{Func: Count, Column: "f", As: "f_count"},
	{Func: Size, As: "size"},
	{Func: Median, Column: "f", As: "f_median"},
	{Func: Std, Column: "f", DDof: 1, As: "f_std"},
	{Func: Var, Column: "f", DDof: 1, As: "f_var"},
	{Func: First, Column: "f", As: "f_first"},
	{Func: Last, Column: "f", As: "f_last"},
	{Func: NUnique, Column: "f", As: "f_nunique"},
	{Func: Prod, Column: "f", As: "f_prod"},
	{Func: Quantile, Column: "f", Q: 0.25, As: "f_q25"},
	{Func: Std, Column: "f", DDof: 0, As: "f_std0"},
	{Func: Corr, Column: "f", Other: "v", As: "corr"},
	{Func: Min, Column: "s", As: "s_min"},
	{Func: Max, Column: "s", As: "s_max"},
	{Func: First, Column: "s", As: "s_first"},
	{Func: Last, Column: "s", As: "s_last"},
	{Func: Count, Column: "s", As: "s_count"},
	{Func: NUnique, Column: "s", As: "s_nunique"},
	{Func: Sum, Column: "v", As: "v_sum"},
	{Func: Min, Column: "v", As: "v_min"},
	{Func: Max, Column: "v", As: "v_max"},
	{Func: Prod, Column: "v", As: "v_prod"},
	{Func: Mean, Column: "v", As: "v_mean"},
}

// sampleTypes are the result types of sampleAggs, as pandas gives them.
var sampleTypes = []string{"float64", "float64", "float64", "float64", "int64", "int64",
	"float64", "float64", "float64", "float64", "float64", "int64", "float64", "float64",
	"float64", "float64", "utf8", "utf8", "utf8", "utf8", "int64", "int64",
	"int64", "int64", "int64", "int64", "float64"}

// sampleWant is each group's row of results, computed with pandas 1.5.3.
var sampleWant = map[string][]string{
	"a": {"4", "4", "4", "4", "1", "2", "4", "null", "null", "4", "4", "1", "4", "4", "0", "null",
		"w", "y", "y", "w", "2", "2", "2", "2", "2", "2", "2"},
	"b": {"3", "1", "-1", "2.5", "3", "3", "1.5", "1.80277563773", "3.25", "1.5", "-1", "3", "-3.75", "0.25", "1.47196014439", "-0.817057169103",
		"a", "x", "x", "a", "2", "2", "11", "1", "7", "21", "3.66666666667"},
	"c": {"0", "null", "null", "null", "0", "1", "null", "null", "null", "null", "null", "0", "1", "null", "null", "null",
		"null", "null", "null", "null", "0", "0", "6", "6", "6", "6", "6"},
	"null": {"3", "3", "3", "3", "1", "2", "3", "null", "null", "3", "3", "1", "3", "3", "0", "null",
		"q", "z", "z", "q", "2", "2", "12", "4", "8", "32", "6"},
}

func wantSample(order []string) [][]string {
	want := [][]string{append([]string{"k:utf8"}, order...)}
	for j, a := range sampleAggs {
		c := []string{a.As + ":" + sampleTypes[j]}
		for _, k := range order {
			c = append(c, sampleWant[k][j])
		}
		want = append(want, c)
	}
	return want
}

func TestAggregateSample(t *testing.T) {
	for _, tc := range []struct {
		opt   Options
		order []string
	}{
		{Options{Dropna: true, Sort: true}, []string{"a", "b", "c"}},
		{Options{Dropna: true, Sort: false}, []string{"b", "a", "c"}},
		{Options{Dropna: false, Sort: true}, []string{"a", "b", "c", "null"}},
		{Options{Dropna: false, Sort: false}, []string{"b", "a", "null", "c"}},
	} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rec := sample(mem)
		got, err := Aggregate(rec, []string{"k"}, sampleAggs, tc.opt, mem)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", tc.opt)
		checkTable(t, got, wantSample(tc.order))
		want, err := OutputSchema(rec.Schema(), []string{"k"}, sampleAggs)
		if err != nil {
			t.Fatal(err)
		}
		if !want.Equal(got.Schema()) {
			t.Errorf("schema %v, OutputSchema %v", got.Schema(), want)
		}
		got.Release()
		rec.Release()
		mem.AssertSize(t, 0)
	}
}

func TestAggregateMultiKey(t *testing.T) {
	aggs := []Agg{{Func: Sum, Column: "f", As: "f"}, {Func: Size, As: "n"}}
	for _, tc := range []struct {
		opt  Options
		want [][]string
	}{
		{Options{Dropna: false, Sort: true}, [][]string{
			{"k2:int64", "1", "1", "1", "2", "2"},
			{"k:utf8", "a", "b", "null", "b", "c"},
			{"f:float64", "4", "0.5", "3", "2.5", "0"},
			{"n:int64", "2", "2", "2", "1", "1"}}},
		{Options{Dropna: false, Sort: false}, [][]string{
			{"k2:int64", "1", "1", "2", "1", "2"},
			{"k:utf8", "b", "a", "b", "null", "c"},
			{"f:float64", "0.5", "4", "2.5", "3", "0"},
			{"n:int64", "2", "2", "1", "2", "1"}}},
		{Options{Dropna: true, Sort: true}, [][]string{
			{"k2:int64", "1", "1", "2", "2"},
			{"k:utf8", "a", "b", "b", "c"},
			{"f:float64", "4", "0.5", "2.5", "0"},
			{"n:int64", "2", "2", "1", "1"}}},
	} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rec := sample(mem)
		got, err := Aggregate(rec, []string{"k2", "k"}, aggs, tc.opt, mem)
		if err != nil {
			t.Fatal(err)
		}
		checkTable(t, got, tc.want)
		got.Release()
		rec.Release()
		mem.AssertSize(t, 0)
	}
}

// Dictionary keys group on codes: unused entries make no group, Sort
// orders by decoded value, the output keeps the dictionary.
func TestAggregateDictionaryKey(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dict := []string{"zed", "unused", "alpha", "mid"}
	rec := record(
		col{"d", dictStrs(mem, dict, 3, 0, nil, 2, 0, 3, nil)},
		col{"v", ints(mem, 1, 2, 3, 4, 5, 6, 7)},
	)
	defer rec.Release()
	aggs := []Agg{{Func: Sum, Column: "v", As: "v"}}
	for _, tc := range []struct {
		opt  Options
		want [][]string
	}{
		{Options{Dropna: true, Sort: true}, [][]string{
			{"d:dictionary<values=utf8, indices=int32, ordered=false>", "alpha", "mid", "zed"},
			{"v:int64", "4", "7", "7"}}},
		{Options{Dropna: false, Sort: false}, [][]string{
			{"d:dictionary<values=utf8, indices=int32, ordered=false>", "mid", "zed", "null", "alpha"},
			{"v:int64", "7", "7", "10", "4"}}},
		{Options{Dropna: false, Sort: true}, [][]string{
			{"d:dictionary<values=utf8, indices=int32, ordered=false>", "alpha", "mid", "zed", "null"},
			{"v:int64", "4", "7", "7", "10"}}},
	} {
		got, err := Aggregate(rec, []string{"d"}, aggs, tc.opt, mem)
		if err != nil {
			t.Fatal(err)
		}
		checkTable(t, got, tc.want)
		if d := got.Column(0).(interface{ Dictionary() arrow.Array }).Dictionary(); d.Len() != len(dict) {
			t.Errorf("output dictionary has %d entries, want the input's %d", d.Len(), len(dict))
		}
		got.Release()
	}
}

// NaN float keys are null keys; -0.0 and 0.0 are one key.
func TestAggregateFloatKeys(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(
		col{"x", floats64(mem, 2.5, math.NaN(), math.Copysign(0, -1), nil, 0.0, 2.5, -1.0)},
		col{"v", ints(mem, 1, 2, 3, 4, 5, 6, 7)},
	)
	defer rec.Release()
	aggs := []Agg{{Func: Sum, Column: "v", As: "v"}, {Func: Count, Column: "v", As: "c"}}
	got, err := Aggregate(rec, []string{"x"}, aggs, Options{Sort: true}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{
		{"x:float64", "-1", "-0", "2.5", "null"},
		{"v:int64", "7", "8", "7", "6"},
		{"c:int64", "1", "2", "2", "2"},
	})
	got.Release()
	got, err = Aggregate(rec, []string{"x"}, aggs, Options{Dropna: true}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{
		{"x:float64", "2.5", "-0", "-1"},
		{"v:int64", "7", "8", "7"},
		{"c:int64", "2", "2", "1"},
	})
	got.Release()
}

// Bool, int32, timestamp and date32 keys and values.
func TestAggregateOtherTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b32 := newInt32s(mem, 7, -3, 7, 7)
	ts := newTimestamps(mem, 30, 10, nil, 20)
	dt := newDate32s(mem, 5, 1, 3, nil)
	rec := record(
		col{"b", bools(mem, true, false, true, nil)},
		col{"i", b32},
		col{"ts", ts},
		col{"dt", dt},
		col{"bv", bools(mem, true, true, false, nil)},
	)
	defer rec.Release()
	aggs := []Agg{
		{Func: Min, Column: "ts", As: "ts_min"},
		{Func: Max, Column: "ts", As: "ts_max"},
		{Func: Last, Column: "dt", As: "dt_last"},
		{Func: Sum, Column: "bv", As: "bv_sum"},
		{Func: Max, Column: "bv", As: "bv_max"},
		{Func: Sum, Column: "i", As: "i_sum"},
		{Func: Mean, Column: "bv", As: "bv_mean"},
	}
	got, err := Aggregate(rec, []string{"b"}, aggs, Options{Sort: true}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{
		{"b:bool", "false", "true", "null"},
		{"ts_min:timestamp[s]", "1970-01-01 00:00:10Z", "1970-01-01 00:00:30Z", "1970-01-01 00:00:20Z"},
		{"ts_max:timestamp[s]", "1970-01-01 00:00:10Z", "1970-01-01 00:00:30Z", "1970-01-01 00:00:20Z"},
		{"dt_last:date32", "1970-01-02", "1970-01-04", "null"},
		{"bv_sum:int64", "1", "1", "0"},
		{"bv_max:bool", "true", "true", "null"},
		{"i_sum:int64", "-3", "14", "7"},
		{"bv_mean:float64", "1", "0.5", "null"},
	})
	got.Release()
	got, err = Aggregate(rec, []string{"i", "dt"}, []Agg{{Func: Size, As: "n"}}, Options{Sort: true}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{
		{"i:int32", "-3", "7", "7", "7"},
		{"dt:date32", "1970-01-02", "1970-01-04", "1970-01-06", "null"},
		{"n:int64", "1", "1", "1", "1"},
	})
	got.Release()
}

func TestAggregateNoKeys(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	aggs := []Agg{
		{Func: Sum, Column: "v", As: "sum"},
		{Func: Count, Column: "v", As: "count"},
		{Func: Mean, Column: "v", As: "mean"},
		{Func: Size, As: "size"},
		{Func: Median, Column: "v", As: "median"},
		{Func: Prod, Column: "v", As: "prod"},
		{Func: Min, Column: "v", As: "min"},
	}
	empty := record(col{"v", ints(mem)})
	defer empty.Release()
	got, err := Aggregate(empty, nil, aggs, Options{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{{"sum:int64", "0"}, {"count:int64", "0"}, {"mean:float64", "null"},
		{"size:int64", "0"}, {"median:float64", "null"}, {"prod:int64", "1"}, {"min:int64", "null"}})
	got.Release()

	rec := record(col{"v", ints(mem, 4, nil, 1, 2)})
	defer rec.Release()
	got, err = Aggregate(rec, nil, aggs, Options{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{{"sum:int64", "7"}, {"count:int64", "3"}, {"mean:float64", "2.33333333333"},
		{"size:int64", "4"}, {"median:float64", "2"}, {"prod:int64", "8"}, {"min:int64", "1"}})
	got.Release()

	// Zero rows with keys: zero groups.
	ek := record(col{"k", strs(mem)}, col{"v", ints(mem)})
	defer ek.Release()
	got, err = Aggregate(ek, []string{"k"}, aggs, Options{Sort: true}, mem)
	if err != nil {
		t.Fatal(err)
	}
	if got.NumRows() != 0 || got.NumCols() != 8 {
		t.Errorf("zero rows: got %d rows, %d cols; want 0, 8", got.NumRows(), got.NumCols())
	}
	got.Release()
}

func TestAggregateOneRow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(col{"k", ints(mem, 9)}, col{"v", floats64(mem, 2.5)})
	defer rec.Release()
	got, err := Aggregate(rec, []string{"k"}, []Agg{
		{Func: Std, Column: "v", DDof: 1, As: "std"},
		{Func: Var, Column: "v", DDof: 0, As: "var0"},
		{Func: Quantile, Column: "v", Q: 0.9, As: "q"},
		{Func: Corr, Column: "v", Other: "v", As: "corr"},
	}, Options{Sort: true}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{{"k:int64", "9"}, {"std:float64", "null"}, {"var0:float64", "0"},
		{"q:float64", "2.5"}, {"corr:float64", "null"}})
	got.Release()
}

// Quantile interpolates linearly like pandas; checked against
// Series.quantile on 0..9 shuffled.
func TestQuantile(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(col{"v", floats64(mem, 7, 2, 9, 0, 4, 1, 8, 3, 6, 5)})
	defer rec.Release()
	var aggs []Agg
	for _, q := range []float64{0, 0.1, 0.25, 0.5, 0.77, 1} {
		aggs = append(aggs, Agg{Func: Quantile, Column: "v", Q: q, As: "q"})
	}
	aggs = append(aggs, Agg{Func: Median, Column: "v", As: "m"})
	got, err := Aggregate(rec, nil, aggs, Options{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got, [][]string{{"q:float64", "0"}, {"q:float64", "0.9"}, {"q:float64", "2.25"},
		{"q:float64", "4.5"}, {"q:float64", "6.93"}, {"q:float64", "9"}, {"m:float64", "4.5"}})
	got.Release()
}

func TestErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(col{"a", ints(mem, 1)}, col{"b", floats64(mem, 1)}, col{"s", strs(mem, "x")})
	defer rec.Release()
	for _, tc := range []struct {
		keys []string
		aggs []Agg
		is   error
		msg  string
	}{
		{[]string{"x"}, nil, ErrUnknownColumn, `groupby: unknown column "x" (columns: a, b, s)`},
		{[]string{"a"}, []Agg{{Func: Sum, Column: "y", As: "y"}}, ErrUnknownColumn, `groupby: unknown column "y" (columns: a, b, s)`},
		{[]string{"a"}, []Agg{{Func: Sum, Column: "s", As: "s"}}, ErrType, `groupby: sum of column "s": type utf8 not supported`},
		{[]string{"a"}, []Agg{{Func: Mean, Column: "s", As: "s"}}, ErrType, `groupby: mean of column "s": type utf8 not supported`},
		{[]string{"a"}, []Agg{{Func: Corr, Column: "b", Other: "s", As: "c"}}, ErrType, `groupby: corr of column "s": type utf8 not supported`},
		{[]string{"a"}, []Agg{{Func: Quantile, Column: "b", Q: 1.5, As: "q"}}, ErrFunc, `groupby: invalid aggregate: quantile of column "b": q 1.5 not in [0, 1]`},
	} {
		_, err := Aggregate(rec, tc.keys, tc.aggs, Options{}, mem)
		if !errors.Is(err, tc.is) || err.Error() != tc.msg {
			t.Errorf("got %v, want %q wrapping %v", err, tc.msg, tc.is)
		}
	}
	_, err := Partial(rec, []string{"a"}, []Agg{{Func: Median, Column: "b", As: "m"}}, Options{}, mem)
	if !errors.Is(err, ErrNotDecomposable) {
		t.Errorf("Partial(median): got %v, want ErrNotDecomposable", err)
	}
}

func TestParseFunc(t *testing.T) {
	for f := Func(0); f < numFuncs; f++ {
		g, err := ParseFunc(f.String())
		if err != nil || g != f {
			t.Errorf("ParseFunc(%q) = %v, %v", f.String(), g, err)
		}
	}
	if Median.String() != "median" || NUnique.String() != "nunique" {
		t.Errorf("names: %s %s", Median, NUnique)
	}
	if _, err := ParseFunc("avg"); !errors.Is(err, ErrFunc) {
		t.Errorf("ParseFunc(avg): %v", err)
	}
	if Decomposable([]Agg{{Func: Sum}, {Func: Median}}) || !Decomposable([]Agg{{Func: Sum}, {Func: Corr}}) {
		t.Error("Decomposable")
	}
}

func TestGroupsHeadTail(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := sample(mem) // k: b a b null a c b null
	defer rec.Release()
	ids, n, err := Groups(rec, []string{"k"}, Options{Dropna: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int32{0, 1, 0, -1, 1, 2, 0, -1}; n != 3 || !equal(ids, want) {
		t.Errorf("Groups = %v, %d; want %v, 3", ids, n, want)
	}
	ids, n, _ = Groups(rec, []string{"k"}, Options{Dropna: false, Sort: true})
	if want := []int32{1, 0, 1, 3, 0, 2, 1, 3}; n != 4 || !equal(ids, want) {
		t.Errorf("Groups sorted = %v, %d; want %v, 4", ids, n, want)
	}
	for _, tc := range []struct {
		n    int
		tail bool
		opt  Options
		want []int64
	}{
		{1, false, Options{Dropna: true}, []int64{0, 1, 5}},
		{2, false, Options{Dropna: false}, []int64{0, 1, 2, 3, 4, 5, 7}},
		{-1, false, Options{Dropna: true}, []int64{0, 1, 2}},
		{1, true, Options{Dropna: true}, []int64{4, 5, 6}},
		{-1, true, Options{Dropna: false}, []int64{2, 4, 6, 7}},
		{0, false, Options{}, []int64{}},
	} {
		f := Head
		if tc.tail {
			f = Tail
		}
		got, err := f(rec, []string{"k"}, tc.n, tc.opt)
		if err != nil || !equal(got, tc.want) {
			t.Errorf("head/tail(%d, tail=%v, %+v) = %v, %v; want %v", tc.n, tc.tail, tc.opt, got, err, tc.want)
		}
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A dictionary key with int32 indices and no nulls is grouped from its own
// index buffer, not a copy: the result is the same, a sliced array reads
// from its offset, and the borrowed buffer never returns to the scratch
// pool, where a later call would overwrite the caller's indices.
func TestAggregateDictionaryKeyBorrowsIndices(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const n = 3000 // above the pool's 1024 floor, so a leaked buffer would be recycled
	idx := make([]any, n)
	vals := make([]any, n)
	for i := range idx {
		idx[i] = (i * 7) % 3
		vals[i] = i % 10
	}
	full := record(
		col{"d", dictStrs(mem, []string{"c", "a", "b"}, idx...)},
		col{"v", ints(mem, vals...)},
	)
	defer full.Release()
	rec := full.NewSlice(1, n) // offset 1: codes (7i mod 3) for i in [1, n)
	defer rec.Release()
	before := slices.Clone(rec.Column(0).(*array.Dictionary).Indices().(*array.Int32).Int32Values())

	aggs := []Agg{{Func: Sum, Column: "v", As: "v"}, {Func: Count, Column: "v", As: "n"}}
	want := [][]string{
		{"d:dictionary<values=utf8, indices=int32, ordered=false>", "a", "b", "c"},
		{"v:int64", "4500", "4500", "4500"},
		{"n:int64", "1000", "1000", "999"},
	}
	for range 3 {
		got, err := Aggregate(rec, []string{"d"}, aggs, Options{Dropna: true, Sort: true}, mem)
		if err != nil {
			t.Fatal(err)
		}
		checkTable(t, got, want)
		got.Release()
		// A plain key's codes come from the pool and are written.
		other, err := Aggregate(rec, []string{"v"}, []Agg{{Func: Count, Column: "v", As: "n"}}, Options{Sort: true}, mem)
		if err != nil {
			t.Fatal(err)
		}
		other.Release()
	}
	if after := rec.Column(0).(*array.Dictionary).Indices().(*array.Int32).Int32Values(); !slices.Equal(before, after) {
		t.Fatal("grouping wrote into the key's dictionary indices")
	}
}
