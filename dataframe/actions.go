package dataframe

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/exec"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/dataframe/internal/format"
	"github.com/shoaldata/shoal/partition"
)

// Collect runs the frame's plan and returns a frame holding the result in
// memory (Modin's and Polars' collect): later operations start from it
// instead of recomputing.
func (df *DataFrame) Collect(ctx context.Context) (*DataFrame, error) {
	if df == nil {
		return nil, errNoFrame
	}
	if df.err != nil {
		return nil, df.err
	}
	// The result's partitions become the table's records as they are.
	schema, recs, err := exec.CollectRecords(ctx, df.plan, df.sess.cfg)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	t, err := algebra.NewTable(schema, recs...)
	if err != nil {
		return nil, err
	}
	return &DataFrame{sess: df.sess, plan: algebra.NewScan(t), indexNames: df.indexNames}, nil
}

// ToArrow runs the plan and returns the frame's columns (not its index)
// as one record the caller must release. A frame that is one unfiltered
// in-memory record comes back without a copy.
func (df *DataFrame) ToArrow(ctx context.Context) (arrow.Record, error) {
	p, err := df.dropIndex()
	if err != nil {
		return nil, err
	}
	return df.run(ctx, p)
}

// Shape returns the number of rows and of columns.
func (df *DataFrame) Shape(ctx context.Context) (rows int64, columns int, err error) {
	rows, err = df.Len(ctx)
	return rows, len(df.Columns()), err
}

// Len returns the number of rows, computing only what that needs.
func (df *DataFrame) Len(ctx context.Context) (int64, error) {
	if df.err != nil {
		return 0, df.err
	}
	plan, err := algebra.NewProject(df.plan, nil)
	if err != nil {
		return 0, err
	}
	f, err := exec.Run(ctx, plan, df.sess.cfg)
	if err != nil {
		return 0, err
	}
	defer partition.Release(df.sess.cfg.Engine, f.Blocks...)
	return partition.Rows(ctx, df.sess.cfg.Engine, f)
}

// Dtypes returns each column's dtype by pandas' name (int64, float64,
// object for strings, category, datetime64[ns], ...).
func (df *DataFrame) Dtypes() []string {
	var out []string
	for _, f := range df.Schema().Fields() {
		out = append(out, format.Dtype(f.Type))
	}
	return out
}

// String prints the frame as pandas does, running it if needed; a frame
// that fails prints its error. Use Format to get the error as an error.
func (df *DataFrame) String() string {
	s, err := df.Format(context.Background())
	if err != nil {
		return "error: " + err.Error()
	}
	return s
}

// Format returns the frame printed as pandas prints it (head and tail of
// a long frame, with its shape).
func (df *DataFrame) Format(ctx context.Context) (string, error) {
	t, err := df.table(ctx, format.DefaultOptions())
	if err != nil {
		return "", err
	}
	return format.Frame(t, format.DefaultOptions()), nil
}

// table runs the frame and cuts the rows a repr shows.
func (df *DataFrame) table(ctx context.Context, opt format.Options) (format.Table, error) {
	rec, err := df.run(ctx, df.plan)
	if err != nil {
		return format.Table{}, err
	}
	defer rec.Release()
	head, tail := format.Rows(rec.NumRows(), opt)
	t := format.Table{Columns: df.Columns(), TotalRows: rec.NumRows()}
	if df.hasLabels() {
		t.Index = &format.Index{Names: df.indexNames}
	}
	s := rec.Schema()
	for i, f := range s.Fields() {
		h := array.NewSlice(rec.Column(i), 0, head)
		var tl arrow.Array
		if tail > 0 {
			tl = array.NewSlice(rec.Column(i), rec.NumRows()-tail, rec.NumRows())
		}
		if isIndexColumn(f.Name) {
			t.Index.Head = append(t.Index.Head, h)
			if tl != nil {
				t.Index.Tail = append(t.Index.Tail, tl)
			}
			continue
		}
		t.Head = append(t.Head, h)
		if tl != nil {
			t.Tail = append(t.Tail, tl)
		}
	}
	if t.Index != nil {
		t.Index.Head, t.Index.Tail = sortLevels(s, t.Index.Head), sortLevels(s, t.Index.Tail)
	}
	return t, nil
}

// sortLevels orders index arrays by level: hidden index columns may sit
// anywhere in the schema.
func sortLevels(s *arrow.Schema, arrs []arrow.Array) []arrow.Array {
	if arrs == nil {
		return nil
	}
	var levels []int
	for _, f := range s.Fields() {
		if isIndexColumn(f.Name) {
			var l int
			fmt.Sscanf(f.Name, "__index_level_%d__", &l)
			levels = append(levels, l)
		}
	}
	out := make([]arrow.Array, len(arrs))
	for i, l := range levels {
		out[l] = arrs[i]
	}
	return out
}

