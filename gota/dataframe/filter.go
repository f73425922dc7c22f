package dataframe

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/go-gota/gota/series"
	shoal "github.com/shoaldata/shoal/dataframe"
)

// F is the filtering structure
type F struct {
	Colidx     int
	Colname    string
	Comparator series.Comparator
	Comparando interface{}
}

// Aggregation defines the filter aggregation
type Aggregation int

func (a Aggregation) String() string {
	switch a {
	case Or:
		return "or"
	case And:
		return "and"
	}
	return fmt.Sprintf("unknown aggragation %d", a)
}

const (
	// Or aggregates filters with logical or
	Or Aggregation = iota
	// And aggregates filters with logical and
	And
)

// Filter will filter the rows of a DataFrame based on the given filters. All
// filters on the argument of a Filter call are aggregated as an OR operation
// whereas if we chain Filter calls, every filter will act as an AND operation
// with regards to the rest.
func (df DataFrame) Filter(filters ...F) DataFrame {
	return df.FilterAggregation(Or, filters...)
}

// FilterAggregation will filter the rows of a DataFrame based on the given filters. All
// filters on the argument of a Filter call are aggregated depending on the supplied
// aggregation.
//
// A comparison of an Int, Float or String column with one value (Eq, Neq,
// Greater, GreaterEq, Less, LessEq) or a list (In) becomes a Shoal
// expression, and the rows are filtered by Shoal's engine; other filters
// (CompFunc, Bool columns, a comparando per row) are evaluated by gota's
// Series.Compare and their result joins the same expression as a mask.
func (df DataFrame) FilterAggregation(agg Aggregation, filters ...F) DataFrame {
	if df.Err != nil {
		return df
	}
	if agg != Or && agg != And && len(filters) > 1 {
		return errFrame("filter: unknown aggregation %d", int(agg)) // gota panics
	}
	names := df.Names()
	preds := make([]shoal.Expr, len(filters))
	var masks []arrow.Array
	var used []int // columns the engine's comparisons read
	for i, f := range filters {
		var idx int
		if f.Colname == "" {
			idx = f.Colidx
			if idx < 0 || idx >= len(df.columns) {
				return errFrame("filter: column index %d out of range", idx) // gota panics
			}
		} else {
			idx = findInStringSlice(f.Colname, names)
			if idx < 0 {
				return errFrame("filter: can't find column name")
			}
		}
		if e, ok := comparison(df.columns[idx].array0(), engineName(idx), f); ok {
			preds[i] = e
			if !slices.Contains(used, idx) {
				used = append(used, idx)
			}
			continue
		}
		if f.Comparator == series.CompFunc {
			if _, ok := f.Comparando.(func(series.Element) bool); !ok {
				return errFrame("filter: comparando is not a comparison function of type func(el Element) bool") // gota panics
			}
		}
		res := toSeries(df.columns[idx].array(), names[idx]).Compare(f.Comparator, f.Comparando)
		if err := res.Err; err != nil {
			return errFrame("filter: %v", err)
		}
		bools, err := res.Bool()
		if err != nil {
			return errFrame("filter: %v", err)
		}
		b := array.NewBooleanBuilder(mem)
		b.AppendValues(bools, nil)
		masks = append(masks, b.NewArray())
		preds[i] = shoal.Col(maskName(len(masks) - 1))
	}
	if len(filters) == 0 {
		return df.Copy()
	}
	pred := preds[0]
	for _, p := range preds[1:] {
		if agg == Or {
			pred = pred.Or(p)
		} else {
			pred = pred.And(p)
		}
	}
	// The engine evaluates the predicate, piece by piece when the columns
	// it reads are still in the reader's pieces (joining them would copy
	// them); the kept rows are then gathered lazily (see column).
	idx := make([]int, 0, df.nrows)
	if lens, ok := pieceLens(df.columns, used); ok && len(masks) == 0 && len(lens) > 1 {
		start := 0
		for j, n := range lens {
			fields := make([]arrow.Field, len(used))
			arrs := make([]arrow.Array, len(used))
			for k, i := range used {
				arrs[k] = df.columns[i].chunks()[j]
				fields[k] = arrow.Field{Name: engineName(i), Type: arrs[k].DataType(), Nullable: true}
			}
			piece := shoal.FromArrow(array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(n)))
			var err error
			if idx, err = keptRows(piece, pred, n, start, idx); err != nil {
				return errFrame("filter: %v", err)
			}
			start += n
		}
		return df.take(idx)
	}
	idx, err := keptRows(df.engineOf(used, masks), pred, df.nrows, 0, idx)
	if err != nil {
		return errFrame("filter: %v", err)
	}
	return df.take(idx)
}

// keptRows runs pred over sdf (n rows) and appends to idx, offset by
// start, the rows where it is true.
func keptRows(sdf *shoal.DataFrame, pred shoal.Expr, n, start int, idx []int) ([]int, error) {
	rec, err := sdf.WithColumn("keep", pred).Select("keep").ToArrow(context.Background())
	if err != nil {
		return idx, err
	}
	keep, ok := rec.Column(0).(*array.Boolean)
	if !ok || keep.Len() != n {
		return idx, fmt.Errorf("engine returned %s of %d rows for the mask of %d", rec.Column(0).DataType(), rec.Column(0).Len(), n)
	}
	for i := 0; i < n; i++ {
		if keep.IsValid(i) && keep.Value(i) {
			idx = append(idx, start+i)
		}
	}
	return idx, nil
}

