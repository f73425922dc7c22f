package exec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/partition"
)

// step is one stage of a fused map: a filter or a projection.
type step struct {
	isFilter bool
	filter   algebra.Expr   // set for a filter
	project  []algebra.Expr // set for a projection
	schema   *arrow.Schema  // the projection's output
}

// pipeline runs a chain of Projects and Filters (over a Scan, or over any
// other operator's output) as one kernel per partition.
func (x *executor) pipeline(n algebra.Node) (partition.Frame, error) {
	var steps []step
	for {
		switch m := n.(type) {
		case *algebra.Project:
			steps = append(steps, step{project: m.Exprs, schema: m.Schema()})
			n = m.Input
			continue
		case *algebra.Filter:
			steps = append(steps, step{isFilter: true, filter: m.Predicate})
			n = m.Input
			continue
		}
		break
	}
	// steps were collected top-down; they run bottom-up.
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	var in partition.Frame
	var limit int64 = -1
	if s, ok := n.(*algebra.Scan); ok {
		var err error
		in, err = x.scan(s)
		if err != nil {
			return in, err
		}
		steps = append(scanSteps(s), steps...)
		limit = s.Limit
	} else {
		var err error
		in, err = x.run(n)
		if err != nil {
			return in, err
		}
	}
	out := in
	if len(steps) > 0 {
		schema := in.Schema
		for _, s := range steps {
			if !s.isFilter {
				schema = s.schema
			}
		}
		out = partition.Map(x.ctx, x.e, in, x.mapKernel(steps), schema)
	}
	if limit >= 0 {
		return x.limit(out, limit, false)
	}
	return out, nil
}

// scanSteps turns a Scan's own predicate and columns into steps: first
// narrow to the columns read (zero-copy), filter, then drop the columns
// only the predicate needed, so the filter copies as little as possible.
func scanSteps(s *algebra.Scan) []step {
	src := s.Full()
	var steps []step
	read := scanReads(s, src)
	if read != nil {
		steps = append(steps, columnsStep(src, read))
	}
	if !s.Predicate.IsZero() {
		steps = append(steps, step{isFilter: true, filter: s.Predicate})
	}
	if read != nil && !slices.Equal(read, s.Columns) {
		steps = append(steps, columnsStep(src, s.Columns))
	}
	return steps
}

// scanReads lists the columns of schema a scan reads, in schema order: its
// projection and the columns its predicate needs; nil when it reads all.
func scanReads(s *algebra.Scan, schema *arrow.Schema) []string {
	if s.Columns == nil {
		return nil
	}
	pred := s.Predicate.Columns()
	read := []string{}
	for _, f := range schema.Fields() {
		if slices.Contains(s.Columns, f.Name) || slices.Contains(pred, f.Name) {
			read = append(read, f.Name)
		}
	}
	return read
}

func columnsStep(src *arrow.Schema, cols []string) step {
	exprs := make([]algebra.Expr, len(cols))
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		exprs[i] = algebra.Col(c)
		fields[i] = src.Field(src.FieldIndices(c)[0])
	}
	return step{project: exprs, schema: arrow.NewSchema(fields, nil)}
}

func (x *executor) mapKernel(steps []step) partition.Kernel {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = "project"
		if s.isFilter {
			names[i] = "filter"
		}
	}
	mem := x.mem
	return kernel("map("+strings.Join(names, ",")+")", func(rec arrow.Record) (arrow.Record, error) {
		return runSteps(rec, steps, mem)
	})
}

// runSteps applies steps to rec (borrowed) and returns a record the caller
// owns.
func runSteps(rec arrow.Record, steps []step, mem memory.Allocator) (arrow.Record, error) {
	rec.Retain()
	for _, s := range steps {
		next, err := s.apply(rec, mem)
		rec.Release()
		if err != nil {
			return nil, err
		}
		rec = next
	}
	return rec, nil
}

