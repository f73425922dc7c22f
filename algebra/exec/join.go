package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/join"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/partition"
)

// join runs a merge. A right side of at most BroadcastBytes is gathered
// into one partition and sent whole beside every left partition, for the
// kinds where a left partition alone decides its rows (inner, left, semi,
// anti): the result is in left order with no shuffle. Otherwise both sides
// are hash-partitioned on the keys and joined pairwise; inner, left, semi
// and anti results then go back to left order by the left row number,
// right joins to right order, and outer joins are sorted by key, as in
// pandas.
func (x *executor) join(j *algebra.Join) (partition.Frame, error) {
	left, err := x.run(j.Left)
	if err != nil {
		return left, err
	}
	right, err := x.run(j.Right)
	if err != nil {
		return right, err
	}
	rms, err := x.metas(right)
	if err != nil {
		return right, err
	}
	var rbytes int64
	for _, m := range rms {
		rbytes += m.Bytes
	}
	kind := j.Kind
	leftOrder := kind == join.Inner || kind == join.Left || kind == join.Semi || kind == join.Anti
	if leftOrder && (rbytes <= x.cfg.BroadcastBytes || len(left.Blocks) <= 1) {
		one := right
		if len(right.Blocks) != 1 {
			one = x.gather(right, "concat", right.Schema, func(rec arrow.Record) (arrow.Record, error) {
				rec.Retain()
				return rec, nil
			})
		}
		k := x.joinKernel(j, j.JoinLayout)
		return partition.Broadcast(x.ctx, x.e, left, one, k, j.Schema()), nil
	}

	// Partitioned: number the side whose order the result keeps.
	var total int64
	numberLeft, numberRight := leftOrder, kind == join.Right
	if numberLeft {
		if total, err = partition.Rows(x.ctx, x.e, left); err != nil {
			return left, err
		}
		if left, err = x.rowNumber(left, rowCol); err != nil {
			return left, err
		}
	}
	if numberRight {
		if total, err = partition.Rows(x.ctx, x.e, right); err != nil {
			return right, err
		}
		if right, err = x.rowNumber(right, rowCol); err != nil {
			return right, err
		}
	}
	lay, err := algebra.NewJoinLayout(left.Schema, right.Schema, kind, j.LeftOn, j.RightOn, j.Suffixes)
	if err != nil {
		return left, err
	}
	n := max(len(left.Blocks), len(right.Blocks))
	ls := x.hashShuffle(j.Left, left, j.LeftOn, n)
	x.consumed(left)
	rs := x.hashShuffle(j.Right, right, j.RightOn, n)
	x.consumed(right)
	k := x.joinKernel(j, lay)
	joined := partition.Frame{Schema: lay.Schema}
	for i := range n {
		joined.Blocks = append(joined.Blocks, x.e.Deploy(x.ctx, k, []partition.Block{ls.Blocks[i], rs.Blocks[i]}, 1)...)
	}
	x.consumed(ls)
	x.consumed(rs)
	if numberLeft || numberRight {
		return x.restoreOrder(joined, rowCol, total), nil
	}
	// Outer: pandas sorts by the join keys.
	keys := make([]order.Key, len(j.LeftOn))
	for i := range j.LeftOn {
		keys[i] = order.Key{Column: lay.Schema.Field(j.Left.Schema().FieldIndices(j.LeftOn[i])[0]).Name}
	}
	return x.sort(joined, keys, -1, false)
}

// joinKernel joins its two inputs (a left partition, then the right one,
// or every right partition after a broadcast) into lay.Schema.
func (x *executor) joinKernel(j *algebra.Join, lay algebra.JoinLayout) partition.Kernel {
	kind, leftOn, rightOn, mem := j.Kind, j.LeftOn, j.RightOn, x.mem
	return partition.Kernel{Name: "join." + kind.String(), Fn: func(ctx context.Context, in []arrow.Record, _ int) ([]arrow.Record, error) {
		if len(in) < 2 {
			return nil, fmt.Errorf("exec: join kernel got %d inputs, want 2", len(in))
		}
		l, r := in[0], in[1]
		if len(in) > 2 {
			all, err := partition.ConcatRows(in[1].Schema(), mem).Fn(ctx, in[1:], 1)
			if err != nil {
				return nil, err
			}
			defer all[0].Release()
			r = all[0]
		}
		out, err := joinRecords(l, r, kind, leftOn, rightOn, lay, mem)
		if err != nil {
			return nil, err
		}
		return []arrow.Record{out}, nil
	}}
}

func joinRecords(l, r arrow.Record, kind join.Kind, leftOn, rightOn []string, lay algebra.JoinLayout, mem memory.Allocator) (arrow.Record, error) {
	li, ri, err := join.Indices(l, r, leftOn, rightOn, kind)
	if err != nil {
		return nil, err
	}
	lt, err := vec.Take(l, li, mem)
	if err != nil {
		return nil, err
	}
	defer lt.Release()
	if kind == join.Semi || kind == join.Anti {
		lt.Retain()
		return lt, nil
	}
	rt, err := vec.Take(r, ri, mem)
	if err != nil {
		return nil, err
	}
	defer rt.Release()
	cols := make([]arrow.Array, lay.Schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range l.Schema().Fields() {
		c := lt.Column(i)
		if rk, ok := lay.CoalesceKeys[i]; ok && (kind == join.Right || kind == join.Outer) && c.NullN() > 0 {
			fill := rt.Column(rk)
			if !arrow.TypeEqual(fill.DataType(), c.DataType()) {
				cast, err := vec.Cast(fill, c.DataType(), mem)
				if err != nil {
					return nil, err
				}
				defer cast.Release()
				fill = cast
			}
			filled, err := vec.FillNull(c, vec.ArrayOf(fill), mem)
			if err != nil {
				return nil, fmt.Errorf("exec: join key %s: %w", l.Schema().Field(i).Name, err)
			}
			cols[i] = filled
			continue
		}
		c.Retain()
		cols[i] = c
	}
	for ri, oi := range lay.RightKept {
		if oi >= 0 {
			c := rt.Column(ri)
			c.Retain()
			cols[oi] = c
		}
	}
	return array.NewRecord(lay.Schema, cols, int64(len(li))), nil
}
