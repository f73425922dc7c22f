// Package window computes pandas' cumulative and shifting functions over
// one column of a partition (cumsum, cumprod, cummax, cummin, cumcount,
// shift), per group when given group ids. It is a kernel package under
// algebra/exec: typed loops over Arrow buffers, no I/O.
//
// Over a whole frame, partitions run in order and a State carries each
// partition's end into the next, so the cumulative result does not depend
// on how rows are partitioned.
package window

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra/vec"
)

// ErrType: the function does not apply to the column's type.
var ErrType = errors.New("window: unsupported type")

// Func is a window function.
type Func int

const (
	CumSum Func = iota
	CumProd
	CumMax
	CumMin
	CumCount // 0, 1, 2, ... within each group (pandas groupby().cumcount())
	Shift    // the value Periods rows earlier in the group (later if negative)
)

func (f Func) String() string {
	return [...]string{"cumsum", "cumprod", "cummax", "cummin", "cumcount", "shift"}[f]
}

// ResultType is the type f gives over a column of type dt: cumsum and
// cumprod of integers are int64, of floats float64; cummax, cummin and
// shift keep the type; cumcount is int64.
func ResultType(f Func, dt arrow.DataType) (arrow.DataType, error) {
	switch f {
	case CumCount:
		return arrow.PrimitiveTypes.Int64, nil
	case Shift:
		return dt, nil
	}
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.BOOL:
		if f == CumMax || f == CumMin {
			if dt.ID() == arrow.BOOL {
				break
			}
			return dt, nil
		}
		return arrow.PrimitiveTypes.Int64, nil
	case arrow.FLOAT32, arrow.FLOAT64:
		if f == CumMax || f == CumMin {
			return dt, nil
		}
		return arrow.PrimitiveTypes.Float64, nil
	}
	return nil, fmt.Errorf("%w: %s of %s", ErrType, f, dt)
}

// State is a whole-frame cumulative function's value at the end of the
// partitions before this one.
type State struct {
	Valid bool // a value has been seen
	I     int64
	F     float64
	N     int64 // rows seen (cumcount)
}

