package dataframe

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/dataframe/internal/format"
)

// Series is one column of a frame with the frame's index (pandas
// df["a"]). Like a DataFrame it is lazy and immutable.
type Series struct {
	df   *DataFrame // one column, named name
	name string
}

// Series returns column name as a Series.
func (df *DataFrame) Series(name string) *Series {
	return &Series{df: df.Select(name), name: name}
}

// Name is the series' name.
func (s *Series) Name() string { return s.name }

// Frame returns the series as a one-column frame.
func (s *Series) Frame() *DataFrame { return s.df }

// Err returns the error that made the series invalid, or nil.
func (s *Series) Err() error { return s.df.err }

// reduce computes one aggregate over the whole column.
func (s *Series) reduce(ctx context.Context, f groupby.Func, q float64) (arrow.Array, error) {
	if s.df.err != nil {
		return nil, s.df.err
	}
	in, err := s.df.dropIndex()
	if err != nil {
		return nil, err
	}
	agg, err := algebra.NewAggregate(in, nil, []groupby.Agg{{Func: f, Column: s.name, Q: q, DDof: 1, As: "result"}}, groupby.Options{})
	if err != nil {
		return nil, err
	}
	rec, err := s.df.run(ctx, agg)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	col := rec.Column(0)
	col.Retain()
	return col, nil
}

// float reduces to a float64; ok is false for a null result (an empty or
// all-null column).
func (s *Series) float(ctx context.Context, f groupby.Func, q float64) (float64, bool, error) {
	a, err := s.reduce(ctx, f, q)
	if err != nil {
		return 0, false, err
	}
	defer a.Release()
	if a.Len() == 0 || a.IsNull(0) {
		return 0, false, nil
	}
	switch v := value(a, 0).(type) {
	case float64:
		return v, true, nil
	case float32:
		return float64(v), true, nil
	case int64:
		return float64(v), true, nil
	case int32:
		return float64(v), true, nil
	case bool:
		if v {
			return 1, true, nil
		}
		return 0, true, nil
	}
	return 0, false, fmt.Errorf("%w: %s of column %q is %s, not a number", ErrType, f, s.name, a.DataType())
}

// Sum, Mean, Std, Var, Median, Min, Max and Quantile reduce the column to
// a float64 (pandas' values, nulls skipped); ok is false when the result
// is null (NaN in pandas).
func (s *Series) Sum(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Sum, 0)
}
func (s *Series) Mean(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Mean, 0)
}
func (s *Series) Std(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Std, 0)
}
func (s *Series) Var(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Var, 0)
}
func (s *Series) Median(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Median, 0)
}
func (s *Series) Min(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Min, 0)
}
func (s *Series) Max(ctx context.Context) (float64, bool, error) {
	return s.float(ctx, groupby.Max, 0)
}
func (s *Series) Quantile(ctx context.Context, q float64) (float64, bool, error) {
	return s.float(ctx, groupby.Quantile, q)
}

// Count is the number of non-null values.
func (s *Series) Count(ctx context.Context) (int64, error) {
	v, _, err := s.float(ctx, groupby.Count, 0)
	return int64(v), err
}

// ValueCountsOptions are pandas value_counts' arguments; the zero value
// is pandas' default (sorted by count, descending, nulls dropped).
type ValueCountsOptions struct {
	Unsorted  bool // sort=False: order of first appearance
	Ascending bool // ascending counts
	KeepNull  bool // dropna=False: count nulls as a value
	Normalize bool // proportions instead of counts
}

// NUnique is the number of distinct values; null counts as one more
// when dropna is false (pandas nunique(dropna=)).
func (s *Series) NUnique(ctx context.Context, dropna bool) (int64, error) {
	in, err := s.df.dropIndex()
	if err != nil {
		return 0, err
	}
	agg, err := algebra.NewAggregate(in, nil, []groupby.Agg{
		{Func: groupby.NUnique, Column: s.name, As: "nunique"},
		{Func: groupby.Count, Column: s.name, As: "count"},
		{Func: groupby.Size, As: "size"},
	}, groupby.Options{})
	if err != nil {
		return 0, err
	}
	rec, err := s.df.run(ctx, agg)
	if err != nil {
		return 0, err
	}
	defer rec.Release()
	n := rec.Column(0).(*array.Int64).Value(0)
	if !dropna && rec.Column(1).(*array.Int64).Value(0) < rec.Column(2).(*array.Int64).Value(0) {
		n++
	}
	return n, nil
}

