package partition

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Grid is a very wide frame split both ways: row partitions, each cut into
// column groups, so that a query reading a few of its thousands of columns
// moves and touches only their blocks (on the runtime, only those objects
// are fetched). Frames of ordinary width are never split by column (see
// Sizing.ColumnGroups): Modin's per-axis splitting by core count turned
// square frames into N² tiny blocks, and the rest of the engine works on
// row partitions. Select turns a Grid into the row Frame of the columns a
// plan needs.
type Grid struct {
	Schema *arrow.Schema
	Groups [][]int   // the schema's column indices in each group, in order
	Blocks [][]Block // Blocks[row][group]
}

// GridFromRecord splits rec like FromRecord by rows, then each row slice
// into s.ColumnGroups, all zero-copy, and Puts each block. rec is
// borrowed.
func GridFromRecord(ctx context.Context, e Engine, rec arrow.Record, s Sizing) (Grid, error) {
	rows := rec.NumRows()
	n := min(int64(s.Count(MetaOf(rec).Bytes)), max(rows, 1))
	g := Grid{Schema: rec.Schema(), Groups: s.ColumnGroups(int(rec.NumCols()))}
	var lo int64
	for _, c := range nearEqualCounts(rows, int(n)) {
		slice := rec.NewSlice(lo, lo+c)
		row := make([]Block, 0, len(g.Groups))
		for _, cols := range g.Groups {
			b, err := e.Put(ctx, PickColumns(slice, cols))
			if err != nil {
				slice.Release()
				Release(e, row...)
				g.release(e)
				return Grid{}, fmt.Errorf("partition: grid from record: %w", err)
			}
			row = append(row, b)
		}
		slice.Release()
		g.Blocks = append(g.Blocks, row)
		lo += c
	}
	return g, nil
}

func (g Grid) release(e Engine) {
	for _, row := range g.Blocks {
		Release(e, row...)
	}
}

// Release releases every block of g.
func (g Grid) Release(e Engine) { g.release(e) }

// PickColumns returns columns cols of rec (by index, in that order) as a
// record of their own that shares rec's arrays: no copy. The caller
// releases it; rec is borrowed.
func PickColumns(rec arrow.Record, cols []int) arrow.Record {
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		fields[i] = rec.Schema().Field(c)
		arrs[i] = rec.Column(c)
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), arrs, rec.NumRows())
}

// Select returns the row Frame of columns cols (nil: all), in that order.
// Each row partition reads only the groups holding cols: a group wanted
// whole, in order, is passed on as it is; otherwise one kernel per row
// partition glues the wanted columns of its groups side by side, without
// copying. An unknown name is an error listing the columns there are.
// Like Concat, a frame of one whole group is a view: its blocks are the
// grid's, and releasing them releases the grid's.
func (g Grid) Select(ctx context.Context, e Engine, cols []string) (Frame, error) {
	if cols == nil {
		for _, f := range g.Schema.Fields() {
			cols = append(cols, f.Name)
		}
	}
	group := make(map[int]int, g.Schema.NumFields()) // column -> group
	for gi, cs := range g.Groups {
		for _, c := range cs {
			group[c] = gi
		}
	}
	// For each wanted column: which input (of the groups used) and where.
	var used []int
	usedAt := map[int]int{}
	type source struct{ input, column int }
	srcs := make([]source, len(cols))
	fields := make([]arrow.Field, len(cols))
	for i, name := range cols {
		c, err := columnIndex(g.Schema, name)
		if err != nil {
			return Frame{}, fmt.Errorf("partition: grid select: %w", err)
		}
		gi := group[c]
		in, ok := usedAt[gi]
		if !ok {
			in = len(used)
			usedAt[gi] = in
			used = append(used, gi)
		}
		pos := 0
		for j, x := range g.Groups[gi] {
			if x == c {
				pos = j
			}
		}
		srcs[i] = source{in, pos}
		fields[i] = g.Schema.Field(c)
	}
	if len(used) == 0 {
		used = []int{0} // no columns, but the rows still count
	}
	schema := arrow.NewSchema(fields, nil)
	f := Frame{Schema: schema}
	if len(used) == 1 && sameColumns(g.Groups[used[0]], srcs, func(s source) int { return s.column }) {
		for _, row := range g.Blocks {
			f.Blocks = append(f.Blocks, row[used[0]])
		}
		return f, nil
	}
	k := Kernel{Name: "partition.SelectColumns", Fn: func(_ context.Context, in []arrow.Record, _ int) ([]arrow.Record, error) {
		if len(in) != len(used) {
			return nil, fmt.Errorf("partition.SelectColumns: %d inputs, want %d: %w", len(in), len(used), ErrKernelArity)
		}
		arrs := make([]arrow.Array, len(srcs))
		for i, s := range srcs {
			arrs[i] = in[s.input].Column(s.column)
		}
		rows := int64(0)
		if len(in) > 0 {
			rows = in[0].NumRows()
		}
		return []arrow.Record{array.NewRecord(schema, arrs, rows)}, nil
	}}
	for _, row := range g.Blocks {
		ins := make([]Block, len(used))
		for i, gi := range used {
			ins[i] = row[gi]
		}
		f.Blocks = append(f.Blocks, e.Deploy(ctx, k, ins, 1)...)
	}
	return f, nil
}

// sameColumns reports whether srcs take exactly the group's columns, in
// order.
func sameColumns[S any](group []int, srcs []S, col func(S) int) bool {
	if len(group) != len(srcs) {
		return false
	}
	for i, s := range srcs {
		if col(s) != i {
			return false
		}
	}
	return true
}
