package partition

import (
	"context"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"

	"github.com/shoaldata/shoal/runtime/objstore"
)

// Meta describes a partition without touching its data. Every kernel run
// reports it with its outputs, so planning the next step (rebalancing,
// choosing a broadcast join) needs no extra round trip to the data.
type Meta struct {
	Rows  int64
	Bytes int64 // sum of the record's buffer lengths
}

// MetaOf measures rec. Bytes count only what rec's rows use, so a
// zero-copy slice of a record does not report its parent's buffers
// (nested columns, rare in frames, are counted whole: an over-estimate).
//
// It also settles rec's null counts: Arrow computes a sliced array's null
// count on first use and caches it in the shared ArrayData, a data race when
// two kernels read one block at once. The engines take every record's Meta
// when it becomes a block, before any kernel can see it.
func MetaOf(rec arrow.Record) Meta {
	m := Meta{Rows: rec.NumRows()}
	for _, col := range rec.Columns() {
		settleNulls(col)
		m.Bytes += arrayBytes(col)
	}
	return m
}

// settleNulls computes the null counts of arr and its children that Arrow
// left for later.
func settleNulls(arr arrow.Array) {
	arr.NullN()
	for _, c := range arr.Data().Children() {
		if c.NullN() < 0 {
			child := array.MakeFromData(c)
			settleNulls(child)
			child.Release()
		}
	}
}

// arrayBytes is the size of the part of arr's buffers that its rows use.
func arrayBytes(arr arrow.Array) int64 {
	n := int64(arr.Len())
	var validity int64
	if arr.NullN() > 0 {
		validity = (n + 7) / 8
	}
	switch a := arr.(type) {
	case *array.String:
		offs := a.ValueOffsets()
		return validity + 4*(n+1) + int64(offs[n]-offs[0])
	case *array.LargeString:
		offs := a.ValueOffsets()
		return validity + 8*(n+1) + offs[n] - offs[0]
	case *array.Binary:
		offs := a.ValueOffsets()
		return validity + 4*(n+1) + int64(offs[n]-offs[0])
	case *array.LargeBinary:
		offs := a.ValueOffsets()
		return validity + 8*(n+1) + offs[n] - offs[0]
	case *array.Dictionary:
		return arrayBytes(a.Indices()) + objstore.SizeOf(a.Dictionary())
	case *array.Boolean:
		return validity + (n+7)/8
	}
	if fw, ok := arr.DataType().(arrow.FixedWidthDataType); ok {
		return validity + n*int64(fw.BitWidth()/8)
	}
	return objstore.SizeOf(arr) // every buffer, children and dictionary included
}

// KernelFunc transforms input partitions into exactly nout outputs. It
// borrows in (Retain what it keeps) and returns records it owns. It must be
// safe to run concurrently with itself on other inputs.
type KernelFunc func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error)

// Kernel is a named KernelFunc. The name appears in errors and task names;
// on a cluster it is how a worker finds the function, so kernels that
// capture no state are declared once at package level.
type Kernel struct {
	Name string
	Fn   KernelFunc
}
