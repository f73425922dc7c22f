package vec

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Cast converts a to type to; a cast to a's own type returns a retained.
// Supported: between int8…int64, uint8…uint64, float32/64 and bool; those
// to and from string and large string; between string, large string and
// binary; to and from dictionary<int, string>; timestamps (any unit, any
// zone), date32, date64 and durations with each other where it makes
// sense and with integers (as ticks, zero-copy for int64); null to
// anything. Nulls stay null.
//
//   - integer to narrower integer wraps, as numpy's astype;
//   - float to integer truncates toward zero; NaN, ±Inf or a value out of
//     the target's range is an error naming the row (pandas' astype(int)
//     raises too);
//   - number to bool is x != 0; bool to string is "True"/"False" and float
//     to string follows Python's str() ("1.0", "2.5", "1e+16", "nan");
//   - string to number or bool parses (strconv; surrounding space is
//     ignored) and an error names the row and value:
//     `vec: cast utf8 to int64: row 3: "abc": invalid syntax`;
//   - string to timestamp or date accepts RFC 3339, "2006-01-02",
//     "2006-01-02 15:04:05" and "2006-01-02T15:04:05", with fractional
//     seconds; text without a zone is UTC;
//   - timestamp to a coarser unit or to a date floors; to string prints
//     "2006-01-02 15:04:05[.fff]" in UTC, as pandas prints Timestamps;
//   - string to dictionary encodes in first-appearance order, dictionary
//     to anything decodes first.
//
// Errors wrap ErrCast (a value does not convert) or ErrType (the pair of
// types is not supported).
func Cast(a arrow.Array, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	mem = allocator(mem)
	from := a.DataType()
	if arrow.TypeEqual(from, to) {
		a.Retain()
		return a, nil
	}
	fid, tid := from.ID(), to.ID()
	d := a.Data()
	unsupported := errorf(ErrType, "cast %s to %s: unsupported", from, to)
	switch {
	case fid == arrow.DICTIONARY:
		dec, err := decodeDict(a.(*array.Dictionary), mem)
		if err != nil {
			return nil, err
		}
		defer dec.Release()
		return Cast(dec, to, mem)
	case tid == arrow.DICTIONARY:
		dt := to.(*arrow.DictionaryType)
		if !isString(dt.ValueType.ID()) || !isInteger(dt.IndexType.ID()) {
			return nil, unsupported
		}
		s, err := Cast(a, dt.ValueType, mem)
		if err != nil {
			return nil, err
		}
		defer s.Release()
		return encodeDict(s, dt, mem)
	case fid == arrow.NULL:
		return array.MakeArrayOfNull(mem, to, a.Len()), nil
	case numOrBool(fid) && numOrBool(tid):
		return castNumeric(d, to, mem)
	case numOrBool(fid) && isString(tid):
		return formatNumbers(d, to, mem), nil
	case isString(fid) && numOrBool(tid):
		return parseNumbers(d, to, mem)
	case isBinaryLike(fid) && isBinaryLike(tid):
		return castBinary(d, to, mem), nil
	case isString(fid) && (tid == arrow.TIMESTAMP || tid == arrow.DATE32 || tid == arrow.DATE64):
		return parseTimes(d, to, mem)
	case isString(tid) && (fid == arrow.TIMESTAMP || fid == arrow.DATE32 || fid == arrow.DATE64):
		return formatTimes(d, to, mem), nil
	case isTemporal(fid) && isTemporal(tid):
		return castTemporal(d, to, mem)
	case isTemporal(fid) && isInteger(tid):
		st := storageOf(from)
		if tid == st.ID() {
			return relabel(d, to), nil
		}
		s := relabel(d, st)
		defer s.Release()
		return castNumeric(s.Data(), to, mem)
	case isInteger(fid) && isTemporal(tid):
		st := storageOf(to)
		if fid == st.ID() {
			return relabel(d, to), nil
		}
		s, err := castNumeric(d, st, mem)
		if err != nil {
			return nil, err
		}
		defer s.Release()
		return relabel(s.Data(), to), nil
	}
	return nil, unsupported
}

func numOrBool(id arrow.Type) bool { return isNumeric(id) || id == arrow.BOOL }