// Reduce computes one aggregate over the whole column, pandas' Series.sum,
// mean, ... with their result types, as a one-row array the caller must
// release (null for, say, the mean of nothing).
func (s *Series) Reduce(ctx context.Context, agg Agg) (arrow.Array, error) {
	return s.reduce(ctx, agg.a.Func, agg.a.Q)
}

// Unique returns the distinct values in order of first appearance (null
// included once, as pandas), as an array the caller must release.
func (s *Series) Unique(ctx context.Context) (arrow.Array, error) {
	rec, err := s.df.DropDuplicates(KeepFirst, s.name).ToArrow(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	col := rec.Column(0)
	col.Retain()
	return col, nil
}

// ValueCounts counts each distinct value, most frequent first (ties in
// order of first appearance): a frame indexed by the values (an unnamed
// index) with one column named after the series, holding the counts
// (int64) or, with Normalize, the proportions (float64), as pandas 1.5's
// value_counts(). It runs at once: counts are small.
func (s *Series) ValueCounts(ctx context.Context, opt ValueCountsOptions) (*DataFrame, error) {
	if s.df.err != nil {
		return nil, s.df.err
	}
	const count = "__shoal_count"
	counts := s.df.GroupBy(s.name).Sort(false).Dropna(!opt.KeepNull).AsIndex(false).Agg(Size().As(count))
	if !opt.Unsorted {
		key := Desc(count)
		if opt.Ascending {
			key = Asc(count)
		}
		counts = counts.SortValues(key).ResetIndex(true)
	}
	value := Col(count)
	if opt.Normalize {
		total, _, err := counts.Series(count).Sum(ctx)
		if err != nil {
			return nil, err
		}
		value = value.Cast(arrow.PrimitiveTypes.Float64).Div(total)
	}
	out := counts.project([]Expr{Col(s.name).Alias(indexColumn(0)), value.Alias(s.name)})
	out.indexNames = []string{""}
	return out.Collect(ctx)
}

// IsIn is true where the value is one of values (a boolean Series).
func (s *Series) IsIn(values ...any) *Series {
	return &Series{df: s.df.project([]Expr{algebra.Col(s.name).IsIn(values...).Alias(s.name)}), name: s.name}
}

// ToArrow returns the column's values as an array the caller must release.
func (s *Series) ToArrow(ctx context.Context) (arrow.Array, error) {
	rec, err := s.df.ToArrow(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	col := rec.Column(0)
	col.Retain()
	return col, nil
}

// String prints the series as pandas does.
func (s *Series) String() string {
	out, err := s.Format(context.Background())
	if err != nil {
		return "error: " + err.Error()
	}
	return out
}

// Format returns the series printed as pandas prints it.
func (s *Series) Format(ctx context.Context) (string, error) {
	t, err := s.df.table(ctx, format.DefaultOptions())
	if err != nil {
		return "", err
	}
	return format.Series(s.name, t, format.DefaultOptions()), nil
}

// labelFrame builds a one-column frame of labels of type dt, as the index
// column, for Loc.
func labelFrame(sess *Session, dt arrow.DataType, labels []any) (*DataFrame, error) {
	parts := make([]arrow.Array, 0, len(labels))
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	mem := sess.cfg.Mem
	target := dt
	if d, ok := dt.(*arrow.DictionaryType); ok {
		target = d.ValueType
	}
	for _, l := range labels {
		e := algebra.Lit(l)
		empty := array.NewRecord(arrow.NewSchema(nil, nil), nil, 1)
		a, err := e.Eval(empty, mem)
		empty.Release()
		if err != nil {
			return nil, fmt.Errorf("Loc: label %v: %w", l, err)
		}
		if !arrow.TypeEqual(a.DataType(), target) {
			c, err := vec.Cast(a, target, mem)
			a.Release()
			if err != nil {
				return nil, fmt.Errorf("%w: Loc: label %v for an index of %s: %w", ErrType, l, dt, err)
			}
			a = c
		}
		parts = append(parts, a)
	}
	var col arrow.Array
	if len(parts) == 0 {
		b := array.NewBuilder(mem, target)
		col = b.NewArray()
		b.Release()
	} else {
		var err error
		if col, err = array.Concatenate(parts, mem); err != nil {
			return nil, err
		}
	}
	defer col.Release()
	f := sess.FromColumns(ArrowColumn(indexColumn(0), col))
	return f, f.err
}
