package groupby

import (
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Aggregate groups rec by keys and computes aggs with pandas semantics.
// The result has the key columns (input names and types; a dictionary key
// keeps its dictionary), then one column per Agg named As, one row per
// group, ordered by opt. With no keys it has one row of whole-column
// reductions, even for zero input rows.
//
// rec is borrowed; the result is the caller's to Release. Safe for
// concurrent use.
func Aggregate(rec arrow.Record, keys []string, aggs []Agg, opt Options, mem memory.Allocator) (arrow.Record, error) {
	schema, err := OutputSchema(rec.Schema(), keys, aggs)
	if err != nil {
		return nil, err
	}
	rs, _ := resolve(rec.Schema(), aggs)
	g, err := group(rec, keys, opt)
	if err != nil {
		return nil, err
	}
	defer g.release()
	cols, err := keyColumns(rec, keys, g, mem)
	if err != nil {
		return nil, err
	}
	defer releaseAll(&cols)
	for i := range rs {
		r := &rs[i]
		var out arrow.Array
		switch r.Func {
		case Median, Quantile:
			nc, _ := numeric(rec.Column(r.col), false)
			var vals []float64
			var valid []bool
			if nc.isFloat {
				vals, valid = quantiles(nc.f, g.ids, nc.v, g.ngroups, r.Q, r.Func == Median)
			} else {
				vals, valid = quantiles(nc.i, g.ids, nc.v, g.ngroups, r.Q, r.Func == Median)
			}
			out = float64Array(mem, vals, valid)
		case NUnique:
			n, err := nunique(rec.Column(r.col), r.Column, g)
			if err != nil {
				return nil, err
			}
			out = int64Array(mem, n, nil)
		default:
			out, err = update(rec, r, g).final(mem)
			if err != nil {
				return nil, err
			}
		}
		cols = append(cols, out)
	}
	return array.NewRecord(schema, cols, int64(g.ngroups)), nil
}

// keyColumns gathers each group's key values from its first row.
func keyColumns(rec arrow.Record, keys []string, g *grouping, mem memory.Allocator) ([]arrow.Array, error) {
	cols := make([]arrow.Array, 0, len(keys))
	for i, k := range keys {
		c, err := columnIndex(rec.Schema(), k)
		if err != nil {
			releaseAll(&cols)
			return nil, err
		}
		rows := g.rep
		// The null group's key is null even when its first row held NaN or
		// pointed at a null dictionary entry.
		if kc := g.keys[i]; kc.nullCode >= 0 || kc.dict != nil {
			rows = slices.Clone(rows)
			null := int32(kc.nullCode)
			if kc.dict != nil {
				null = int32(kc.dict.Len())
			}
			for j, r := range rows {
				if kc.codes[r] == null {
					rows[j] = -1
				}
			}
		}
		a, err := take(mem, rec.Column(c), rows)
		if err != nil {
			releaseAll(&cols)
			return nil, err
		}
		cols = append(cols, a)
	}
	return cols, nil
}

func releaseAll(cols *[]arrow.Array) {
	for _, c := range *cols {
		c.Release()
	}
	*cols = nil
}

// nunique counts each group's distinct non-null values: the column is coded
// like a key, then distinct (group, code) pairs are counted.
func nunique(arr arrow.Array, name string, g *grouping) ([]int64, error) {
	kc, err := encodeKey(arr, name, true)
	if err != nil {
		return nil, err
	}
	defer (&grouping{keys: []*keyCol{kc}}).release()
	pairs := uint64Pool.get(len(g.ids))
	defer uint64Pool.put(pairs)
	card := uint64(kc.card)
	for i, id := range g.ids {
		c := kc.codes[i]
		if id < 0 || c < 0 {
			pairs[i] = dropU64
			continue
		}
		pairs[i] = uint64(id)*card + uint64(c)
	}
	ids, _, rep := densify(pairs, uint64(g.ngroups)*card, dropU64)
	int32Pool.put(ids)
	defer int32Pool.put(rep)
	out := make([]int64, g.ngroups)
	for _, row := range rep {
		out[g.ids[row]]++
	}
	return out, nil
}

// Partial computes the per-partition state of decomposable aggregates:
// the key columns, then each Agg's state columns (see PartialSchema), one
// row per group in order of first appearance (opt.Sort is ignored here;
// Combine sorts). rec is borrowed; the result is the caller's to Release.
func Partial(rec arrow.Record, keys []string, aggs []Agg, opt Options, mem memory.Allocator) (arrow.Record, error) {
	schema, err := PartialSchema(rec.Schema(), keys, aggs)
	if err != nil {
		return nil, err
	}
	rs, _ := resolve(rec.Schema(), aggs)
	g, err := group(rec, keys, Options{Dropna: opt.Dropna})
	if err != nil {
		return nil, err
	}
	defer g.release()
	cols, err := keyColumns(rec, keys, g, mem)
	if err != nil {
		return nil, err
	}
	defer releaseAll(&cols)
	for i := range rs {
		sc, err := update(rec, &rs[i], g).partialCols(mem)
		if err != nil {
			return nil, err
		}
		cols = append(cols, sc...)
	}
	return array.NewRecord(schema, cols, int64(g.ngroups)), nil
}

// mergeStates groups partials (rows of Partial outputs, concatenated in
// partition order) by key and merges each Agg's states.
func mergeStates(partials arrow.Record, keys []string, aggs []Agg, opt Options) (*grouping, []*state, error) {
	nk := len(keys)
	for i, k := range keys {
		if i >= int(partials.NumCols()) || partials.ColumnName(i) != k {
			return nil, nil, fmt.Errorf("groupby: partials: column %d is not key %q", i, k)
		}
	}
	// The aggregates' input types are read back from the state columns.
	rs := make([]resolved, len(aggs))
	col := nk
	for i, a := range aggs {
		if !a.Func.decomposable() {
			return nil, nil, fmt.Errorf("%w: %s of column %q", ErrNotDecomposable, a.Func, a.Column)
		}
		rs[i] = resolved{Agg: a, col: -1, other: -1}
		if col < int(partials.NumCols()) {
			dt := partials.Schema().Field(col).Type
			rs[i].out, rs[i].in = dt, dt
			rs[i].intSum = dt.ID() != arrow.FLOAT64
		}
		n := len(rs[i].stateFields())
		if col+n > int(partials.NumCols()) {
			return nil, nil, fmt.Errorf("groupby: partials: too few state columns for %s as %q", a.Func, a.As)
		}
		col += n
	}
	if col != int(partials.NumCols()) {
		return nil, nil, fmt.Errorf("groupby: partials: %d columns, want %d", partials.NumCols(), col)
	}
	// Null keys in partials are real groups (Dropna already applied).
	g, err := group(partials, keys, Options{Dropna: opt.Dropna, Sort: opt.Sort})
	if err != nil {
		return nil, nil, err
	}
	states := make([]*state, len(aggs))
	col = nk
	for i := range rs {
		n := len(rs[i].stateFields())
		states[i] = mergeState(&rs[i], partials.Columns()[col:col+n], g)
		col += n
	}
	return g, states, nil
}

// MergePartial merges the states of equal keys in partials (rows of
// Partial outputs concatenated in partition order, dictionaries unified by
// the caller) into one Partial-shaped record, groups in order of first
// appearance. For tree reduction and after shuffling partials. partials is
// borrowed; the result is the caller's to Release.
func MergePartial(partials arrow.Record, keys []string, aggs []Agg, opt Options, mem memory.Allocator) (arrow.Record, error) {
	g, states, err := mergeStates(partials, keys, aggs, Options{Dropna: opt.Dropna})
	if err != nil {
		return nil, err
	}
	defer g.release()
	cols, err := keyColumns(partials, keys, g, mem)
	if err != nil {
		return nil, err
	}
	defer releaseAll(&cols)
	for _, s := range states {
		sc, err := s.partialCols(mem)
		if err != nil {
			return nil, err
		}
		cols = append(cols, sc...)
	}
	return array.NewRecord(partials.Schema(), cols, int64(g.ngroups)), nil
}

// Combine merges partials like MergePartial and finalizes: the result
// equals Aggregate over the original rows (floats to rounding), group
// order included. With no keys it returns one row even for no partials.
// partials is borrowed; the result is the caller's to Release.
func Combine(partials arrow.Record, keys []string, aggs []Agg, opt Options, mem memory.Allocator) (arrow.Record, error) {
	g, states, err := mergeStates(partials, keys, aggs, opt)
	if err != nil {
		return nil, err
	}
	defer g.release()
	cols, err := keyColumns(partials, keys, g, mem)
	if err != nil {
		return nil, err
	}
	defer releaseAll(&cols)
	fs := make([]arrow.Field, 0, len(keys)+len(aggs))
	for i := range keys {
		fs = append(fs, partials.Schema().Field(i))
	}
	for _, s := range states {
		out, err := s.final(mem)
		if err != nil {
			return nil, err
		}
		cols = append(cols, out)
		fs = append(fs, arrow.Field{Name: s.r.As, Type: out.DataType(), Nullable: true})
	}
	return array.NewRecord(arrow.NewSchema(fs, nil), cols, int64(g.ngroups)), nil
}