func isBinaryLike(id arrow.Type) bool {
	return isString(id) || id == arrow.BINARY || id == arrow.LARGE_BINARY
}

func isTemporal(id arrow.Type) bool {
	return id == arrow.TIMESTAMP || id == arrow.DATE32 || id == arrow.DATE64 || id == arrow.DURATION
}

// storageOf is the integer type a temporal type is stored as.
func storageOf(t arrow.DataType) arrow.DataType {
	if t.ID() == arrow.DATE32 {
		return arrow.PrimitiveTypes.Int32
	}
	return arrow.PrimitiveTypes.Int64
}

// relabel shares d's buffers under another type of the same layout.
func relabel(d arrow.ArrayData, to arrow.DataType) arrow.Array {
	bufs := d.Buffers()
	nulls := nullCount(d)
	if nulls == 0 && bufs[0] != nil {
		bufs = append([]*memory.Buffer{nil}, bufs[1:]...)
	}
	nd := array.NewData(to, d.Len(), bufs, nil, nulls, d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd)
}

func castErr(from, to arrow.DataType, row int, val string, cause error) error {
	return causef(ErrCast, cause, "cast %s to %s: row %d: %s", from, to, row, val)
}

// ---- numbers and booleans ----

func castNumeric(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	switch d.DataType().ID() {
	case arrow.BOOL:
		return castFromBool(d, to, mem), nil
	case arrow.INT8:
		return castFrom[int8](d, to, mem)
	case arrow.INT16:
		return castFrom[int16](d, to, mem)
	case arrow.INT32:
		return castFrom[int32](d, to, mem)
	case arrow.INT64:
		return castFrom[int64](d, to, mem)
	case arrow.UINT8:
		return castFrom[uint8](d, to, mem)
	case arrow.UINT16:
		return castFrom[uint16](d, to, mem)
	case arrow.UINT32:
		return castFrom[uint32](d, to, mem)
	case arrow.UINT64:
		return castFrom[uint64](d, to, mem)
	case arrow.FLOAT32:
		return castFrom[float32](d, to, mem)
	default:
		return castFrom[float64](d, to, mem)
	}
}

func castFrom[S number](d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	src := values[S](d)
	switch to.ID() {
	case arrow.BOOL:
		return numToBool(src, d, mem), nil
	case arrow.INT8:
		return convert[S, int8](src, d, to, mem)
	case arrow.INT16:
		return convert[S, int16](src, d, to, mem)
	case arrow.INT32:
		return convert[S, int32](src, d, to, mem)
	case arrow.INT64:
		return convert[S, int64](src, d, to, mem)
	case arrow.UINT8:
		return convert[S, uint8](src, d, to, mem)
	case arrow.UINT16:
		return convert[S, uint16](src, d, to, mem)
	case arrow.UINT32:
		return convert[S, uint32](src, d, to, mem)
	case arrow.UINT64:
		return convert[S, uint64](src, d, to, mem)
	case arrow.FLOAT32:
		return convert[S, float32](src, d, to, mem)
	default:
		return convert[S, float64](src, d, to, mem)
	}
}

func convert[S, D number](src []S, d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	n := len(src)
	buf, dst := newValues[D](mem, n)
	if row, bad := convertValues(src, dst, validBits(d), d.Offset()); bad {
		buf.Release()
		return nil, castErr(d.DataType(), to, row, pyFloat(float64(src[row]), 64), errors.New("not representable"))
	}
	valid, nulls := andValidity(mem, n, d)
	return newArray(to, n, nulls, valid, buf), nil
}

// convertValues converts src to dst. Only a float source into an integer
// target can fail: it reports the first valid row that is NaN, infinite
// or out of range.
func convertValues[S, D number](src []S, dst []D, valid []byte, off int) (int, bool) {
	dst = dst[:len(src)]
	var zs S
	var zd D
	srcFloat := isFloatT(zs)
	if !srcFloat || isFloatT(zd) {
		for i, v := range src {
			dst[i] = D(v)
		}
		return 0, false
	}
	lo, hi := intRange[D]()
	for i, v := range src {
		f := float64(v)
		if !(f > lo && f < hi) { // NaN fails both
			if valid == nil || bitAt(valid, off+i) {
				return i, true
			}
			f = 0
		}
		dst[i] = D(f)
	}
	return 0, false
}

