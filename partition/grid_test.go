package partition_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/partition"
)

// inputCounter counts the blocks kernels read, to see that a selection of
// a wide frame touches only the column groups it needs.
type inputCounter struct {
	partition.Engine
	mu     sync.Mutex
	inputs int
}

func (c *inputCounter) Deploy(ctx context.Context, k partition.Kernel, in []partition.Block, nout int) []partition.Block {
	c.mu.Lock()
	c.inputs += len(in)
	c.mu.Unlock()
	return c.Engine.Deploy(ctx, k, in, nout)
}

func (c *inputCounter) Release(bs []partition.Block) { partition.Release(c.Engine, bs...) }

// wideRecord has cols int64 columns c0..c{cols-1}; row r of column c holds
// r*1000+c.
func wideRecord(mem memory.Allocator, rows, cols int) arrow.Record {
	fields := make([]arrow.Field, cols)
	arrs := make([]arrow.Array, cols)
	for c := range cols {
		vals := make([]int64, rows)
		for r := range vals {
			vals[r] = int64(r*1000 + c)
		}
		fields[c] = arrow.Field{Name: fmt.Sprintf("c%d", c), Type: arrow.PrimitiveTypes.Int64}
		arrs[c] = int64s(mem, vals, nil)
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

func TestColumnGroups(t *testing.T) {
	s := partition.Sizing{WideColumns: 10, GroupColumns: 4}
	for n, want := range map[int]string{
		0:  "[[]]",
		3:  "[[0 1 2]]",
		10: "[[0 1 2 3 4 5 6 7 8 9]]",
		11: "[[0 1 2 3] [4 5 6 7] [8 9 10]]",
	} {
		if got := fmt.Sprint(s.ColumnGroups(n)); got != want {
			t.Errorf("ColumnGroups(%d) = %s, want %s", n, got, want)
		}
	}
	if got := len(partition.DefaultSizing.ColumnGroups(1000)); got != 1 {
		t.Errorf("a 1000-column frame gets %d column groups by default, want 1", got)
	}
}

func TestGridSelect(t *testing.T) {
	ctx := testCtx(t)
	sizing := partition.Sizing{TargetBytes: 1 << 10, MaxPerCore: 2, Cores: 2, WideColumns: 8, GroupColumns: 4}
	for _, e := range engines(t, 2) {
		mem := newMem()
		rec := wideRecord(mem, 50, 11) // groups c0-c3, c4-c7, c8-c10
		counter := &inputCounter{Engine: e}
		g, err := partition.GridFromRecord(ctx, counter, rec, sizing)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Groups) != 3 || len(g.Blocks) != 4 {
			t.Fatalf("%s: %d groups x %d row partitions, want 3 x 4", e.Name(), len(g.Groups), len(g.Blocks))
		}
		for _, cols := range [][]string{
			{"c9", "c1", "c5"},       // three groups, out of order
			{"c4", "c5", "c6", "c7"}, // one whole group: no kernel at all
			{"c6"},                   // one column of one group
			nil,                      // everything
			{},                       // no columns, rows still counted
			{"c10", "c10"},           // twice
		} {
			counter.inputs = 0
			f, err := g.Select(ctx, counter, cols)
			if err != nil {
				t.Fatal(err)
			}
			got, err := partition.Collect(ctx, e, f, mem)
			if err != nil {
				t.Fatalf("%s %v: %v", e.Name(), cols, err)
			}
			if got.NumRows() != 50 {
				t.Errorf("%s %v: %d rows, want 50", e.Name(), cols, got.NumRows())
			}
			names := cols
			if names == nil {
				for c := range 11 {
					names = append(names, fmt.Sprintf("c%d", c))
				}
			}
			for i, name := range names {
				if got.ColumnName(i) != name {
					t.Errorf("%s %v: column %d is %s", e.Name(), cols, i, got.ColumnName(i))
					continue
				}
				var c int
				fmt.Sscanf(name, "c%d", &c)
				v := got.Column(i).(*array.Int64)
				for r := range 50 {
					if v.Value(r) != int64(r*1000+c) {
						t.Fatalf("%s %v: %s row %d = %d", e.Name(), cols, name, r, v.Value(r))
					}
				}
			}
			got.Release()
			// Only the groups holding the wanted columns are read.
			groups := map[int]bool{}
			for _, name := range cols {
				var c int
				fmt.Sscanf(name, "c%d", &c)
				groups[c/4] = true
			}
			wantInputs := len(groups) * 4
			if cols == nil {
				wantInputs = 3 * 4
			}
			if len(cols) == 0 && cols != nil {
				wantInputs = 4
			}
			if len(groups) == 1 && len(cols) == 4 {
				wantInputs = 0 // the group's own blocks
			}
			if counter.inputs != wantInputs {
				t.Errorf("%s %v: kernels read %d blocks, want %d", e.Name(), cols, counter.inputs, wantInputs)
			}
			if wantInputs != 0 { // a whole group's frame is a view of the grid
				partition.Release(e, f.Blocks...)
			}
		}
		if _, err := g.Select(ctx, e, []string{"nope"}); !errors.Is(err, partition.ErrUnknownColumn) {
			t.Errorf("unknown column: %v", err)
		}
		g.Release(e)
		rec.Release()
		checkZero(t, mem)
	}
}
