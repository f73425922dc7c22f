package vec

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Types the tests use often.
var (
	i8    = arrow.PrimitiveTypes.Int8
	i16   = arrow.PrimitiveTypes.Int16
	i32   = arrow.PrimitiveTypes.Int32
	i64   = arrow.PrimitiveTypes.Int64
	u8    = arrow.PrimitiveTypes.Uint8
	u16   = arrow.PrimitiveTypes.Uint16
	u32   = arrow.PrimitiveTypes.Uint32
	u64   = arrow.PrimitiveTypes.Uint64
	f32   = arrow.PrimitiveTypes.Float32
	f64   = arrow.PrimitiveTypes.Float64
	boolT = arrow.FixedWidthTypes.Boolean
	str   = arrow.BinaryTypes.String
	lstr  = arrow.BinaryTypes.LargeString
	bin   = arrow.BinaryTypes.Binary
	d32   = arrow.FixedWidthTypes.Date32
	d64   = arrow.FixedWidthTypes.Date64
	tsS   = &arrow.TimestampType{Unit: arrow.Second}
	tsMs  = &arrow.TimestampType{Unit: arrow.Millisecond}
	tsNs  = &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "Europe/Paris"}
	durS  = &arrow.DurationType{Unit: arrow.Second}
	durMs = &arrow.DurationType{Unit: arrow.Millisecond}
)

func dictOf(idx arrow.DataType) *arrow.DictionaryType {
	return &arrow.DictionaryType{IndexType: idx, ValueType: str}
}

// tenv is one run of a test body: a checked allocator, the input layout
// (offset 0, or inputs sliced out of a longer array at offset pad), and
// the arrays to release before checking the allocator.
type tenv struct {
	t   *testing.T
	mem *memory.CheckedAllocator
	pad int
	rel []interface{ Release() }
}

// layouts runs fn with inputs at offset 0 and at offset 3 (bitmaps not
// byte-aligned: the classic offset bug), each with its own checked
// allocator that must end at zero.
func layouts(t *testing.T, fn func(e *tenv)) {
	t.Helper()
	for _, pad := range []int{0, 3} {
		t.Run(fmt.Sprintf("offset%d", pad), func(t *testing.T) {
			e := &tenv{t: t, mem: memory.NewCheckedAllocator(memory.NewGoAllocator()), pad: pad}
			defer e.mem.AssertSize(t, 0)
			defer e.releaseAll()
			fn(e)
		})
	}
}

func (e *tenv) releaseAll() {
	for i := len(e.rel) - 1; i >= 0; i-- {
		e.rel[i].Release()
	}
	e.rel = nil
}

func keep[T interface{ Release() }](e *tenv, v T) T {
	e.rel = append(e.rel, v)
	return v
}

// fromJSON builds an array owned by e, unsliced.
func (e *tenv) fromJSON(dt arrow.DataType, js string) arrow.Array {
	e.t.Helper()
	a, _, err := array.FromJSON(e.mem, dt, strings.NewReader(js), array.WithUseNumber())
	if err != nil {
		e.t.Fatalf("FromJSON(%s, %s): %v", dt, js, err)
	}
	return keep(e, a)
}

// in builds an input: at offset e.pad of a longer array padded with
// nulls on both sides.
func (e *tenv) in(dt arrow.DataType, js string) arrow.Array {
	e.t.Helper()
	if e.pad == 0 {
		return e.fromJSON(dt, js)
	}
	inner := strings.TrimSpace(js)
	inner = strings.TrimSpace(inner[1 : len(inner)-1])
	padded := "[" + strings.Repeat("null,", e.pad) + inner
	if inner != "" {
		padded += ","
	}
	padded += "null]"
	full := e.fromJSON(dt, padded)
	n := full.Len() - e.pad - 1
	return keep(e, array.NewSlice(full, int64(e.pad), int64(e.pad+n)))
}

// dict builds a dictionary input from its values and codes.
func (e *tenv) dict(idx arrow.DataType, values, codes string) arrow.Array {
	e.t.Helper()
	d := e.fromJSON(str, values)
	c := e.in(idx, codes)
	return keep(e, array.NewDictionaryArray(dictOf(idx), c, d))
}

// floats builds a float64 input from values (NaN and Inf allowed); rows
// listed in nulls are null.
func (e *tenv) floats(v []float64, nulls ...int) arrow.Array {
	b := array.NewFloat64Builder(e.mem)
	defer b.Release()
	for i := 0; i < e.pad; i++ {
		b.AppendNull()
	}
	for i, x := range v {
		if contains(nulls, i) {
			b.AppendNull()
		} else {
			b.Append(x)
		}
	}
	full := keep(e, b.NewArray())
	return keep(e, array.NewSlice(full, int64(e.pad), int64(full.Len())))
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// same fails unless got has want's type and values (NaNs equal).
func (e *tenv) same(got arrow.Array, err error, want arrow.Array) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
	keep(e, got)
	if !arrow.TypeEqual(got.DataType(), want.DataType()) {
		e.t.Fatalf("type %s, want %s (values %v)", got.DataType(), want.DataType(), got)
	}
	if !array.ApproxEqual(got, want, array.WithNaNsEqual(true), array.WithAbsTolerance(0)) {
		e.t.Fatalf("got %v, want %v", got, want)
	}
	if got.NullN() == 0 && got.Data().Buffers()[0] != nil && got.DataType().ID() != arrow.NULL {
		e.t.Errorf("result without nulls carries a validity bitmap")
	}
}

// sameJSON is same with want given as JSON.
func (e *tenv) sameJSON(got arrow.Array, err error, dt arrow.DataType, want string) {
	e.t.Helper()
	e.same(got, err, e.fromJSON(dt, want))
}

// fails checks err wraps sentinel and has exactly the message msg (when
// msg is not empty).
func fails(t *testing.T, err error, sentinel error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", sentinel)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %q does not wrap %v", err, sentinel)
	}
	if msg != "" && err.Error() != msg {
		t.Fatalf("error %q, want %q", err, msg)
	}
}

var nan = math.NaN()
