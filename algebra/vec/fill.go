package vec

import (
	"errors"
	"math/bits"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// FillNull replaces a's missing rows (nulls, and NaN in float columns, as
// pandas' fillna) with v: a scalar, or an array of a's length whose row i
// fills row i. v is converted to a's type first (Cast's rules); a value
// that does not convert is an error wrapping ErrCast, a type pair Cast
// does not support one wrapping ErrType. A null scalar leaves a as it is;
// a null in a fill array leaves that row null. The result has a's type
// (a dictionary column is decoded, filled and re-encoded, so its
// dictionary comes out in first-appearance order).
func FillNull(a arrow.Array, v Datum, mem memory.Allocator) (arrow.Array, error) {
	mem = allocator(mem)
	dt := a.DataType()
	if !v.valid() {
		return nil, errorf(ErrArgument, "fillnull: a datum must hold exactly one of an array and a typed scalar")
	}
	if v.Array != nil && v.Array.Len() != a.Len() {
		return nil, errorf(ErrArgument, "fillnull: fill of %d rows for an array of %d", v.Array.Len(), a.Len())
	}
	if v.Scalar != nil && v.Scalar.Null || a.NullN() == 0 && !isFloat(dt.ID()) {
		a.Retain()
		return a, nil
	}
	if dict, ok := a.(*array.Dictionary); ok {
		dec, err := decodeDict(dict, mem)
		if err != nil {
			return nil, err
		}
		defer dec.Release()
		filled, err := FillNull(dec, v, mem)
		if err != nil {
			return nil, err
		}
		defer filled.Release()
		return Cast(filled, dt, mem)
	}
	if dt.ID() == arrow.NULL {
		return nil, typeErr("fillnull", dt, v.Type())
	}
	fill := v.Array
	if fill == nil {
		var err error
		if fill, err = scalarArray(*v.Scalar, mem); err != nil {
			return nil, err
		}
		defer fill.Release()
	}
	fc, err := Cast(fill, dt, mem)
	if err != nil {
		if errors.Is(err, ErrType) {
			return nil, typeErr("fillnull", dt, fill.DataType())
		}
		return nil, causef(ErrCast, err, "fillnull: %s fill for %s", fill.DataType(), dt)
	}
	defer fc.Release()
	missing := IsNull(a, mem)
	defer missing.Release()
	return fillRows(a.Data(), fc.Data(), v.Scalar != nil, missing.Data().Buffers()[1].Bytes(), mem)
}

// fillRows builds the result: row i is a's where miss is clear, else
// fill's row i (or row 0 when broadcast).
func fillRows(d, f arrow.ArrayData, broadcast bool, miss []byte, mem memory.Allocator) (arrow.Array, error) {
	n := d.Len()
	dt := d.DataType()
	// Valid rows: those present in a, or filled from a valid fill row.
	var valid *memory.Buffer
	nulls := 0
	if fv := validBits(f); fv != nil && !broadcast {
		valid = newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		bitutil.InvertBitmap(miss, 0, n, valid.Bytes(), 0)
		bitutil.BitmapOr(valid.Bytes(), fv, 0, int64(f.Offset()), valid.Bytes(), 0, int64(n))
		if nulls = n - bitutil.CountSetBits(valid.Bytes(), 0, n); nulls == 0 {
			valid.Release()
			valid = nil
		}
	}
	var body []*memory.Buffer
	switch dt.ID() {
	case arrow.BOOL:
		out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		bitutil.CopyBitmap(d.Buffers()[1].Bytes(), d.Offset(), n, out.Bytes(), 0)
		fb, fo := f.Buffers()[1].Bytes(), f.Offset()
		eachSet(miss, n, func(i int) {
			j := i
			if broadcast {
				j = 0
			}
			bitutil.SetBitTo(out.Bytes(), i, bitAt(fb, fo+j))
		})
		body = []*memory.Buffer{out}
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		// Row i comes from a or from fill: a gather over two sources.
		return fillVar(d, f, broadcast, miss, valid, nulls, mem), nil
	default:
		w := dt.(arrow.FixedWidthDataType).BitWidth()
		out := newBuf(mem, n*w/8)
		copy(out.Bytes(), d.Buffers()[1].Bytes()[d.Offset()*w/8:(d.Offset()+n)*w/8])
		switch w {
		case 8:
			fillFixed[uint8](out, f, broadcast, miss, n)
		case 16:
			fillFixed[uint16](out, f, broadcast, miss, n)
		case 32:
			fillFixed[uint32](out, f, broadcast, miss, n)
		default:
			fillFixed[uint64](out, f, broadcast, miss, n)
		}
		body = []*memory.Buffer{out}
	}
	return newArray(dt, n, nulls, append([]*memory.Buffer{valid}, body...)...), nil
}

// eachSet calls fn for every set bit of the first n bits of b, skipping
// zero bytes whole.
func eachSet(b []byte, n int, fn func(i int)) {
	for k, x := range b[:(n+7)/8] {
		for x != 0 {
			i := k*8 + bits.TrailingZeros8(x)
			if i >= n {
				return
			}
			fn(i)
			x &= x - 1
		}
	}
}

func fillFixed[T uint8 | uint16 | uint32 | uint64](out *memory.Buffer, f arrow.ArrayData, broadcast bool, miss []byte, n int) {
	dst := arrow.GetData[T](out.Bytes())[:n]
	fv := values[T](f)
	if broadcast {
		x := fv[0]
		eachSet(miss, n, func(i int) { dst[i] = x })
		return
	}
	eachSet(miss, n, func(i int) { dst[i] = fv[i] })
}

func fillVar(d, f arrow.ArrayData, broadcast bool, miss []byte, valid *memory.Buffer, nulls int, mem memory.Allocator) arrow.Array {
	n := d.Len()
	b := array.NewBinaryBuilder(mem, d.DataType().(arrow.BinaryDataType))
	defer b.Release()
	b.Reserve(n)
	get := func(x arrow.ArrayData, i int) []byte {
		if x.DataType().Layout().Buffers[1].ByteWidth == 8 {
			o := offsets[int64](x)
			return varData(x)[o[i]:o[i+1]]
		}
		o := offsets[int32](x)
		return varData(x)[o[i]:o[i+1]]
	}
	for i := 0; i < n; i++ {
		switch {
		case valid != nil && !bitAt(valid.Bytes(), i):
			b.AppendNull()
		case !bitAt(miss, i):
			b.Append(get(d, i))
		case broadcast:
			b.Append(get(f, 0))
		default:
			b.Append(get(f, i))
		}
	}
	if valid != nil {
		valid.Release()
	}
	return newVarArray(b)
}

// scalarArray returns s as a one-row array of its type.
func scalarArray(s Scalar, mem memory.Allocator) (arrow.Array, error) {
	t := s.Type
	if s.Null {
		return array.MakeArrayOfNull(mem, t, 1), nil
	}
	switch t.ID() {
	case arrow.BOOL:
		bits := newBitmap(mem, 1)
		if s.Bool {
			bits.Bytes()[0] = 1
		}
		return newBoolean(1, 0, nil, bits), nil
	case arrow.INT8:
		return oneValue(t, scalarValue[int8](s), mem), nil
	case arrow.INT16:
		return oneValue(t, scalarValue[int16](s), mem), nil
	case arrow.INT32, arrow.DATE32:
		return oneValue(t, int32(s.Int), mem), nil
	case arrow.INT64, arrow.DATE64, arrow.TIMESTAMP, arrow.DURATION:
		return oneValue(t, s.Int, mem), nil
	case arrow.UINT8:
		return oneValue(t, scalarValue[uint8](s), mem), nil
	case arrow.UINT16:
		return oneValue(t, scalarValue[uint16](s), mem), nil
	case arrow.UINT32:
		return oneValue(t, scalarValue[uint32](s), mem), nil
	case arrow.UINT64:
		return oneValue(t, s.Uint, mem), nil
	case arrow.FLOAT32:
		return oneValue(t, float32(s.Float), mem), nil
	case arrow.FLOAT64:
		return oneValue(t, s.Float, mem), nil
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		b := array.NewBinaryBuilder(mem, t.(arrow.BinaryDataType))
		defer b.Release()
		b.AppendString(s.Str)
		return newVarArray(b), nil
	case arrow.DICTIONARY:
		str := String(s.Str)
		str.Type = t.(*arrow.DictionaryType).ValueType
		return scalarArray(str, mem)
	}
	return nil, errorf(ErrType, "scalar of type %s: unsupported", t)
}

func oneValue[T arrow.FixedWidthType](t arrow.DataType, v T, mem memory.Allocator) arrow.Array {
	buf, dst := newValues[T](mem, 1)
	dst[0] = v
	return newArray(t, 1, 0, nil, buf)
}