// isFloatT reports whether T is a float type: 0.5 survives only there.
func isFloatT[T number](z T) bool {
	h := 0.5
	return T(h) != z
}

// intRange returns exclusive float bounds of the values that truncate
// into D.
func intRange[D number]() (lo, hi float64) {
	bits := sizeOf[D]() * 8
	var z D
	if z-1 > z { // unsigned
		return -1, math.Ldexp(1, bits)
	}
	return -math.Ldexp(1, bits-1) - 1, math.Ldexp(1, bits-1)
}

func numToBool[S number](src []S, d arrow.ArrayData, mem memory.Allocator) arrow.Array {
	n := len(src)
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	var tmp [chunk]bool
	for s := 0; s < n; s += chunk {
		e := min(s+chunk, n)
		t := tmp[:e-s]
		for i, v := range src[s:e] {
			t[i] = v != 0
		}
		packBools(t, bits.Bytes()[s/8:])
	}
	valid, nulls := andValidity(mem, n, d)
	return newBoolean(n, nulls, valid, bits)
}

func castFromBool(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) arrow.Array {
	switch to.ID() {
	case arrow.INT8:
		return boolTo[int8](d, to, mem)
	case arrow.INT16:
		return boolTo[int16](d, to, mem)
	case arrow.INT32:
		return boolTo[int32](d, to, mem)
	case arrow.INT64:
		return boolTo[int64](d, to, mem)
	case arrow.UINT8:
		return boolTo[uint8](d, to, mem)
	case arrow.UINT16:
		return boolTo[uint16](d, to, mem)
	case arrow.UINT32:
		return boolTo[uint32](d, to, mem)
	case arrow.UINT64:
		return boolTo[uint64](d, to, mem)
	case arrow.FLOAT32:
		return boolTo[float32](d, to, mem)
	default:
		return boolTo[float64](d, to, mem)
	}
}

func boolTo[D number](d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) arrow.Array {
	n := d.Len()
	buf, dst := newValues[D](mem, n)
	if n > 0 {
		src, off := d.Buffers()[1].Bytes(), d.Offset()
		for i := range dst {
			p := off + i
			dst[i] = D(src[p>>3] >> (p & 7) & 1)
		}
	}
	valid, nulls := andValidity(mem, n, d)
	return newArray(to, n, nulls, valid, buf)
}

// ---- strings ----

