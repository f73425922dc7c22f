package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/partition"
)

// Hidden columns the executor adds and removes: the input row number and
// a group's first row, which put partitioned results back in pandas' order.
const (
	rowCol   = "__shoal_row"
	firstCol = "__shoal_first"
)

// aggregate runs a group-by. Decomposable aggregates (sum, mean, min, max,
// count, size, std, var, first, last, prod, corr) aggregate each partition
// and combine the partial results: in one kernel when the partials are
// few, which is the common low-cardinality case, or after hash-shuffling
// them by key when they are many. Median, quantile and nunique need a
// group's rows together, so the rows are hash-shuffled by key first.
//
// With Sort=false pandas lists groups in order of first appearance. A
// single combine keeps that order by itself (partials list their groups
// in that order and are concatenated in partition order); the shuffled
// paths carry each group's first row number and sort by it at the end.
func (x *executor) aggregate(a *algebra.Aggregate) (partition.Frame, error) {
	in, err := x.run(a.Input)
	if err != nil {
		return in, err
	}
	keys, aggs, opt := a.Keys, a.Aggs, a.Options
	mem := x.mem
	if len(keys) == 0 && len(in.Blocks) > 1 && groupby.Decomposable(aggs) {
		// A whole-frame reduction: partial per partition, a tree of merges.
		partialSchema, err := groupby.PartialSchema(in.Schema, keys, aggs)
		if err != nil {
			return in, err
		}
		partials := partition.Map(x.ctx, x.e, in, kernel("groupby.partial", func(rec arrow.Record) (arrow.Record, error) {
			return groupby.Partial(rec, keys, aggs, opt, mem)
		}), partialSchema)
		return x.gather(x.treeReduce(partials, keys, aggs, opt), "groupby.combine", a.Schema(), func(rec arrow.Record) (arrow.Record, error) {
			return groupby.Combine(rec, keys, aggs, opt, mem)
		}), nil
	}
	single := len(in.Blocks) <= 1 || len(keys) == 0
	if single {
		return x.gather(in, "aggregate", a.Schema(), func(rec arrow.Record) (arrow.Record, error) {
			return groupby.Aggregate(rec, keys, aggs, opt, mem)
		}), nil
	}
	ordered := !opt.Sort
	var total int64
	if ordered {
		// Number the rows so each group knows its first one.
		ms, err := x.metas(in)
		if err != nil {
			return in, err
		}
		for _, m := range ms {
			total += m.Rows
		}
		if in, err = x.rowNumber(in, rowCol); err != nil {
			return in, err
		}
		aggs = append(append([]groupby.Agg(nil), aggs...), groupby.Agg{Func: groupby.Min, Column: rowCol, As: firstCol})
	}
	var combined partition.Frame
	if groupby.Decomposable(aggs) {
		partialSchema, err := groupby.PartialSchema(in.Schema, keys, aggs)
		if err != nil {
			return in, err
		}
		partials := partition.Map(x.ctx, x.e, in, kernel("groupby.partial", func(rec arrow.Record) (arrow.Record, error) {
			return groupby.Partial(rec, keys, aggs, opt, mem)
		}), partialSchema)
		rows, err := partition.Rows(x.ctx, x.e, partials)
		if err != nil {
			return partials, err
		}
		outSchema, err := groupby.OutputSchema(in.Schema, keys, aggs)
		if err != nil {
			return in, err
		}
		if rows <= x.cfg.CombineRows {
			// Few groups: a tree of merges, then one combine, which also
			// keeps first-appearance order without the row numbers.
			final := x.gather(x.treeReduce(partials, keys, aggs, opt), "groupby.combine", outSchema, func(rec arrow.Record) (arrow.Record, error) {
				return groupby.Combine(rec, keys, aggs, opt, mem)
			})
			if ordered {
				return partition.Map(x.ctx, x.e, final, kernel("drop_first", func(rec arrow.Record) (arrow.Record, error) {
					return dropColumn(rec, firstCol), nil
				}), a.Schema()), nil
			}
			return final, nil
		}
		shuffled := partition.HashShuffle(x.ctx, x.e, partials, keys, len(in.Blocks), mem)
		x.consumed(partials)
		unsorted := opt
		unsorted.Sort = false
		combined = partition.Map(x.ctx, x.e, shuffled, kernel("groupby.combine", func(rec arrow.Record) (arrow.Record, error) {
			return groupby.Combine(rec, keys, aggs, unsorted, mem)
		}), outSchema)
		x.consumed(shuffled)
	} else {
		outSchema, err := groupby.OutputSchema(in.Schema, keys, aggs)
		if err != nil {
			return in, err
		}
		shuffled := x.hashShuffle(a.Input, in, keys, len(in.Blocks))
		unsorted := opt
		unsorted.Sort = false
		combined = partition.Map(x.ctx, x.e, shuffled, kernel("groupby.aggregate", func(rec arrow.Record) (arrow.Record, error) {
			return groupby.Aggregate(rec, keys, aggs, unsorted, mem)
		}), outSchema)
		x.consumed(shuffled)
	}
	if ordered {
		// Each group's first row number lies in [0, total): the same even
		// splitters spread the groups well enough.
		return x.restoreOrder(combined, firstCol, total), nil
	}
	keysSorted := make([]order.Key, len(keys))
	for i, k := range keys {
		keysSorted[i] = order.Key{Column: k}
	}
	return x.sort(combined, keysSorted, -1, false)
}

