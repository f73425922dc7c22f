package dataframe

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/order"
)

// MapPartitions runs fn on each partition of the frame's columns (index
// excluded), as Dask's and Modin's map_partitions: fn borrows its input and
// returns a record of schema out that the engine owns. name identifies fn
// in plans and errors; on a cluster it is how workers find it. The result
// has a RangeIndex. fn must not depend on how rows are partitioned.
func (df *DataFrame) MapPartitions(name string, out *arrow.Schema, fn func(arrow.Record) (arrow.Record, error)) *DataFrame {
	if df.err != nil {
		return df
	}
	in, err := df.dropIndex()
	if err != nil {
		return df.fail(err)
	}
	return df.with(&algebra.MapBatches{Input: in, Name: name, Fn: fn, Out: out}, nil)
}

// Sample draws n rows without replacement, uniformly, in random order, with
// their labels (pandas sample(n, random_state=seed)). The same seed gives
// the same rows on every engine and partitioning; pandas' generator
// differs, so the rows do not match pandas'.
func (df *DataFrame) Sample(n int, seed uint64) *DataFrame {
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	if n < 0 {
		return df.fail(fmt.Errorf("%w: Sample(%d): n must be >= 0", ErrArgument, n))
	}
	return l.with(&algebra.Sample{Input: l.plan, N: int64(n), Seed: seed}, l.indexNames)
}

// Transform runs fn on each group's rows (key columns included) and
// returns its results in the frame's row order with the frame's labels, as
// pandas' groupby(...).transform: fn must return as many rows as it was
// given, with schema out. name identifies fn, as for MapPartitions.
func (g *GroupBy) Transform(name string, out *arrow.Schema, fn func(group arrow.Record) (arrow.Record, error)) *DataFrame {
	if g.err != nil {
		return g.df.fail(g.err)
	}
	l, err := g.df.labelled()
	if err != nil {
		return g.df.fail(err)
	}
	const pos = "__shoal_pos"
	numbered, err := algebra.NewRowNumber(l.plan, pos)
	if err != nil {
		return g.df.fail(err)
	}
	// The function sees the frame's columns only; the labels and row
	// positions ride along beside its output.
	var hidden []arrow.Field
	for _, f := range numbered.Schema().Fields() {
		if isIndexColumn(f.Name) || f.Name == pos {
			hidden = append(hidden, f)
		}
	}
	full := arrow.NewSchema(append(append([]arrow.Field(nil), out.Fields()...), hidden...), nil)
	wrapped := func(group arrow.Record) (arrow.Record, error) {
		var vis, hid []int
		for i, f := range group.Schema().Fields() {
			if isIndexColumn(f.Name) || f.Name == pos {
				hid = append(hid, i)
			} else {
				vis = append(vis, i)
			}
		}
		in := pickColumns(group, vis)
		defer in.Release()
		res, err := fn(in)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		if res.NumRows() != group.NumRows() {
			return nil, fmt.Errorf("dataframe: Transform %s returned %d rows for a group of %d", name, res.NumRows(), group.NumRows())
		}
		if !res.Schema().Equal(out) {
			return nil, fmt.Errorf("dataframe: Transform %s returned schema %s, declared %s", name, res.Schema(), out)
		}
		cols := append([]arrow.Array(nil), res.Columns()...)
		for _, i := range hid {
			cols = append(cols, group.Column(i))
		}
		return array.NewRecord(full, cols, res.NumRows()), nil
	}
	gm := &algebra.GroupMap{Input: numbered, Keys: g.keys, Name: name, Fn: wrapped, Out: full, Options: g.options()}
	res := l.with(gm, l.indexNames)
	sorted := res.sortBy(pos)
	if sorted.err != nil {
		return sorted
	}
	var exprs []Expr
	for _, f := range full.Fields() {
		if f.Name != pos {
			exprs = append(exprs, algebra.Col(f.Name))
		}
	}
	p, err := algebra.NewProject(sorted.plan, exprs)
	if err != nil {
		return g.df.fail(err)
	}
	return sorted.with(p, sorted.indexNames)
}

// sortBy sorts by a hidden column, which SortValues would refuse.
func (df *DataFrame) sortBy(col string) *DataFrame {
	s, err := algebra.NewSort(df.plan, []order.Key{{Column: col}})
	if err != nil {
		return df.fail(err)
	}
	return df.with(s, df.indexNames)
}

func pickColumns(rec arrow.Record, idx []int) arrow.Record {
	fields := make([]arrow.Field, len(idx))
	cols := make([]arrow.Array, len(idx))
	for i, c := range idx {
		fields[i] = rec.Schema().Field(c)
		cols[i] = rec.Column(c)
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, rec.NumRows())
}
