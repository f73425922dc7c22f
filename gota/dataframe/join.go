package dataframe

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	gotadf "github.com/go-gota/gota/dataframe"
	shoal "github.com/shoaldata/shoal/dataframe"
)

type joinKind int

const (
	innerJoin joinKind = iota
	leftJoin
	rightJoin
	outerJoin
)

// InnerJoin returns a DataFrame containing the inner join of two DataFrames.
func (df DataFrame) InnerJoin(b DataFrame, keys ...string) DataFrame {
	return df.join(b, innerJoin, keys)
}

// LeftJoin returns a DataFrame containing the left join of two DataFrames.
func (df DataFrame) LeftJoin(b DataFrame, keys ...string) DataFrame {
	return df.join(b, leftJoin, keys)
}

// RightJoin returns a DataFrame containing the right join of two DataFrames.
func (df DataFrame) RightJoin(b DataFrame, keys ...string) DataFrame {
	return df.join(b, rightJoin, keys)
}

// OuterJoin returns a DataFrame containing the outer join of two DataFrames.
func (df DataFrame) OuterJoin(b DataFrame, keys ...string) DataFrame {
	return df.join(b, outerJoin, keys)
}

// join is gota's four joins on Shoal's hash join. gota's result, which
// this reproduces: the key columns (left's names and types), the left's
// other columns, the right's other columns, names made unique by gota's
// rules (a name on both sides becomes name_0 and name_1). Rows: inner and
// left joins go in left order, each left row's matches in right order, a
// left row without match (left join) gets NaN on the right; a right join
// lists the matched pairs in right order, then the unmatched right rows; an
// outer join is the left join followed by the unmatched right rows. A NaN
// key matches nothing.
func (df DataFrame) join(b DataFrame, kind joinKind, keys []string) DataFrame {
	if len(keys) == 0 {
		return errFrame("join keys not specified")
	}
	var iKeysA, iKeysB []int
	var errorArr []string
	for _, key := range keys {
		i := df.colIndex(key)
		if i < 0 {
			errorArr = append(errorArr, fmt.Sprintf("can't find key %q on left DataFrame", key))
		}
		iKeysA = append(iKeysA, i)
		j := b.colIndex(key)
		if j < 0 {
			errorArr = append(errorArr, fmt.Sprintf("can't find key %q on right DataFrame", key))
		}
		iKeysB = append(iKeysB, j)
	}
	if len(errorArr) != 0 {
		return DataFrame{Err: fmt.Errorf("%s", strings.Join(errorArr, "\n"))}
	}
	if !df.joinable(b, iKeysA, iKeysB) {
		return df.joinViaGota(b, kind, keys)
	}
	isKeyA := map[int]bool{}
	for _, i := range iKeysA {
		isKeyA[i] = true
	}
	isKeyB := map[int]bool{}
	for _, j := range iKeysB {
		isKeyB[j] = true
	}
	var notKeysA, notKeysB []int
	for i := range df.columns {
		if !isKeyA[i] {
			notKeysA = append(notKeysA, i)
		}
	}
	for j := range b.columns {
		if !isKeyB[j] {
			notKeysB = append(notKeysB, j)
		}
	}
	left, right := prefixed(df, "l"), prefixed(b, "r")
	leftOn, rightOn := make([]string, len(keys)), make([]string, len(keys))
	for k := range keys {
		leftOn[k] = fmt.Sprintf("l%d", iKeysA[k])
		rightOn[k] = fmt.Sprintf("r%d", iKeysB[k])
	}
	// gota never matches a NaN key; the engine matches null with null
	// (pandas), so the side that is probed loses its null keys.
	rightKeyed := dropNullKeys(right, rightOn)
	leftKeyed := dropNullKeys(left, leftOn)

	// Output columns of a matched pair: left keys, left rest, right rest.
	var sel []string
	for _, i := range iKeysA {
		sel = append(sel, fmt.Sprintf("l%d", i))
	}
	for _, i := range notKeysA {
		sel = append(sel, fmt.Sprintf("l%d", i))
	}
	for _, j := range notKeysB {
		sel = append(sel, fmt.Sprintf("r%d", j))
	}
	var matched *shoal.DataFrame
	switch kind {
	case innerJoin:
		matched = left.Merge(rightKeyed, shoal.MergeOptions{How: "inner", LeftOn: leftOn, RightOn: rightOn})
	case leftJoin, outerJoin:
		matched = left.Merge(rightKeyed, shoal.MergeOptions{How: "left", LeftOn: leftOn, RightOn: rightOn})
	case rightJoin:
		matched = right.Merge(leftKeyed, shoal.MergeOptions{How: "inner", LeftOn: rightOn, RightOn: leftOn})
	}
	names := make([]string, len(sel))
	for k, s := range sel {
		names[k] = s
	}
	res, err := collect(matched.Select(sel...), names)
	if err != nil {
		return errFrame("join: %v", err)
	}
	cols := res.columns
	if kind == rightJoin || kind == outerJoin {
		// The right rows without a match, keys from the right.
		var rsel []string
		for _, j := range iKeysB {
			rsel = append(rsel, fmt.Sprintf("r%d", j))
		}
		for _, j := range notKeysB {
			rsel = append(rsel, fmt.Sprintf("r%d", j))
		}
		un, err := collect(right.Merge(leftKeyed, shoal.MergeOptions{How: "anti", LeftOn: rightOn, RightOn: leftOn}).Select(rsel...), rsel)
		if err != nil {
			return errFrame("join: %v", err)
		}
		var tail []arrow.Array
		for k := range iKeysB {
			tail = append(tail, un.columns[k].array())
		}
		for _, i := range notKeysA {
			tail = append(tail, nullArray(typeOf(df.columns[i].array0()), un.nrows))
		}
		for k := range notKeysB {
			tail = append(tail, un.columns[len(iKeysB)+k].array())
		}
		for k := range cols {
			arr, err := array.Concatenate([]arrow.Array{cols[k].array(), tail[k]}, mem)
			if err != nil {
				return errFrame("join: %v", err)
			}
			cols[k] = column{name: cols[k].name, arr: arr}
		}
	}
	n := 0
	if len(cols) > 0 {
		n = cols[0].array().Len()
	}
	for k, s := range sel {
		var idx int
		fmt.Sscanf(s[1:], "%d", &idx)
		if s[0] == 'l' {
			cols[k].name = df.columns[idx].name
		} else {
			cols[k].name = b.columns[idx].name
		}
	}
	return build(cols, n)
}