// treeFanIn is how many partial results one merge kernel takes.
const treeFanIn = 4

// treeReduce merges partial aggregates in a tree, treeFanIn at a time,
// level by level, keeping partition order (so groups keep their order of
// first appearance), until at most treeFanIn remain for the final combine:
// the merges of a level run in parallel instead of one kernel reading
// every partial.
func (x *executor) treeReduce(partials partition.Frame, keys []string, aggs []groupby.Agg, opt groupby.Options) partition.Frame {
	mem := x.mem
	merge := x.gatherKernel("groupby.merge", partials.Schema, func(rec arrow.Record) (arrow.Record, error) {
		return groupby.MergePartial(rec, keys, aggs, opt, mem)
	})
	blocks := partials.Blocks
	for len(blocks) > treeFanIn {
		var next []partition.Block
		for i := 0; i < len(blocks); i += treeFanIn {
			group := blocks[i:min(i+treeFanIn, len(blocks))]
			if len(group) == 1 {
				next = append(next, group[0])
				continue
			}
			next = append(next, x.e.Deploy(x.ctx, merge, group, 1)...)
		}
		blocks = next
	}
	return partition.Frame{Schema: partials.Schema, Blocks: blocks}
}

// groupLimit keeps each group's first (or last) n rows, in input order.
func (x *executor) groupLimit(g *algebra.GroupLimit) (partition.Frame, error) {
	in, err := x.run(g.Input)
	if err != nil {
		return in, err
	}
	keys, n, tail, opt := g.Keys, g.N, g.Tail, g.Options
	return x.byGroupInOrder(in, keys, "groupby.head", in.Schema, func(rec arrow.Record) (arrow.Record, error) {
		var idx []int64
		var err error
		if tail {
			idx, err = groupby.Tail(rec, keys, n, opt)
		} else {
			idx, err = groupby.Head(rec, keys, n, opt)
		}
		if err != nil {
			return nil, err
		}
		return vec.Take(rec, idx, x.mem)
	})
}

