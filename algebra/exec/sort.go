package exec

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/partition"
)

// samplePerPartition is how many key values each partition contributes to
// a sample sort's splitters.
const samplePerPartition = 256

// sort orders f by keys, stably. A limit (>= 0) makes it a top-k: each
// partition keeps its own top k, one kernel picks the k of those. Small
// frames sort in one kernel; large ones sample-sort: splitters from a
// sample of the first key, a range shuffle on it (equal first keys land
// together, so a local sort by all keys finishes the job), a sort per
// partition.
// views says f's blocks are views of an in-memory table (see viewsOfTable).
func (x *executor) sort(f partition.Frame, keys []order.Key, limit int64, views bool) (partition.Frame, error) {
	mem := x.mem
	sortAll := func(rec arrow.Record) (arrow.Record, error) { return takeSorted(rec, keys, limit, mem) }
	if limit >= 0 {
		top := partition.Map(x.ctx, x.e, f, kernel("topk", sortAll), f.Schema)
		return x.gather(top, "topk", f.Schema, sortAll), nil
	}
	rows, err := partition.Rows(x.ctx, x.e, f)
	if err != nil {
		return f, err
	}
	// Nulls go to the last range; a first key with nulls first sorts whole.
	if len(f.Blocks) <= 1 || rows <= x.cfg.SortRows || keys[0].NullsFirst {
		return x.gather(f, "sort", f.Schema, sortAll), nil
	}
	first := keys[0]
	sampleSchema := arrow.NewSchema([]arrow.Field{{Name: first.Column, Type: f.Schema.Field(f.Schema.FieldIndices(first.Column)[0]).Type, Nullable: true}}, nil)
	samples := partition.Map(x.ctx, x.e, f, kernel("sort.sample", func(rec arrow.Record) (arrow.Record, error) {
		s, err := order.Sample(rec, first.Column, samplePerPartition, mem)
		if err != nil {
			return nil, err
		}
		defer s.Release()
		schema := arrow.NewSchema([]arrow.Field{{Name: first.Column, Type: s.DataType(), Nullable: true}}, nil)
		return array.NewRecord(schema, []arrow.Array{s}, int64(s.Len())), nil
	}), sampleSchema)
	recs, err := x.e.Materialize(x.ctx, samples.Blocks)
	partition.Release(x.e, samples.Blocks...)
	if err != nil {
		return f, err
	}
	cols := make([]arrow.Array, len(recs))
	for i, r := range recs {
		cols[i] = r.Column(0)
	}
	all, err := array.Concatenate(cols, mem)
	for _, r := range recs {
		r.Release()
	}
	if err != nil {
		return f, err
	}
	splitters, err := order.Splitters(all, len(f.Blocks), first.Descending, mem)
	all.Release()
	if err != nil {
		return f, err
	}
	shuffle := partition.RangeShuffle
	if views {
		shuffle = partition.RangeShuffleDirect
	}
	ranged := shuffle(x.ctx, x.e, f, first.Column, splitters, first.Descending, mem)
	splitters.Release()
	x.consumed(f)
	sorted := partition.Map(x.ctx, x.e, ranged, kernel("sort", sortAll), f.Schema)
	x.consumed(ranged)
	return sorted, nil
}
