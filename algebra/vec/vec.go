package vec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var (
	// ErrType: an operand's type is not supported by the operation, or the
	// two operands' types do not go together.
	ErrType = errors.New("vec: type mismatch")
	// ErrCast: a value cannot be converted to the target type (a string
	// that does not parse, NaN to an integer, a fill value of another
	// kind).
	ErrCast = errors.New("vec: cast failed")
	// ErrArgument: an argument is malformed (lengths differ, an index is
	// out of range, a negative integer exponent, no operand is an array).
	ErrArgument = errors.New("vec: invalid argument")
)

// vecError carries a message that names the operation and types, the
// sentinel it is an instance of, and the underlying cause if any (a
// strconv error, say). Its text is "vec: <msg>: <cause or sentinel>", so
// messages read `vec: add: int64 and utf8: type mismatch`.
type vecError struct {
	msg      string
	sentinel error
	cause    error
}

func (e *vecError) Error() string {
	tail := strings.TrimPrefix(e.sentinel.Error(), "vec: ")
	if e.cause != nil {
		tail = e.cause.Error()
	}
	return "vec: " + e.msg + ": " + tail
}

func (e *vecError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.sentinel, e.cause}
	}
	return []error{e.sentinel}
}

func errorf(sentinel error, format string, args ...any) error {
	return &vecError{msg: fmt.Sprintf(format, args...), sentinel: sentinel}
}

func causef(sentinel, cause error, format string, args ...any) error {
	return &vecError{msg: fmt.Sprintf(format, args...), sentinel: sentinel, cause: cause}
}

func typeErr(op string, a, b arrow.DataType) error {
	if b == nil {
		return errorf(ErrType, "%s: %s", op, a)
	}
	return errorf(ErrType, "%s: %s and %s", op, a, b)
}

// Scalar is a literal, possibly null, of one type. The field that holds
// the value depends on Type: Int for signed integers, date32 (days),
// date64 (ms), timestamps and durations (ticks of the type's unit); Uint
// for unsigned integers; Float for float32/64; Bool for booleans; Str for
// string, large string and binary types (and for dictionary<…, string>).
// A Scalar is a plain value, safe to copy and share.
type Scalar struct {
	Type  arrow.DataType
	Null  bool
	Int   int64
	Uint  uint64
	Float float64
	Bool  bool
	Str   string
}

// Int64 returns an int64 scalar.
func Int64(v int64) Scalar { return Scalar{Type: arrow.PrimitiveTypes.Int64, Int: v} }

// Float64 returns a float64 scalar.
func Float64(v float64) Scalar { return Scalar{Type: arrow.PrimitiveTypes.Float64, Float: v} }

// Bool returns a boolean scalar.
func Bool(v bool) Scalar { return Scalar{Type: arrow.FixedWidthTypes.Boolean, Bool: v} }

// String returns a utf8 scalar.
func String(v string) Scalar { return Scalar{Type: arrow.BinaryTypes.String, Str: v} }

// NullOf returns the null of type t.
func NullOf(t arrow.DataType) Scalar { return Scalar{Type: t, Null: true} }

// String renders s for plans: 1, 2.5, 1.0, "x", true, null, and
// timestamps and dates as quoted ISO text.
func (s Scalar) String() string {
	if s.Null || s.Type == nil {
		return "null"
	}
	switch t := s.Type.(type) {
	case *arrow.BooleanType:
		return strconv.FormatBool(s.Bool)
	case *arrow.Float32Type:
		return pyFloat(s.Float, 32)
	case *arrow.Float64Type:
		return pyFloat(s.Float, 64)
	case *arrow.StringType, *arrow.LargeStringType, *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.DictionaryType:
		return strconv.Quote(s.Str)
	case *arrow.TimestampType:
		return strconv.Quote(formatTimestamp(s.Int, t.Unit))
	case *arrow.Date32Type:
		return strconv.Quote(formatDate32(int32(s.Int)))
	case *arrow.Date64Type:
		return strconv.Quote(time.UnixMilli(s.Int).UTC().Format("2006-01-02"))
	case *arrow.DurationType:
		return strconv.FormatInt(s.Int, 10) + t.Unit.String()
	}
	if isUnsigned(s.Type.ID()) {
		return strconv.FormatUint(s.Uint, 10)
	}
	return strconv.FormatInt(s.Int, 10)
}

// Datum is an operand: exactly one of Array and Scalar is set. Build one
// with ArrayOf or ScalarOf.
type Datum struct {
	Array  arrow.Array
	Scalar *Scalar
}

// ArrayOf returns a Datum holding a (borrowed, not retained).
func ArrayOf(a arrow.Array) Datum { return Datum{Array: a} }

// ScalarOf returns a Datum holding a copy of s.
func ScalarOf(s Scalar) Datum { return Datum{Scalar: &s} }

// Type is the datum's data type.
func (d Datum) Type() arrow.DataType {
	if d.Array != nil {
		return d.Array.DataType()
	}
	if d.Scalar != nil {
		return d.Scalar.Type
	}
	return nil
}

func (d Datum) valid() bool { return (d.Array == nil) != (d.Scalar == nil) && d.Type() != nil }

// binaryLen checks that a and b are well-formed, at least one is an array
// and arrays agree in length; it returns that length.
func binaryLen(op string, a, b Datum) (int, error) {
	if !a.valid() || !b.valid() {
		return 0, errorf(ErrArgument, "%s: a datum must hold exactly one of an array and a typed scalar", op)
	}
	switch {
	case a.Array != nil && b.Array != nil:
		if a.Array.Len() != b.Array.Len() {
			return 0, errorf(ErrArgument, "%s: lengths %d and %d differ", op, a.Array.Len(), b.Array.Len())
		}
		return a.Array.Len(), nil
	case a.Array != nil:
		return a.Array.Len(), nil
	case b.Array != nil:
		return b.Array.Len(), nil
	}
	return 0, errorf(ErrArgument, "%s: both operands are scalars (fold them before calling)", op)
}

func allocator(mem memory.Allocator) memory.Allocator {
	if mem == nil {
		return memory.DefaultAllocator
	}
	return mem
}