// eachString calls fn with row i's bytes for every valid row (the bytes
// alias d's buffer).
func eachString(d arrow.ArrayData, fn func(i int, b []byte) error) error {
	valid, off, data := validBits(d), d.Offset(), varData(d)
	if d.DataType().ID() == arrow.LARGE_STRING || d.DataType().ID() == arrow.LARGE_BINARY {
		o := offsets[int64](d)
		for i := 0; i < d.Len(); i++ {
			if valid == nil || bitAt(valid, off+i) {
				if err := fn(i, data[o[i]:o[i+1]]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	o := offsets[int32](d)
	for i := 0; i < d.Len(); i++ {
		if valid == nil || bitAt(valid, off+i) {
			if err := fn(i, data[o[i]:o[i+1]]); err != nil {
				return err
			}
		}
	}
	return nil
}

// view is a string sharing b's memory, for parsing and map lookups that
// do not keep it.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func parseNumbers(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	switch to.ID() {
	case arrow.BOOL:
		return parseBools(d, mem)
	case arrow.INT8:
		return parseInts[int8](d, to, 8, mem)
	case arrow.INT16:
		return parseInts[int16](d, to, 16, mem)
	case arrow.INT32:
		return parseInts[int32](d, to, 32, mem)
	case arrow.INT64:
		return parseInts[int64](d, to, 64, mem)
	case arrow.UINT8:
		return parseUints[uint8](d, to, 8, mem)
	case arrow.UINT16:
		return parseUints[uint16](d, to, 16, mem)
	case arrow.UINT32:
		return parseUints[uint32](d, to, 32, mem)
	case arrow.UINT64:
		return parseUints[uint64](d, to, 64, mem)
	case arrow.FLOAT32:
		return parseFloats[float32](d, to, 32, mem)
	default:
		return parseFloats[float64](d, to, 64, mem)
	}
}

// numErr unwraps strconv's error to its reason (invalid syntax, value out
// of range) and names the row and value.
func numErr(d arrow.ArrayData, to arrow.DataType, i int, b []byte, err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		err = ne.Err
	}
	return castErr(d.DataType(), to, i, strconv.Quote(string(b)), err)
}

func parseInts[D signed](d arrow.ArrayData, to arrow.DataType, bits int, mem memory.Allocator) (arrow.Array, error) {
	buf, dst := newValues[D](mem, d.Len())
	clear(dst) // null rows
	err := eachString(d, func(i int, b []byte) error {
		v, err := strconv.ParseInt(strings.TrimSpace(view(b)), 10, bits)
		if err != nil {
			return numErr(d, to, i, b, err)
		}
		dst[i] = D(v)
		return nil
	})
	return finishParsed(d, to, buf, err, mem)
}

func parseUints[D unsigned](d arrow.ArrayData, to arrow.DataType, bits int, mem memory.Allocator) (arrow.Array, error) {
	buf, dst := newValues[D](mem, d.Len())
	clear(dst)
	err := eachString(d, func(i int, b []byte) error {
		v, err := strconv.ParseUint(strings.TrimSpace(view(b)), 10, bits)
		if err != nil {
			return numErr(d, to, i, b, err)
		}
		dst[i] = D(v)
		return nil
	})
	return finishParsed(d, to, buf, err, mem)
}

func parseFloats[D float](d arrow.ArrayData, to arrow.DataType, bits int, mem memory.Allocator) (arrow.Array, error) {
	buf, dst := newValues[D](mem, d.Len())
	clear(dst)
	err := eachString(d, func(i int, b []byte) error {
		v, err := strconv.ParseFloat(strings.TrimSpace(view(b)), bits)
		if err != nil {
			return numErr(d, to, i, b, err)
		}
		dst[i] = D(v)
		return nil
	})
	return finishParsed(d, to, buf, err, mem)
}

func parseBools(d arrow.ArrayData, mem memory.Allocator) (arrow.Array, error) {
	bits := newBitmap(mem, d.Len())
	err := eachString(d, func(i int, b []byte) error {
		v, err := strconv.ParseBool(strings.TrimSpace(view(b)))
		if err != nil {
			return numErr(d, arrow.FixedWidthTypes.Boolean, i, b, err)
		}
		if v {
			bitutil.SetBit(bits.Bytes(), i)
		}
		return nil
	})
	return finishParsed(d, arrow.FixedWidthTypes.Boolean, bits, err, mem)
}

func finishParsed(d arrow.ArrayData, to arrow.DataType, buf *memory.Buffer, err error, mem memory.Allocator) (arrow.Array, error) {
	if err != nil {
		buf.Release()
		return nil, err
	}
	valid, nulls := andValidity(mem, d.Len(), d)
	return newArray(to, d.Len(), nulls, valid, buf), nil
}

// formatNumbers renders numbers (pandas' astype(str)); each value is
// appended from a stack scratch, so no row allocates.
func formatNumbers(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) arrow.Array {
	n := d.Len()
	b := array.NewBinaryBuilder(mem, to.(arrow.BinaryDataType))
	defer b.Release()
	b.Reserve(n)
	b.ReserveData(n * 4)
	valid, off := validBits(d), d.Offset()
	var scratch [64]byte
	for i := 0; i < n; i++ {
		if valid != nil && !bitAt(valid, off+i) {
			b.AppendNull()
			continue
		}
		b.Append(appendNumber(scratch[:0], d, i))
	}
	return newVarArray(b)
}

func appendNumber(s []byte, d arrow.ArrayData, i int) []byte {
	switch d.DataType().ID() {
	case arrow.BOOL:
		if bitAt(d.Buffers()[1].Bytes(), d.Offset()+i) {
			return append(s, "True"...)
		}
		return append(s, "False"...)
	case arrow.INT8:
		return strconv.AppendInt(s, int64(values[int8](d)[i]), 10)
	case arrow.INT16:
		return strconv.AppendInt(s, int64(values[int16](d)[i]), 10)
	case arrow.INT32:
		return strconv.AppendInt(s, int64(values[int32](d)[i]), 10)
	case arrow.INT64:
		return strconv.AppendInt(s, values[int64](d)[i], 10)
	case arrow.UINT8:
		return strconv.AppendUint(s, uint64(values[uint8](d)[i]), 10)
	case arrow.UINT16:
		return strconv.AppendUint(s, uint64(values[uint16](d)[i]), 10)
	case arrow.UINT32:
		return strconv.AppendUint(s, uint64(values[uint32](d)[i]), 10)
	case arrow.UINT64:
		return strconv.AppendUint(s, values[uint64](d)[i], 10)
	case arrow.FLOAT32:
		return append(s, pyFloat(float64(values[float32](d)[i]), 32)...)
	}
	return append(s, pyFloat(values[float64](d)[i], 64)...)
}

// castBinary converts between string, large string and binary: the same
// bytes, offsets rewritten when their width changes.
func castBinary(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) arrow.Array {
	fromLarge := d.DataType().Layout().Buffers[1].ByteWidth == 8
	toLarge := to.Layout().Buffers[1].ByteWidth == 8
	if fromLarge == toLarge {
		return relabel(d, to)
	}
	n := d.Len()
	ob := array.NewBinaryBuilder(mem, to.(arrow.BinaryDataType))
	defer ob.Release()
	ob.Reserve(n)
	valid, off := validBits(d), d.Offset()
	if fromLarge {
		o := offsets[int64](d)
		ob.ReserveData(int(o[n] - o[0]))
		for i := range n {
			appendRow(ob, valid, off, i, varData(d)[o[i]:o[i+1]])
		}
	} else {
		o := offsets[int32](d)
		ob.ReserveData(int(o[n] - o[0]))
		for i := range n {
			appendRow(ob, valid, off, i, varData(d)[o[i]:o[i+1]])
		}
	}
	return newVarArray(ob)
}

func appendRow(b *array.BinaryBuilder, valid []byte, off, i int, v []byte) {
	if valid != nil && !bitAt(valid, off+i) {
		b.AppendNull()
		return
	}
	b.Append(v)
}

// encodeDict dictionary-encodes strings in first-appearance order. The
// map's keys alias s's buffer, which outlives the map.
func encodeDict(s arrow.Array, dt *arrow.DictionaryType, mem memory.Allocator) (arrow.Array, error) {
	d := s.Data()
	n := d.Len()
	codes := make([]int64, n)
	seen := make(map[string]int64)
	vb := array.NewBinaryBuilder(mem, dt.ValueType.(arrow.BinaryDataType))
	defer vb.Release()
	eachString(d, func(i int, b []byte) error {
		c, ok := seen[view(b)]
		if !ok {
			c = int64(len(seen))
			seen[view(b)] = c
			vb.Append(b)
		}
		codes[i] = c
		return nil
	})
	if bits := dt.IndexType.(arrow.FixedWidthDataType).BitWidth(); bits < 64 && len(seen) > 0 {
		if !isSigned(dt.IndexType.ID()) {
			bits++ // unsigned indices have one more bit of range
		}
		if uint64(len(seen)-1) >= 1<<(bits-1) {
			return nil, errorf(ErrCast, "cast %s to %s: %d distinct values overflow the index type", d.DataType(), dt, len(seen))
		}
	}
	dict := newVarArray(vb)
	defer dict.Release()
	ca := array.NewInt64Data(array.NewData(arrow.PrimitiveTypes.Int64, n, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.GetBytes(codes))}, nil, 0, 0))
	defer ca.Release()
	idx, err := castNumeric(ca.Data(), dt.IndexType, mem)
	if err != nil {
		return nil, err
	}
	defer idx.Release()
	valid, nulls := andValidity(mem, n, d)
	bufs := []*memory.Buffer{valid, idx.Data().Buffers()[1]}
	out := array.NewDataWithDictionary(dt, n, bufs, nulls, 0, dict.Data().(*array.Data))
	if valid != nil {
		valid.Release()
	}
	defer out.Release()
	return array.MakeFromData(out), nil
}

