package dataframe

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	shoal "github.com/shoaldata/shoal/dataframe"
)

// ToShoal returns the frame as a frame of Shoal's native API
// (github.com/shoaldata/shoal/dataframe), sharing its columns: the way to
// move a program on from gota's API a step at a time. The column names must
// be distinct (gota's Rename and SetNames can repeat one).
func (df DataFrame) ToShoal() (*shoal.DataFrame, error) {
	if df.Err != nil {
		return nil, df.Err
	}
	seen := make(map[string]bool, len(df.columns))
	fields := make([]arrow.Field, len(df.columns))
	arrs := make([]arrow.Array, len(df.columns))
	for i, c := range df.columns {
		if seen[c.name] {
			return nil, fmt.Errorf("to shoal: column name %q appears twice", c.name)
		}
		seen[c.name] = true
		arrs[i] = c.array()
		fields[i] = arrow.Field{Name: c.name, Type: arrs[i].DataType(), Nullable: true}
	}
	return shoal.FromArrow(array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(df.nrows))), nil
}

// FromShoal runs a native Shoal frame and returns its columns (not its
// index) as a gota-API DataFrame: int64 and int32 become Int, float64 and
// float32 Float, strings and categories String, bool Bool, null NaN. Other
// column types (timestamps, lists) are an error naming the column.
func FromShoal(ctx context.Context, sdf *shoal.DataFrame) DataFrame {
	rec, err := sdf.ToArrow(ctx)
	if err != nil {
		return DataFrame{Err: fmt.Errorf("from shoal: %w", err)}
	}
	cols := make([]column, rec.NumCols())
	for i := range cols {
		arr, err := normalize(rec.Column(i))
		if err != nil {
			return DataFrame{Err: fmt.Errorf("from shoal: column %q: %w", rec.ColumnName(i), err)}
		}
		cols[i] = column{name: rec.ColumnName(i), arr: arr}
	}
	if len(cols) == 0 {
		return errFrame("from shoal: frame has no columns")
	}
	return build(cols, int(rec.NumRows()))
}
