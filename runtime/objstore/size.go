package objstore

import (
	"reflect"
	"strconv"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
)

// A Sizer reports the bytes it holds. SizeOf uses it for types it does not
// know; it must be cheap and safe to call from any goroutine.
type Sizer interface{ SizeBytes() int64 }

// SizeOf estimates the bytes v holds, which is what a Store charges to its
// capacity. Scalars count their width, strings and []byte their length,
// slices of numbers their length times the width, an error the length of its
// message, and Arrow values the lengths of their buffers, children and
// dictionaries (buffers shared between values count for each; a slice of
// a flat array counts only the bytes its rows use). A Sizer
// reports its own size. Anything else is estimated by a bounded walk through
// its fields, elements and pointers, which extrapolates once it has seen a
// few thousand values.
func SizeOf(v any) int64 {
	n, _ := measure(v)
	return n
}

// measure returns SizeOf(v) and v's refCounted and errorValue flags, in one
// type switch so that the common small values cost a few nanoseconds.
func measure(v any) (int64, uint8) {
	switch x := v.(type) {
	case nil:
		return 0, 0
	case int, uint, uintptr:
		return strconv.IntSize / 8, 0
	case int64, uint64, float64, complex64:
		return 8, 0
	case int32, uint32, float32:
		return 4, 0
	case bool, int8, uint8:
		return 1, 0
	case int16, uint16:
		return 2, 0
	case complex128:
		return 16, 0
	case string:
		return int64(len(x)), 0
	case []byte:
		return int64(len(x)), 0
	case []int:
		return sliceBytes(x), 0
	case []int64:
		return sliceBytes(x), 0
	case []int32:
		return sliceBytes(x), 0
	case []int16:
		return sliceBytes(x), 0
	case []int8:
		return sliceBytes(x), 0
	case []uint:
		return sliceBytes(x), 0
	case []uint64:
		return sliceBytes(x), 0
	case []uint32:
		return sliceBytes(x), 0
	case []uint16:
		return sliceBytes(x), 0
	case []float64:
		return sliceBytes(x), 0
	case []float32:
		return sliceBytes(x), 0
	case []bool:
		return sliceBytes(x), 0
	case arrow.Record:
		var n int64
		for _, col := range x.Columns() {
			n += dataBytes(col.Data())
		}
		return n, refCounted
	case arrow.Table:
		var n int64
		for i := range int(x.NumCols()) {
			for _, chunk := range x.Column(i).Data().Chunks() {
				n += dataBytes(chunk.Data())
			}
		}
		return n, refCounted
	case arrow.Array:
		return dataBytes(x.Data()), refCounted
	case *arrow.Chunked:
		var n int64
		for _, chunk := range x.Chunks() {
			n += dataBytes(chunk.Data())
		}
		return n, refCounted
	case arrow.ArrayData:
		return dataBytes(x), refCounted
	}
	var n int64
	var flags uint8
	if s, ok := v.(Sizer); ok {
		n = s.SizeBytes()
	} else if err, ok := v.(error); ok {
		n = int64(len(err.Error()))
	} else {
		n = reflectSize(v)
	}
	if _, ok := v.(rc); ok {
		flags |= refCounted
	}
	if _, ok := v.(error); ok {
		flags |= errorValue
	}
	return n, flags
}

func sliceBytes[T any](s []T) int64 {
	var zero T
	return int64(len(s)) * int64(unsafe.Sizeof(zero))
}

// dataBytes sums the lengths of d's buffers, children and dictionary. It
// differs from ArrayData.SizeInBytes in tolerating absent buffers.
func dataBytes(d arrow.ArrayData) int64 {
	if isNil(d) {
		return 0
	}
	if n, ok := sliceBytes32(d); ok {
		return n
	}
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	if dict := d.Dictionary(); !isNil(dict) {
		n += dataBytes(dict)
	}
	return n
}

