package algebra

import (
	"github.com/apache/arrow/go/v15/arrow"
	"slices"

	"github.com/shoaldata/shoal/algebra/window"
)

// ProjectionPushdown narrows every Scan to the columns the plan above it
// reads, and drops projected columns nobody reads, so unused columns are
// never read from a file nor copied between partitions. The plan's output
// schema never changes.
type ProjectionPushdown struct{}

func (ProjectionPushdown) Name() string { return "projection_pushdown" }

func (ProjectionPushdown) Apply(n Node) (Node, bool) { return prune(n, nil) }

// prune rewrites n so that it produces at least the columns in need (nil:
// all of them, in order), reading as little as possible below.
func prune(n Node, need []string) (Node, bool) {
	switch x := n.(type) {
	case *Scan:
		if need == nil {
			return x, false
		}
		cols := inSchemaOrder(x.schema, need)
		if len(cols) == x.schema.NumFields() {
			return x, false
		}
		return x.withColumns(cols), true
	case *Project:
		exprs := x.Exprs
		changed := false
		if need != nil {
			exprs = nil
			for _, e := range x.Exprs {
				if slices.Contains(need, e.OutputName()) {
					exprs = append(exprs, e)
				}
			}
			changed = len(exprs) < len(x.Exprs)
		}
		var cols []string
		for _, e := range exprs {
			cols = union(cols, e.Columns())
		}
		in, c := prune(x.Input, nonNil(cols))
		if !changed && !c {
			return x, false
		}
		p, err := NewProject(in, exprs)
		if err != nil {
			return x, false
		}
		return p, true
	case *Filter:
		return pruneSame(x, also(need, x.Predicate.Columns()))
	case *Sort:
		var keys []string
		for _, k := range x.Keys {
			keys = append(keys, k.Column)
		}
		return pruneSame(x, also(need, keys))
	case *Limit, *Take, *Sample:
		return pruneSame(x, need)
	case *GroupLimit:
		return pruneSame(x, also(need, x.Keys))
	case *Explode:
		// The exploded column decides the row count: keep it.
		in, c := prune(x.Input, also(need, []string{x.Column}))
		if !c {
			return x, false
		}
		e, err := NewExplode(in, x.Column)
		if err != nil {
			return x, false
		}
		return e, true
	case *Distinct:
		if x.Subset == nil {
			return pruneSame(x, nil)
		}
		return pruneSame(x, also(need, x.Subset))
	case *Concat:
		out := make([]Node, len(x.In))
		changed := false
		for i, c := range x.In {
			var ch bool
			out[i], ch = prune(c, need)
			changed = changed || ch
		}
		if !changed {
			return x, false
		}
		return &Concat{In: out}, true
	case *Aggregate:
		cols := append([]string(nil), x.Keys...)
		for _, a := range x.Aggs {
			if a.Column != "" {
				cols = union(cols, []string{a.Column})
			}
			if a.Other != "" {
				cols = union(cols, []string{a.Other})
			}
		}
		in, c := prune(x.Input, nonNil(cols))
		if !c {
			return x, false
		}
		a, err := NewAggregate(in, x.Keys, x.Aggs, x.Options)
		if err != nil {
			return x, false
		}
		return a, true
	case *RowNumber:
		var below []string
		if need != nil {
			for _, c := range need {
				if c != x.Name {
					below = append(below, c)
				}
			}
			below = nonNil(below)
		}
		in, c := prune(x.Input, below)
		if !c {
			return x, false
		}
		r, err := NewRowNumber(in, x.Name)
		if err != nil {
			return x, false
		}
		return r, true
	case *Join:
		return pruneJoin(x, need)
	case *Window:
		var below []string
		if need != nil {
			below = union(filterOut(need, x.As), x.Keys)
			if x.Func != window.CumCount {
				below = union(below, []string{x.Column})
			}
			below = nonNil(below)
		}
		in, c := prune(x.Input, below)
		if !c {
			return x, false
		}
		w, err := NewWindow(in, x.Func, x.Column, x.As, x.Keys, x.Periods, x.Options)
		if err != nil {
			return x, false
		}
		return w, true
	}
	// MapBatches, GroupMap and unknown nodes need their whole input; the
	// subtrees below them still prune.
	return rewriteChildren(n, func(c Node) (Node, bool) { return prune(c, nil) })
}

// pruneSame prunes a node whose schema is its input's.
func pruneSame(n Node, need []string) (Node, bool) {
	in, c := prune(n.Inputs()[0], need)
	if !c {
		return n, false
	}
	return n.WithInputs([]Node{in}), true
}

// pruneJoin keeps each side's key columns, the columns needed above, and
// every column whose name the other side also has (dropping one would
// change the suffixes the output names depend on).
func pruneJoin(j *Join, need []string) (Node, bool) {
	if need == nil {
		l, lc := prune(j.Left, nil)
		r, rc := prune(j.Right, nil)
		if !lc && !rc {
			return j, false
		}
		return j.WithInputs([]Node{l, r}), true
	}
	ls, rs, out := j.Left.Schema(), j.Right.Schema(), j.Schema()
	leftNeed := append([]string(nil), j.LeftOn...)
	rightNeed := append([]string(nil), j.RightOn...)
	for i, f := range ls.Fields() {
		if slices.Contains(need, out.Field(i).Name) || len(rs.FieldIndices(f.Name)) > 0 {
			leftNeed = union(leftNeed, []string{f.Name})
		}
	}
	for ri, oi := range j.RightKept {
		name := rs.Field(ri).Name
		if (oi >= 0 && slices.Contains(need, out.Field(oi).Name)) || len(ls.FieldIndices(name)) > 0 {
			rightNeed = union(rightNeed, []string{name})
		}
	}
	l, lc := prune(j.Left, leftNeed)
	r, rc := prune(j.Right, rightNeed)
	if !lc && !rc {
		return j, false
	}
	nj, err := NewJoin(l, r, j.Kind, j.LeftOn, j.RightOn, j.Suffixes)
	if err != nil {
		return j, false
	}
	return nj, true
}

func filterOut(s []string, v string) []string {
	var out []string
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// nonNil turns "no columns" into an empty, non-nil list: nil means all.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func inSchemaOrder(s *arrow.Schema, need []string) []string {
	var out []string
	for _, f := range s.Fields() {
		if slices.Contains(need, f.Name) {
			out = append(out, f.Name)
		}
	}
	return nonNil(out)
}

// also adds cols to need, unless need is nil (all columns) already.
func also(need, cols []string) []string {
	if need == nil {
		return nil
	}
	return union(need, cols)
}
