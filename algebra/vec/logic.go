package vec

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func checkLogic(op LogicOp, t arrow.DataType) error {
	if t.ID() != arrow.BOOL {
		return typeErr(op.String(), t, nil)
	}
	return nil
}

// And is Kleene AND, as pandas' nullable boolean: false AND null is
// false, true AND null is null. Operands are booleans (either may be a
// scalar, null included).
func And(a, b Datum, mem memory.Allocator) (*array.Boolean, error) {
	return logic(LogicAnd, a, b, mem)
}

// Or is Kleene OR: true OR null is true, false OR null is null.
func Or(a, b Datum, mem memory.Allocator) (*array.Boolean, error) {
	return logic(LogicOr, a, b, mem)
}

// Xor is exclusive or; a null operand makes the row null.
func Xor(a, b Datum, mem memory.Allocator) (*array.Boolean, error) {
	return logic(LogicXor, a, b, mem)
}

// Not negates booleans; nulls stay null.
func Not(a arrow.Array, mem memory.Allocator) (*array.Boolean, error) {
	mem = allocator(mem)
	if err := checkLogic(LogicNot, a.DataType()); err != nil {
		return nil, err
	}
	d := a.Data()
	n := d.Len()
	bits := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	if n > 0 {
		bitutil.InvertBitmap(d.Buffers()[1].Bytes(), d.Offset(), n, bits.Bytes(), 0)
	}
	valid, nulls := andValidity(mem, n, d)
	return newBoolean(n, nulls, valid, bits), nil
}

// boolBits returns x's value and validity bits for n rows, aligned to bit
// 0; validity is nil when every row is valid. A scalar is broadcast.
func boolBits(x Datum, n int) (val, valid []byte) {
	nb := int(bitutil.BytesForBits(int64(n)))
	if x.Array != nil {
		d := x.Array.Data()
		if n > 0 {
			val = aligned(d.Buffers()[1].Bytes(), d.Offset(), n)
		}
		if v := validBits(d); v != nil {
			valid = aligned(v, d.Offset(), n)
		}
		return val, valid
	}
	val = make([]byte, nb)
	if x.Scalar.Bool && !x.Scalar.Null {
		fill(val, 0xFF)
	}
	if x.Scalar.Null {
		valid = make([]byte, nb)
	}
	return val, valid
}

func fill(b []byte, v byte) {
	for i := range b {
		b[i] = v
	}
}

func logic(op LogicOp, a, b Datum, mem memory.Allocator) (*array.Boolean, error) {
	mem = allocator(mem)
	n, err := binaryLen(op.String(), a, b)
	if err != nil {
		return nil, err
	}
	if err := checkLogic(op, a.Type()); err != nil {
		return nil, err
	}
	if err := checkLogic(op, b.Type()); err != nil {
		return nil, err
	}
	x, xm := boolBits(a, n)
	y, ym := boolBits(b, n)
	nb := len(x)
	y = y[:nb]
	bits := newBuf(mem, nb)
	out := bits.Bytes()[:nb]
	switch op {
	case LogicAnd:
		for i := range x {
			out[i] = x[i] & y[i]
		}
	case LogicOr:
		for i := range x {
			out[i] = x[i] | y[i]
		}
	default:
		for i := range x {
			out[i] = x[i] ^ y[i]
		}
	}
	if xm == nil && ym == nil {
		return newBoolean(n, 0, nil, bits), nil
	}
	if xm == nil {
		xm = make([]byte, nb)
		fill(xm, 0xFF)
	}
	if ym == nil {
		ym = make([]byte, nb)
		fill(ym, 0xFF)
	}
	xm, ym = xm[:nb], ym[:nb]
	valid := newBuf(mem, nb)
	vm := valid.Bytes()[:nb]
	// A row is known when both sides are, or when one known side decides
	// it alone (false for AND, true for OR).
	switch op {
	case LogicAnd:
		for i := range vm {
			vm[i] = xm[i]&ym[i] | xm[i]&^x[i] | ym[i]&^y[i]
		}
	case LogicOr:
		for i := range vm {
			vm[i] = xm[i]&ym[i] | xm[i]&x[i] | ym[i]&y[i]
		}
	default:
		for i := range vm {
			vm[i] = xm[i] & ym[i]
		}
	}
	nulls := n - bitutil.CountSetBits(vm, 0, n)
	if nulls == 0 {
		valid.Release()
		valid = nil
	}
	return newBoolean(n, nulls, valid, bits), nil
}

// IsNull reports which rows are missing, as pandas' isna: nulls, NaN in
// float columns, and rows whose dictionary entry is null. The result has
// no nulls.
func IsNull(a arrow.Array, mem memory.Allocator) *array.Boolean {
	return isNull(a, false, allocator(mem))
}

// IsNotNull is the negation of IsNull.
func IsNotNull(a arrow.Array, mem memory.Allocator) *array.Boolean {
	return isNull(a, true, allocator(mem))
}

func isNull(a arrow.Array, negate bool, mem memory.Allocator) *array.Boolean {
	d := a.Data()
	n := d.Len()
	bits := newBitmap(mem, n)
	out := bits.Bytes()
	switch {
	case d.DataType().ID() == arrow.NULL:
		fill(out, 0xFF)
	case validBits(d) != nil:
		bitutil.InvertBitmap(validBits(d), d.Offset(), n, out, 0)
	}
	var tmp [chunk]bool
	or := func(s int, t []bool) { // OR a chunk's decisions into out
		var packed [chunk / 8]byte
		packBools(t, packed[:])
		for i := range (len(t) + 7) / 8 {
			out[s/8+i] |= packed[i]
		}
	}
	switch dt := d.DataType().(type) {
	case *arrow.Float32Type:
		v := values[float32](d)
		for s := 0; s < n; s += chunk {
			e := min(s+chunk, n)
			isNaN(v[s:e], tmp[:e-s])
			or(s, tmp[:e-s])
		}
	case *arrow.Float64Type:
		v := values[float64](d)
		for s := 0; s < n; s += chunk {
			e := min(s+chunk, n)
			isNaN(v[s:e], tmp[:e-s])
			or(s, tmp[:e-s])
		}
	case *arrow.DictionaryType:
		dict := a.(*array.Dictionary).Dictionary()
		if dict.NullN() == 0 && !isFloat(dt.ValueType.ID()) {
			break
		}
		na := IsNull(dict, mem)
		table := make([]bool, dict.Len())
		for k := range table {
			table[k] = na.Value(k)
		}
		na.Release()
		for s := 0; s < n; s += chunk {
			e := min(s+chunk, n)
			lookupCodes(d, s, e, table, tmp[:e-s])
			or(s, tmp[:e-s])
		}
	}
	if negate {
		invertBits(out, n)
	}
	return newBoolean(n, 0, nil, bits)
}

func isNaN[T float](v []T, out []bool) {
	out = out[:len(v)]
	for i, x := range v {
		out[i] = x != x
	}
}
