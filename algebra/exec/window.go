package exec

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/window"
	"github.com/shoaldata/shoal/partition"
)

// windowOp runs a window function. Per group, each partition of a hash
// shuffle holds whole groups (byGroupInOrder restores the row order).
// Over the whole frame, cumulative functions run in two passes: each
// partition's end state, then each partition again starting from the
// states before it, so partitions still run in parallel; shift needs its
// neighbours' rows and runs in one kernel.
func (x *executor) windowOp(w *algebra.Window) (partition.Frame, error) {
	in, err := x.run(w.Input)
	if err != nil {
		return in, err
	}
	out, mem := w.Schema(), x.mem
	f, col, periods := w.Func, w.Column, w.Periods
	apply := func(rec arrow.Record, ids []int32, ngroups int, carry window.State) (arrow.Record, window.State, error) {
		c := rec.Column(0)
		if f != window.CumCount {
			c = rec.Column(rec.Schema().FieldIndices(col)[0])
		}
		res, st, err := window.Apply(c, f, ids, ngroups, periods, carry, mem)
		if err != nil {
			return nil, st, err
		}
		defer res.Release()
		cols := append(append([]arrow.Array(nil), rec.Columns()...), res)
		schema := arrow.NewSchema(append(append([]arrow.Field(nil), rec.Schema().Fields()...), out.Field(out.NumFields()-1)), nil)
		return array.NewRecord(schema, cols, rec.NumRows()), st, nil
	}
	if len(w.Keys) > 0 {
		keys, opt := w.Keys, w.Options
		grouped := func(rec arrow.Record) (arrow.Record, error) {
			ids, n, err := groupby.Groups(rec, keys, groupby.Options{Dropna: opt.Dropna})
			if err != nil {
				return nil, err
			}
			r, _, err := apply(rec, ids, n, window.State{})
			return r, err
		}
		if len(in.Blocks) <= 1 {
			return x.gather(in, "window", out, grouped), nil
		}
		return x.byGroupInOrder(in, keys, "window", out, func(rec arrow.Record) (arrow.Record, error) {
			// rec carries the row number last; the window column goes after it
			// and byGroupInOrder drops the row number.
			r, err := grouped(rec)
			if err != nil {
				return nil, err
			}
			defer r.Release()
			n := int(r.NumCols())
			order := make([]int, 0, n)
			for i := range n - 2 {
				order = append(order, i)
			}
			order = append(order, n-1, n-2) // window column, then the row number
			return partition.PickColumns(r, order), nil
		})
	}
	whole := func(rec arrow.Record) (arrow.Record, error) {
		r, _, err := apply(rec, nil, 1, window.State{})
		return r, err
	}
	if f == window.Shift || len(in.Blocks) <= 1 {
		return x.gather(in, "window", out, whole), nil
	}
	// Pass 1: each partition's end state, as a one-row record.
	stateSchema := arrow.NewSchema([]arrow.Field{{Name: "valid", Type: arrow.FixedWidthTypes.Boolean}, {Name: "i", Type: arrow.PrimitiveTypes.Int64}, {Name: "f", Type: arrow.PrimitiveTypes.Float64}, {Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil)
	states := partition.Map(x.ctx, x.e, in, kernel("window.state", func(rec arrow.Record) (arrow.Record, error) {
		r, st, err := apply(rec, nil, 1, window.State{})
		if err != nil {
			return nil, err
		}
		r.Release()
		return stateRecord(stateSchema, st, mem), nil
	}), stateSchema)
	recs, err := x.e.Materialize(x.ctx, states.Blocks)
	if err != nil {
		return in, err
	}
	carries := make([]window.State, len(recs))
	var acc window.State
	for i, r := range recs {
		carries[i] = acc
		st := window.State{Valid: r.Column(0).(*array.Boolean).Value(0), I: r.Column(1).(*array.Int64).Value(0), F: r.Column(2).(*array.Float64).Value(0), N: r.Column(3).(*array.Int64).Value(0)}
		acc = combineStates(f, acc, st)
		r.Release()
	}
	// Pass 2: each partition from the state before it.
	res := partition.Frame{Schema: out}
	for i, b := range in.Blocks {
		carry := carries[i]
		k := kernel("window", func(rec arrow.Record) (arrow.Record, error) {
			r, _, err := apply(rec, nil, 1, carry)
			return r, err
		})
		res.Blocks = append(res.Blocks, x.e.Deploy(x.ctx, k, []partition.Block{b}, 1)...)
	}
	return res, nil
}

// combineStates folds a partition's own end state into the state before
// it.
func combineStates(f window.Func, before, own window.State) window.State {
	out := window.State{N: before.N + own.N}
	switch {
	case !own.Valid:
		out.Valid, out.I, out.F = before.Valid, before.I, before.F
	case !before.Valid:
		out.Valid, out.I, out.F = true, own.I, own.F
	default:
		out.Valid = true
		switch f {
		case window.CumSum:
			out.I, out.F = before.I+own.I, before.F+own.F
		case window.CumProd:
			out.I, out.F = before.I*own.I, before.F*own.F
		case window.CumMax:
			out.I, out.F = max(before.I, own.I), max(before.F, own.F)
		case window.CumMin:
			out.I, out.F = min(before.I, own.I), min(before.F, own.F)
		}
	}
	return out
}

func stateRecord(schema *arrow.Schema, st window.State, mem memory.Allocator) arrow.Record {
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.BooleanBuilder).Append(st.Valid)
	b.Field(1).(*array.Int64Builder).Append(st.I)
	b.Field(2).(*array.Float64Builder).Append(st.F)
	b.Field(3).(*array.Int64Builder).Append(st.N)
	return b.NewRecord()
}
