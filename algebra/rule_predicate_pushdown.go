package algebra

import (
	"slices"

	"github.com/shoaldata/shoal/algebra/join"
)

// PredicatePushdown moves filters toward the scans: into a Scan (which
// then filters inside its own kernel, and a file source before decoding),
// below Projects that only pass the filtered columns through, below Sorts,
// into every input of a Concat, below an Aggregate when the predicate
// reads only group keys, and into the side of a Join whose columns a
// conjunct reads (where the join kind allows it). Adjacent filters merge.
type PredicatePushdown struct{}

func (PredicatePushdown) Name() string { return "predicate_pushdown" }

func (r PredicatePushdown) Apply(n Node) (Node, bool) {
	n, changed := rewriteChildren(n, r.Apply)
	f, ok := n.(*Filter)
	if !ok {
		return n, changed
	}
	if out, ok := pushFilter(f); ok {
		return out, true
	}
	return n, changed
}

func pushFilter(f *Filter) (Node, bool) {
	pred := f.Predicate
	switch in := f.Input.(type) {
	case *Filter:
		return &Filter{Input: in.Input, Predicate: in.Predicate.And(pred)}, true
	case *Scan:
		if in.Limit >= 0 {
			return nil, false // the scan's limit applies after its predicate
		}
		s := *in
		if s.Predicate.IsZero() {
			s.Predicate = pred
		} else {
			s.Predicate = s.Predicate.And(pred)
		}
		return &s, true
	case *Project:
		sub := map[string]Expr{}
		for _, c := range pred.Columns() {
			i := fieldIndex(in.Schema(), c)
			src, ok := in.isPassThrough(i)
			if !ok {
				return nil, false
			}
			sub[c] = Col(src)
		}
		return in.WithInputs([]Node{&Filter{Input: in.Input, Predicate: pred.replaceColumns(sub)}}), true
	case *Sort:
		if in.Limit >= 0 {
			return nil, false
		}
		return in.WithInputs([]Node{&Filter{Input: in.Input, Predicate: pred}}), true
	case *Concat:
		out := make([]Node, len(in.In))
		for i, c := range in.In {
			out[i] = &Filter{Input: c, Predicate: pred}
		}
		return &Concat{In: out}, true
	case *Aggregate:
		for _, c := range pred.Columns() {
			if !slices.Contains(in.Keys, c) {
				return nil, false
			}
		}
		return in.WithInputs([]Node{&Filter{Input: in.Input, Predicate: pred}}), true
	case *Join:
		return pushIntoJoin(f, in)
	}
	return nil, false
}

// pushIntoJoin sends each conjunct that reads one side's columns only to
// that side, when rows the join would keep unmatched cannot be affected:
// the left side of inner, left, semi and anti joins, the right side of
// inner and right joins. The rest stays above the join.
func pushIntoJoin(f *Filter, j *Join) (Node, bool) {
	nl := j.Left.Schema().NumFields()
	// Output column -> (side, input name); a coalesced key belongs to both.
	leftName := map[string]string{}
	rightName := map[string]string{}
	out := j.Schema()
	for i := 0; i < nl && i < out.NumFields(); i++ {
		leftName[out.Field(i).Name] = j.Left.Schema().Field(i).Name
	}
	for ri, oi := range j.RightKept {
		if oi >= 0 {
			rightName[out.Field(oi).Name] = j.Right.Schema().Field(ri).Name
		}
	}
	leftOK := j.Kind == join.Inner || j.Kind == join.Left || j.Kind == join.Semi || j.Kind == join.Anti
	rightOK := j.Kind == join.Inner || j.Kind == join.Right
	var keep, toLeft, toRight []Expr
	for _, c := range f.Predicate.conjuncts() {
		cols := c.Columns()
		switch {
		case leftOK && allIn(cols, leftName):
			toLeft = append(toLeft, c.replaceColumns(asCols(leftName)))
		case rightOK && allIn(cols, rightName):
			toRight = append(toRight, c.replaceColumns(asCols(rightName)))
		default:
			keep = append(keep, c)
		}
	}
	if len(toLeft) == 0 && len(toRight) == 0 {
		return nil, false
	}
	left, right := j.Left, j.Right
	if len(toLeft) > 0 {
		left = &Filter{Input: left, Predicate: andAll(toLeft)}
	}
	if len(toRight) > 0 {
		right = &Filter{Input: right, Predicate: andAll(toRight)}
	}
	var n Node = j.WithInputs([]Node{left, right})
	if len(keep) > 0 {
		n = &Filter{Input: n, Predicate: andAll(keep)}
	}
	return n, true
}

func allIn(cols []string, m map[string]string) bool {
	for _, c := range cols {
		if _, ok := m[c]; !ok {
			return false
		}
	}
	return true
}

func asCols(m map[string]string) map[string]Expr {
	out := make(map[string]Expr, len(m))
	for k, v := range m {
		out[k] = Col(v)
	}
	return out
}

func fieldIndex(s interface{ FieldIndices(string) []int }, name string) int {
	idx := s.FieldIndices(name)
	if len(idx) == 0 {
		return -1
	}
	return idx[0]
}
