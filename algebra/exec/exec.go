// Package exec runs an algebra plan on a partition engine: the physical
// layer of dataframe → algebra → partition → runtime. It optimizes the plan,
// then turns each operator into partition primitives (map, axis, broadcast,
// shuffles) over Kernels built from algebra's typed kernels (vec, groupby,
// order, join). The same code runs on every engine, so a query gives the
// same answer on the single-node path and on the runtime.
//
// Physical choices, made per query from the partitions' Metas:
//   - a chain of Projects and Filters (and a Scan's own predicate and
//     columns) runs as one kernel per partition (map fusion);
//   - a group-by aggregates each partition, then combines the partial
//     results in one kernel when they are few (low cardinality) or
//     hash-shuffles them and combines per partition when they are many;
//     median, quantile and nunique hash-shuffle the rows instead;
//   - a join broadcasts the right side when it is small and the kind
//     allows it, and hash-partitions both sides otherwise;
//   - a sort is a sample sort: sampled splitters, a range shuffle, a local
//     sort per partition; a sort with a limit is a top-k per partition.
//
// Operators that move rows between partitions but must keep pandas' row
// order (drop_duplicates, groupby().head, partitioned joins and group-bys
// with sort=False) number the rows first and restore the order at the end
// with a range shuffle on the row number, which needs no sampling.
package exec

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/partition"
)

// Config says where and how a plan runs. The zero Config runs on a new
// single-node engine with the default allocator and sizing.
type Config struct {
	Engine partition.Engine // nil: partition.NewLocal(0)
	Mem    memory.Allocator // nil: memory.DefaultAllocator
	Sizing partition.Sizing // zero: partition.DefaultSizing
	// Rules are the optimizer's rules: nil means algebra.Rules, an empty
	// non-nil slice runs the plan as written.
	Rules []algebra.Rule
	// BroadcastBytes is the largest right side a join broadcasts
	// (default 64 MiB).
	BroadcastBytes int64
	// CombineRows is the number of partial-aggregate rows above which the
	// combine step is hash-partitioned (default 1<<18).
	CombineRows int64
	// SortRows is the row count below which a sort runs as one kernel
	// (default 1<<20).
	SortRows int64
}

func (c Config) withDefaults() Config {
	if c.Engine == nil {
		c.Engine = partition.NewLocal(0)
	}
	if c.Mem == nil {
		c.Mem = memory.DefaultAllocator
	}
	if c.Sizing == (partition.Sizing{}) {
		c.Sizing = partition.DefaultSizing
	}
	if c.BroadcastBytes <= 0 {
		c.BroadcastBytes = 64 << 20
	}
	if c.CombineRows <= 0 {
		c.CombineRows = 1 << 18
	}
	if c.SortRows <= 0 {
		c.SortRows = 1 << 20
	}
	return c
}

// Run optimizes plan and starts it on the engine, returning the result's
// partitions, which may still be computing: errors surface when they are
// waited for or materialized. Release the frame's blocks with
// partition.Release when done (or leave them to the garbage collector).
func Run(ctx context.Context, plan algebra.Node, cfg Config) (partition.Frame, error) {
	cfg = cfg.withDefaults()
	plan = algebra.Optimize(plan, cfg.Rules)
	t := &tracker{Engine: cfg.Engine}
	x := &executor{ctx: ctx, cfg: cfg, e: t, mem: cfg.Mem}
	f, err := x.run(plan)
	// Every kernel is deployed by now: give up the intermediate blocks, so
	// their memory (on the runtime, their object-store space) goes as soon
	// as the kernels reading them have run, not when the garbage collector
	// finds them. Without this a runtime session spilled each question's
	// partitions to disk under the next one's.
	keep := make(map[partition.Block]bool, len(f.Blocks))
	for _, b := range f.Blocks {
		keep[b] = true
	}
	var drop []partition.Block
	for _, b := range t.made {
		if !keep[b] {
			drop = append(drop, b)
		}
	}
	partition.Release(cfg.Engine, drop...)
	if err != nil {
		partition.Release(cfg.Engine, f.Blocks...)
		return partition.Frame{}, err
	}
	return f, nil
}

