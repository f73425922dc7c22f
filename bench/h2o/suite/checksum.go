package suite

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Checksum is what the benchmark prints of an answer after the timer
// stops: its shape and the sum of each numeric column, so two tools (or
// two modes) can be seen to give the same answer without comparing rows.
// Index columns (a groupby's keys, which pandas also keeps in the index)
// are not part of it; string and dictionary columns have no sum.
type Checksum struct {
	Rows int64       `json:"rows"`
	Cols int         `json:"cols"`
	Sums []ColumnSum `json:"sums"`
}

// ColumnSum is the sum of one numeric column's valid, non-NaN values
// (pandas' sum(skipna=True)); integer columns are summed exactly in int64.
type ColumnSum struct {
	Column string  `json:"column"`
	Sum    float64 `json:"sum"`
}

// ChecksumOf computes rec's checksum. rec is borrowed.
func ChecksumOf(rec arrow.Record) Checksum {
	c := Checksum{Rows: rec.NumRows(), Cols: int(rec.NumCols())}
	for i, col := range rec.Columns() {
		if s, ok := sumColumn(col); ok {
			c.Sums = append(c.Sums, ColumnSum{rec.ColumnName(i), s})
		}
	}
	return c
}

// sumColumn sums a numeric column; ok is false for other types.
func sumColumn(col arrow.Array) (sum float64, ok bool) {
	switch a := col.(type) {
	case *array.Int64:
		return float64(sumInts(a.Int64Values(), a)), true
	case *array.Int32:
		return float64(sumInts(a.Int32Values(), a)), true
	case *array.Uint64:
		return float64(sumInts(a.Uint64Values(), a)), true
	case *array.Uint32:
		return float64(sumInts(a.Uint32Values(), a)), true
	case *array.Float64:
		return sumFloats(a.Float64Values(), a), true
	case *array.Float32:
		return sumFloats(a.Float32Values(), a), true
	}
	return 0, false
}

func sumInts[T int32 | int64 | uint32 | uint64](vals []T, a arrow.Array) int64 {
	var s int64
	nulls := a.NullN() > 0
	for i, v := range vals {
		if !nulls || a.IsValid(i) {
			s += int64(v)
		}
	}
	return s
}

func sumFloats[T float32 | float64](vals []T, a arrow.Array) float64 {
	var s float64
	nulls := a.NullN() > 0
	for i, v := range vals {
		if (!nulls || a.IsValid(i)) && v == v { // v != v is NaN, which pandas skips
			s += float64(v)
		}
	}
	return s
}

// String prints the checksum as one line: rows, columns, then name=sum.
func (c Checksum) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows=%d cols=%d", c.Rows, c.Cols)
	for _, s := range c.Sums {
		b.WriteString(" " + s.Column + "=" + strconv.FormatFloat(s.Sum, 'g', 15, 64))
	}
	return b.String()
}

// Match reports whether got agrees with want: the same rows, columns and
// summed column names, exactly, and each sum within rel of want's,
// relatively (absolutely below 1, where a sum of values of both signs can
// be near zero). Float sums depend on the order of addition, which differs
// between tools and partitionings; rel of 1e-9 allows for that at the
// benchmark's sizes. The error says what differs.
func (c Checksum) Match(want Checksum, rel float64) error {
	if c.Rows != want.Rows || c.Cols != want.Cols {
		return fmt.Errorf("shape %dx%d, want %dx%d", c.Rows, c.Cols, want.Rows, want.Cols)
	}
	if len(c.Sums) != len(want.Sums) {
		return fmt.Errorf("sums of %s, want %s", sumNames(c.Sums), sumNames(want.Sums))
	}
	for i, w := range want.Sums {
		g := c.Sums[i]
		if g.Column != w.Column {
			return fmt.Errorf("sums of %s, want %s", sumNames(c.Sums), sumNames(want.Sums))
		}
		if math.Abs(g.Sum-w.Sum) > rel*max(math.Abs(w.Sum), 1) {
			return fmt.Errorf("sum %s = %.17g, want %.17g (relative difference %.3g)", g.Column, g.Sum, w.Sum, math.Abs(g.Sum-w.Sum)/max(math.Abs(w.Sum), 1))
		}
	}
	return nil
}

func sumNames(s []ColumnSum) string {
	names := make([]string, len(s))
	for i, c := range s {
		names[i] = c.Column
	}
	return "[" + strings.Join(names, " ") + "]"
}
