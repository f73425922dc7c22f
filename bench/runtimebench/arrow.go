package runtimebench

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// newInt64Record returns a record of one non-null int64 column "v" holding
// 0..rows-1, its one buffer allocated from mem. The caller releases it.
func newInt64Record(mem memory.Allocator, rows int) arrow.Record {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(rows * arrow.Int64SizeBytes)
	vals := arrow.Int64Traits.CastFromBytes(buf.Bytes())
	for i := range vals {
		vals[i] = int64(i)
	}
	data := array.NewData(arrow.PrimitiveTypes.Int64, rows, []*memory.Buffer{nil, buf}, nil, 0, 0)
	buf.Release()
	col := array.NewInt64Data(data)
	data.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, int64(rows))
	col.Release()
	return rec
}