// tracker records the blocks an execution makes, to release them at its
// end. The executor issues every Deploy from one goroutine.
type tracker struct {
	partition.Engine
	made []partition.Block
	mine map[partition.Block]bool // made, as a set; built on first use
}

func (t *tracker) Deploy(ctx context.Context, k partition.Kernel, in []partition.Block, nout int) []partition.Block {
	out := t.Engine.Deploy(ctx, k, in, nout)
	t.made = append(t.made, out...)
	if t.mine != nil {
		for _, b := range out {
			t.mine[b] = true
		}
	}
	return out
}

func (t *tracker) Put(ctx context.Context, rec arrow.Record) (partition.Block, error) {
	b, err := t.Engine.Put(ctx, rec)
	if err == nil {
		t.made = append(t.made, b)
		if t.mine != nil {
			t.mine[b] = true
		}
	}
	return b, err
}

func (t *tracker) Release(bs []partition.Block) { partition.Release(t.Engine, bs...) }

// consumed releases the blocks of f that this execution made, now that
// every kernel reading them has been deployed (blocks of a source, such as
// an in-memory table's, are left alone). Stages call it on their inputs so
// that a long plan does not hold every intermediate until its end: H2O
// groupby q10 at 1e7 (10M groups, then a sort) peaked at 2.9 GB holding
// partials, shuffled partials, combined groups and sort ranges at once.
// Releasing twice is harmless: Run's final sweep repeats it.
func (x *executor) consumed(f partition.Frame) {
	t, ok := x.e.(*tracker)
	if !ok {
		return
	}
	if t.mine == nil {
		t.mine = make(map[partition.Block]bool, len(t.made))
		for _, b := range t.made {
			t.mine[b] = true
		}
	}
	var drop []partition.Block
	for _, b := range f.Blocks {
		if t.mine[b] {
			drop = append(drop, b)
		}
	}
	partition.Release(t.Engine, drop...)
}

