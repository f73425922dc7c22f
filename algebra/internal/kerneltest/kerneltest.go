// Package kerneltest holds what the kernel packages' reference tests share:
// reading an Arrow value back as a plain Go value, for naive comparators
// and nested-loop joins to check the typed kernels against.
package kerneltest

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Cell returns row i of a as int64, uint64, float64, string or bool (dates
// and timestamps as their int64 ticks, dictionaries as their value), or nil
// for a null or NaN. It panics on other types: it serves tests only.
func Cell(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Dictionary:
		return Cell(a.Dictionary(), a.GetValueIndex(i))
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return uint64(a.Value(i))
	case *array.Uint16:
		return uint64(a.Value(i))
	case *array.Uint32:
		return uint64(a.Value(i))
	case *array.Uint64:
		return a.Value(i)
	case *array.Float32:
		return nanNil(float64(a.Value(i)))
	case *array.Float64:
		return nanNil(a.Value(i))
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Date32:
		return int64(a.Value(i))
	case *array.Date64:
		return int64(a.Value(i))
	case *array.Timestamp:
		return int64(a.Value(i))
	}
	panic(fmt.Sprintf("kerneltest.Cell: %T", a))
}

func nanNil(f float64) any {
	if f != f {
		return nil
	}
	return f
}