// Info returns pandas' DataFrame.info() text.
func (df *DataFrame) Info(ctx context.Context) (string, error) {
	rec, err := df.run(ctx, df.plan)
	if err != nil {
		return "", err
	}
	defer rec.Release()
	var cols []format.ColumnInfo
	var bytes int64
	var ends []arrow.Array
	for i, f := range rec.Schema().Fields() {
		c := rec.Column(i)
		one := array.NewRecord(arrow.NewSchema([]arrow.Field{f}, nil), []arrow.Array{c}, int64(c.Len()))
		bytes += partition.MetaOf(one).Bytes
		one.Release()
		if isIndexColumn(f.Name) {
			n := int64(c.Len())
			if n > 0 {
				first, last := array.NewSlice(c, 0, 1), array.NewSlice(c, n-1, n)
				both, err := array.Concatenate([]arrow.Array{first, last}, df.sess.cfg.Mem)
				first.Release()
				last.Release()
				if err != nil {
					return "", err
				}
				if n == 1 {
					both = array.NewSlice(both, 0, 1)
				}
				ends = append(ends, both)
			}
			continue
		}
		cols = append(cols, format.ColumnInfo{Name: f.Name, NonNull: int64(c.Len() - nulls(c)), Type: f.Type})
	}
	var idx *format.IndexInfo
	if df.hasLabels() {
		idx = &format.IndexInfo{Ends: ends}
	}
	return format.Info(cols, rec.NumRows(), idx, bytes), nil
}

// nulls counts c's nulls, NaN included (pandas' notna).
func nulls(c arrow.Array) int {
	n := c.NullN()
	switch a := c.(type) {
	case *array.Float64:
		for i, v := range a.Float64Values() {
			if v != v && a.IsValid(i) {
				n++
			}
		}
	case *array.Float32:
		for i, v := range a.Float32Values() {
			if v != v && a.IsValid(i) {
				n++
			}
		}
	}
	return n
}

// Describe summarizes the numeric columns as pandas' describe(): count,
// mean, std, min, 25%, 50%, 75% and max, as float64 rows indexed by
// those names.
func (df *DataFrame) Describe(ctx context.Context) (*DataFrame, error) {
	if df.err != nil {
		return nil, df.err
	}
	var numeric []string
	for _, f := range df.Schema().Fields() {
		switch f.Type.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64, arrow.FLOAT32, arrow.FLOAT64:
			numeric = append(numeric, f.Name)
		}
	}
	if len(numeric) == 0 {
		return nil, fmt.Errorf("%w: Describe: no numeric columns", ErrType)
	}
	stats := []struct {
		label string
		f     groupby.Func
		q     float64
	}{{"count", groupby.Count, 0}, {"mean", groupby.Mean, 0}, {"std", groupby.Std, 0}, {"min", groupby.Min, 0},
		{"25%", groupby.Quantile, 0.25}, {"50%", groupby.Quantile, 0.5}, {"75%", groupby.Quantile, 0.75}, {"max", groupby.Max, 0}}
	var aggs []groupby.Agg
	for _, c := range numeric {
		for _, s := range stats {
			aggs = append(aggs, groupby.Agg{Func: s.f, Column: c, Q: s.q, DDof: 1, As: c + "\x00" + s.label})
		}
	}
	in, err := df.dropIndex()
	if err != nil {
		return nil, err
	}
	agg, err := algebra.NewAggregate(in, nil, aggs, groupby.Options{})
	if err != nil {
		return nil, err
	}
	// Cast every statistic to float64, as pandas reports them.
	exprs := make([]Expr, len(aggs))
	for i, a := range aggs {
		exprs[i] = algebra.Col(a.As).Cast(arrow.PrimitiveTypes.Float64).Alias(a.As)
	}
	proj, err := algebra.NewProject(agg, exprs)
	if err != nil {
		return nil, err
	}
	rec, err := df.run(ctx, proj)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	labels := make([]string, len(stats))
	for i, s := range stats {
		labels[i] = s.label
	}
	columns := []Column{NewColumn(indexColumn(0), labels)}
	for ci, c := range numeric {
		vals := make([]float64, len(stats))
		valid := make([]bool, len(stats))
		for si := range stats {
			col := rec.Column(ci*len(stats) + si).(*array.Float64)
			valid[si] = col.IsValid(0)
			vals[si] = col.Value(0)
		}
		columns = append(columns, NewNullableColumn(c, vals, valid))
	}
	out := df.sess.FromColumns(columns...)
	out.indexNames = []string{""}
	return out, out.err
}

// ToRecords runs the plan and returns its rows as Go values (int64,
// float64, string, bool, time.Time; nil for null), index excluded.
func (df *DataFrame) ToRecords(ctx context.Context) ([][]any, error) {
	var out [][]any
	for row, err := range df.Rows(ctx) {
		if err != nil {
			return nil, err
		}
		out = append(out, row.Values())
	}
	return out, nil
}

// Row is one row of a frame during iteration; it is valid until the
// iteration moves on.
type Row struct {
	rec arrow.Record
	i   int
}

// Index is the row's position in the frame.
func (r Row) Index() int { return r.i }

