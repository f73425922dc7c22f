package groupby

import (
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// state is one decomposable aggregate's per-group state: what Partial
// writes out, MergePartial merges, and Combine (or Aggregate) finalizes.
type state struct {
	r    *resolved
	sumI []int64   // Sum/Prod over ints
	sumF []float64 // Sum/Prod over floats; Mean's sum
	cnt  []int64   // Count, Size, Mean, Std/Var, Corr's n
	mean []float64 // Std/Var mean; Corr mean_x
	m2   []float64 // Std/Var M2; Corr M2 of x
	my   []float64 // Corr mean_y
	m2y  []float64 // Corr M2 of y
	cxy  []float64 // Corr co-moment
	rows []int32   // Min/Max/First/Last: the chosen row of src, -1 none
	src  arrow.Array
}

func newState(r *resolved, ngroups int) *state {
	s := &state{r: r}
	switch r.Func {
	case Sum, Prod:
		if r.intSum {
			s.sumI = make([]int64, ngroups)
		} else {
			s.sumF = make([]float64, ngroups)
		}
		if r.Func == Prod {
			for i := range s.sumI {
				s.sumI[i] = 1
			}
			for i := range s.sumF {
				s.sumF[i] = 1
			}
		}
	case Count, Size:
		s.cnt = make([]int64, ngroups)
	case Mean:
		s.sumF, s.cnt = make([]float64, ngroups), make([]int64, ngroups)
	case Std, Var:
		s.cnt, s.mean, s.m2 = make([]int64, ngroups), make([]float64, ngroups), make([]float64, ngroups)
	case Corr:
		s.cnt = make([]int64, ngroups)
		s.mean, s.m2, s.my = make([]float64, ngroups), make([]float64, ngroups), make([]float64, ngroups)
		s.m2y, s.cxy = make([]float64, ngroups), make([]float64, ngroups)
	case Min, Max, First, Last:
		s.rows = make([]int32, ngroups)
		for i := range s.rows {
			s.rows[i] = -1
		}
	}
	return s
}

// update computes the state from input rows.
func update(rec arrow.Record, r *resolved, g *grouping) *state {
	s := newState(r, g.ngroups)
	ids := g.ids
	if r.Func == Size {
		for _, id := range ids {
			if id >= 0 {
				s.cnt[id]++
			}
		}
		return s
	}
	arr := rec.Column(r.col)
	switch r.Func {
	case Count:
		if nc, ok := numeric(arr, false); ok && nc.isFloat {
			countTo(s.cnt, nc.f, ids, validity{})
		} else {
			countValid(s.cnt, ids, validityOf(arr))
		}
	case Sum, Prod, Mean, Std, Var:
		nc, _ := numeric(arr, false)
		if nc.isFloat {
			updateNum(s, nc.f, ids, nc.v)
		} else {
			updateNum(s, nc.i, ids, nc.v)
		}
	case Min, Max:
		s.src = arr
		if dt := arr.DataType().ID(); dt == arrow.STRING || dt == arrow.LARGE_STRING || dt == arrow.BINARY || dt == arrow.LARGE_BINARY {
			bestStringRows(s.rows, arr, ids, r.Func == Max)
			break
		}
		nc, _ := numeric(arr, true)
		if nc.isFloat {
			bestRows(s.rows, make([]float64, g.ngroups), nc.f, ids, validity{}, r.Func == Max)
		} else {
			bestRows(s.rows, make([]int64, g.ngroups), nc.i, ids, nc.v, r.Func == Max)
		}
	case First, Last:
		s.src = arr
		var nan []float64
		if isFloat(arr.DataType()) {
			nc, _ := numeric(arr, false)
			nan = nc.f
		}
		edgeRows(s.rows, ids, validityOf(arr), nan, r.Func == Last)
	case Corr:
		x, _ := numeric(arr, false)
		y, _ := numeric(rec.Column(r.other), false)
		corrUpdate(s, floats(x), floats(y), ids)
	}
	return s
}

// updateNum runs the numeric aggregates' kernels.
func updateNum[T numT](s *state, vals []T, ids []int32, v validity) {
	switch s.r.Func {
	case Sum:
		if s.sumI != nil {
			sumTo(s.sumI, vals, ids, v)
		} else {
			sumTo(s.sumF, vals, ids, v)
		}
	case Prod:
		// Products stay in the input's canonical type; int prod wraps like numpy.
		if s.sumI != nil {
			prodTo(s.sumI, toInt(vals), ids, v)
		} else {
			prodTo(s.sumF, toFloat(vals), ids, v)
		}
	case Mean:
		sumTo(s.sumF, vals, ids, v)
		countTo(s.cnt, vals, ids, v)
	case Std, Var:
		// Two passes: sum and count, then squared deviations from the mean.
		sumTo(s.mean, vals, ids, v)
		countTo(s.cnt, vals, ids, v)
		for g, n := range s.cnt {
			if n > 0 {
				s.mean[g] /= float64(n)
			}
		}
		m2To(s.m2, s.mean, vals, ids, v)
	}
}

// toInt and toFloat view a canonical slice in the type the accumulator
// wants; the Sum/Prod result type follows the input, so the conversion is
// the identity and never copies.
func toInt[T numT](v []T) []int64 {
	if x, ok := any(v).([]int64); ok {
		return x
	}
	panic("groupby: int accumulator over float values")
}

func toFloat[T numT](v []T) []float64 {
	if x, ok := any(v).([]float64); ok {
		return x
	}
	panic("groupby: float accumulator over int values")
}

// floats returns c as float64 values with NaN for nulls.
func floats(c numCol) []float64 {
	if c.isFloat {
		return c.f
	}
	f := make([]float64, len(c.i))
	for i, x := range c.i {
		f[i] = float64(x)
	}
	nanNulls(f, c.v)
	return f
}

// corrUpdate computes n, means, M2s and co-moment over rows where both x
// and y are present, in two passes.
func corrUpdate(s *state, x, y []float64, ids []int32) {
	x, y = x[:len(ids)], y[:len(ids)]
	for i, g := range ids {
		a, b := x[i], y[i]
		if g < 0 || a != a || b != b {
			continue
		}
		s.cnt[g]++
		s.mean[g] += a
		s.my[g] += b
	}
	for g, n := range s.cnt {
		if n > 0 {
			s.mean[g] /= float64(n)
			s.my[g] /= float64(n)
		}
	}
	for i, g := range ids {
		a, b := x[i], y[i]
		if g < 0 || a != a || b != b {
			continue
		}
		dx, dy := a-s.mean[g], b-s.my[g]
		s.m2[g] += dx * dx
		s.m2y[g] += dy * dy
		s.cxy[g] += dx * dy
	}
}

// bestStringRows picks each group's row holding the smallest (or largest)
// string, comparing bytes.
func bestStringRows(rows []int32, arr arrow.Array, ids []int32, isMax bool) {
	var val func(int) string
	switch a := arr.(type) {
	case *array.String:
		val = a.Value
	case *array.LargeString:
		val = a.Value
	case *array.Binary:
		val = a.ValueString
	case *array.LargeBinary:
		val = func(i int) string { return string(a.Value(i)) }
	}
	v := validityOf(arr)
	for i, g := range ids {
		if g < 0 || (v.nulls && !v.valid(i)) {
			continue
		}
		r := rows[g]
		if r < 0 {
			rows[g] = int32(i)
			continue
		}
		x, b := val(i), val(int(r))
		if (isMax && x > b) || (!isMax && x < b) {
			rows[g] = int32(i)
		}
	}
}

// mergeState merges partial-state columns cols (of one Agg, in
// stateFields order) by group.
func mergeState(r *resolved, cols []arrow.Array, g *grouping) *state {
	s := newState(r, g.ngroups)
	ids := g.ids
	switch r.Func {
	case Sum:
		if s.sumI != nil {
			sumTo(s.sumI, cols[0].(*array.Int64).Int64Values(), ids, validityOf(cols[0]))
		} else {
			sumTo(s.sumF, cols[0].(*array.Float64).Float64Values(), ids, validityOf(cols[0]))
		}
	case Prod:
		if s.sumI != nil {
			prodTo(s.sumI, cols[0].(*array.Int64).Int64Values(), ids, validityOf(cols[0]))
		} else {
			prodTo(s.sumF, cols[0].(*array.Float64).Float64Values(), ids, validityOf(cols[0]))
		}
	case Count, Size:
		sumTo(s.cnt, cols[0].(*array.Int64).Int64Values(), ids, validityOf(cols[0]))
	case Mean:
		sumTo(s.sumF, cols[0].(*array.Float64).Float64Values(), ids, validityOf(cols[0]))
		sumTo(s.cnt, cols[1].(*array.Int64).Int64Values(), ids, validityOf(cols[1]))
	case Std, Var:
		n := cols[0].(*array.Int64).Int64Values()
		mean := cols[1].(*array.Float64).Float64Values()
		m2 := cols[2].(*array.Float64).Float64Values()
		for i, gi := range ids {
			if gi < 0 || n[i] == 0 {
				continue
			}
			na, nb := float64(s.cnt[gi]), float64(n[i])
			nn := na + nb
			d := mean[i] - s.mean[gi]
			s.mean[gi] += d * nb / nn
			s.m2[gi] += m2[i] + d*d*na*nb/nn
			s.cnt[gi] += n[i]
		}
	case Corr:
		n := cols[0].(*array.Int64).Int64Values()
		mx := cols[1].(*array.Float64).Float64Values()
		my := cols[2].(*array.Float64).Float64Values()
		m2x := cols[3].(*array.Float64).Float64Values()
		m2y := cols[4].(*array.Float64).Float64Values()
		cxy := cols[5].(*array.Float64).Float64Values()
		for i, gi := range ids {
			if gi < 0 || n[i] == 0 {
				continue
			}
			na, nb := float64(s.cnt[gi]), float64(n[i])
			nn := na + nb
			dx, dy := mx[i]-s.mean[gi], my[i]-s.my[gi]
			w := na * nb / nn
			s.mean[gi] += dx * nb / nn
			s.my[gi] += dy * nb / nn
			s.m2[gi] += m2x[i] + dx*dx*w
			s.m2y[gi] += m2y[i] + dy*dy*w
			s.cxy[gi] += cxy[i] + dx*dy*w
			s.cnt[gi] += n[i]
		}
	case Min, Max, First, Last:
		// The same kernels over the state column: partitions come in order,
		// so the first (last) non-null state is the first (last) value.
		rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "v", Type: cols[0].DataType(), Nullable: true}}, nil), cols[:1], int64(cols[0].Len()))
		defer rec.Release()
		rr := *r
		rr.col = 0
		u := update(rec, &rr, g)
		s.rows, s.src = u.rows, cols[0]
	}
	return s
}

