package partition

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var directSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "d", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "b", Type: arrow.PrimitiveTypes.Int8},
	{Name: "t", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
}, nil)

// directSources builds one record of rows rows over dict and cuts it
// into slices of random lengths (some empty, offsets not multiples of 8),
// so the sources share one dictionary. Nulls appear in k and f only in
// some rows, so some sources have a validity bitmap and others none.
func directSources(t *testing.T, mem memory.Allocator, rng *rand.Rand, rows int, dict arrow.Array) []arrow.Record {
	t.Helper()
	kb, fb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
	bb, tb := array.NewInt8Builder(mem), array.NewTimestampBuilder(mem, directSchema.Field(4).Type.(*arrow.TimestampType))
	idx := array.NewInt32Builder(mem)
	for _, b := range []array.Builder{kb, fb, bb, tb, idx} {
		defer b.Release()
	}
	for i := range rows {
		if i%11 == 5 && i > rows/2 {
			kb.AppendNull()
		} else {
			kb.Append(int64(i % 37))
		}
		if i%13 == 0 {
			idx.AppendNull()
		} else {
			idx.Append(int32(i % dict.Len()))
		}
		if i%9 == 4 && i < rows/3 {
			fb.AppendNull()
		} else {
			fb.Append(float64(i) / 4)
		}
		bb.Append(int8(i))
		tb.Append(arrow.Timestamp(int64(i) * 1000))
	}
	ia := idx.NewArray()
	defer ia.Release()
	cols := []arrow.Array{kb.NewArray(), array.NewDictionaryArray(directSchema.Field(1).Type, ia, dict), fb.NewArray(), bb.NewArray(), tb.NewArray()}
	defer releaseArrays(cols)
	whole := array.NewRecord(directSchema, cols, int64(rows))
	defer whole.Release()
	var out []arrow.Record
	for lo := 0; lo < rows; {
		n := min(rng.IntN(rows/3+2), rows-lo)
		out = append(out, whole.NewSlice(int64(lo), int64(lo+n)))
		lo += n
	}
	return out
}

// The direct shuffle (by hash, and by range on {"f"}) gives exactly what
// splitting every source and concatenating each destination's pieces gives, for every column kind it
// copies, with nulls in some sources only and unaligned offsets; sources
// whose dictionaries differ take the two-step path and agree as well.
func TestDirectShuffleEqualsTwoStep(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	ctx := context.Background()
	for _, shared := range []bool{true, false} {
		for _, keys := range [][]string{{"k"}, {"d", "f"}, {"f"}} {
			for _, n := range []int{1, 2, 7} {
				for _, rows := range []int{0, 1, 9, 500} {
					t.Run(fmt.Sprintf("shared=%v/%v/%d/%d", shared, keys, n, rows), func(t *testing.T) {
						mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
						defer mem.AssertSize(t, 0)
						dict := strArray(mem, "a", "bb", "", "ccc")
						defer dict.Release()
						srcs := directSources(t, mem, rng, rows, dict)
						if !shared && len(srcs) > 1 {
							// The same values under a separately built dictionary.
							other := strArray(mem, "a", "bb", "", "ccc")
							last := srcs[len(srcs)-1]
							d := last.Column(1).(*array.Dictionary)
							nd := array.NewDictionaryArray(d.DataType(), d.Indices(), other)
							other.Release()
							cols := append([]arrow.Array(nil), last.Columns()...)
							cols[1] = nd
							srcs[len(srcs)-1] = array.NewRecord(directSchema, cols, last.NumRows())
							nd.Release()
							last.Release()
						}
						defer func() {
							for _, r := range srcs {
								r.Release()
							}
						}()
						if got := directShuffleable(directSchema, srcs); got != (shared || len(srcs) <= 1) {
							t.Fatalf("directShuffleable = %v with %d sources, shared %v", got, len(srcs), shared)
						}
						direct, split := hashShuffleKernel(directSchema, keys, mem), HashSplit(keys, mem)
						if keys[0] == "f" {
							// A range shuffle on f: n-1 evenly spread splitters.
							fb := array.NewFloat64Builder(mem)
							for i := 1; i < n; i++ {
								fb.Append(float64(rows*i) / float64(4*n))
							}
							sp := fb.NewArray()
							fb.Release()
							direct, split = rangeShuffleKernel(directSchema, "f", sp, false, mem), RangeSplit("f", sp, false, mem)
							sp.Release()
						}
						got, err := direct.Fn(ctx, srcs, n)
						if err != nil {
							t.Fatal(err)
						}
						want, err := twoStepShuffle(ctx, split, ConcatRows(directSchema, mem), srcs, n)
						if err != nil {
							t.Fatal(err)
						}
						if len(got) != n || len(want) != n {
							t.Fatalf("%d and %d outputs, want %d", len(got), len(want), n)
						}
						var total int64
						for o := range n {
							total += got[o].NumRows()
							if !array.RecordEqual(got[o], want[o]) {
								t.Errorf("destination %d:\ngot  %v\nwant %v", o, got[o], want[o])
							}
							for c := range directSchema.Fields() {
								if a, b := got[o].Column(c).NullN(), want[o].Column(c).NullN(); a != b {
									t.Errorf("destination %d column %d: %d nulls, want %d", o, c, a, b)
								}
							}
						}
						if total != int64(rows) {
							t.Errorf("%d rows out of %d", total, rows)
						}
						for o := range n {
							got[o].Release()
							want[o].Release()
						}
					})
				}
			}
		}
	}
}

// Through an engine, HashShuffleDirect of a frame of several blocks takes the
// direct kernel, and an unknown key fails naming it.
func TestHashShuffleDirectOnEngine(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := NewLocal(2)
	dict := strArray(mem, "x", "y")
	defer dict.Release()
	srcs := directSources(t, mem, rand.New(rand.NewPCG(7, 7)), 300, dict)
	f := Frame{Schema: directSchema}
	for _, r := range srcs {
		b, err := e.Put(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		f.Blocks = append(f.Blocks, b)
	}
	out := HashShuffleDirect(ctx, e, f, []string{"k"}, 3, mem)
	ref := HashShuffle(ctx, e, f, []string{"k"}, 3, mem)
	got, err := e.Materialize(ctx, out.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Materialize(ctx, ref.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	for o := range got {
		if !array.RecordEqual(got[o], want[o]) {
			t.Errorf("destination %d differs from HashShuffle's:\n%v\n%v", o, got[o], want[o])
		}
		got[o].Release()
		want[o].Release()
	}
	bad := HashShuffleDirect(ctx, e, f, []string{"nope"}, 3, mem)
	err = e.Wait(ctx, bad.Blocks)
	if err == nil || !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), "partition.HashShuffle(nope)") {
		t.Fatalf("unknown key: %v, want ErrUnknownColumn from the direct kernel partition.HashShuffle(nope)", err)
	}
	for _, fr := range []Frame{f, out, ref, bad} {
		Release(e, fr.Blocks...)
	}
}

func strArray(mem memory.Allocator, vals ...string) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}
