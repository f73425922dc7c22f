package vec

import (
	"bytes"
	"cmp"
	"slices"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

type cmpKind int8

const (
	cmpNum  cmpKind = iota // numeric or temporal storage, compared as compute
	cmpBool                // booleans, compared as bits (false < true)
	cmpStr                 // (large) strings, by bytes
	cmpDict                // a dictionary of strings on at least one side
)

type cmpPlan struct {
	kind    cmpKind
	compute arrow.DataType
}

// planCompare decides how to compare a with b. Integers compare exactly
// (int64 or uint64 when the types differ; uint64 against a signed type
// goes through float64); any float makes it float64 (float32 with float32
// stays float32); bool counts as an integer against numbers; strings and
// dictionaries of strings compare by bytes; temporal types compare with
// their own kind (timestamps and durations of the same unit; time zones
// do not matter, the ticks are UTC).
func planCompare(op CmpOp, a, b arrow.DataType) (cmpPlan, error) {
	ida, idb := a.ID(), b.ID()
	if ida == arrow.BOOL && idb == arrow.BOOL {
		return cmpPlan{kind: cmpBool}, nil
	}
	if na, oka := numericKind(a); oka {
		if nb, okb := numericKind(b); okb {
			return cmpPlan{kind: cmpNum, compute: compareNumeric(na, nb)}, nil
		}
	}
	strA, strB := isString(ida) || isStringDict(a), isString(idb) || isStringDict(b)
	switch {
	case strA && strB && (ida == arrow.DICTIONARY || idb == arrow.DICTIONARY):
		return cmpPlan{kind: cmpDict}, nil
	case strA && strB:
		return cmpPlan{kind: cmpStr}, nil
	case ida != idb:
	case ida == arrow.DATE32:
		return cmpPlan{kind: cmpNum, compute: arrow.PrimitiveTypes.Int32}, nil
	case ida == arrow.DATE64:
		return cmpPlan{kind: cmpNum, compute: arrow.PrimitiveTypes.Int64}, nil
	case ida == arrow.TIMESTAMP && a.(*arrow.TimestampType).Unit == b.(*arrow.TimestampType).Unit,
		ida == arrow.DURATION && a.(*arrow.DurationType).Unit == b.(*arrow.DurationType).Unit:
		return cmpPlan{kind: cmpNum, compute: arrow.PrimitiveTypes.Int64}, nil
	}
	return cmpPlan{}, typeErr(op.String(), a, b)
}

func compareNumeric(a, b arrow.DataType) arrow.DataType {
	ida, idb := a.ID(), b.ID()
	switch {
	case ida == arrow.FLOAT32 && idb == arrow.FLOAT32:
		return a
	case isFloat(ida) || isFloat(idb):
		return arrow.PrimitiveTypes.Float64
	case ida == idb:
		return a
	case isSigned(ida) && isSigned(idb):
		return arrow.PrimitiveTypes.Int64
	case isUnsigned(ida) && isUnsigned(idb):
		return arrow.PrimitiveTypes.Uint64
	case ida == arrow.UINT64 || idb == arrow.UINT64:
		return arrow.PrimitiveTypes.Float64
	}
	return arrow.PrimitiveTypes.Int64
}

// Compare applies op element-wise and returns booleans; a null in either
// operand makes the row null, and NaN compares as IEEE says (NaN != NaN).
// The operand types it accepts are those of ResultType: numbers of any
// width against each other, booleans, strings (by bytes), dictionaries of
// strings against strings or other dictionaries, and like-typed dates,
// timestamps and durations. A dictionary against a string scalar compares
// each dictionary entry once and then maps the codes; two dictionaries
// compare by each entry's rank in their sorted union, so neither compares
// strings per row.
func Compare(op CmpOp, a, b Datum, mem memory.Allocator) (*array.Boolean, error) {
	mem = allocator(mem)
	n, err := binaryLen(op.String(), a, b)
	if err != nil {
		return nil, err
	}
	p, err := planCompare(op, a.Type(), b.Type())
	if err != nil {
		return nil, err
	}
	if a.Scalar != nil && a.Scalar.Null || b.Scalar != nil && b.Scalar.Null {
		return array.MakeArrayOfNull(mem, arrow.FixedWidthTypes.Boolean, n).(*array.Boolean), nil
	}
	if a.Array == nil { // keep the array on the left: a op s == s flip(op) a
		a, b, op = b, a, op.flip()
	}
	switch p.kind {
	case cmpBool:
		return compareBools(op, a, b, n, mem), nil
	case cmpStr:
		return compareStrings(op, a.Array.Data(), b, n, mem), nil
	case cmpDict:
		return compareDict(op, a, b, n, mem)
	}
	x, err := prepare(a, p.compute, mem)
	if err != nil {
		return nil, err
	}
	defer x.release()
	y, err := prepare(b, p.compute, mem)
	if err != nil {
		return nil, err
	}
	defer y.release()
	switch p.compute.ID() {
	case arrow.INT8:
		return compareNums[int8](op, x, y, n, mem), nil
	case arrow.INT16:
		return compareNums[int16](op, x, y, n, mem), nil
	case arrow.INT32:
		return compareNums[int32](op, x, y, n, mem), nil
	case arrow.INT64:
		return compareNums[int64](op, x, y, n, mem), nil
	case arrow.UINT8:
		return compareNums[uint8](op, x, y, n, mem), nil
	case arrow.UINT16:
		return compareNums[uint16](op, x, y, n, mem), nil
	case arrow.UINT32:
		return compareNums[uint32](op, x, y, n, mem), nil
	case arrow.UINT64:
		return compareNums[uint64](op, x, y, n, mem), nil
	case arrow.FLOAT32:
		return compareNums[float32](op, x, y, n, mem), nil
	default:
		return compareNums[float64](op, x, y, n, mem), nil
	}
}

func newBoolean(n, nulls int, valid, bits *memory.Buffer) *array.Boolean {
	return newArray(arrow.FixedWidthTypes.Boolean, n, nulls, valid, bits).(*array.Boolean)
}

func compareNums[T number](op CmpOp, x, y operand, n int, mem memory.Allocator) *array.Boolean {
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	if y.d != nil {
		cmpSlices(op, values[T](x.d), values[T](y.d), bits.Bytes())
	} else {
		cmpSliceScalar(op, values[T](x.d), scalarValue[T](y.s), bits.Bytes())
	}
	valid, nulls := andValidity(mem, n, x.d, y.d)
	return newBoolean(n, nulls, valid, bits)
}

// cmpSlices writes a[i] op b[i] into the bitmap out, a chunk at a time.
// Ne is computed as Eq and inverted; Gt and Ge swap the operands.
func cmpSlices[T cmp.Ordered](op CmpOp, a, b []T, out []byte) {
	neg := op == Ne
	switch op {
	case Ne:
		op = Eq
	case Gt, Ge:
		a, b, op = b, a, op.flip()
	}
	var tmp [chunk]bool
	for s := 0; s < len(a); s += chunk {
		e := min(s+chunk, len(a))
		cmpAA(op, a[s:e], b[s:e], tmp[:e-s])
		packBools(tmp[:e-s], out[s/8:])
	}
	if neg {
		invertBits(out, len(a))
	}
}

func cmpSliceScalar[T cmp.Ordered](op CmpOp, a []T, s T, out []byte) {
	neg := op == Ne
	if neg {
		op = Eq
	}
	var tmp [chunk]bool
	for i := 0; i < len(a); i += chunk {
		e := min(i+chunk, len(a))
		cmpAS(op, a[i:e], s, tmp[:e-i])
		packBools(tmp[:e-i], out[i/8:])
	}
	if neg {
		invertBits(out, len(a))
	}
}

// cmpAA handles Eq, Lt and Le.
func cmpAA[T cmp.Ordered](op CmpOp, a, b []T, out []bool) {
	b, out = b[:len(a)], out[:len(a)]
	switch op {
	case Eq:
		for i := range a {
			out[i] = a[i] == b[i]
		}
	case Lt:
		for i := range a {
			out[i] = a[i] < b[i]
		}
	case Le:
		for i := range a {
			out[i] = a[i] <= b[i]
		}
	}
}

// cmpAS handles Eq, Lt, Le, Gt and Ge.
func cmpAS[T cmp.Ordered](op CmpOp, a []T, s T, out []bool) {
	out = out[:len(a)]
	switch op {
	case Eq:
		for i := range a {
			out[i] = a[i] == s
		}
	case Lt:
		for i := range a {
			out[i] = a[i] < s
		}
	case Le:
		for i := range a {
			out[i] = a[i] <= s
		}
	case Gt:
		for i := range a {
			out[i] = a[i] > s
		}
	case Ge:
		for i := range a {
			out[i] = a[i] >= s
		}
	}
}

// compareBools compares bitmaps a byte at a time (false < true).
func compareBools(op CmpOp, a, b Datum, n int, mem memory.Allocator) *array.Boolean {
	ad := a.Array.Data()
	x := aligned(ad.Buffers()[1].Bytes(), ad.Offset(), n)
	var y []byte
	var bd arrow.ArrayData
	if b.Array != nil {
		bd = b.Array.Data()
		y = aligned(bd.Buffers()[1].Bytes(), bd.Offset(), n)
	} else {
		y = make([]byte, len(x))
		if b.Scalar.Bool {
			for i := range y {
				y[i] = 0xFF
			}
		}
	}
	bits := newBuf(mem, len(x))
	out := bits.Bytes()[:len(x)]
	y = y[:len(x)]
	switch op {
	case Eq:
		for i := range x {
			out[i] = ^(x[i] ^ y[i])
		}
	case Ne:
		for i := range x {
			out[i] = x[i] ^ y[i]
		}
	case Lt:
		for i := range x {
			out[i] = ^x[i] & y[i]
		}
	case Le:
		for i := range x {
			out[i] = ^x[i] | y[i]
		}
	case Gt:
		for i := range x {
			out[i] = x[i] &^ y[i]
		}
	case Ge:
		for i := range x {
			out[i] = x[i] | ^y[i]
		}
	}
	valid, nulls := andValidity(mem, n, ad, bd)
	return newBoolean(n, nulls, valid, bits)
}

// truth maps bytes.Compare's -1, 0, 1 (shifted by one) to op's answer, so
// the string loops do not branch on op per row.
func truth(op CmpOp) [3]bool {
	switch op {
	case Eq:
		return [3]bool{false, true, false}
	case Ne:
		return [3]bool{true, false, true}
	case Lt:
		return [3]bool{true, false, false}
	case Le:
		return [3]bool{true, true, false}
	case Gt:
		return [3]bool{false, false, true}
	}
	return [3]bool{false, true, true}
}

func compareStrings(op CmpOp, ad arrow.ArrayData, b Datum, n int, mem memory.Allocator) *array.Boolean {
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	tbl := truth(op)
	var bd arrow.ArrayData
	if b.Array != nil {
		bd = b.Array.Data()
		large := [2]bool{ad.DataType().ID() == arrow.LARGE_STRING, bd.DataType().ID() == arrow.LARGE_STRING}
		switch large {
		case [2]bool{false, false}:
			strAA(tbl, offsets[int32](ad), varData(ad), offsets[int32](bd), varData(bd), bits.Bytes())
		case [2]bool{false, true}:
			strAA(tbl, offsets[int32](ad), varData(ad), offsets[int64](bd), varData(bd), bits.Bytes())
		case [2]bool{true, false}:
			strAA(tbl, offsets[int64](ad), varData(ad), offsets[int32](bd), varData(bd), bits.Bytes())
		default:
			strAA(tbl, offsets[int64](ad), varData(ad), offsets[int64](bd), varData(bd), bits.Bytes())
		}
	} else if ad.DataType().ID() == arrow.LARGE_STRING {
		strAS(tbl, offsets[int64](ad), varData(ad), []byte(b.Scalar.Str), bits.Bytes())
	} else {
		strAS(tbl, offsets[int32](ad), varData(ad), []byte(b.Scalar.Str), bits.Bytes())
	}
	valid, nulls := andValidity(mem, n, ad, bd)
	return newBoolean(n, nulls, valid, bits)
}

func strAA[OA, OB int32 | int64](tbl [3]bool, ao []OA, ad []byte, bo []OB, bd []byte, out []byte) {
	var tmp [chunk]bool
	n := len(ao) - 1
	for s := 0; s < n; s += chunk {
		e := min(s+chunk, n)
		t := tmp[:e-s]
		for i := range t {
			j := s + i
			t[i] = tbl[bytes.Compare(ad[ao[j]:ao[j+1]], bd[bo[j]:bo[j+1]])+1]
		}
		packBools(t, out[s/8:])
	}
}

func strAS[O int32 | int64](tbl [3]bool, ao []O, ad []byte, v []byte, out []byte) {
	var tmp [chunk]bool
	n := len(ao) - 1
	for s := 0; s < n; s += chunk {
		e := min(s+chunk, n)
		t := tmp[:e-s]
		for i := range t {
			j := s + i
			t[i] = tbl[bytes.Compare(ad[ao[j]:ao[j+1]], v)+1]
		}
		packBools(t, out[s/8:])
	}
}

// compareDict compares when a dictionary of strings is on at least one
// side (a is an array; b an array or a scalar).
func compareDict(op CmpOp, a, b Datum, n int, mem memory.Allocator) (*array.Boolean, error) {
	da, aDict := a.Array.(*array.Dictionary)
	var db *array.Dictionary
	if b.Array != nil {
		db, _ = b.Array.(*array.Dictionary)
	}
	switch {
	case aDict && b.Scalar != nil && da.Dictionary().NullN() == 0:
		return compareDictScalar(op, da, b, n, mem)
	case aDict && db != nil && da.Dictionary().NullN() == 0 && db.Dictionary().NullN() == 0:
		return compareDictDict(op, da, db, n, mem), nil
	}
	// A dictionary against a plain string array, or a dictionary with
	// null entries: decode to strings and compare those.
	x, err := decodeDatum(a, mem)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	if b.Array != nil {
		y, err := decodeDatum(b, mem)
		if err != nil {
			return nil, err
		}
		defer y.Release()
		b = ArrayOf(y)
	}
	return compareStrings(op, x.Data(), b, n, mem), nil
}

// decodeDatum returns x's array as plain strings (retained when it
// already is).
func decodeDatum(x Datum, mem memory.Allocator) (arrow.Array, error) {
	if d, ok := x.Array.(*array.Dictionary); ok {
		return decodeDict(d, mem)
	}
	x.Array.Retain()
	return x.Array, nil
}

func compareDictScalar(op CmpOp, da *array.Dictionary, b Datum, n int, mem memory.Allocator) (*array.Boolean, error) {
	dict := da.Dictionary()
	per, err := Compare(op, ArrayOf(dict), b, mem) // once per entry
	if err != nil {
		return nil, err
	}
	table := make([]bool, dict.Len())
	for k := range table {
		table[k] = per.Value(k)
	}
	per.Release()
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	d := da.Data()
	var tmp [chunk]bool
	for s := 0; s < n; s += chunk {
		e := min(s+chunk, n)
		lookupCodes(d, s, e, table, tmp[:e-s])
		packBools(tmp[:e-s], bits.Bytes()[s/8:])
	}
	valid, nulls := andValidity(mem, n, d)
	return newBoolean(n, nulls, valid, bits), nil
}

// compareDictDict ranks every entry of both dictionaries in their sorted
// union, maps codes to ranks, and compares the ranks as integers.
func compareDictDict(op CmpOp, da, db *array.Dictionary, n int, mem memory.Allocator) *array.Boolean {
	ea, eb := dictStrings(da.Dictionary()), dictStrings(db.Dictionary())
	union := slices.Concat(ea, eb)
	slices.Sort(union)
	union = slices.Compact(union)
	rank := func(es []string) []int32 {
		r := make([]int32, len(es))
		for k, s := range es {
			i, _ := slices.BinarySearch(union, s)
			r[k] = int32(i)
		}
		return r
	}
	ra, rb := make([]int32, n), make([]int32, n)
	lookupCodes(da.Data(), 0, n, rank(ea), ra)
	lookupCodes(db.Data(), 0, n, rank(eb), rb)
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	cmpSlices(op, ra, rb, bits.Bytes())
	valid, nulls := andValidity(mem, n, da.Data(), db.Data())
	return newBoolean(n, nulls, valid, bits)
}

// dictStrings views a (large) string array's values as strings sharing
// its memory; they must not outlive it.
func dictStrings(a arrow.Array) []string {
	d := a.Data()
	out := make([]string, d.Len())
	data := varData(d)
	view := func(lo, hi int64) string {
		if hi == lo {
			return ""
		}
		return unsafe.String(&data[lo], int(hi-lo))
	}
	if d.DataType().ID() == arrow.LARGE_STRING {
		o := offsets[int64](d)
		for i := range out {
			out[i] = view(o[i], o[i+1])
		}
	} else {
		o := offsets[int32](d)
		for i := range out {
			out[i] = view(int64(o[i]), int64(o[i+1]))
		}
	}
	return out
}

// lookupCodes writes table[code] for rows [s, e) of the dictionary array
// d into out, dispatching on the index type once.
func lookupCodes[V any](d arrow.ArrayData, s, e int, table []V, out []V) {
	switch d.DataType().(*arrow.DictionaryType).IndexType.ID() {
	case arrow.INT8:
		lookup(values[int8](d)[s:e], table, out)
	case arrow.INT16:
		lookup(values[int16](d)[s:e], table, out)
	case arrow.INT32:
		lookup(values[int32](d)[s:e], table, out)
	case arrow.INT64:
		lookup(values[int64](d)[s:e], table, out)
	case arrow.UINT8:
		lookup(values[uint8](d)[s:e], table, out)
	case arrow.UINT16:
		lookup(values[uint16](d)[s:e], table, out)
	case arrow.UINT32:
		lookup(values[uint32](d)[s:e], table, out)
	case arrow.UINT64:
		lookup(values[uint64](d)[s:e], table, out)
	}
}

// lookup maps codes through table. A null row's code is unspecified in
// Arrow and may be out of range; it maps to the zero value.
func lookup[I integer, V any](codes []I, table []V, out []V) {
	out = out[:len(codes)]
	for i, c := range codes {
		if uint64(c) < uint64(len(table)) {
			out[i] = table[c]
		} else {
			var z V
			out[i] = z
		}
	}
}