// partialCols writes the state out as Arrow columns, in stateFields order.
func (s *state) partialCols(mem memory.Allocator) ([]arrow.Array, error) {
	switch s.r.Func {
	case Sum, Prod:
		if s.sumI != nil {
			return []arrow.Array{int64Array(mem, s.sumI, nil)}, nil
		}
		return []arrow.Array{float64Array(mem, s.sumF, nil)}, nil
	case Count, Size:
		return []arrow.Array{int64Array(mem, s.cnt, nil)}, nil
	case Mean:
		return []arrow.Array{float64Array(mem, s.sumF, nil), int64Array(mem, s.cnt, nil)}, nil
	case Std, Var:
		return []arrow.Array{int64Array(mem, s.cnt, nil), float64Array(mem, s.mean, nil), float64Array(mem, s.m2, nil)}, nil
	case Corr:
		return []arrow.Array{int64Array(mem, s.cnt, nil), float64Array(mem, s.mean, nil), float64Array(mem, s.my, nil),
			float64Array(mem, s.m2, nil), float64Array(mem, s.m2y, nil), float64Array(mem, s.cxy, nil)}, nil
	case Min, Max, First, Last:
		a, err := take(mem, s.src, s.rows)
		if err != nil {
			return nil, err
		}
		return []arrow.Array{a}, nil
	}
	return nil, nil
}