// ---- time ----

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00"}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date or time (want RFC 3339, 2006-01-02 or 2006-01-02 15:04:05)")
}

func parseTimes(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	n := d.Len()
	if to.ID() == arrow.DATE32 {
		buf, dst := newValues[int32](mem, n)
		clear(dst)
		err := eachString(d, func(i int, b []byte) error {
			t, err := parseTime(strings.TrimSpace(view(b)))
			if err != nil {
				return castErr(d.DataType(), to, i, strconv.Quote(string(b)), err)
			}
			dst[i] = int32(floorDiv(t.Unix(), 86400))
			return nil
		})
		return finishParsed(d, to, buf, err, mem)
	}
	ps, unit := int64(1000), arrow.Millisecond // date64
	if ts, ok := to.(*arrow.TimestampType); ok {
		ps, unit = unitsPerSecond(ts.Unit), ts.Unit
	}
	buf, dst := newValues[int64](mem, n)
	clear(dst)
	err := eachString(d, func(i int, b []byte) error {
		t, err := parseTime(strings.TrimSpace(view(b)))
		if err != nil {
			return castErr(d.DataType(), to, i, strconv.Quote(string(b)), err)
		}
		dst[i] = t.Unix()*ps + int64(t.Nanosecond())/int64(unit.Multiplier())
		return nil
	})
	return finishParsed(d, to, buf, err, mem)
}