// pieceLens returns the piece lengths when the columns at idx are in
// pieces of the same lengths.
func pieceLens(cols []column, idx []int) ([]int, bool) {
	var lens []int
	for k, i := range idx {
		ch := cols[i].chunks()
		if k == 0 {
			for _, a := range ch {
				lens = append(lens, a.Len())
			}
			continue
		}
		if len(ch) != len(lens) {
			return nil, false
		}
		for j, a := range ch {
			if a.Len() != lens[j] {
				return nil, false
			}
		}
	}
	return lens, len(lens) > 0
}

func maskName(i int) string { return fmt.Sprintf("m%d", i) }

func engineNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = engineName(i)
	}
	return out
}

// comparison translates a filter to a Shoal expression when gota's
// semantics and the engine's agree: the comparando is converted to the
// column's type as gota's Compare does (series.New), a NA on either side
// compares false (FillNull), and strings compare bytewise as Go's do.
func comparison(arr arrow.Array, col string, f F) (shoal.Expr, bool) {
	t := typeOf(arr)
	if t == series.Bool {
		return shoal.Expr{}, false
	}
	switch f.Comparator {
	case series.Eq, series.Neq, series.Greater, series.GreaterEq, series.Less, series.LessEq, series.In:
	default:
		return shoal.Expr{}, false
	}
	if _, isFunc := f.Comparando.(func(series.Element) bool); isFunc {
		return shoal.Expr{}, false
	}
	comp := series.New(f.Comparando, t, "")
	if comp.Err != nil {
		return shoal.Expr{}, false
	}
	if f.Comparator != series.In && comp.Len() != 1 {
		return shoal.Expr{}, false // one comparando per row: gota's path
	}
	vals := make([]interface{}, 0, comp.Len())
	for i := 0; i < comp.Len(); i++ {
		e := comp.Elem(i)
		if e.IsNA() {
			continue // matches nothing
		}
		switch t {
		case series.Int:
			v, _ := e.Int()
			vals = append(vals, int64(v))
		case series.Float:
			vals = append(vals, e.Float())
		case series.String:
			vals = append(vals, e.String())
		}
	}
	c := shoal.Col(col)
	if len(vals) == 0 {
		return c.IsNull().And(false), true // always false, typed as bool
	}
	var e shoal.Expr
	switch f.Comparator {
	case series.Eq:
		e = c.Eq(vals[0])
	case series.Neq:
		e = c.Ne(vals[0])
	case series.Greater:
		e = c.Gt(vals[0])
	case series.GreaterEq:
		e = c.Ge(vals[0])
	case series.Less:
		e = c.Lt(vals[0])
	case series.LessEq:
		e = c.Le(vals[0])
	case series.In:
		e = c.IsIn(vals...)
	}
	return e.FillNull(false), true
}

// Order is the ordering structure
type Order struct {
	Colname string
	Reverse bool
}

// Sort return an ordering structure for regular column sorting sort.
func Sort(colname string) Order {
	return Order{colname, false}
}

// RevSort return an ordering structure for reverse column sorting.
func RevSort(colname string) Order {
	return Order{colname, true}
}

// Arrange sort the rows of a DataFrame according to the given Order: a
// stable sort by Shoal's engine, NaN last for every key (also reversed
// ones), ties in their original order, as gota's. With three keys or more
// gota's result is not a lexicographic sort (each pass after the second
// reorders the original rows by the previous pass's relative order); that
// is reproduced as is, so programs get the rows gota gives.
func (df DataFrame) Arrange(order ...Order) DataFrame {
	if df.Err != nil {
		return df
	}
	if len(order) == 0 {
		return errFrame("rename: no arguments")
	}
	keys := make([]shoal.SortKey, len(order))
	for i, o := range order {
		idx := df.colIndex(o.Colname)
		if idx == -1 {
			return errFrame("colname %s doesn't exist", o.Colname)
		}
		if o.Reverse {
			keys[i] = shoal.Desc(engineName(idx))
		} else {
			keys[i] = shoal.Asc(engineName(idx))
		}
	}
	if len(order) > 2 {
		return df.arrangeAsGota(order)
	}
	out, err := collect(df.engine().SortValues(keys...), df.Names())
	if err != nil {
		return errFrame("arrange: %v", err)
	}
	return out
}

// arrangeAsGota replays gota's Arrange pass by pass: from the last key to
// the first, the key column is taken at the previous pass's relative
// order, stably ordered, and composed into the result.
func (df DataFrame) arrangeAsGota(order []Order) DataFrame {
	origIdx := make([]int, df.nrows)
	for i := range origIdx {
		origIdx[i] = i
	}
	suborder := origIdx
	for i := len(order) - 1; i >= 0; i-- {
		arr := df.columns[df.colIndex(order[i].Colname)].array()
		suborder = stableOrder(arr, suborder, order[i].Reverse)
		next := make([]int, len(suborder))
		for k, j := range suborder {
			next[k] = origIdx[j]
		}
		origIdx = next
	}
	return df.take(origIdx)
}

// stableOrder is gota's Series.Order of arr taken at rows: positions into
// rows, non-NA values stably sorted (descending with reverse, ties kept in
// order), then the NAs in order.
func stableOrder(arr arrow.Array, rows []int, reverse bool) []int {
	var valid, nas []int
	for k, r := range rows {
		if arr.IsNull(r) {
			nas = append(nas, k)
		} else {
			valid = append(valid, k)
		}
	}
	slices.SortStableFunc(valid, func(a, b int) int {
		c := compareRows(arr, rows[a], rows[b])
		if reverse {
			return -c
		}
		return c
	})
	return append(valid, nas...)
}