// Value returns column c of the row as a Go value (nil for null).
func (r Row) Value(c int) any { return value(r.rec.Column(c), r.i) }

// Values returns every column of the row.
func (r Row) Values() []any {
	out := make([]any, r.rec.NumCols())
	for c := range out {
		out[c] = r.Value(c)
	}
	return out
}

// Rows runs the plan and yields its rows in order, stopping at the first
// error (yielded with a zero Row).
func (df *DataFrame) Rows(ctx context.Context) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		rec, err := df.ToArrow(ctx)
		if err != nil {
			yield(Row{}, err)
			return
		}
		defer rec.Release()
		for i := range int(rec.NumRows()) {
			if !yield(Row{rec: rec, i: i}, nil) {
				return
			}
		}
	}
}

// value reads row i of a as a Go value.
func value(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Int32:
		return a.Value(i)
	case *array.Int16:
		return a.Value(i)
	case *array.Int8:
		return a.Value(i)
	case *array.Uint64:
		return a.Value(i)
	case *array.Uint32:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Float32:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Dictionary:
		return value(a.Dictionary(), a.GetValueIndex(i))
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit)
	case *array.Date32:
		return a.Value(i).ToTime()
	case *array.Date64:
		return a.Value(i).ToTime()
	case *array.Duration:
		unit := a.DataType().(*arrow.DurationType).Unit
		return time.Duration(int64(a.Value(i)) * int64(unit.Multiplier()))
	}
	return a.ValueStr(i)
}

// Transpose swaps rows and columns (pandas df.T) of a frame small enough to
// collect: the columns become the index, the row labels (as text) the
// column names. The columns must share one kind: numbers (the result is
// float64 if any column is float, else int64), booleans, or text (strings
// and categories); pandas would make a mixed frame's columns "object",
// which Arrow has no type for, so Shoal refuses it naming the columns.
func (df *DataFrame) Transpose(ctx context.Context) (*DataFrame, error) {
	if df.err != nil {
		return nil, df.err
	}
	t, err := df.table(ctx, format.Options{})
	if err != nil {
		return nil, err
	}
	var target arrow.DataType
	kind := func(dt arrow.DataType) string {
		switch dt.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
			return "int"
		case arrow.FLOAT32, arrow.FLOAT64:
			return "float"
		case arrow.BOOL:
			return "bool"
		case arrow.STRING, arrow.LARGE_STRING, arrow.DICTIONARY:
			return "text"
		}
		return dt.String()
	}
	kinds := map[string][]string{}
	for i, c := range t.Columns {
		k := kind(t.Head[i].DataType())
		kinds[k] = append(kinds[k], c)
	}
	switch {
	case len(kinds) == 0:
		return df.sess.FromColumns(), nil
	case len(kinds) == 1 && kinds["int"] != nil:
		target = arrow.PrimitiveTypes.Int64
	case len(kinds) == 1 && kinds["bool"] != nil:
		target = arrow.FixedWidthTypes.Boolean
	case len(kinds) == 1 && kinds["text"] != nil:
		target = arrow.BinaryTypes.String
	case len(kinds) <= 2 && kinds["float"] != nil && len(kinds["int"])+len(kinds["float"]) == len(t.Columns):
		target = arrow.PrimitiveTypes.Float64
	default:
		return nil, fmt.Errorf("%w: Transpose needs columns of one kind; got %v", ErrType, kinds)
	}
	n := int(t.TotalRows)
	// Row labels become column names.
	names := make([]string, n)
	for i := range n {
		if t.Index == nil {
			names[i] = fmt.Sprint(i)
			continue
		}
		var parts []string
		for _, lvl := range t.Index.Head {
			parts = append(parts, fmt.Sprint(value(lvl, i)))
		}
		names[i] = strings.Join(parts, ", ")
	}
	mem := df.sess.cfg.Mem
	cast := make([]arrow.Array, len(t.Columns))
	defer func() {
		for _, c := range cast {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range t.Head {
		out, err := vec.Cast(c, target, mem)
		if err != nil {
			return nil, fmt.Errorf("Transpose: column %q: %w", t.Columns[i], err)
		}
		cast[i] = out
	}
	cols := []Column{NewColumn(indexColumn(0), t.Columns)}
	for r := range n {
		b := array.NewBuilder(mem, target)
		for _, c := range cast {
			if c.IsNull(r) {
				b.AppendNull()
				continue
			}
			switch b := b.(type) {
			case *array.Int64Builder:
				b.Append(c.(*array.Int64).Value(r))
			case *array.Float64Builder:
				b.Append(c.(*array.Float64).Value(r))
			case *array.BooleanBuilder:
				b.Append(c.(*array.Boolean).Value(r))
			case *array.StringBuilder:
				b.Append(c.(*array.String).Value(r))
			}
		}
		a := b.NewArray()
		b.Release()
		defer a.Release() // ArrowColumn retains it when the frame is built
		cols = append(cols, ArrowColumn(names[r], a))
	}
	out := df.sess.FromColumns(cols...)
	out.indexNames = []string{""}
	return out, out.err
}