// distinct drops duplicated rows (pandas drop_duplicates).
func (x *executor) distinct(d *algebra.Distinct) (partition.Frame, error) {
	in, err := x.run(d.Input)
	if err != nil {
		return in, err
	}
	subset := d.Subset
	if subset == nil {
		for _, f := range in.Schema.Fields() {
			subset = append(subset, f.Name)
		}
	}
	keep := d.Keep
	return x.byGroupInOrder(in, subset, "drop_duplicates", in.Schema, func(rec arrow.Record) (arrow.Record, error) {
		ids, n, err := groupby.Groups(rec, subset, groupby.Options{Dropna: false})
		if err != nil {
			return nil, err
		}
		counts := make([]int32, n)
		for _, g := range ids {
			counts[g]++
		}
		seen := make([]bool, n)
		idx := make([]int64, 0, n)
		switch keep {
		case algebra.KeepFirst:
			for i, g := range ids {
				if !seen[g] {
					seen[g] = true
					idx = append(idx, int64(i))
				}
			}
		case algebra.KeepLast:
			for i := len(ids) - 1; i >= 0; i-- {
				if g := ids[i]; !seen[g] {
					seen[g] = true
					idx = append(idx, int64(i))
				}
			}
			for i, j := 0, len(idx)-1; i < j; i, j = i+1, j-1 {
				idx[i], idx[j] = idx[j], idx[i]
			}
		case algebra.KeepNone:
			for i, g := range ids {
				if counts[g] == 1 {
					idx = append(idx, int64(i))
				}
			}
		}
		return vec.Take(rec, idx, x.mem)
	})
}

// byGroupInOrder runs fn, which must keep row order, over partitions that
// each hold whole groups of keys, and returns the rows in input order, of
// schema out. fn's input carries the row number as its last column, which
// fn's output must keep last (after out's columns):
// for one partition directly; otherwise it numbers the rows, hash-shuffles
// by the keys, runs fn per partition and restores the order.
func (x *executor) byGroupInOrder(in partition.Frame, keys []string, name string, out *arrow.Schema, fn func(arrow.Record) (arrow.Record, error)) (partition.Frame, error) {
	if len(in.Blocks) <= 1 {
		return x.gather(in, name, out, fn), nil
	}
	total, err := partition.Rows(x.ctx, x.e, in)
	if err != nil {
		return in, err
	}
	numbered, err := x.rowNumber(in, rowCol)
	if err != nil {
		return in, err
	}
	shuffled := partition.HashShuffle(x.ctx, x.e, numbered, keys, len(in.Blocks), x.mem)
	withRow := arrow.NewSchema(append(append([]arrow.Field(nil), out.Fields()...), numbered.Schema.Field(numbered.Schema.NumFields()-1)), nil)
	mapped := partition.Map(x.ctx, x.e, shuffled, kernel(name, fn), withRow)
	return x.restoreOrder(mapped, rowCol, total), nil
}

// groupMap runs a user function on each group's rows. The groups are
// gathered in one partition (a documented limit: GroupMap is for UDFs
// over frames that fit one worker) and visited in the order the options
// give.
func (x *executor) groupMap(g *algebra.GroupMap) (partition.Frame, error) {
	in, err := x.run(g.Input)
	if err != nil {
		return in, err
	}
	keys, fn, out, opt, mem := g.Keys, g.Fn, g.Out, g.Options, x.mem
	name := g.Name
	return x.gather(in, "udf."+name, out, func(rec arrow.Record) (arrow.Record, error) {
		ids, n, err := groupby.Groups(rec, keys, opt)
		if err != nil {
			return nil, err
		}
		rows := make([][]int64, n)
		for i, id := range ids {
			if id >= 0 {
				rows[id] = append(rows[id], int64(i))
			}
		}
		results := make([]arrow.Record, 0, n)
		defer func() {
			for _, r := range results {
				r.Release()
			}
		}()
		for _, idx := range rows {
			group, err := vec.Take(rec, idx, mem)
			if err != nil {
				return nil, err
			}
			r, err := fn(group)
			group.Release()
			if err != nil {
				return nil, fmt.Errorf("exec: function %s: %w", name, err)
			}
			if !r.Schema().Equal(out) {
				r.Release()
				return nil, fmt.Errorf("exec: function %s returned schema %s, declared %s", name, r.Schema(), out)
			}
			results = append(results, r)
		}
		all, err := partition.ConcatRows(out, mem).Fn(context.Background(), results, 1)
		if err != nil {
			return nil, err
		}
		return all[0], nil
	}), nil
}