func formatTimes(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) arrow.Array {
	n := d.Len()
	b := array.NewBinaryBuilder(mem, to.(arrow.BinaryDataType))
	defer b.Release()
	b.Reserve(n)
	valid, off := validBits(d), d.Offset()
	var scratch [64]byte
	for i := 0; i < n; i++ {
		if valid != nil && !bitAt(valid, off+i) {
			b.AppendNull()
			continue
		}
		var t time.Time
		layout := "2006-01-02"
		switch dt := d.DataType().(type) {
		case *arrow.TimestampType:
			t, layout = tickTime(values[int64](d)[i], dt.Unit), "2006-01-02 15:04:05.999999999"
		case *arrow.Date32Type:
			t = time.Unix(int64(values[int32](d)[i])*86400, 0).UTC()
		default:
			t = tickTime(values[int64](d)[i], arrow.Millisecond)
		}
		b.Append(t.AppendFormat(scratch[:0], layout))
	}
	return newVarArray(b)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// ticksPerSecond gives a temporal type's scale as (ticks, per seconds):
// date32 counts one tick per 86400 seconds.
func ticksPerSecond(t arrow.DataType) (num, den int64) {
	switch t := t.(type) {
	case *arrow.TimestampType:
		return unitsPerSecond(t.Unit), 1
	case *arrow.DurationType:
		return unitsPerSecond(t.Unit), 1
	case *arrow.Date64Type:
		return 1000, 1
	}
	return 1, 86400
}

// castTemporal rescales between timestamps (any unit), dates, and between
// durations; going coarser floors.
func castTemporal(d arrow.ArrayData, to arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	from := d.DataType()
	if (from.ID() == arrow.DURATION) != (to.ID() == arrow.DURATION) {
		return nil, errorf(ErrType, "cast %s to %s: unsupported", from, to)
	}
	fn, fd := ticksPerSecond(from)
	tn, td := ticksPerSecond(to)
	// to ticks = from ticks * (tn*fd) / (fn*td)
	mul, div := tn*fd, fn*td
	if g := gcd(mul, div); g > 1 {
		mul, div = mul/g, div/g
	}
	n := d.Len()
	var buf *memory.Buffer
	if to.ID() == arrow.DATE32 {
		var dst []int32
		buf, dst = newValues[int32](mem, n)
		rescale(values[int64](d), mul, div, dst) // only timestamps and date64 reach date32
	} else {
		var dst []int64
		buf, dst = newValues[int64](mem, n)
		if from.ID() == arrow.DATE32 {
			rescale(values[int32](d), mul, div, dst)
		} else {
			rescale(values[int64](d), mul, div, dst)
		}
	}
	valid, nulls := andValidity(mem, n, d)
	return newArray(to, n, nulls, valid, buf), nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func rescale[S, D int32 | int64](src []S, mul, div int64, dst []D) {
	dst = dst[:len(src)]
	if div == 1 {
		for i, v := range src {
			dst[i] = D(int64(v) * mul)
		}
		return
	}
	for i, v := range src {
		dst[i] = D(floorDiv(int64(v)*mul, div))
	}
}
