package vec

import (
	"math"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// arithPlan is how Arith evaluates one operator on two types: operands are
// converted to compute (a numeric type, or int64 for temporal storage),
// the kernel runs on it, and the result is labelled result.
type arithPlan struct {
	result, compute arrow.DataType
}

// numericKind maps bool to int64 (pandas counts booleans as integers) and
// reports whether t takes part in numeric arithmetic.
func numericKind(t arrow.DataType) (arrow.DataType, bool) {
	if t.ID() == arrow.BOOL {
		return arrow.PrimitiveTypes.Int64, true
	}
	return t, isNumeric(t.ID())
}

var intBits = map[arrow.Type]int{
	arrow.INT8: 8, arrow.INT16: 16, arrow.INT32: 32, arrow.INT64: 64,
	arrow.UINT8: 8, arrow.UINT16: 16, arrow.UINT32: 32, arrow.UINT64: 64,
}

// promoteInts is the integer result of mixing a and b: the same type
// stays; same signedness gives the wider; a signed type wider than the
// unsigned one wins; anything else (uint64 with a signed type) is int64,
// where pandas would go to float64.
func promoteInts(a, b arrow.DataType) arrow.DataType {
	if a.ID() == b.ID() {
		return a
	}
	wa, wb := intBits[a.ID()], intBits[b.ID()]
	sa, sb := isSigned(a.ID()), isSigned(b.ID())
	switch {
	case sa == sb && wa >= wb:
		return a
	case sa == sb:
		return b
	case sa && wa > wb:
		return a
	case sb && wb > wa:
		return b
	}
	return arrow.PrimitiveTypes.Int64
}

func planArith(op ArithOp, a, b arrow.DataType) (arithPlan, error) {
	if p, ok, err := planTemporal(op, a, b); ok || err != nil {
		return p, err
	}
	na, oka := numericKind(a)
	nb, okb := numericKind(b)
	if !oka || !okb {
		return arithPlan{}, typeErr(op.String(), a, b)
	}
	f64 := arrow.PrimitiveTypes.Float64
	var t arrow.DataType
	switch {
	case op == Div:
		t = f64
	case na.ID() == arrow.FLOAT32 && nb.ID() == arrow.FLOAT32:
		t = na
	case isFloat(na.ID()) || isFloat(nb.ID()):
		t = f64
	case op == Pow:
		t = arrow.PrimitiveTypes.Int64
	default:
		t = promoteInts(na, nb)
	}
	return arithPlan{result: t, compute: t}, nil
}

// planTemporal types timestamp and duration arithmetic; ok is false when
// neither operand is temporal. Units must match: Shoal does not rescale
// silently.
func planTemporal(op ArithOp, a, b arrow.DataType) (p arithPlan, ok bool, err error) {
	ta, isTA := a.(*arrow.TimestampType)
	tb, isTB := b.(*arrow.TimestampType)
	da, isDA := a.(*arrow.DurationType)
	db, isDB := b.(*arrow.DurationType)
	if !isTA && !isTB && !isDA && !isDB {
		return p, false, nil
	}
	i64 := arrow.PrimitiveTypes.Int64
	bad := typeErr(op.String(), a, b)
	switch {
	case isTA && isTB && op == Sub && ta.Unit == tb.Unit:
		return arithPlan{result: &arrow.DurationType{Unit: ta.Unit}, compute: i64}, true, nil
	case isTA && isDB && (op == Add || op == Sub) && ta.Unit == db.Unit:
		return arithPlan{result: a, compute: i64}, true, nil
	case isDA && isTB && op == Add && da.Unit == tb.Unit:
		return arithPlan{result: b, compute: i64}, true, nil
	case isDA && isDB && (op == Add || op == Sub) && da.Unit == db.Unit:
		return arithPlan{result: a, compute: i64}, true, nil
	}
	return p, true, bad
}

// operand is a Datum converted to a kernel's compute type: exactly one of
// d (array data) and s (scalar) is meaningful. owned, when set, is a
// converted copy the kernel must release.
type operand struct {
	d     arrow.ArrayData
	s     Scalar
	owned arrow.Array
}

func (o operand) release() {
	if o.owned != nil {
		o.owned.Release()
	}
}

// prepare converts x to the compute type t: arrays of another numeric
// type are cast (bool to int64 included), temporal arrays are read as
// their int64 storage, scalars are read at use by scalarValue.
func prepare(x Datum, t arrow.DataType, mem memory.Allocator) (operand, error) {
	if x.Array == nil {
		return operand{s: *x.Scalar}, nil
	}
	id := x.Array.DataType().ID()
	if id == t.ID() || !isNumeric(id) && id != arrow.BOOL {
		return operand{d: x.Array.Data()}, nil
	}
	c, err := Cast(x.Array, t, mem)
	if err != nil {
		return operand{}, err
	}
	return operand{d: c.Data(), owned: c}, nil
}

// scalarValue reads s as T (s holds its value in the field of its own
// type's kind; see Scalar).
func scalarValue[T number](s Scalar) T {
	id := s.Type.ID()
	switch {
	case isFloat(id):
		return T(s.Float)
	case isUnsigned(id):
		return T(s.Uint)
	case id == arrow.BOOL:
		if s.Bool {
			return 1
		}
		return 0
	}
	return T(s.Int)
}

// Arith applies op element-wise. Types promote as ResultType(op, …)
// says: ints of one type stay, mixed ints widen (uint64 with a signed
// type gives int64, where pandas gives float64), ints with floats give
// float64, float32 with float32 stays float32, booleans count as int64.
// Div is true division to float64 (x/0 = ±Inf, 0/0 = NaN); FloorDiv and
// Mod follow Python (floor toward -inf; the remainder takes the divisor's
// sign); integer FloorDiv or Mod by zero gives null for that row, where
// pandas gives 0 or inf. Pow on integers gives int64 and a negative
// exponent is an error (ErrArgument); integer overflow wraps, as in
// numpy. timestamp - timestamp gives a duration; timestamp ± duration a
// timestamp; duration ± duration a duration; units must match. A null
// operand makes the row null; the result has a validity bitmap only when
// a row is null.
func Arith(op ArithOp, a, b Datum, mem memory.Allocator) (arrow.Array, error) {
	mem = allocator(mem)
	n, err := binaryLen(op.String(), a, b)
	if err != nil {
		return nil, err
	}
	p, err := planArith(op, a.Type(), b.Type())
	if err != nil {
		return nil, err
	}
	if a.Scalar != nil && a.Scalar.Null || b.Scalar != nil && b.Scalar.Null {
		return array.MakeArrayOfNull(mem, p.result, n), nil
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
		return intArith[int8](op, x, y, p.result, n, mem)
	case arrow.INT16:
		return intArith[int16](op, x, y, p.result, n, mem)
	case arrow.INT32:
		return intArith[int32](op, x, y, p.result, n, mem)
	case arrow.INT64:
		return intArith[int64](op, x, y, p.result, n, mem)
	case arrow.UINT8:
		return intArith[uint8](op, x, y, p.result, n, mem)
	case arrow.UINT16:
		return intArith[uint16](op, x, y, p.result, n, mem)
	case arrow.UINT32:
		return intArith[uint32](op, x, y, p.result, n, mem)
	case arrow.UINT64:
		return intArith[uint64](op, x, y, p.result, n, mem)
	case arrow.FLOAT32:
		return floatArith[float32](op, x, y, p.result, n, mem)
	default:
		return floatArith[float64](op, x, y, p.result, n, mem)
	}
}

func sizeOf[T any]() int { var z T; return int(unsafe.Sizeof(z)) }

func newValues[T arrow.FixedWidthType](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	buf := newBuf(mem, n*sizeOf[T]())
	return buf, arrow.GetData[T](buf.Bytes())[:n]
}

func intArith[T integer](op ArithOp, x, y operand, rt arrow.DataType, n int, mem memory.Allocator) (arrow.Array, error) {
	if op == Pow {
		if err := checkExponents[T](y); err != nil {
			return nil, err
		}
	}
	buf, out := newValues[T](mem, n)
	switch {
	case x.d != nil && y.d != nil:
		intAA(op, values[T](x.d), values[T](y.d), out)
	case x.d != nil:
		intAS(op, values[T](x.d), scalarValue[T](y.s), out)
	default:
		intSA(op, scalarValue[T](x.s), values[T](y.d), out)
	}
	valid, nulls := andValidity(mem, n, x.d, y.d)
	if op == FloorDiv || op == Mod {
		if y.d == nil && scalarValue[T](y.s) == 0 {
			releaseBufs([]*memory.Buffer{buf, valid})
			return array.MakeArrayOfNull(mem, rt, n), nil
		}
		if y.d != nil {
			valid, nulls = nullZeros(values[T](y.d), valid, nulls, mem)
		}
	}
	return newArray(rt, n, nulls, valid, buf), nil
}

// checkExponents rejects a negative integer exponent in a valid row.
func checkExponents[T integer](y operand) error {
	var zero T
	if y.d == nil {
		if scalarValue[T](y.s) < zero {
			return errorf(ErrArgument, "pow: negative integer exponent %d", scalarValue[T](y.s))
		}
		return nil
	}
	v, valid := values[T](y.d), validBits(y.d)
	for i, e := range v {
		if e < zero && (valid == nil || bitAt(valid, y.d.Offset()+i)) {
			return errorf(ErrArgument, "pow: row %d: negative integer exponent %d", i, e)
		}
	}
	return nil
}

// nullZeros clears the validity of rows whose divisor is zero, creating
// the bitmap if there was none.
func nullZeros[T integer](div []T, valid *memory.Buffer, nulls int, mem memory.Allocator) (*memory.Buffer, int) {
	for i, d := range div {
		if d != 0 {
			continue
		}
		if valid == nil {
			valid = newBuf(mem, int(bitutil.BytesForBits(int64(len(div)))))
			bitutil.SetBitsTo(valid.Bytes(), 0, int64(len(div)), true)
		}
		if bitAt(valid.Bytes(), i) {
			bitutil.ClearBit(valid.Bytes(), i)
			nulls++
		}
	}
	return valid, nulls
}

// Integer kernels. Division by zero would panic in Go, so the kernels
// yield 0 there and nullZeros marks the row null.

func ifloordiv[T integer](a, b T) T {
	if b == 0 {
		return 0
	}
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func imod[T integer](a, b T) T {
	if b == 0 {
		return 0
	}
	r := a % b
	if r != 0 && ((r < 0) != (b < 0)) {
		r += b
	}
	return r
}

// ipow is exponentiation by squaring with wrap-around; e >= 0.
func ipow[T integer](b, e T) T {
	r := T(1)
	for e > 0 {
		if e&1 != 0 {
			r *= b
		}
		b *= b
		e >>= 1
	}
	return r
}

func intAA[T integer](op ArithOp, a, b, out []T) {
	b, out = b[:len(a)], out[:len(a)]
	switch op {
	case Add:
		for i := range a {
			out[i] = a[i] + b[i]
		}
	case Sub:
		for i := range a {
			out[i] = a[i] - b[i]
		}
	case Mul:
		for i := range a {
			out[i] = a[i] * b[i]
		}
	case FloorDiv:
		for i := range a {
			out[i] = ifloordiv(a[i], b[i])
		}
	case Mod:
		for i := range a {
			out[i] = imod(a[i], b[i])
		}
	case Pow:
		for i := range a {
			out[i] = ipow(a[i], b[i])
		}
	}
}

func intAS[T integer](op ArithOp, a []T, s T, out []T) {
	out = out[:len(a)]
	switch op {
	case Add:
		for i := range a {
			out[i] = a[i] + s
		}
	case Sub:
		for i := range a {
			out[i] = a[i] - s
		}
	case Mul:
		for i := range a {
			out[i] = a[i] * s
		}
	case FloorDiv:
		for i := range a {
			out[i] = ifloordiv(a[i], s)
		}
	case Mod:
		for i := range a {
			out[i] = imod(a[i], s)
		}
	case Pow:
		for i := range a {
			out[i] = ipow(a[i], s)
		}
	}
}

func intSA[T integer](op ArithOp, s T, b, out []T) {
	out = out[:len(b)]
	switch op {
	case Add:
		for i := range b {
			out[i] = s + b[i]
		}
	case Sub:
		for i := range b {
			out[i] = s - b[i]
		}
	case Mul:
		for i := range b {
			out[i] = s * b[i]
		}
	case FloorDiv:
		for i := range b {
			out[i] = ifloordiv(s, b[i])
		}
	case Mod:
		for i := range b {
			out[i] = imod(s, b[i])
		}
	case Pow:
		for i := range b {
			out[i] = ipow(s, b[i])
		}
	}
}

// pyFloorDiv and pyMod follow CPython's float_floor_div and float_rem,
// with numpy's answers for a zero divisor (±Inf or NaN, not an error).
func pyFloorDiv(a, b float64) float64 {
	if b == 0 {
		return a / b
	}
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 && (b < 0) != (mod < 0) {
		div--
	}
	if div == 0 {
		return math.Copysign(0, a/b)
	}
	fl := math.Floor(div)
	if div-fl > 0.5 {
		fl++
	}
	return fl
}

func pyMod(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	mod := math.Mod(a, b)
	if mod == 0 {
		return math.Copysign(0, b)
	}
	if (b < 0) != (mod < 0) {
		mod += b
	}
	return mod
}

func floatArith[T float](op ArithOp, x, y operand, rt arrow.DataType, n int, mem memory.Allocator) (arrow.Array, error) {
	buf, out := newValues[T](mem, n)
	switch {
	case x.d != nil && y.d != nil:
		floatAA(op, values[T](x.d), values[T](y.d), out)
	case x.d != nil:
		floatAS(op, values[T](x.d), scalarValue[T](y.s), out)
	default:
		floatSA(op, scalarValue[T](x.s), values[T](y.d), out)
	}
	valid, nulls := andValidity(mem, n, x.d, y.d)
	return newArray(rt, n, nulls, valid, buf), nil
}

func floatAA[T float](op ArithOp, a, b, out []T) {
	b, out = b[:len(a)], out[:len(a)]
	switch op {
	case Add:
		for i := range a {
			out[i] = a[i] + b[i]
		}
	case Sub:
		for i := range a {
			out[i] = a[i] - b[i]
		}
	case Mul:
		for i := range a {
			out[i] = a[i] * b[i]
		}
	case Div:
		for i := range a {
			out[i] = a[i] / b[i]
		}
	case FloorDiv:
		for i := range a {
			out[i] = T(pyFloorDiv(float64(a[i]), float64(b[i])))
		}
	case Mod:
		for i := range a {
			out[i] = T(pyMod(float64(a[i]), float64(b[i])))
		}
	case Pow:
		for i := range a {
			out[i] = T(math.Pow(float64(a[i]), float64(b[i])))
		}
	}
}

func floatAS[T float](op ArithOp, a []T, s T, out []T) {
	out = out[:len(a)]
	switch op {
	case Add:
		for i := range a {
			out[i] = a[i] + s
		}
	case Sub:
		for i := range a {
			out[i] = a[i] - s
		}
	case Mul:
		for i := range a {
			out[i] = a[i] * s
		}
	case Div:
		for i := range a {
			out[i] = a[i] / s
		}
	case FloorDiv:
		for i := range a {
			out[i] = T(pyFloorDiv(float64(a[i]), float64(s)))
		}
	case Mod:
		for i := range a {
			out[i] = T(pyMod(float64(a[i]), float64(s)))
		}
	case Pow:
		for i := range a {
			out[i] = T(math.Pow(float64(a[i]), float64(s)))
		}
	}
}

func floatSA[T float](op ArithOp, s T, b, out []T) {
	out = out[:len(b)]
	switch op {
	case Add:
		for i := range b {
			out[i] = s + b[i]
		}
	case Sub:
		for i := range b {
			out[i] = s - b[i]
		}
	case Mul:
		for i := range b {
			out[i] = s * b[i]
		}
	case Div:
		for i := range b {
			out[i] = s / b[i]
		}
	case FloorDiv:
		for i := range b {
			out[i] = T(pyFloorDiv(float64(s), float64(b[i])))
		}
	case Mod:
		for i := range b {
			out[i] = T(pyMod(float64(s), float64(b[i])))
		}
	case Pow:
		for i := range b {
			out[i] = T(math.Pow(float64(s), float64(b[i])))
		}
	}
}

func checkUnary(op UnaryOp, t arrow.DataType) error {
	id := t.ID()
	switch {
	case isSigned(id) || isFloat(id) || id == arrow.DURATION:
		return nil
	case isUnsigned(id) && op == UnaryAbs:
		return nil
	}
	return typeErr(op.String(), t, nil)
}

// Neg returns -a for signed integers (wrapping at the minimum), floats
// and durations; unsigned and other types are an error wrapping ErrType.
func Neg(a arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	return unary(UnaryNeg, a, mem)
}

// Abs returns |a| for integers, floats and durations (the minimum signed
// integer stays itself, as in numpy).
func Abs(a arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	return unary(UnaryAbs, a, mem)
}

func unary(op UnaryOp, a arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	mem = allocator(mem)
	if err := checkUnary(op, a.DataType()); err != nil {
		return nil, err
	}
	d := a.Data()
	switch a.DataType().ID() {
	case arrow.INT8:
		return unaryKernel[int8](op, d, mem), nil
	case arrow.INT16:
		return unaryKernel[int16](op, d, mem), nil
	case arrow.INT32:
		return unaryKernel[int32](op, d, mem), nil
	case arrow.INT64, arrow.DURATION:
		return unaryKernel[int64](op, d, mem), nil
	case arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		a.Retain() // |u| == u
		return a, nil
	case arrow.FLOAT32:
		return unaryKernel[float32](op, d, mem), nil
	default:
		return unaryKernel[float64](op, d, mem), nil
	}
}

func unaryKernel[T signed | float](op UnaryOp, d arrow.ArrayData, mem memory.Allocator) arrow.Array {
	n := d.Len()
	buf, out := newValues[T](mem, n)
	in := values[T](d)
	out = out[:len(in)]
	if op == UnaryNeg {
		for i := range in {
			out[i] = -in[i]
		}
	} else {
		for i, v := range in {
			if v < 0 {
				v = -v
			}
			out[i] = v
		}
	}
	valid, nulls := andValidity(mem, n, d)
	return newArray(d.DataType(), n, nulls, valid, buf)
}