// final computes the aggregate's result column from the state.
func (s *state) final(mem memory.Allocator) (arrow.Array, error) {
	switch s.r.Func {
	case Sum, Prod, Count, Size, Min, Max, First, Last:
		cols, err := s.partialCols(mem)
		if err != nil {
			return nil, err
		}
		return cols[0], nil
	case Mean:
		out := make([]float64, len(s.cnt))
		valid := make([]bool, len(s.cnt))
		for g, n := range s.cnt {
			if n > 0 {
				out[g], valid[g] = s.sumF[g]/float64(n), true
			}
		}
		return float64Array(mem, out, valid), nil
	case Std, Var:
		out := make([]float64, len(s.cnt))
		valid := make([]bool, len(s.cnt))
		ddof := int64(s.r.DDof)
		for g, n := range s.cnt {
			if n-ddof > 0 {
				v := s.m2[g] / float64(n-ddof)
				if s.r.Func == Std {
					v = math.Sqrt(v)
				}
				out[g], valid[g] = v, true
			}
		}
		return float64Array(mem, out, valid), nil
	case Corr:
		out := make([]float64, len(s.cnt))
		valid := make([]bool, len(s.cnt))
		for g, n := range s.cnt {
			if d := s.m2[g] * s.m2y[g]; n >= 2 && d > 0 {
				c := s.cxy[g] / math.Sqrt(d)
				out[g], valid[g] = max(-1, min(1, c)), true
			}
		}
		return float64Array(mem, out, valid), nil
	}
	return nil, nil
}
