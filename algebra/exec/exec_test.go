package exec_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/exec"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/join"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/partition"
)

// recorder counts the kernels an execution deploys, by name prefix.
type recorder struct {
	partition.Engine
	mu    sync.Mutex
	names []string
}

func (r *recorder) Deploy(ctx context.Context, k partition.Kernel, in []partition.Block, nout int) []partition.Block {
	r.mu.Lock()
	r.names = append(r.names, k.Name)
	r.mu.Unlock()
	return r.Engine.Deploy(ctx, k, in, nout)
}

func (r *recorder) Release(bs []partition.Block) { partition.Release(r.Engine, bs...) }

func (r *recorder) count(prefix string) int {
	n := 0
	for _, name := range r.names {
		if strings.HasPrefix(name, prefix) {
			n++
		}
	}
	return n
}

func ints(t *testing.T, mem memory.Allocator, cols map[string][]int64, order ...string) *algebra.Scan {
	t.Helper()
	var fields []arrow.Field
	var arrs []arrow.Array
	var n int
	for _, name := range order {
		b := array.NewInt64Builder(mem)
		b.AppendValues(cols[name], nil)
		a := b.NewArray()
		b.Release()
		defer a.Release()
		n = a.Len()
		fields = append(fields, arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int64, Nullable: true})
		arrs = append(arrs, a)
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecord(schema, arrs, int64(n))
	defer rec.Release()
	tab, err := algebra.NewTable(schema, rec)
	if err != nil {
		t.Fatal(err)
	}
	return algebra.NewScan(tab)
}

func seq(n int, f func(i int) int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// TestPhysicalChoices checks that the executor picks the strategy the
// sizes call for, and that each gives the same rows.
func TestPhysicalChoices(t *testing.T) {
	ctx := context.Background()
	mem := memory.DefaultAllocator
	const n = 4000
	left := ints(t, mem, map[string][]int64{"k": seq(n, func(i int) int64 { return int64(i % 97) }), "v": seq(n, func(i int) int64 { return int64(i) })}, "k", "v")
	right := ints(t, mem, map[string][]int64{"k": seq(97, func(i int) int64 { return int64(i) }), "w": seq(97, func(i int) int64 { return int64(i * 10) })}, "k", "w")
	j, err := algebra.NewJoin(left, right, join.Inner, []string{"k"}, []string{"k"}, [2]string{"_x", "_y"})
	if err != nil {
		t.Fatal(err)
	}
	agg, err := algebra.NewAggregate(j, []string{"k"}, []groupby.Agg{{Func: groupby.Sum, Column: "w", As: "w"}, {Func: groupby.Size, As: "n"}}, groupby.Options{Sort: true, Dropna: true})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := algebra.NewSort(agg, []order.Key{{Column: "w", Descending: true}})
	if err != nil {
		t.Fatal(err)
	}
	sizing := partition.Sizing{TargetBytes: 1 << 10, MaxPerCore: 4, Cores: 2} // 8 partitions
	run := func(cfg exec.Config) (*recorder, arrow.Record) {
		r := &recorder{Engine: partition.NewLocal(2)}
		cfg.Engine, cfg.Sizing = r, sizing
		rec, err := exec.Collect(ctx, plan, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return r, rec
	}
	small, want := run(exec.Config{})
	defer want.Release()
	if small.count("join.inner") != 8 || small.count("partition.HashSplit")+small.count("partition.HashShuffle") != 0 {
		t.Errorf("small right side: %d joins, %d hash shuffles; want a broadcast join per left partition and no shuffle: %v",
			small.count("join.inner"), small.count("partition.HashSplit")+small.count("partition.HashShuffle"), small.names)
	}
	if small.count("groupby.partial") != 8 || small.count("groupby.merge") != 2 || small.count("groupby.combine") != 1 {
		t.Errorf("few groups: want a partial aggregate per partition, a tree of two merges of four, one combine: %v", small.names)
	}
	if small.count("partition.RangeSplit")+small.count("partition.RangeShuffle") != 0 {
		t.Errorf("97 rows should sort in one kernel: %v", small.names)
	}
	big, got := run(exec.Config{BroadcastBytes: 1, CombineRows: 1, SortRows: 1})
	defer got.Release()
	// The join's inputs are views of the tables: one direct kernel
	// (HashShuffle) shuffles each; the partial aggregates and the sort's
	// ranges are intermediates, split block by block (HashSplit, RangeSplit).
	if big.count("partition.HashShuffle(k)") != 2 || big.count("partition.HashSplit(k)") != 8 || big.count("groupby.combine") < 2 || big.count("partition.RangeSplit") == 0 {
		t.Errorf("forced partitioned paths not taken: %v", big.names)
	}
	if !array.RecordEqual(got, want) {
		t.Errorf("partitioned paths give\n%v\nwant\n%v", got, want)
	}
	if got.NumRows() != 97 {
		t.Errorf("%d groups, want 97", got.NumRows())
	}
}

// A sort of an in-memory table's columns range-shuffles them the direct
// way (one RangeShuffle kernel, no per-block RangeSplit), and gives the
// rows a one-kernel sort gives.
func TestSortOfTableShufflesDirect(t *testing.T) {
	ctx := context.Background()
	mem := memory.DefaultAllocator
	const n = 4000
	tab := ints(t, mem, map[string][]int64{"k": seq(n, func(i int) int64 { return int64((i * 7919) % 1013) }), "v": seq(n, func(i int) int64 { return int64(i) })}, "k", "v")
	plan, err := algebra.NewSort(tab, []order.Key{{Column: "k", Descending: true}, {Column: "v"}})
	if err != nil {
		t.Fatal(err)
	}
	sizing := partition.Sizing{TargetBytes: 1 << 10, MaxPerCore: 4, Cores: 2} // 8 partitions
	run := func(cfg exec.Config) (*recorder, arrow.Record) {
		r := &recorder{Engine: partition.NewLocal(2)}
		cfg.Engine, cfg.Sizing = r, sizing
		rec, err := exec.Collect(ctx, plan, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return r, rec
	}
	one, want := run(exec.Config{})
	defer want.Release()
	if one.count("partition.Range") != 0 {
		t.Errorf("4000 rows should sort in one kernel: %v", one.names)
	}
	ranged, got := run(exec.Config{SortRows: 1})
	defer got.Release()
	if ranged.count("partition.RangeShuffle(k desc)") != 1 || ranged.count("partition.RangeSplit") != 0 {
		t.Errorf("want one direct range shuffle of the table: %v", ranged.names)
	}
	if !array.RecordEqual(got, want) {
		t.Errorf("range-shuffled sort gives\n%v\nwant\n%v", got, want)
	}
}
