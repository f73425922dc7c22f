package groupby

import (
	"fmt"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// newBuffer allocates a buffer of n bytes from mem.
func newBuffer(mem memory.Allocator, n int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(n)
	return b
}

// validityBuffer returns a bitmap of valid (nil when all valid) and the
// null count.
func validityBuffer(mem memory.Allocator, valid []bool) (*memory.Buffer, int) {
	if valid == nil {
		return nil, 0
	}
	nulls := 0
	for _, ok := range valid {
		if !ok {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	b := newBuffer(mem, int(bitutil.BytesForBits(int64(len(valid)))))
	bm := b.Bytes()
	for i := range bm {
		bm[i] = 0
	}
	for i, ok := range valid {
		if ok {
			bitutil.SetBit(bm, i)
		}
	}
	return b, nulls
}

// primitive builds an int64 or float64 array from vals, null where valid
// is false (valid nil: all valid).
func primitive[T int64 | float64](mem memory.Allocator, dt arrow.DataType, vals []T, valid []bool) arrow.Array {
	vb, nulls := validityBuffer(mem, valid)
	b := newBuffer(mem, 8*len(vals))
	if len(vals) > 0 {
		copy(arrow.GetData[T](b.Bytes()), vals)
	}
	d := array.NewData(dt, len(vals), []*memory.Buffer{vb, b}, nil, nulls, 0)
	b.Release()
	if vb != nil {
		vb.Release()
	}
	defer d.Release()
	return array.MakeFromData(d)
}

func int64Array(mem memory.Allocator, vals []int64, valid []bool) arrow.Array {
	return primitive(mem, arrow.PrimitiveTypes.Int64, vals, valid)
}

func float64Array(mem memory.Allocator, vals []float64, valid []bool) arrow.Array {
	return primitive(mem, arrow.PrimitiveTypes.Float64, vals, valid)
}

// take gathers rows of a (row -1 gives null) into a new array of a's type;
// a dictionary array keeps its dictionary.
func take(mem memory.Allocator, a arrow.Array, rows []int32) (arrow.Array, error) {
	n := len(rows)
	d := a.Data()
	off := d.Offset()
	src := validityOf(a)
	valid := make([]bool, n)
	for i, r := range rows {
		valid[i] = r >= 0 && (!src.nulls || src.valid(int(r)))
	}
	switch a := a.(type) {
	case *array.Dictionary:
		idx, err := take(mem, a.Indices(), rows)
		if err != nil {
			return nil, err
		}
		defer idx.Release()
		return array.NewDictionaryArray(a.DataType(), idx, a.Dictionary()), nil
	case *array.Boolean:
		vb, nulls := validityBuffer(mem, valid)
		b := newBuffer(mem, int(bitutil.BytesForBits(int64(n))))
		bm := b.Bytes()
		for i := range bm {
			bm[i] = 0
		}
		for i, r := range rows {
			if valid[i] && a.Value(int(r)) {
				bitutil.SetBit(bm, i)
			}
		}
		return finish(a.DataType(), n, []*memory.Buffer{vb, b}, nulls), nil
	case *array.String:
		return takeBytes(mem, a.DataType(), a.ValueOffsets(), bufBytes(d, 2), rows, valid), nil
	case *array.LargeString:
		return takeBytes(mem, a.DataType(), a.ValueOffsets(), bufBytes(d, 2), rows, valid), nil
	case *array.Binary:
		return takeBytes(mem, a.DataType(), a.ValueOffsets(), bufBytes(d, 2), rows, valid), nil
	case *array.LargeBinary:
		return takeBytes(mem, a.DataType(), a.ValueOffsets(), bufBytes(d, 2), rows, valid), nil
	}
	fw, ok := a.DataType().(arrow.FixedWidthDataType)
	if !ok || fw.BitWidth()%8 != 0 || len(d.Buffers()) != 2 {
		return nil, fmt.Errorf("%w: cannot gather type %s", ErrType, a.DataType())
	}
	w := fw.BitWidth() / 8
	vals := bufBytes(d, 1)
	vb, nulls := validityBuffer(mem, valid)
	b := newBuffer(mem, w*n)
	out := b.Bytes()
	switch w {
	case 1:
		gather(out, vals[off:], rows)
	case 2:
		gather(arrow.GetData[uint16](out), arrow.GetData[uint16](vals)[off:], rows)
	case 4:
		gather(arrow.GetData[uint32](out), arrow.GetData[uint32](vals)[off:], rows)
	case 8:
		gather(arrow.GetData[uint64](out), arrow.GetData[uint64](vals)[off:], rows)
	default:
		for i, r := range rows {
			if r < 0 {
				clear(out[i*w : (i+1)*w])
				continue
			}
			s := (off + int(r)) * w
			copy(out[i*w:(i+1)*w], vals[s:s+w])
		}
	}
	return finish(a.DataType(), n, []*memory.Buffer{vb, b}, nulls), nil
}

// gather sets out[i] = vals[rows[i]], zero for row -1.
func gather[T uint8 | uint16 | uint32 | uint64](out, vals []T, rows []int32) {
	out = out[:len(rows)]
	for i, r := range rows {
		if r < 0 {
			out[i] = 0
		} else {
			out[i] = vals[r]
		}
	}
}

func takeBytes[O int32 | int64](mem memory.Allocator, dt arrow.DataType, offs []O, data []byte, rows []int32, valid []bool) arrow.Array {
	n := len(rows)
	total := 0
	for i, r := range rows {
		if valid[i] {
			total += int(offs[r+1] - offs[r])
		}
	}
	ob := newBuffer(mem, (n+1)*int(unsafe.Sizeof(O(0))))
	oo := arrow.GetData[O](ob.Bytes())
	db := newBuffer(mem, total)
	dd := db.Bytes()
	pos := O(0)
	oo[0] = 0
	for i, r := range rows {
		if valid[i] {
			pos += O(copy(dd[pos:], data[offs[r]:offs[r+1]]))
		}
		oo[i+1] = pos
	}
	vb, nulls := validityBuffer(mem, valid)
	return finish(dt, n, []*memory.Buffer{vb, ob, db}, nulls)
}

// finish wraps buffers in an array and drops this function's references.
func finish(dt arrow.DataType, n int, bufs []*memory.Buffer, nulls int) arrow.Array {
	d := array.NewData(dt, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}