// CollectRecords runs plan and returns its result as the records of its
// partitions, in order, without concatenating them: a collected frame can
// keep them as its table's records (concatenating on one goroutine was 54%
// of the CPU of the H2O join q1 at 1e7 and doubled the peak memory of big
// answers). Partitions of zero rows are dropped, so there may be no
// records: the schema is returned beside them. The caller releases each.
func CollectRecords(ctx context.Context, plan algebra.Node, cfg Config) (*arrow.Schema, []arrow.Record, error) {
	cfg = cfg.withDefaults()
	f, err := Run(ctx, plan, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer partition.Release(cfg.Engine, f.Blocks...)
	recs, err := partition.Records(ctx, cfg.Engine, f)
	if err != nil {
		return nil, nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if r.NumRows() == 0 {
			r.Release()
			continue
		}
		out = append(out, r)
	}
	return f.Schema, out, nil
}

// Collect runs plan and returns its result as one record the caller must
// release.
func Collect(ctx context.Context, plan algebra.Node, cfg Config) (arrow.Record, error) {
	cfg = cfg.withDefaults()
	f, err := Run(ctx, plan, cfg)
	if err != nil {
		return nil, err
	}
	defer partition.Release(cfg.Engine, f.Blocks...)
	return partition.Collect(ctx, cfg.Engine, f, cfg.Mem)
}

type executor struct {
	ctx context.Context
	cfg Config
	e   partition.Engine
	mem memory.Allocator
}

func (x *executor) run(n algebra.Node) (partition.Frame, error) {
	switch n := n.(type) {
	case *algebra.Scan, *algebra.Project, *algebra.Filter:
		return x.pipeline(n)
	case *algebra.Limit:
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		return x.limit(in, n.N, n.Tail)
	case *algebra.Take:
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		return x.take(in, n.Positions)
	case *algebra.Sample:
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		total, err := partition.Rows(x.ctx, x.e, in)
		if err != nil {
			return in, err
		}
		if n.N > total || n.N < 0 {
			return partition.Frame{}, fmt.Errorf("%w: cannot sample %d rows from %d without replacement", algebra.ErrArgument, n.N, total)
		}
		return x.take(in, samplePositions(total, n.N, n.Seed))
	case *algebra.RowNumber:
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		return x.rowNumber(in, n.Name)
	case *algebra.Concat:
		frames := make([]partition.Frame, len(n.In))
		for i, c := range n.In {
			f, err := x.run(c)
			if err != nil {
				return f, err
			}
			frames[i] = f
		}
		return partition.Concat(frames...)
	case *algebra.Aggregate:
		return x.aggregate(n)
	case *algebra.Sort:
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		return x.sort(in, n.Keys, n.Limit, viewsOfTable(n.Input))
	case *algebra.Join:
		return x.join(n)
	case *algebra.Distinct:
		return x.distinct(n)
	case *algebra.GroupLimit:
		return x.groupLimit(n)
	case *algebra.MapBatches:
		if err := x.checkShippable(n.Name); err != nil {
			return partition.Frame{}, err
		}
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		fn, out := n.Fn, n.Out
		k := partition.Kernel{Name: "udf." + n.Name, Fn: func(_ context.Context, in []arrow.Record, _ int) ([]arrow.Record, error) {
			r, err := fn(in[0])
			if err != nil {
				return nil, err
			}
			if !r.Schema().Equal(out) {
				r.Release()
				return nil, fmt.Errorf("exec: function %s returned schema %s, declared %s", n.Name, r.Schema(), out)
			}
			return []arrow.Record{r}, nil
		}}
		return partition.Map(x.ctx, x.e, in, k, out), nil
	case *algebra.GroupMap:
		if err := x.checkShippable(n.Name); err != nil {
			return partition.Frame{}, err
		}
		return x.groupMap(n)
	case *algebra.Window:
		return x.windowOp(n)
	case *algebra.Explode:
		in, err := x.run(n.Input)
		if err != nil {
			return in, err
		}
		col, out, mem := n.Column, n.Schema(), x.mem
		return partition.Map(x.ctx, x.e, in, kernel("explode", func(rec arrow.Record) (arrow.Record, error) {
			return explode(rec, col, out, mem)
		}), out), nil
	}
	return partition.Frame{}, fmt.Errorf("exec: no physical operator for %T", n)
}

// samplePositions draws k distinct positions of [0, n) in random order: a
// partial Fisher-Yates shuffle over a sparse map, O(k) memory.
func samplePositions(n, k int64, seed uint64) []int64 {
	rng := rand.New(rand.NewPCG(seed, 0x5348_4f41_4c21))
	swapped := make(map[int64]int64, k)
	at := func(i int64) int64 {
		if v, ok := swapped[i]; ok {
			return v
		}
		return i
	}
	out := make([]int64, k)
	for i := range k {
		j := i + rng.Int64N(n-i)
		out[i] = at(j)
		swapped[j] = at(i)
	}
	return out
}

// ErrUnregisteredFunc: a plan with a closure as UDF runs on an engine that
// ships kernels to other processes.
var ErrUnregisteredFunc = errors.New("exec: function not registered")

// checkShippable refuses a UDF that an engine running kernels in other
// processes could not find there.
func (x *executor) checkShippable(name string) error {
	if !partition.ShipsKernels(x.cfg.Engine) {
		return nil
	}
	if _, ok := algebra.LookupFunc(name); ok {
		return nil
	}
	return fmt.Errorf("%w: %q runs on engine %q, whose kernels run in other processes where a closure cannot follow; "+
		"register it once at package level, var fn = dataframe.RegisterFunc(%q, func(rec arrow.Record) (arrow.Record, error) {...}), "+
		"and run the same binary on every node", ErrUnregisteredFunc, name, x.cfg.Engine.Name(), name)
}

// metas waits for every block of f and returns their Metas.
func (x *executor) metas(f partition.Frame) ([]partition.Meta, error) {
	out := make([]partition.Meta, len(f.Blocks))
	for i, b := range f.Blocks {
		m, err := b.Meta(x.ctx)
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// kernel names a function of one input and one output as a Kernel.
func kernel(name string, fn func(rec arrow.Record) (arrow.Record, error)) partition.Kernel {
	return partition.Kernel{Name: name, Fn: func(_ context.Context, in []arrow.Record, _ int) ([]arrow.Record, error) {
		out, err := fn(in[0])
		if err != nil {
			return nil, err
		}
		return []arrow.Record{out}, nil
	}}
}

// gatherKernel returns a kernel that concatenates all its inputs (of
// schema) and hands the whole to fn: the last step of an operator that
// needs every row in one place.
func (x *executor) gatherKernel(name string, schema *arrow.Schema, fn func(rec arrow.Record) (arrow.Record, error)) partition.Kernel {
	concat := partition.ConcatRows(schema, x.mem)
	return partition.Kernel{Name: name, Fn: func(ctx context.Context, in []arrow.Record, _ int) ([]arrow.Record, error) {
		all, err := concat.Fn(ctx, in, 1)
		if err != nil {
			return nil, err
		}
		defer all[0].Release()
		out, err := fn(all[0])
		if err != nil {
			return nil, err
		}
		return []arrow.Record{out}, nil
	}}
}

// gather runs fn once over all of f's rows.
func (x *executor) gather(f partition.Frame, name string, out *arrow.Schema, fn func(rec arrow.Record) (arrow.Record, error)) partition.Frame {
	return partition.Axis(x.ctx, x.e, f, x.gatherKernel(name, f.Schema, fn), 1, out)
}

// takeSorted returns rec's rows in the order keys give (and at most limit
// of them when limit >= 0).
func takeSorted(rec arrow.Record, keys []order.Key, limit int64, mem memory.Allocator) (arrow.Record, error) {
	var idx []int64
	var err error
	if limit >= 0 {
		idx, err = order.TopK(rec, keys, int(limit))
	} else {
		idx, err = order.Indices(rec, keys)
	}
	if err != nil {
		return nil, err
	}
	return vec.Take(rec, idx, mem)
}

// dropColumn returns rec without column name (zero-copy).
func dropColumn(rec arrow.Record, name string) arrow.Record {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		rec.Retain()
		return rec
	}
	return partition.PickColumns(rec, allBut(int(rec.NumCols()), idx[0]))
}

// allBut lists the column indices 0..n-1 without skip.
func allBut(n, skip int) []int {
	out := make([]int, 0, n)
	for i := range n {
		if i != skip {
			out = append(out, i)
		}
	}
	return out
}

func schemaWithout(s *arrow.Schema, name string) *arrow.Schema {
	var fields []arrow.Field
	for _, f := range s.Fields() {
		if f.Name != name {
			fields = append(fields, f)
		}
	}
	return arrow.NewSchema(fields, nil)
}

// viewsOfTable reports whether n's partitions are views of an in-memory
// table's columns: a scan of a Table without a predicate, or a projection
// of plain columns over one. Such inputs outlive any stage reading them,
// so a shuffle of them writes each row once into its destination
// (partition.HashShuffleDirect) at no memory cost; a shuffle of an
// intermediate frees it block by block instead (partition.HashShuffle).
func viewsOfTable(n algebra.Node) bool {
	switch n := n.(type) {
	case *algebra.Scan:
		_, table := n.Source.(*algebra.Table)
		return table && n.Predicate.IsZero()
	case *algebra.Project:
		for _, e := range n.Exprs {
			if _, ok := e.ColumnName(); !ok {
				return false
			}
		}
		return viewsOfTable(n.Input)
	}
	return false
}

// hashShuffle shuffles f, the output of node n, the direct way when its
// blocks are views of a table (see viewsOfTable).
func (x *executor) hashShuffle(n algebra.Node, f partition.Frame, keys []string, parts int) partition.Frame {
	if viewsOfTable(n) {
		return partition.HashShuffleDirect(x.ctx, x.e, f, keys, parts, x.mem)
	}
	return partition.HashShuffle(x.ctx, x.e, f, keys, parts, x.mem)
}