// Apply computes f over col. ids (nil: one group) give each row's group,
// -1 for rows outside every group (their result is null); carry applies
// only without ids. periods is Shift's offset. It returns the result,
// which the caller must release, and the state after the last row.
func Apply(col arrow.Array, f Func, ids []int32, ngroups int, periods int, carry State, mem memory.Allocator) (arrow.Array, State, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	n := col.Len()
	whole := ids == nil
	if whole {
		// One group: a slice of zeros keeps the loops below plain indexing
		// (a closure per row cost more than the 4 bytes a row).
		ids, ngroups = make([]int32, n), 1
	}
	// An empty partition has no groups; state slots start at index 0.
	ngroups = max(ngroups, 1)
	switch f {
	case CumCount:
		counts := make([]int64, ngroups)
		if whole {
			counts[0] = carry.N
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Reserve(n)
		for _, g := range ids {
			if g < 0 {
				b.AppendNull()
				continue
			}
			b.UnsafeAppend(counts[g])
			counts[g]++
		}
		return b.NewArray(), State{N: counts[0]}, nil
	case Shift:
		return shift(col, ids, ngroups, periods, mem)
	}
	out, err := ResultType(f, col.DataType())
	if err != nil {
		return nil, State{}, err
	}
	if out.ID() == arrow.FLOAT64 || out.ID() == arrow.FLOAT32 {
		vals, err := asFloats(col, mem)
		if err != nil {
			return nil, State{}, err
		}
		defer vals.Release()
		return cumulative(vals.(*array.Float64), f, ngroups, ids, carry, out, mem)
	}
	vals, err := asInts(col, mem)
	if err != nil {
		return nil, State{}, err
	}
	defer vals.Release()
	return cumulativeInts(vals.(*array.Int64), f, ngroups, ids, carry, out, mem)
}

func asFloats(col arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	if col.DataType().ID() == arrow.FLOAT64 {
		col.Retain()
		return col, nil
	}
	return vec.Cast(col, arrow.PrimitiveTypes.Float64, mem)
}

func asInts(col arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	if col.DataType().ID() == arrow.INT64 {
		col.Retain()
		return col, nil
	}
	return vec.Cast(col, arrow.PrimitiveTypes.Int64, mem)
}

// cumulative runs f over float values: nulls and NaN stay null and leave
// the running value alone (pandas skipna).
func cumulative(v *array.Float64, f Func, ngroups int, ids []int32, carry State, out arrow.DataType, mem memory.Allocator) (arrow.Array, State, error) {
	acc := make([]float64, ngroups)
	seen := make([]bool, ngroups)
	if carry.Valid {
		acc[0], seen[0] = carry.F, true
	}
	vals := v.Float64Values()
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.Reserve(len(vals))
	vals = vals[:len(ids)]
	for i, x := range vals {
		g := ids[i]
		if g < 0 || v.IsNull(i) || x != x {
			b.AppendNull()
			continue
		}
		if !seen[g] {
			acc[g], seen[g] = x, true
		} else {
			switch f {
			case CumSum:
				acc[g] += x
			case CumProd:
				acc[g] *= x
			case CumMax:
				acc[g] = max(acc[g], x)
			case CumMin:
				acc[g] = min(acc[g], x)
			}
		}
		b.UnsafeAppend(acc[g])
	}
	res := b.NewArray()
	st := State{Valid: seen[0], F: acc[0]}
	if out.ID() == arrow.FLOAT32 {
		defer res.Release()
		c, err := vec.Cast(res, out, mem)
		return c, st, err
	}
	return res, st, nil
}

func cumulativeInts(v *array.Int64, f Func, ngroups int, ids []int32, carry State, out arrow.DataType, mem memory.Allocator) (arrow.Array, State, error) {
	acc := make([]int64, ngroups)
	seen := make([]bool, ngroups)
	if carry.Valid {
		acc[0], seen[0] = carry.I, true
	}
	vals := v.Int64Values()
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.Reserve(len(vals))
	vals = vals[:len(ids)]
	for i, x := range vals {
		g := ids[i]
		if g < 0 || v.IsNull(i) {
			b.AppendNull()
			continue
		}
		if !seen[g] {
			acc[g], seen[g] = x, true
		} else {
			switch f {
			case CumSum:
				acc[g] += x
			case CumProd:
				acc[g] *= x
			case CumMax:
				acc[g] = max(acc[g], x)
			case CumMin:
				acc[g] = min(acc[g], x)
			}
		}
		b.UnsafeAppend(acc[g])
	}
	res := b.NewArray()
	st := State{Valid: seen[0], I: acc[0]}
	if out.ID() != arrow.INT64 {
		defer res.Release()
		c, err := vec.Cast(res, out, mem)
		return c, st, err
	}
	return res, st, nil
}

// shift gathers, for each row, the row periods places earlier in its group
// (-1, a null, where there is none).
func shift(col arrow.Array, ids []int32, ngroups int, periods int, mem memory.Allocator) (arrow.Array, State, error) {
	n := col.Len()
	rows := make([][]int64, ngroups)
	pos := make([]int, n)
	for i := range n {
		g := ids[i]
		if g < 0 {
			pos[i] = -1
			continue
		}
		pos[i] = len(rows[g])
		rows[g] = append(rows[g], int64(i))
	}
	idx := make([]int64, n)
	for i := range n {
		g := ids[i]
		j := pos[i] - periods
		if g < 0 || j < 0 || j >= len(rows[g]) {
			idx[i] = -1
			continue
		}
		idx[i] = rows[g][j]
	}
	out, err := vec.TakeArray(col, idx, mem)
	return out, State{}, err
}
