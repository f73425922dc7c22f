package dataframe

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/algebra/window"
	"github.com/shoaldata/shoal/partition"
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
		in := partition.PickColumns(group, vis)
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

// windowed builds a Series of a window function of column over df, named
// name, aligned with df's rows and labels.
func windowed(df *DataFrame, f window.Func, column, name string, keys []string, periods int, opt groupby.Options) *Series {
	const tmp = "__shoal_window"
	fail := func(err error) *Series { return &Series{df: df.fail(err), name: name} }
	if df.err != nil {
		return fail(df.err)
	}
	w, err := algebra.NewWindow(df.plan, f, column, tmp, keys, periods, opt)
	if err != nil {
		return fail(err)
	}
	var exprs []Expr
	for _, fl := range df.plan.Schema().Fields() {
		if isIndexColumn(fl.Name) {
			exprs = append(exprs, algebra.Col(fl.Name))
		}
	}
	exprs = append(exprs, algebra.Col(tmp).Alias(name))
	p, err := algebra.NewProject(w, exprs)
	if err != nil {
		return fail(err)
	}
	return &Series{df: df.with(p, df.indexNames), name: name}
}

// CumSum, CumProd, CumMax and CumMin are pandas' cumulative functions,
// skipping nulls (which stay null); Shift moves values n rows down (up if
// negative), leaving nulls. Labels are kept.
func (s *Series) CumSum() *Series {
	return windowed(s.df, window.CumSum, s.name, s.name, nil, 0, groupby.Options{})
}
func (s *Series) CumProd() *Series {
	return windowed(s.df, window.CumProd, s.name, s.name, nil, 0, groupby.Options{})
}
func (s *Series) CumMax() *Series {
	return windowed(s.df, window.CumMax, s.name, s.name, nil, 0, groupby.Options{})
}
func (s *Series) CumMin() *Series {
	return windowed(s.df, window.CumMin, s.name, s.name, nil, 0, groupby.Options{})
}
func (s *Series) Shift(n int) *Series {
	return windowed(s.df, window.Shift, s.name, s.name, nil, n, groupby.Options{})
}

// CumSum, CumMax, CumMin and Shift of column within each group, and
// CumCount (0, 1, ... per group), aligned with the frame's rows, as pandas'
// groupby(...)[column].cumsum() and friends. Rows whose key is null (with
// Dropna, the default) get null.
func (g *GroupBy) CumSum(column string) *Series { return g.window(window.CumSum, column, 0) }
func (g *GroupBy) CumMax(column string) *Series { return g.window(window.CumMax, column, 0) }
func (g *GroupBy) CumMin(column string) *Series { return g.window(window.CumMin, column, 0) }
func (g *GroupBy) Shift(column string, n int) *Series {
	return g.window(window.Shift, column, n)
}
func (g *GroupBy) CumCount() *Series { return g.window(window.CumCount, "", 0) }

func (g *GroupBy) window(f window.Func, column string, periods int) *Series {
	name := column
	if f == window.CumCount {
		name = "cumcount"
	}
	if g.err != nil {
		return &Series{df: g.df.fail(g.err), name: name}
	}
	return windowed(g.df, f, column, name, g.keys, periods, g.options())
}

// RegisterFunc registers a user function under name for MapPartitions,
// GroupBy.Apply and GroupBy.Transform, once, at package level:
//
//	var double = dataframe.RegisterFunc("double", func(rec arrow.Record) (arrow.Record, error) { ... })
//	df.MapPartitions("double", schema, double)
//
// On the single-node path and the embedded runtime any closure works
// unregistered; on an engine that runs kernels in other processes (a
// cluster) an unregistered name fails with an error saying how to register
// it, since every process finds the function by name in the same binary.
func RegisterFunc(name string, fn func(arrow.Record) (arrow.Record, error)) func(arrow.Record) (arrow.Record, error) {
	return algebra.RegisterFunc(name, fn)
}
