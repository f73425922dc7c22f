package exec

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/partition"
)

// explode gives each element of list column col a row of its own: the
// other columns are gathered with each row's index repeated once per
// element (once for an empty or null list), the elements with their index
// in the list's values (-1, a null, for an empty or null list).
func explode(rec arrow.Record, col string, out *arrow.Schema, mem memory.Allocator) (arrow.Record, error) {
	ci := rec.Schema().FieldIndices(col)[0]
	list := rec.Column(ci)
	n := list.Len()
	var rows, elems []int64
	var values arrow.Array
	add := func(i int, start, end int64) {
		if list.IsNull(i) || start == end {
			rows, elems = append(rows, int64(i)), append(elems, -1)
			return
		}
		for e := start; e < end; e++ {
			rows, elems = append(rows, int64(i)), append(elems, e)
		}
	}
	switch l := list.(type) {
	case *array.List:
		values = l.ListValues()
		for i := range n {
			start, end := l.ValueOffsets(i)
			add(i, start, end)
		}
	case *array.LargeList:
		values = l.ListValues()
		for i := range n {
			start, end := l.ValueOffsets(i)
			add(i, start, end)
		}
	}
	others := partition.PickColumns(rec, allBut(int(rec.NumCols()), ci))
	defer others.Release()
	taken, err := vec.Take(others, rows, mem)
	if err != nil {
		return nil, err
	}
	defer taken.Release()
	exploded, err := vec.TakeArray(values, elems, mem)
	if err != nil {
		return nil, err
	}
	defer exploded.Release()
	cols := make([]arrow.Array, 0, rec.NumCols())
	cols = append(cols, taken.Columns()[:ci]...)
	cols = append(cols, exploded)
	cols = append(cols, taken.Columns()[ci:]...)
	return array.NewRecord(out, cols, int64(len(rows))), nil
}
