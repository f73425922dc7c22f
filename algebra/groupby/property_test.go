package groupby

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// randomRecord builds n rows: keys of mixed types with few distinct values
// and random nulls, and value columns i (int64), f (float64 with NaN), s
// (string).
func randomRecord(r *rand.Rand, mem memory.Allocator, n int) arrow.Record {
	null := func() bool { return r.IntN(6) == 0 }
	ib := array.NewInt64Builder(mem)
	fb := array.NewFloat64Builder(mem)
	sb := array.NewStringBuilder(mem)
	bb := array.NewBooleanBuilder(mem)
	kib := array.NewInt64Builder(mem)
	kfb := array.NewFloat64Builder(mem)
	ksb := array.NewStringBuilder(mem)
	kdb := array.NewInt32Builder(mem)
	for _, b := range []array.Builder{ib, fb, sb, bb, kib, kfb, ksb, kdb} {
		defer b.Release()
	}
	words := []string{"", "a", "b", "ab", "ba", "zz"}
	for range n {
		if null() {
			ib.AppendNull()
		} else {
			ib.Append(int64(r.IntN(7) - 3))
		}
		switch {
		case null():
			fb.AppendNull()
		case r.IntN(8) == 0:
			fb.Append(math.NaN())
		default:
			fb.Append(float64(r.IntN(100)) / 8)
		}
		if null() {
			sb.AppendNull()
		} else {
			sb.Append(words[r.IntN(len(words))])
		}
		if null() {
			bb.AppendNull()
		} else {
			bb.Append(r.IntN(2) == 0)
		}
		if null() {
			kib.AppendNull()
		} else {
			kib.Append(int64(r.IntN(4)) * 1000003)
		}
		switch {
		case null():
			kfb.AppendNull()
		case r.IntN(6) == 0:
			kfb.Append(math.NaN())
		default:
			kfb.Append(float64(r.IntN(3)) - 0.5)
		}
		if null() {
			ksb.AppendNull()
		} else {
			ksb.Append(words[r.IntN(3)])
		}
		if null() {
			kdb.AppendNull()
		} else {
			kdb.Append(int32(r.IntN(5)))
		}
	}
	dict := strs(mem, "q", "unused", "c", "b", "a")
	defer dict.Release()
	idx := kdb.NewArray()
	defer idx.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	return record(
		col{"ki", kib.NewArray()}, col{"kf", kfb.NewArray()}, col{"ks", ksb.NewArray()},
		col{"kd", array.NewDictionaryArray(dt, idx, dict)}, col{"kb", bb.NewArray()},
		col{"i", ib.NewArray()}, col{"f", fb.NewArray()}, col{"s", sb.NewArray()},
	)
}

var propertySeed = flag.Uint64("groupby.seed", 0, "seed of TestCombineEqualsAggregate (0: time)")

var propertyAggs = []Agg{
	{Func: Sum, Column: "i", As: "sum_i"},
	{Func: Sum, Column: "f", As: "sum_f"},
	{Func: Mean, Column: "f", As: "mean_f"},
	{Func: Mean, Column: "i", As: "mean_i"},
	{Func: Min, Column: "f", As: "min_f"},
	{Func: Max, Column: "s", As: "max_s"},
	{Func: Min, Column: "kd", As: "min_kd"},
	{Func: Count, Column: "s", As: "count_s"},
	{Func: Count, Column: "f", As: "count_f"},
	{Func: Size, As: "size"},
	{Func: Std, Column: "f", DDof: 1, As: "std_f"},
	{Func: Var, Column: "i", DDof: 0, As: "var_i"},
	{Func: First, Column: "f", As: "first_f"},
	{Func: Last, Column: "s", As: "last_s"},
	{Func: First, Column: "kd", As: "first_kd"},
	{Func: Prod, Column: "i", As: "prod_i"},
	{Func: Corr, Column: "f", Other: "i", As: "corr"},
}

