package vec

import (
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// IsIn reports, for each row of a, whether its value is among values; a
// null row gives false, as pandas' isin. values is put in a hash set once
// (its nulls are ignored); a dictionary column is tested once per
// dictionary entry and the answers mapped through its codes. Integers
// compare exactly across widths and signedness, any float makes the test
// float64 (NaN matches NaN, as in pandas), strings compare by bytes
// (dictionaries of strings included), booleans with booleans, and
// temporal types with the same type. The result has no nulls.
func IsIn(a arrow.Array, values arrow.Array, mem memory.Allocator) (*array.Boolean, error) {
	mem = allocator(mem)
	if vd, ok := values.(*array.Dictionary); ok {
		dec, err := decodeDict(vd, mem)
		if err != nil {
			return nil, err
		}
		defer dec.Release()
		values = dec
	}

	if ad, ok := a.(*array.Dictionary); ok {
		per, err := IsIn(ad.Dictionary(), values, mem)
		if err != nil {
			return nil, err
		}
		table := make([]bool, per.Len())
		for k := range table {
			table[k] = per.Value(k)
		}
		per.Release()
		return decide(a.Data(), mem, func(s, e int, out []bool) {
			lookupCodes(a.Data(), s, e, table, out)
		}), nil
	}
	at, vt := a.DataType(), values.DataType()
	d := a.Data()
	switch {
	case isNumeric(at.ID()) && isNumeric(vt.ID()) && (isFloat(at.ID()) || isFloat(vt.ID())):
		set, nan := floatSet(values)
		return decide(d, mem, func(s, e int, out []bool) { inFloats(d, s, e, set, nan, out) }), nil
	case isInteger(at.ID()) && isInteger(vt.ID()),
		isTemporal(at.ID()) && arrow.TypeEqual(at, vt):
		set := intSet(values)
		return decide(d, mem, func(s, e int, out []bool) { inInts(d, s, e, set, out) }), nil
	case isString(at.ID()) && isString(vt.ID()),
		(at.ID() == arrow.BINARY || at.ID() == arrow.LARGE_BINARY) && isBinaryLike(vt.ID()):
		set := make(map[string]struct{}, values.Len())
		eachString(values.Data(), func(_ int, b []byte) error {
			set[view(b)] = struct{}{} // values outlives the set
			return nil
		})
		return decide(d, mem, func(s, e int, out []bool) { inStrings(d, s, e, set, out) }), nil
	case at.ID() == arrow.BOOL && vt.ID() == arrow.BOOL:
		var has [2]bool
		vb := values.(*array.Boolean)
		for i := 0; i < vb.Len(); i++ {
			if vb.IsValid(i) {
				has[b2i(vb.Value(i))] = true
			}
		}
		src, off := d.Buffers()[1], d.Offset()
		return decide(d, mem, func(s, e int, out []bool) {
			for i := range out {
				p := off + s + i
				out[i] = has[src.Bytes()[p>>3]>>(p&7)&1]
			}
		}), nil
	}
	return nil, typeErr("isin", at, vt)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// decide runs fn over chunks of rows, packs its answers, and clears null
// rows, so the result has no nulls.
func decide(d arrow.ArrayData, mem memory.Allocator, fn func(s, e int, out []bool)) *array.Boolean {
	n := d.Len()
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	var tmp [chunk]bool
	for s := 0; s < n; s += chunk {
		e := min(s+chunk, n)
		fn(s, e, tmp[:e-s])
		packBools(tmp[:e-s], bits.Bytes()[s/8:])
	}
	if v := validBits(d); v != nil {
		bitutil.BitmapAnd(bits.Bytes(), v, 0, int64(d.Offset()), bits.Bytes(), 0, int64(n))
	}
	return newBoolean(n, 0, nil, bits)
}

// intKeys holds integers exactly: those that fit int64 in small, the
// uint64 values above MaxInt64 in big.
type intKeys struct {
	small map[int64]struct{}
	big   map[uint64]struct{}
}

func intSet(values arrow.Array) intKeys {
	k := intKeys{small: make(map[int64]struct{}, values.Len()), big: map[uint64]struct{}{}}
	d := values.Data()
	valid, off := validBits(d), d.Offset()
	forInts(d, 0, d.Len(), func(i int, s int64, u uint64, isBig bool) {
		if valid != nil && !bitAt(valid, off+i) {
			return
		}
		if isBig {
			k.big[u] = struct{}{}
		} else {
			k.small[s] = struct{}{}
		}
	})
	return k
}

func inInts(d arrow.ArrayData, s, e int, k intKeys, out []bool) {
	forInts(d, s, e, func(i int, v int64, u uint64, isBig bool) {
		if isBig {
			_, out[i-s] = k.big[u]
		} else {
			_, out[i-s] = k.small[v]
		}
	})
}

// forInts visits rows [s, e) of an integer (or temporal) array as int64,
// or as a uint64 above MaxInt64 (isBig).
func forInts(d arrow.ArrayData, s, e int, fn func(i int, v int64, u uint64, isBig bool)) {
	switch d.DataType().ID() {
	case arrow.INT8:
		visitSigned(values[int8](d), s, e, fn)
	case arrow.INT16:
		visitSigned(values[int16](d), s, e, fn)
	case arrow.INT32, arrow.DATE32:
		visitSigned(values[int32](d), s, e, fn)
	case arrow.INT64, arrow.DATE64, arrow.TIMESTAMP, arrow.DURATION:
		visitSigned(values[int64](d), s, e, fn)
	case arrow.UINT8:
		visitSigned(values[uint8](d), s, e, fn)
	case arrow.UINT16:
		visitSigned(values[uint16](d), s, e, fn)
	case arrow.UINT32:
		visitSigned(values[uint32](d), s, e, fn)
	case arrow.UINT64:
		for i, u := range values[uint64](d)[s:e] {
			fn(s+i, int64(u), u, u > math.MaxInt64)
		}
	}
}

func visitSigned[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32](v []T, s, e int, fn func(i int, v int64, u uint64, isBig bool)) {
	for i, x := range v[s:e] {
		fn(s+i, int64(x), 0, false)
	}
}

func floatSet(values arrow.Array) (map[float64]struct{}, bool) {
	set := make(map[float64]struct{}, values.Len())
	nan := false
	d := values.Data()
	valid, off := validBits(d), d.Offset()
	visitFloats(d, 0, d.Len(), func(i int, f float64) {
		switch {
		case valid != nil && !bitAt(valid, off+i):
		case f != f:
			nan = true
		default:
			set[f] = struct{}{}
		}
	})
	return set, nan
}

func inFloats(d arrow.ArrayData, s, e int, set map[float64]struct{}, nan bool, out []bool) {
	visitFloats(d, s, e, func(i int, f float64) {
		if f != f {
			out[i-s] = nan
			return
		}
		_, out[i-s] = set[f]
	})
}

// visitFloats visits rows [s, e) of a numeric array as float64.
func visitFloats(d arrow.ArrayData, s, e int, fn func(i int, f float64)) {
	switch d.DataType().ID() {
	case arrow.FLOAT32:
		visitAsFloat(values[float32](d), s, e, fn)
	case arrow.FLOAT64:
		visitAsFloat(values[float64](d), s, e, fn)
	case arrow.INT8:
		visitAsFloat(values[int8](d), s, e, fn)
	case arrow.INT16:
		visitAsFloat(values[int16](d), s, e, fn)
	case arrow.INT32:
		visitAsFloat(values[int32](d), s, e, fn)
	case arrow.INT64:
		visitAsFloat(values[int64](d), s, e, fn)
	case arrow.UINT8:
		visitAsFloat(values[uint8](d), s, e, fn)
	case arrow.UINT16:
		visitAsFloat(values[uint16](d), s, e, fn)
	case arrow.UINT32:
		visitAsFloat(values[uint32](d), s, e, fn)
	case arrow.UINT64:
		visitAsFloat(values[uint64](d), s, e, fn)
	}
}

func visitAsFloat[T number](v []T, s, e int, fn func(i int, f float64)) {
	for i, x := range v[s:e] {
		fn(s+i, float64(x))
	}
}

func inStrings(d arrow.ArrayData, s, e int, set map[string]struct{}, out []bool) {
	data := varData(d)
	if d.DataType().Layout().Buffers[1].ByteWidth == 8 {
		o := offsets[int64](d)
		for i := s; i < e; i++ {
			_, out[i-s] = set[view(data[o[i]:o[i+1]])]
		}
		return
	}
	o := offsets[int32](d)
	for i := s; i < e; i++ {
		_, out[i-s] = set[view(data[o[i]:o[i+1]])]
	}
}