func (s step) apply(rec arrow.Record, mem memory.Allocator) (arrow.Record, error) {
	if s.isFilter {
		mask, err := s.filter.Eval(rec, mem)
		if err != nil {
			return nil, err
		}
		defer mask.Release()
		b, ok := mask.(*array.Boolean)
		if !ok {
			return nil, fmt.Errorf("exec: filter %s gave %s, want bool", s.filter, mask.DataType())
		}
		return vec.Filter(rec, b, mem)
	}
	cols := make([]arrow.Array, len(s.project))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, e := range s.project {
		c, err := e.Eval(rec, mem)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return array.NewRecord(s.schema, cols, rec.NumRows()), nil
}

// scan puts a source's records on the engine as partitions.
func (x *executor) scan(s *algebra.Scan) (partition.Frame, error) {
	t, ok := s.Source.(*algebra.Table)
	if !ok {
		r, ok := s.Source.(algebra.Reader)
		if !ok {
			return partition.Frame{}, fmt.Errorf("exec: cannot scan source %s (%T)", s.Source.Name(), s.Source)
		}
		var err error
		if t, err = x.read(r, s); err != nil {
			return partition.Frame{}, err
		}
	}
	f := partition.Frame{Schema: t.Schema()}
	// A very wide table is split by columns too, and only the column groups
	// the scan reads become partitions (see partition.Grid).
	wide := len(x.cfg.Sizing.ColumnGroups(t.Schema().NumFields())) > 1
	read := scanReads(s, t.Schema())
	// A table already cut into at least as many records as the sizing
	// wants partitions (a parallel reader's output) keeps one partition per
	// record; cutting each again multiplied the partitions past the cap
	// (16 CSV ranges became 32 partitions on 2 cores).
	sizing := x.cfg.Sizing
	if len(t.Records) > 1 {
		var total int64
		for _, rec := range t.Records {
			total += partition.MetaOf(rec).Bytes
		}
		if len(t.Records) >= sizing.Count(total) {
			sizing.TargetBytes = 1 << 62 // one partition per record
		}
	}
	for _, rec := range t.Records {
		var part partition.Frame
		var err error
		if wide {
			var g partition.Grid
			if g, err = partition.GridFromRecord(x.ctx, x.e, rec, sizing); err == nil {
				part, err = g.Select(x.ctx, x.e, read)
			}
		} else {
			part, err = partition.FromRecord(x.ctx, x.e, rec, sizing)
		}
		if err != nil {
			partition.Release(x.e, f.Blocks...)
			return partition.Frame{}, err
		}
		f.Schema = part.Schema
		f.Blocks = append(f.Blocks, part.Blocks...)
	}
	if len(f.Blocks) == 0 {
		b, err := x.e.Put(x.ctx, emptyRecord(f.Schema, x.mem))
		if err != nil {
			return f, err
		}
		f.Blocks = []partition.Block{b}
	}
	if s.RowNumber != "" && (s.Columns == nil || slices.Contains(s.Columns, s.RowNumber) || slices.Contains(s.Predicate.Columns(), s.RowNumber)) {
		return x.rowNumber(f, s.RowNumber)
	}
	return f, nil
}

func emptyRecord(schema *arrow.Schema, mem memory.Allocator) arrow.Record {
	cols := make([]arrow.Array, schema.NumFields())
	for i, f := range schema.Fields() {
		b := array.NewBuilder(mem, f.Type)
		cols[i] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecord(schema, cols, 0)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// read reads a file source's records with the scan's pushed columns and
// predicate, as an in-memory table for the rest of the scan. The table
// takes the records' references.
func (x *executor) read(r algebra.Reader, s *algebra.Scan) (*algebra.Table, error) {
	cols := scanReads(s, r.Schema())
	recs, err := r.Read(x.ctx, cols, s.Predicate)
	if err != nil {
		return nil, fmt.Errorf("exec: scan %s: %w", r.Name(), err)
	}
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	schema := r.Schema()
	if cols != nil {
		fields := make([]arrow.Field, 0, len(cols))
		for _, c := range cols {
			fields = append(fields, schema.Field(schema.FieldIndices(c)[0]))
		}
		schema = arrow.NewSchema(fields, nil)
	}
	// Take the wanted columns by name, in the plan's order and types: a
	// reader may return more (an empty projection can mean "all" to it) or
	// mark nullability differently.
	for i, rec := range recs {
		if rec.Schema().Equal(schema) {
			continue
		}
		cols := make([]arrow.Array, schema.NumFields())
		for j, f := range schema.Fields() {
			idx := rec.Schema().FieldIndices(f.Name)
			if len(idx) == 0 || !arrow.TypeEqual(rec.Column(idx[0]).DataType(), f.Type) {
				return nil, fmt.Errorf("exec: scan %s: the reader returned %s, want column %s %s", r.Name(), rec.Schema(), f.Name, f.Type)
			}
			cols[j] = rec.Column(idx[0])
		}
		recs[i] = array.NewRecord(schema, cols, rec.NumRows())
		rec.Release()
	}
	return algebra.NewTable(schema, recs...)
}

// limit keeps f's first n rows (or last n with tail), waiting only for the
// Metas it needs.
func (x *executor) limit(f partition.Frame, n int64, tail bool) (partition.Frame, error) {
	out := partition.Frame{Schema: f.Schema}
	if n < 0 {
		// All but -n rows: the opposite end's limit of total+n rows.
		total, err := partition.Rows(x.ctx, x.e, f)
		if err != nil {
			return out, err
		}
		n = max(total+n, 0)
	}
	blocks := f.Blocks
	if tail {
		blocks = make([]partition.Block, len(f.Blocks))
		for i, b := range f.Blocks {
			blocks[len(blocks)-1-i] = b
		}
	}
	left := max(n, 0)
	for _, b := range blocks {
		if left == 0 {
			break
		}
		m, err := b.Meta(x.ctx)
		if err != nil {
			return out, err
		}
		if m.Rows <= left {
			out.Blocks = append(out.Blocks, b)
			left -= m.Rows
			continue
		}
		lo, hi := int64(0), left
		if tail {
			lo, hi = m.Rows-left, m.Rows
		}
		slice := kernel("slice", func(rec arrow.Record) (arrow.Record, error) {
			return rec.NewSlice(lo, hi), nil
		})
		out.Blocks = append(out.Blocks, x.e.Deploy(x.ctx, slice, []partition.Block{b}, 1)...)
		left = 0
	}
	if tail {
		for i, j := 0, len(out.Blocks)-1; i < j; i, j = i+1, j-1 {
			out.Blocks[i], out.Blocks[j] = out.Blocks[j], out.Blocks[i]
		}
	}
	if len(out.Blocks) == 0 && len(f.Blocks) > 0 {
		none := kernel("slice", func(rec arrow.Record) (arrow.Record, error) { return rec.NewSlice(0, 0), nil })
		out.Blocks = x.e.Deploy(x.ctx, none, f.Blocks[:1], 1)
	}
	return out, nil
}

// take keeps the rows at positions (negative: from the end), in order.
func (x *executor) take(f partition.Frame, positions []int64) (partition.Frame, error) {
	ms, err := x.metas(f)
	if err != nil {
		return f, err
	}
	var total int64
	for _, m := range ms {
		total += m.Rows
	}
	idx := make([]int64, len(positions))
	for i, p := range positions {
		q := p
		if q < 0 {
			q += total
		}
		if q < 0 || q >= total {
			return partition.Frame{}, fmt.Errorf("%w: position %d is out of bounds for %d rows", algebra.ErrArgument, p, total)
		}
		idx[i] = q
	}
	mem := x.mem
	return x.gather(f, "take", f.Schema, func(rec arrow.Record) (arrow.Record, error) {
		return vec.Take(rec, idx, mem)
	}), nil
}

// rowNumber appends column name with each row's position in f.
func (x *executor) rowNumber(f partition.Frame, name string) (partition.Frame, error) {
	ms, err := x.metas(f)
	if err != nil {
		return f, err
	}
	fields := append(append([]arrow.Field(nil), f.Schema.Fields()...), arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int64})
	schema := arrow.NewSchema(fields, nil)
	out := partition.Frame{Schema: schema}
	var off int64
	mem := x.mem
	for i, b := range f.Blocks {
		start := off
		k := kernel("row_number", func(rec arrow.Record) (arrow.Record, error) {
			return appendRowNumbers(rec, schema, start, mem), nil
		})
		out.Blocks = append(out.Blocks, x.e.Deploy(x.ctx, k, []partition.Block{b}, 1)...)
		off += ms[i].Rows
	}
	return out, nil
}

func appendRowNumbers(rec arrow.Record, schema *arrow.Schema, start int64, mem memory.Allocator) arrow.Record {
	n := int(rec.NumRows())
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n * 8)
	vals := arrow.Int64Traits.CastFromBytes(buf.Bytes())
	for i := range vals {
		vals[i] = start + int64(i)
	}
	data := array.NewData(arrow.PrimitiveTypes.Int64, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
	buf.Release()
	col := array.NewInt64Data(data)
	data.Release()
	cols := append(append([]arrow.Array(nil), rec.Columns()...), col)
	out := array.NewRecord(schema, cols, int64(n))
	col.Release()
	return out
}

// restoreOrder sorts f by its row-number column col (values 0..total-1,
// so even splitters need no sample) and drops the column: a range shuffle,
// then a sort per partition.
func (x *executor) restoreOrder(f partition.Frame, col string, total int64) partition.Frame {
	out := schemaWithout(f.Schema, col)
	mem := x.mem
	sortDrop := func(rec arrow.Record) (arrow.Record, error) {
		sorted, err := takeSorted(rec, []order.Key{{Column: col}}, -1, mem)
		if err != nil {
			return nil, err
		}
		defer sorted.Release()
		return dropColumn(sorted, col), nil
	}
	p := len(f.Blocks)
	if p <= 1 || total < 2 {
		return x.gather(f, "restore_order", out, sortDrop)
	}
	b := array.NewInt64Builder(mem)
	for i := 1; i < p; i++ {
		b.Append(total * int64(i) / int64(p))
	}
	splitters := b.NewArray()
	b.Release()
	shuffled := partition.RangeShuffle(x.ctx, x.e, f, col, splitters, false, mem)
	x.consumed(f)
	splitters.Release()
	restored := partition.Map(x.ctx, x.e, shuffled, kernel("restore_order", sortDrop), out)
	x.consumed(shuffled)
	return restored
}
