package dataframe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/join"
	"github.com/shoaldata/shoal/algebra/order"
)

// Expr is an expression over a frame's columns; see Col and Lit.
type Expr = algebra.Expr

// Col refers to a column: Col("a").Add(Col("b")).Gt(3).
func Col(name string) Expr { return algebra.Col(name) }

// Lit is a literal value in an expression.
func Lit(v any) Expr { return algebra.Lit(v) }

// project builds a Project that keeps the index columns (first) and then
// exprs.
func (df *DataFrame) project(exprs []Expr) *DataFrame {
	if df.err != nil {
		return df
	}
	if err := df.checkExprs(exprs...); err != nil {
		return df.fail(err)
	}
	var all []Expr
	for _, f := range df.plan.Schema().Fields() {
		if isIndexColumn(f.Name) {
			all = append(all, algebra.Col(f.Name))
		}
	}
	all = append(all, exprs...)
	p, err := algebra.NewProject(df.plan, all)
	if err != nil {
		return df.fail(err)
	}
	return df.with(p, df.indexNames)
}

// checkExprs checks the columns exprs read against the frame's columns,
// so errors list those and not the hidden index columns.
func (df *DataFrame) checkExprs(exprs ...Expr) error {
	for _, e := range exprs {
		for _, c := range e.Columns() {
			if !isIndexColumn(c) {
				if err := df.check(c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func cols(names []string) []Expr {
	out := make([]Expr, len(names))
	for i, n := range names {
		out[i] = algebra.Col(n)
	}
	return out
}

// Select keeps the named columns, in that order (pandas df[[...]]).
func (df *DataFrame) Select(columns ...string) *DataFrame {
	if err := df.check(columns...); err != nil {
		return df.fail(err)
	}
	return df.project(cols(columns))
}

// Drop removes the named columns.
func (df *DataFrame) Drop(columns ...string) *DataFrame {
	if err := df.check(columns...); err != nil {
		return df.fail(err)
	}
	var keep []string
	for _, c := range df.Columns() {
		if !slices.Contains(columns, c) {
			keep = append(keep, c)
		}
	}
	return df.project(cols(keep))
}

// Rename renames columns old -> new; names not in the frame are an error
// (pandas ignores them unless errors="raise": Shoal raises, so a typo
// does not pass silently).
func (df *DataFrame) Rename(names map[string]string) *DataFrame {
	for old := range names {
		if err := df.check(old); err != nil {
			return df.fail(err)
		}
	}
	var exprs []Expr
	for _, c := range df.Columns() {
		e := algebra.Col(c)
		if n, ok := names[c]; ok {
			e = e.Alias(n)
		}
		exprs = append(exprs, e)
	}
	return df.project(exprs)
}

// WithColumn sets column name to e: it replaces a column of that name in
// place, or appends a new one (pandas df[name] = e).
func (df *DataFrame) WithColumn(name string, e Expr) *DataFrame {
	return df.Assign(e.Alias(name))
}

// Assign sets one column per expression, named by its Alias (or its
// column, or its printed form), replacing columns of the same name in
// place and appending the rest in order (pandas assign). Expressions see
// the frame before the assignment.
func (df *DataFrame) Assign(exprs ...Expr) *DataFrame {
	if df.err != nil {
		return df
	}
	byName := map[string]Expr{}
	var order []string
	for _, e := range exprs {
		n := e.OutputName()
		if _, dup := byName[n]; !dup {
			order = append(order, n)
		}
		byName[n] = e
	}
	var out []Expr
	for _, c := range df.Columns() {
		if e, ok := byName[c]; ok {
			out = append(out, e.Alias(c))
			delete(byName, c)
			continue
		}
		out = append(out, algebra.Col(c))
	}
	for _, n := range order {
		if e, ok := byName[n]; ok {
			out = append(out, e.Alias(n))
		}
	}
	return df.project(out)
}

// Filter keeps the rows where pred is true (null counts as false), with
// their index labels (pandas df[mask]).
func (df *DataFrame) Filter(pred Expr) *DataFrame {
	if err := df.checkExprs(pred); err != nil {
		return df.fail(err)
	}
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	f, err := algebra.NewFilter(l.plan, pred)
	if err != nil {
		return df.fail(err)
	}
	return l.with(f, l.indexNames)
}

// SortKey is one key of SortValues: a column, its direction, and where
// its nulls go (last by default, as pandas' na_position="last").
type SortKey struct {
	Column     string
	Descending bool
	NullsFirst bool
}

// Asc sorts by column ascending; Desc descending.
func Asc(column string) SortKey  { return SortKey{Column: column} }
func Desc(column string) SortKey { return SortKey{Column: column, Descending: true} }

// WithNullsFirst puts the key's nulls first.
func (k SortKey) WithNullsFirst() SortKey { k.NullsFirst = true; return k }

// SortValues orders the rows by keys, stably (pandas
// sort_values(kind="stable")), keeping their index labels.
func (df *DataFrame) SortValues(keys ...SortKey) *DataFrame {
	for _, k := range keys {
		if err := df.check(k.Column); err != nil {
			return df.fail(err)
		}
	}
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	ks := make([]order.Key, len(keys))
	for i, k := range keys {
		ks[i] = order.Key{Column: k.Column, Descending: k.Descending, NullsFirst: k.NullsFirst}
	}
	s, err := algebra.NewSort(l.plan, ks)
	if err != nil {
		return df.fail(err)
	}
	return l.with(s, l.indexNames)
}

// Head keeps the first n rows; a negative n keeps all but the last -n,
// as pandas.
func (df *DataFrame) Head(n int) *DataFrame {
	if df.err != nil {
		return df
	}
	return df.with(&algebra.Limit{Input: df.plan, N: int64(n)}, df.indexNames)
}

// Tail keeps the last n rows, with their labels; a negative n keeps all
// but the first -n.
func (df *DataFrame) Tail(n int) *DataFrame {
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	return l.with(&algebra.Limit{Input: l.plan, N: int64(n), Tail: true}, l.indexNames)
}

// NLargest returns the n rows with the largest values of columns (the
// first column first), keeping the first of equal rows (pandas nlargest,
// keep="first").
func (df *DataFrame) NLargest(n int, columns ...string) *DataFrame {
	keys := make([]SortKey, len(columns))
	for i, c := range columns {
		keys[i] = Desc(c)
	}
	return df.SortValues(keys...).Head(n)
}

// NSmallest returns the n rows with the smallest values of columns.
func (df *DataFrame) NSmallest(n int, columns ...string) *DataFrame {
	keys := make([]SortKey, len(columns))
	for i, c := range columns {
		keys[i] = Asc(c)
	}
	return df.SortValues(keys...).Head(n)
}

// Keep says which duplicate DropDuplicates keeps.
type Keep = algebra.Keep

const (
	KeepFirst = algebra.KeepFirst
	KeepLast  = algebra.KeepLast
	KeepNone  = algebra.KeepNone // pandas keep=False
)

// DropDuplicates drops rows whose subset columns (none: all columns)
// repeat another row's, keeping the first, the last or none of them.
func (df *DataFrame) DropDuplicates(keep Keep, subset ...string) *DataFrame {
	if err := df.check(subset...); err != nil {
		return df.fail(err)
	}
	if len(subset) == 0 {
		subset = df.Columns()
	}
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	d, err := algebra.NewDistinct(l.plan, subset, keep)
	if err != nil {
		return df.fail(err)
	}
	return l.with(d, l.indexNames)
}

// Dropna drops rows with a null (or NaN) in any of subset (none: all
// columns); with all=true only rows where every one is null.
func (df *DataFrame) Dropna(all bool, subset ...string) *DataFrame {
	if err := df.check(subset...); err != nil {
		return df.fail(err)
	}
	if len(subset) == 0 {
		subset = df.Columns()
	}
	if len(subset) == 0 {
		return df
	}
	pred := algebra.Col(subset[0]).NotNull()
	for _, c := range subset[1:] {
		if all {
			pred = pred.Or(algebra.Col(c).NotNull())
		} else {
			pred = pred.And(algebra.Col(c).NotNull())
		}
	}
	return df.Filter(pred)
}

// Fillna replaces nulls (and NaN) column by column with the given values.
func (df *DataFrame) Fillna(values map[string]any) *DataFrame {
	for c := range values {
		if err := df.check(c); err != nil {
			return df.fail(err)
		}
	}
	var exprs []Expr
	for _, c := range df.Columns() {
		e := algebra.Col(c)
		if v, ok := values[c]; ok {
			e = e.FillNull(v).Alias(c)
		}
		exprs = append(exprs, e)
	}
	return df.project(exprs)
}

// Isna returns a frame of booleans, true where a value is null or NaN.
func (df *DataFrame) Isna() *DataFrame {
	var exprs []Expr
	for _, c := range df.Columns() {
		exprs = append(exprs, algebra.Col(c).IsNull().Alias(c))
	}
	return df.project(exprs)
}

// Astype casts columns to the given types (pandas astype with a dict).
func (df *DataFrame) Astype(types map[string]arrow.DataType) *DataFrame {
	for c := range types {
		if err := df.check(c); err != nil {
			return df.fail(err)
		}
	}
	var exprs []Expr
	for _, c := range df.Columns() {
		e := algebra.Col(c)
		if t, ok := types[c]; ok {
			e = e.Cast(t).Alias(c)
		}
		exprs = append(exprs, e)
	}
	return df.project(exprs)
}

// Iloc keeps the rows at positions (negative: from the end), in that
// order, with their labels.
func (df *DataFrame) Iloc(positions ...int) *DataFrame {
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	pos := make([]int64, len(positions))
	for i, p := range positions {
		pos[i] = int64(p)
	}
	return l.with(&algebra.Take{Input: l.plan, Positions: pos}, l.indexNames)
}

// SetIndex makes columns the index (dropping the old one), as pandas
// set_index(keys) does.
func (df *DataFrame) SetIndex(columns ...string) *DataFrame {
	if err := df.check(columns...); err != nil {
		return df.fail(err)
	}
	if len(columns) == 0 {
		return df.fail(fmt.Errorf("%w: SetIndex needs at least one column", ErrArgument))
	}
	var exprs []Expr
	for i, c := range columns {
		exprs = append(exprs, algebra.Col(c).Alias(indexColumn(i)))
	}
	for _, c := range df.Columns() {
		if !slices.Contains(columns, c) {
			exprs = append(exprs, algebra.Col(c))
		}
	}
	p, err := algebra.NewProject(df.plan, exprs)
	if err != nil {
		return df.fail(err)
	}
	return df.with(p, append([]string(nil), columns...))
}

// ResetIndex turns the index into columns at the front, named after the
// levels ("index" for an unnamed single level, "level_i" for an unnamed
// level i of several, as pandas), and gives the frame a RangeIndex. With
// drop the index is discarded instead. A RangeIndex becomes an "index"
// column of positions.
func (df *DataFrame) ResetIndex(drop bool) *DataFrame {
	if df.err != nil {
		return df
	}
	if drop {
		p, err := df.dropIndex()
		if err != nil {
			return df.fail(err)
		}
		return df.with(p, nil)
	}
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	var exprs []Expr
	for i, name := range l.indexNames {
		if name == "" {
			name = "index"
			if len(l.indexNames) > 1 {
				name = fmt.Sprintf("level_%d", i)
			}
		}
		if slices.Contains(l.Columns(), name) {
			return df.fail(fmt.Errorf("%w: cannot insert %q, already exists", ErrArgument, name))
		}
		exprs = append(exprs, algebra.Col(indexColumn(i)).Alias(name))
	}
	exprs = append(exprs, cols(l.Columns())...)
	p, err := algebra.NewProject(l.plan, exprs)
	if err != nil {
		return df.fail(err)
	}
	return df.with(p, nil)
}

// Loc keeps the rows whose (single-level) index label is one of labels,
// in the order of labels, as pandas df.loc[[...]]. Labels that match no
// row are skipped (pandas raises KeyError).
func (df *DataFrame) Loc(labels ...any) *DataFrame {
	if df.err != nil {
		return df
	}
	if len(df.indexNames) != 1 {
		return df.fail(fmt.Errorf("%w: Loc needs a single-level labelled index (use SetIndex); this frame has %d levels", ErrArgument, len(df.indexNames)))
	}
	idx := df.plan.Schema().Field(df.plan.Schema().FieldIndices(indexColumn(0))[0])
	keys, err := labelFrame(df.sess, idx.Type, labels)
	if err != nil {
		return df.fail(err)
	}
	j, err := algebra.NewJoin(keys.plan, df.plan, join.Inner, []string{indexColumn(0)}, []string{indexColumn(0)}, [2]string{"_x", "_y"})
	if err != nil {
		return df.fail(err)
	}
	return df.with(j, df.indexNames)
}

// MergeOptions are pandas merge's arguments.
type MergeOptions struct {
	How      string   // inner (default), left, right, outer, semi, anti
	On       []string // key columns present on both sides
	LeftOn   []string // or the left keys...
	RightOn  []string // ...and the right keys
	Suffixes [2]string
}

// Merge joins df with right on key columns, as pandas merge: the result
// has a fresh RangeIndex; inner and left joins keep the left order, right
// joins the right order, outer joins sort by key; a key column named
// alike on both sides appears once; other shared names get Suffixes
// (default "_x", "_y"). Null keys match null keys, as in pandas. How
// "semi" keeps the left rows that have a match and "anti" those that
// have none (left columns only).
func (df *DataFrame) Merge(right *DataFrame, opt MergeOptions) *DataFrame {
	if df.err != nil {
		return df
	}
	if right == nil {
		return df.fail(fmt.Errorf("%w: Merge with a nil frame", ErrArgument))
	}
	if right.err != nil {
		return df.fail(right.err)
	}
	kind, err := parseHow(opt.How)
	if err != nil {
		return df.fail(err)
	}
	leftOn, rightOn := opt.LeftOn, opt.RightOn
	if len(opt.On) > 0 {
		if len(leftOn) > 0 || len(rightOn) > 0 {
			return df.fail(fmt.Errorf("%w: Merge takes On or LeftOn/RightOn, not both", ErrArgument))
		}
		leftOn, rightOn = opt.On, opt.On
	}
	if len(leftOn) == 0 {
		// pandas: the columns the two frames share.
		for _, c := range df.Columns() {
			if slices.Contains(right.Columns(), c) {
				leftOn = append(leftOn, c)
			}
		}
		rightOn = leftOn
		if len(leftOn) == 0 {
			return df.fail(fmt.Errorf("%w: Merge: no common columns to join on; give On or LeftOn/RightOn", ErrArgument))
		}
	}
	if err := df.check(leftOn...); err != nil {
		return df.fail(fmt.Errorf("left: %w", err))
	}
	if err := right.check(rightOn...); err != nil {
		return df.fail(fmt.Errorf("right: %w", err))
	}
	suffixes := opt.Suffixes
	if suffixes == [2]string{} {
		suffixes = [2]string{"_x", "_y"}
	}
	lp, err := df.dropIndex()
	if err != nil {
		return df.fail(err)
	}
	rp, err := right.dropIndex()
	if err != nil {
		return df.fail(err)
	}
	j, err := algebra.NewJoin(lp, rp, kind, leftOn, rightOn, suffixes)
	if err != nil {
		return df.fail(err)
	}
	return df.with(j, nil)
}

func parseHow(how string) (join.Kind, error) {
	switch strings.ToLower(how) {
	case "", "inner":
		return join.Inner, nil
	case "left":
		return join.Left, nil
	case "right":
		return join.Right, nil
	case "outer":
		return join.Outer, nil
	case "semi", "leftsemi":
		return join.Semi, nil
	case "anti", "leftanti":
		return join.Anti, nil
	}
	return 0, fmt.Errorf("%w: merge how %q (want inner, left, right, outer, semi or anti)", ErrArgument, how)
}

// Join joins right to df on their indexes (pandas DataFrame.join): the
// result keeps df's index; both must have labelled indexes with the same
// number of levels.
func (df *DataFrame) Join(right *DataFrame, how string) *DataFrame {
	if df.err != nil {
		return df
	}
	if right == nil {
		return df.fail(fmt.Errorf("%w: Join with a nil frame", ErrArgument))
	}
	if right.err != nil {
		return df.fail(right.err)
	}
	if how == "" {
		how = "left"
	}
	kind, err := parseHow(how)
	if err != nil {
		return df.fail(err)
	}
	if !df.hasLabels() || len(df.indexNames) != len(right.indexNames) {
		return df.fail(fmt.Errorf("%w: Join on the index needs labelled indexes with the same number of levels (left %d, right %d); use SetIndex or Merge", ErrArgument, len(df.indexNames), len(right.indexNames)))
	}
	var keys []string
	for i := range df.indexNames {
		keys = append(keys, indexColumn(i))
	}
	j, err := algebra.NewJoin(df.plan, right.plan, kind, keys, keys, [2]string{"", "_right"})
	if err != nil {
		return df.fail(err)
	}
	return df.with(j, df.indexNames)
}

// Concat stacks frames' rows (axis 0). Columns are aligned by name in the
// order they first appear; a frame lacking a column gets nulls there
// (pandas' outer alignment), and a column must have one type everywhere.
// With ignoreIndex the result gets a fresh RangeIndex; otherwise each
// frame's labels are kept (RangeIndex labels restart at 0 per frame).
func Concat(ignoreIndex bool, frames ...*DataFrame) *DataFrame {
	if len(frames) == 0 {
		return errorFrame(fmt.Errorf("%w: Concat of no frames", ErrArgument))
	}
	var names []string
	types := map[string]arrow.DataType{}
	for i, f := range frames {
		if f == nil {
			return errorFrame(fmt.Errorf("%w: Concat: frame %d is nil", ErrArgument, i))
		}
		if f.err != nil {
			return f
		}
		for _, fl := range f.Schema().Fields() {
			if t, ok := types[fl.Name]; ok {
				if !arrow.TypeEqual(t, fl.Type) {
					return frames[0].fail(fmt.Errorf("%w: Concat: column %q is %s in frame 0 and %s in frame %d", ErrType, fl.Name, t, fl.Type, i))
				}
				continue
			}
			types[fl.Name] = fl.Type
			names = append(names, fl.Name)
		}
	}
	levels := -1
	if !ignoreIndex {
		for _, f := range frames {
			n := max(len(f.indexNames), 1)
			if levels >= 0 && n != levels {
				return frames[0].fail(fmt.Errorf("%w: Concat: frames have indexes of %d and %d levels", ErrArgument, levels, n))
			}
			levels = n
		}
	}
	inputs := make([]algebra.Node, len(frames))
	var indexNames []string
	for i, f := range frames {
		if !ignoreIndex {
			var err error
			if f, err = f.labelled(); err != nil {
				return frames[0].fail(err)
			}
			if i == 0 {
				indexNames = f.indexNames
			}
		}
		var exprs []Expr
		if !ignoreIndex {
			for l := range levels {
				exprs = append(exprs, algebra.Col(indexColumn(l)))
			}
		}
		have := f.Columns()
		for _, n := range names {
			if slices.Contains(have, n) {
				exprs = append(exprs, algebra.Col(n))
			} else {
				exprs = append(exprs, algebra.Lit(nil).Cast(types[n]).Alias(n))
			}
		}
		p, err := algebra.NewProject(f.plan, exprs)
		if err != nil {
			return frames[0].fail(err)
		}
		inputs[i] = p
	}
	c, err := algebra.NewConcat(inputs...)
	if err != nil {
		return frames[0].fail(err)
	}
	return frames[0].with(c, indexNames)
}

// ConcatColumns puts frames side by side (pandas concat(axis=1)), aligning
// rows by index label: an outer join on the index, sorted by label. Frames
// with a RangeIndex align by position and the result keeps a RangeIndex.
// Column names must be distinct across frames.
func ConcatColumns(frames ...*DataFrame) *DataFrame {
	if len(frames) == 0 {
		return errorFrame(fmt.Errorf("%w: ConcatColumns of no frames", ErrArgument))
	}
	seen := map[string]int{}
	ranged := true
	for i, f := range frames {
		if f == nil {
			return errorFrame(fmt.Errorf("%w: ConcatColumns: frame %d is nil", ErrArgument, i))
		}
		if f.err != nil {
			return f
		}
		ranged = ranged && !f.hasLabels()
		for _, c := range f.Columns() {
			if j, dup := seen[c]; dup {
				return frames[0].fail(fmt.Errorf("%w: ConcatColumns: column %q is in frames %d and %d", ErrArgument, c, j, i))
			}
			seen[c] = i
		}
	}
	out, err := frames[0].labelled()
	if err != nil {
		return frames[0].fail(err)
	}
	for _, f := range frames[1:] {
		l, err := f.labelled()
		if err != nil {
			return frames[0].fail(err)
		}
		out = out.Join(l, "outer")
		if out.err != nil {
			return out
		}
	}
	if ranged {
		return out.ResetIndex(true)
	}
	return out
}

// Explode gives each element of list column column a row of its own,
// repeating the other columns and the row's label (pandas explode); an
// empty or null list gives one row with a null.
func (df *DataFrame) Explode(column string) *DataFrame {
	if err := df.check(column); err != nil {
		return df.fail(err)
	}
	l, err := df.labelled()
	if err != nil {
		return df.fail(err)
	}
	e, err := algebra.NewExplode(l.plan, column)
	if err != nil {
		return df.fail(err)
	}
	return l.with(e, l.indexNames)
}
