package dataframe

import (
	"slices"
	"sort"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// view reads a column by frame row without gathering it: the source
// pieces and, for a selection not yet gathered, the frame → source row map.
// GroupBy reads its key and aggregated columns through views, so a filtered
// frame's columns are never copied for it.
type view struct {
	chunks []arrow.Array
	starts []int // starts[j] is chunk j's first source row; len(chunks)+1
	idx    []int // frame row → source row, increasing; nil: the identity
	n      int   // frame rows
}

func (c column) view(n int) view {
	chunks, idx, ok := c.pending()
	if !ok || !slices.IsSorted(idx) {
		chunks, idx = c.chunks(), nil
	}
	starts := make([]int, len(chunks)+1)
	for j, ch := range chunks {
		starts[j+1] = starts[j] + ch.Len()
	}
	return view{chunks: chunks, starts: starts, idx: idx, n: n}
}

func (v view) source(k int) int {
	if v.idx == nil {
		return k
	}
	return v.idx[k]
}

// at returns the piece holding frame row k and the row within it.
func (v view) at(k int) (arrow.Array, int) {
	i := v.source(k)
	j := sort.SearchInts(v.starts[1:], i+1)
	return v.chunks[j], i - v.starts[j]
}

// each calls f for the frame rows in increasing order with their piece and
// row within it; rows must be increasing (nil: every row).
func (v view) each(rows []int, f func(k int, ch arrow.Array, at int)) {
	n := v.n
	if rows != nil {
		n = len(rows)
	}
	if n == 0 {
		return
	}
	row := func(q int) int {
		if rows == nil {
			return q
		}
		return rows[q]
	}
	j := sort.SearchInts(v.starts[1:], v.source(row(0))+1)
	for q := 0; q < n; q++ {
		k := row(q)
		i := v.source(k)
		for i >= v.starts[j+1] {
			j++
		}
		f(k, v.chunks[j], i-v.starts[j])
	}
}

// hasNull reports whether any frame row is null.
func (v view) hasNull() bool {
	maybe := false
	for _, ch := range v.chunks {
		maybe = maybe || ch.NullN() > 0
	}
	if !maybe {
		return false
	}
	found := false
	v.each(nil, func(_ int, ch arrow.Array, at int) {
		found = found || ch.IsNull(at)
	})
	return found
}

// take gathers frame rows (any order, few: one per group) into a new
// array.
func (v view) take(rows []int) arrow.Array {
	if len(v.chunks) == 1 && v.idx == nil {
		return take(v.chunks[0], rows)
	}
	n := len(rows)
	switch v.chunks[0].(type) {
	case *array.Int64:
		return buildInts(n, func(q int) (int64, bool) {
			ch, at := v.at(rows[q])
			return ch.(*array.Int64).Value(at), ch.IsValid(at)
		})
	case *array.Float64:
		return buildFloats(n, func(q int) (float64, bool) {
			ch, at := v.at(rows[q])
			return ch.(*array.Float64).Value(at), ch.IsValid(at)
		})
	case *array.Boolean:
		return buildBools(n, func(q int) (bool, bool) {
			ch, at := v.at(rows[q])
			return ch.(*array.Boolean).Value(at), ch.IsValid(at)
		})
	}
	return buildStrings(n, func(q int) (string, bool) {
		ch, at := v.at(rows[q])
		return ch.(*array.String).Value(at), ch.IsValid(at)
	})
}