// Combine(concat(Partial(part_i))) equals Aggregate(whole), with and
// without a MergePartial step, for random tables, keys and splits.
func TestCombineEqualsAggregate(t *testing.T) {
	seed := *propertySeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -groupby.seed=%d)", seed, seed)
	r := rand.New(rand.NewPCG(seed, 7))
	keyNames := []string{"ki", "kf", "ks", "kd", "kb"}
	for iter := range 300 {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rec := randomRecord(r, mem, r.IntN(50))
		var keys []string
		for _, p := range r.Perm(len(keyNames))[:1+r.IntN(3)] {
			keys = append(keys, keyNames[p])
		}
		if r.IntN(10) == 0 {
			keys = nil
		}
		opt := Options{Dropna: r.IntN(2) == 0, Sort: r.IntN(2) == 0}
		name := fmt.Sprintf("iter %d keys %v %+v rows %d", iter, keys, opt, rec.NumRows())

		want, err := Aggregate(rec, keys, propertyAggs, opt, mem)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Random split into partitions, Partial each, concatenate.
		var parts []arrow.Record
		for lo := int64(0); lo < rec.NumRows() || len(parts) == 0; {
			hi := min(rec.NumRows(), lo+int64(r.IntN(12)))
			slice := rec.NewSlice(lo, hi)
			p, err := Partial(slice, keys, propertyAggs, opt, mem)
			slice.Release()
			if err != nil {
				t.Fatalf("%s: Partial: %v", name, err)
			}
			parts = append(parts, p)
			lo = hi
		}
		all := concat(t, mem, parts)
		// Tree step: merge the first half of the partial rows apart.
		if r.IntN(2) == 0 && all.NumRows() > 1 {
			cut := r.Int64N(all.NumRows())
			a, b := all.NewSlice(0, cut), all.NewSlice(cut, all.NumRows())
			ma, err := MergePartial(a, keys, propertyAggs, opt, mem)
			if err != nil {
				t.Fatalf("%s: MergePartial: %v", name, err)
			}
			if !ma.Schema().Equal(all.Schema()) {
				t.Fatalf("%s: MergePartial schema %v, want %v", name, ma.Schema(), all.Schema())
			}
			a.Release()
			merged := concat(t, mem, []arrow.Record{ma, b})
			all.Release()
			all = merged
		}
		ps, _ := PartialSchema(rec.Schema(), keys, propertyAggs)
		if !ps.Equal(all.Schema()) {
			t.Fatalf("%s: Partial schema %v, PartialSchema %v", name, all.Schema(), ps)
		}
		got, err := Combine(all, keys, propertyAggs, opt, mem)
		if err != nil {
			t.Fatalf("%s: Combine: %v", name, err)
		}
		if msg := diffRecords(got, want); msg != "" {
			t.Fatalf("%s: Combine differs from Aggregate: %s\ngot\n%v\nwant\n%v", name, msg, fmtTable(table(got)), fmtTable(table(want)))
		}
		got.Release()
		want.Release()
		all.Release()
		rec.Release()
		mem.AssertSize(t, 0)
	}
}

// concat concatenates records of one schema and releases them.
func concat(t *testing.T, mem memory.Allocator, recs []arrow.Record) arrow.Record {
	t.Helper()
	cols := make([]arrow.Array, recs[0].NumCols())
	n := int64(0)
	for _, r := range recs {
		n += r.NumRows()
	}
	for c := range cols {
		arrs := make([]arrow.Array, len(recs))
		for i, r := range recs {
			arrs[i] = r.Column(c)
		}
		a, err := array.Concatenate(arrs, mem)
		if err != nil {
			t.Fatal(err)
		}
		cols[c] = a
	}
	out := array.NewRecord(recs[0].Schema(), cols, n)
	for _, c := range cols {
		c.Release()
	}
	for _, r := range recs {
		r.Release()
	}
	return out
}

// diffRecords compares records, floats to a relative 1e-9.
func diffRecords(a, b arrow.Record) string {
	if !a.Schema().Equal(b.Schema()) {
		return fmt.Sprintf("schema %v vs %v", a.Schema(), b.Schema())
	}
	if a.NumRows() != b.NumRows() {
		return fmt.Sprintf("%d rows vs %d", a.NumRows(), b.NumRows())
	}
	for c := range a.NumCols() {
		x, y := a.Column(int(c)), b.Column(int(c))
		fx, ok := x.(*array.Float64)
		if !ok {
			if fmt.Sprint(cells(x)) != fmt.Sprint(cells(y)) {
				return fmt.Sprintf("column %s", a.ColumnName(int(c)))
			}
			continue
		}
		fy := y.(*array.Float64)
		for i := range fx.Len() {
			if fx.IsNull(i) != fy.IsNull(i) {
				return fmt.Sprintf("column %s row %d: null mismatch", a.ColumnName(int(c)), i)
			}
			if u, v := fx.Value(i), fy.Value(i); !fx.IsNull(i) && math.Abs(u-v) > 1e-9*max(1, math.Abs(u), math.Abs(v)) {
				return fmt.Sprintf("column %s row %d: %v vs %v", a.ColumnName(int(c)), i, u, v)
			}
		}
	}
	return ""
}