// isNil reports whether d is nil, or a nil pointer in an interface (which
// (*array.Data).Dictionary returns for arrays without a dictionary).
// sliceBytes32 measures the common flat layouts by the rows d holds, not
// by its buffers' whole length: a frame cut into zero-copy partitions
// would otherwise be charged its whole size once per partition (a 400 MB
// table in 8 partitions counted 3.2 GB and sent a 2 GiB store into
// spilling on its first query). Other layouts count whole buffers.
func sliceBytes32(d arrow.ArrayData) (int64, bool) {
	bufs := d.Buffers()
	n, off := int64(d.Len()), int64(d.Offset())
	var validity int64
	if len(bufs) > 0 && bufs[0] != nil {
		validity = (n + 7) / 8
	}
	switch dt := d.DataType().(type) {
	case *arrow.BooleanType:
		return validity + (n+7)/8, len(bufs) == 2
	case *arrow.StringType, *arrow.BinaryType:
		if len(bufs) != 3 || bufs[1] == nil || bufs[1].Len() < int((off+n+1)*4) {
			return 0, false
		}
		offs := arrow.Int32Traits.CastFromBytes(bufs[1].Bytes())
		return validity + 4*(n+1) + int64(offs[off+n]-offs[off]), true
	case *arrow.DictionaryType:
		w, ok := dt.IndexType.(arrow.FixedWidthDataType)
		if !ok || len(bufs) != 2 {
			return 0, false
		}
		// The dictionary is shared by every slice: each counts it whole.
		return validity + n*int64(w.BitWidth()/8) + dataBytes(d.Dictionary()), true
	case arrow.FixedWidthDataType:
		if dt.BitWidth() < 8 || len(bufs) != 2 || len(d.Children()) > 0 {
			return 0, false
		}
		return validity + n*int64(dt.BitWidth()/8), true
	}
	return 0, false
}

func isNil(d arrow.ArrayData) bool {
	if d == nil {
		return true
	}
	rv := reflect.ValueOf(d)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// Bounds of the reflection walk.
const (
	walkBudget = 4096 // values visited before extrapolating
	walkDepth  = 32   // pointer and field nesting
)

func reflectSize(v any) int64 {
	rv := reflect.ValueOf(v)
	w := walker{budget: walkBudget}
	return int64(rv.Type().Size()) + w.heap(rv, 0)
}

// walker estimates the heap bytes reachable from a value, visiting at most
// budget values.
type walker struct{ budget int }

// heap returns the bytes v refers to outside its own inline storage.
func (w *walker) heap(v reflect.Value, depth int) int64 {
	if w.budget <= 0 || depth > walkDepth {
		return 0
	}
	w.budget--
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Slice:
		et := v.Type().Elem()
		n := int64(v.Cap()) * int64(et.Size())
		if hasPointers(et) {
			n += w.elems(v.Len(), func(i int) reflect.Value { return v.Index(i) }, depth)
		}
		return n
	case reflect.Array:
		if !hasPointers(v.Type().Elem()) {
			return 0
		}
		return w.elems(v.Len(), func(i int) reflect.Value { return v.Index(i) }, depth)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		return int64(e.Type().Size()) + w.heap(e, depth+1)
	case reflect.Struct:
		var n int64
		for i := range v.NumField() {
			if f := v.Field(i); hasPointers(f.Type()) {
				n += w.heap(f, depth+1)
			}
		}
		return n
	case reflect.Map:
		t := v.Type()
		n := int64(v.Len()) * int64(t.Key().Size()+t.Elem().Size())
		if !hasPointers(t.Key()) && !hasPointers(t.Elem()) {
			return n
		}
		var sum int64
		seen := 0
		for it := v.MapRange(); it.Next() && w.budget > 0; seen++ {
			sum += w.heap(it.Key(), depth+1) + w.heap(it.Value(), depth+1)
		}
		if seen > 0 && seen < v.Len() {
			sum = sum * int64(v.Len()) / int64(seen)
		}
		return n + sum
	}
	return 0
}

// elems sums the heap bytes of n elements, extrapolating from those visited
// before the budget ran out.
func (w *walker) elems(n int, at func(int) reflect.Value, depth int) int64 {
	var sum int64
	i := 0
	for ; i < n && w.budget > 0; i++ {
		sum += w.heap(at(i), depth+1)
	}
	if i > 0 && i < n {
		sum = sum * int64(n) / int64(i)
	}
	return sum
}

// hasPointers reports whether values of t may refer to memory outside
// themselves.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}
