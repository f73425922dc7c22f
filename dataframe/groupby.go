package dataframe

import (
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/groupby"
)

// GroupBy is a frame grouped by key columns, as pandas' df.groupby(keys).
// Options follow pandas' defaults: groups sorted by key, rows with a null
// key dropped, keys as the result's index.
type GroupBy struct {
	df      *DataFrame
	keys    []string
	sort    bool
	dropna  bool
	asIndex bool
	err     error
}

// GroupBy groups df by keys.
func (df *DataFrame) GroupBy(keys ...string) *GroupBy {
	g := &GroupBy{df: df, keys: keys, sort: true, dropna: true, asIndex: true, err: df.err}
	if g.err == nil {
		g.err = df.check(keys...)
	}
	if g.err == nil && len(keys) == 0 {
		g.err = fmt.Errorf("%w: GroupBy needs at least one key", ErrArgument)
	}
	return g
}

// Sort sets pandas' sort=: false lists groups in order of first appearance.
func (g *GroupBy) Sort(sort bool) *GroupBy { c := *g; c.sort = sort; return &c }

// Dropna sets pandas' dropna=: false makes a null key a group of its own.
func (g *GroupBy) Dropna(dropna bool) *GroupBy { c := *g; c.dropna = dropna; return &c }

// AsIndex sets pandas' as_index=: false returns the keys as columns with
// a RangeIndex.
func (g *GroupBy) AsIndex(asIndex bool) *GroupBy { c := *g; c.asIndex = asIndex; return &c }

func (g *GroupBy) options() groupby.Options {
	return groupby.Options{Sort: g.sort, Dropna: g.dropna}
}

// Agg is one aggregation of GroupBy.Agg: Sum("v"), Mean("v").As("m"), ...
type Agg struct{ a groupby.Agg }

func newAgg(f groupby.Func, col string) Agg {
	return Agg{groupby.Agg{Func: f, Column: col, As: col, DDof: 1}}
}

// As names the aggregation's output column (default: its input column).
func (a Agg) As(name string) Agg { a.a.As = name; return a }

// The aggregations, with pandas' semantics (nulls skipped; sum of nothing
// is 0; mean, std, var, median, quantile, corr give float64).
func Sum(col string) Agg     { return newAgg(groupby.Sum, col) }
func Mean(col string) Agg    { return newAgg(groupby.Mean, col) }
func Min(col string) Agg     { return newAgg(groupby.Min, col) }
func Max(col string) Agg     { return newAgg(groupby.Max, col) }
func Count(col string) Agg   { return newAgg(groupby.Count, col) }
func Median(col string) Agg  { return newAgg(groupby.Median, col) }
func Std(col string) Agg     { return newAgg(groupby.Std, col) }
func Var(col string) Agg     { return newAgg(groupby.Var, col) }
func First(col string) Agg   { return newAgg(groupby.First, col) }
func Last(col string) Agg    { return newAgg(groupby.Last, col) }
func NUnique(col string) Agg { return newAgg(groupby.NUnique, col) }
func Prod(col string) Agg    { return newAgg(groupby.Prod, col) }

// Size counts each group's rows (output "size").
func Size() Agg { return Agg{groupby.Agg{Func: groupby.Size, As: "size"}} }

// Quantile is the q-th quantile (linear interpolation, as pandas).
func Quantile(col string, q float64) Agg {
	a := newAgg(groupby.Quantile, col)
	a.a.Q = q
	return a
}

// Corr is the Pearson correlation of col and other within each group.
func Corr(col, other string) Agg {
	a := newAgg(groupby.Corr, col)
	a.a.Other = other
	return a
}

// DDof sets Std's and Var's degrees of freedom (default 1, as pandas).
func (a Agg) DDof(d int) Agg { a.a.DDof = d; return a }

// Agg computes aggs per group. With AsIndex (the default) the keys become
// the result's index, as in pandas; otherwise they are its first columns.
func (g *GroupBy) Agg(aggs ...Agg) *DataFrame {
	df := g.df
	if g.err != nil {
		return df.fail(g.err)
	}
	if len(aggs) == 0 {
		return df.fail(fmt.Errorf("%w: Agg needs at least one aggregation", ErrArgument))
	}
	as := make([]groupby.Agg, len(aggs))
	seen := map[string]bool{}
	for i, a := range aggs {
		if a.a.Func != groupby.Size {
			if err := df.check(a.a.Column); err != nil {
				return df.fail(err)
			}
		}
		if a.a.Func == groupby.Corr {
			if err := df.check(a.a.Other); err != nil {
				return df.fail(err)
			}
		}
		if seen[a.a.As] || slices.Contains(g.keys, a.a.As) {
			return df.fail(fmt.Errorf("%w: aggregation output %q appears twice; name them with As", ErrArgument, a.a.As))
		}
		seen[a.a.As] = true
		as[i] = a.a
	}
	in, err := df.dropIndex()
	if err != nil {
		return df.fail(err)
	}
	agg, err := algebra.NewAggregate(in, g.keys, as, g.options())
	if err != nil {
		return df.fail(err)
	}
	out := df.with(agg, nil)
	if g.asIndex {
		return out.SetIndex(g.keys...)
	}
	return out
}

// Size counts each group's rows, in a column "size".
func (g *GroupBy) Size() *DataFrame { return g.Agg(Size()) }

// Head keeps each group's first n rows, in their original order and with
// their labels (pandas groupby(...).head(n)).
func (g *GroupBy) Head(n int) *DataFrame { return g.limit(n, false) }

// Tail keeps each group's last n rows.
func (g *GroupBy) Tail(n int) *DataFrame { return g.limit(n, true) }

func (g *GroupBy) limit(n int, tail bool) *DataFrame {
	if g.err != nil {
		return g.df.fail(g.err)
	}
	l, err := g.df.labelled()
	if err != nil {
		return g.df.fail(err)
	}
	gl, err := algebra.NewGroupLimit(l.plan, g.keys, n, tail, g.options())
	if err != nil {
		return g.df.fail(err)
	}
	return l.with(gl, l.indexNames)
}

// Apply runs fn on each group's rows (key columns included, index not)
// and stacks its results, groups in key order (or first appearance with
// Sort(false)). fn must return records of schema out; name identifies it
// in plans (and, on a cluster, is how workers find it). The result has a
// RangeIndex.
func (g *GroupBy) Apply(name string, out *arrow.Schema, fn func(group arrow.Record) (arrow.Record, error)) *DataFrame {
	if g.err != nil {
		return g.df.fail(g.err)
	}
	in, err := g.df.dropIndex()
	if err != nil {
		return g.df.fail(err)
	}
	return g.df.with(&algebra.GroupMap{Input: in, Keys: g.keys, Name: name, Fn: fn, Out: out, Options: g.options()}, nil)
}