// joinable reports whether the engine's join gives gota's answer: keys
// named once, of the same type on both sides, and no float key equal to
// -0 (gota matches -0 with 0; a hash join need not).
func (df DataFrame) joinable(b DataFrame, ia, ib []int) bool {
	seen := map[int]bool{}
	for k := range ia {
		if seen[ia[k]] {
			return false
		}
		seen[ia[k]] = true
		a, bb := df.columns[ia[k]].array(), b.columns[ib[k]].array()
		if typeOf(a) != typeOf(bb) {
			return false
		}
		for _, arr := range []arrow.Array{a, bb} {
			if f, ok := arr.(*array.Float64); ok {
				for i, v := range f.Float64Values() {
					if v == 0 && math.Signbit(v) && f.IsValid(i) {
						return false
					}
				}
			}
		}
	}
	return true
}

// joinViaGota runs gota's own join, for the key layouts the engine's join
// does not reproduce (see joinable).
func (df DataFrame) joinViaGota(b DataFrame, kind joinKind, keys []string) DataFrame {
	ga, gb := df.toGota(), b.toGota()
	var out gotadf.DataFrame
	switch kind {
	case innerJoin:
		out = ga.InnerJoin(gb, keys...)
	case leftJoin:
		out = ga.LeftJoin(gb, keys...)
	case rightJoin:
		out = ga.RightJoin(gb, keys...)
	default:
		out = ga.OuterJoin(gb, keys...)
	}
	return fromGota(out)
}

// prefixed is the engine frame of df with columns named prefix0, prefix1...
func prefixed(df DataFrame, prefix string) *shoal.DataFrame {
	fields := make([]arrow.Field, len(df.columns))
	arrs := make([]arrow.Array, len(df.columns))
	for i, c := range df.columns {
		fields[i] = arrow.Field{Name: fmt.Sprintf("%s%d", prefix, i), Type: c.array().DataType(), Nullable: true}
		arrs[i] = c.array()
	}
	return shoal.FromArrow(array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(df.nrows)))
}

func dropNullKeys(df *shoal.DataFrame, keys []string) *shoal.DataFrame {
	return df.Dropna(false, keys...)
}

// CrossJoin returns a DataFrame containing the cross join of two DataFrames.
func (df DataFrame) CrossJoin(b DataFrame) DataFrame {
	n, m := df.nrows, b.nrows
	li, ri := make([]int, n*m), make([]int, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			li[i*m+j], ri[i*m+j] = i, j
		}
	}
	cols := make([]column, 0, len(df.columns)+len(b.columns))
	cols = append(cols, df.take(li).columns...)
	cols = append(cols, b.take(ri).columns...)
	if len(cols) == 0 {
		return errFrame("empty DataFrame")
	}
	return build(cols, n*m)
}
