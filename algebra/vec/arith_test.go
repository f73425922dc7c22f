package vec

import (
	"math"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestArith(t *testing.T) {
	inf := math.Inf(1)
	layouts(t, func(e *tenv) {
		A, S := ArrayOf, ScalarOf
		cases := []struct {
			name   string
			op     ArithOp
			a, b   Datum
			dt     arrow.DataType
			want   string
			wantFl []float64 // when want is not JSON-expressible
			nulls  []int
		}{
			{name: "add int64 nulls", op: Add, a: A(e.in(i64, `[1, 2, null, 4]`)), b: A(e.in(i64, `[10, null, 30, 40]`)), dt: i64, want: `[11, null, null, 44]`},
			{name: "add no nulls", op: Add, a: A(e.in(i64, `[1, 2]`)), b: A(e.in(i64, `[3, 4]`)), dt: i64, want: `[4, 6]`},
			{name: "add scalar right", op: Add, a: A(e.in(i64, `[1, 2, null]`)), b: S(Int64(5)), dt: i64, want: `[6, 7, null]`},
			{name: "sub scalar left", op: Sub, a: S(Int64(5)), b: A(e.in(i64, `[1, 2, null]`)), dt: i64, want: `[4, 3, null]`},
			{name: "sub", op: Sub, a: A(e.in(i64, `[1, 2]`)), b: A(e.in(i64, `[3, 5]`)), dt: i64, want: `[-2, -3]`},
			{name: "mul scalar left", op: Mul, a: S(Int64(3)), b: A(e.in(i64, `[1, -2]`)), dt: i64, want: `[3, -6]`},
			{name: "empty", op: Add, a: A(e.in(i64, `[]`)), b: S(Int64(1)), dt: i64, want: `[]`},
			{name: "null scalar", op: Add, a: A(e.in(i32, `[1, 2]`)), b: S(NullOf(i64)), dt: i64, want: `[null, null]`},
			// promotion
			{name: "int32+int64", op: Add, a: A(e.in(i32, `[1, null]`)), b: A(e.in(i64, `[2, 3]`)), dt: i64, want: `[3, null]`},
			{name: "int32+int32 stays", op: Mul, a: A(e.in(i32, `[3]`)), b: A(e.in(i32, `[4]`)), dt: i32, want: `[12]`},
			{name: "int8 wraps", op: Add, a: A(e.in(i8, `[127]`)), b: A(e.in(i8, `[1]`)), dt: i8, want: `[-128]`},
			{name: "int8+int16", op: Add, a: A(e.in(i8, `[1]`)), b: A(e.in(i16, `[300]`)), dt: i16, want: `[301]`},
			{name: "uint8+int16", op: Add, a: A(e.in(u8, `[255]`)), b: A(e.in(i16, `[1]`)), dt: i16, want: `[256]`},
			{name: "uint32+int32", op: Add, a: A(e.in(u32, `[4000000000]`)), b: A(e.in(i32, `[-1]`)), dt: i64, want: `[3999999999]`},
			{name: "uint64+int64", op: Sub, a: A(e.in(u64, `[5]`)), b: A(e.in(i64, `[7]`)), dt: i64, want: `[-2]`},
			{name: "uint16+uint32", op: Add, a: A(e.in(u16, `[1]`)), b: A(e.in(u32, `[2]`)), dt: u32, want: `[3]`},
			{name: "int+float64", op: Add, a: A(e.in(i64, `[1, null]`)), b: A(e.in(f64, `[0.5, 1]`)), dt: f64, want: `[1.5, null]`},
			{name: "int+float scalar", op: Mul, a: A(e.in(i32, `[3]`)), b: S(Float64(0.5)), dt: f64, want: `[1.5]`},
			{name: "float32+float32", op: Add, a: A(e.in(f32, `[1.5]`)), b: A(e.in(f32, `[2]`)), dt: f32, want: `[3.5]`},
			{name: "float32+float64", op: Add, a: A(e.in(f32, `[1.5]`)), b: A(e.in(f64, `[2]`)), dt: f64, want: `[3.5]`},
			{name: "float32+int8", op: Add, a: A(e.in(f32, `[1.5]`)), b: A(e.in(i8, `[2]`)), dt: f64, want: `[3.5]`},
			{name: "bool+int", op: Add, a: A(e.in(boolT, `[true, false, null]`)), b: A(e.in(i8, `[1, 1, 1]`)), dt: i64, want: `[2, 1, null]`},
			{name: "bool scalar", op: Add, a: A(e.in(i64, `[1]`)), b: S(Bool(true)), dt: i64, want: `[2]`},
			// division
			{name: "div ints", op: Div, a: A(e.in(i64, `[1, -1, 0, 7, null]`)), b: A(e.in(i64, `[0, 0, 0, 2, 1]`)), dt: f64, wantFl: []float64{inf, -inf, nan, 3.5, 0}, nulls: []int{4}},
			{name: "div float32 is float64", op: Div, a: A(e.in(f32, `[1]`)), b: A(e.in(f32, `[4]`)), dt: f64, want: `[0.25]`},
			{name: "floordiv ints", op: FloorDiv, a: A(e.in(i64, `[7, -7, 7, -7, 5, null]`)), b: A(e.in(i64, `[2, 2, -2, -2, 0, 1]`)), dt: i64, want: `[3, -4, -4, 3, null, null]`},
			{name: "mod ints", op: Mod, a: A(e.in(i64, `[7, -7, 7, -7, 5, 6]`)), b: A(e.in(i64, `[2, 2, -2, -2, 0, 3]`)), dt: i64, want: `[1, 1, -1, -1, null, 0]`},
			{name: "mod scalar", op: Mod, a: A(e.in(i32, `[-7, 7]`)), b: S(Int64(3)), dt: i64, want: `[2, 1]`},
			{name: "floordiv scalar left", op: FloorDiv, a: S(Int64(-7)), b: A(e.in(i64, `[2, 0]`)), dt: i64, want: `[-4, null]`},
			{name: "floordiv by scalar zero", op: FloorDiv, a: A(e.in(i64, `[1, 2]`)), b: S(Int64(0)), dt: i64, want: `[null, null]`},
			{name: "uint floordiv", op: FloorDiv, a: A(e.in(u8, `[7, 200]`)), b: A(e.in(u8, `[2, 0]`)), dt: u8, want: `[3, null]`},
			{name: "floordiv floats", op: FloorDiv, a: A(e.in(f64, `[7.5, -7.5, 1]`)), b: A(e.in(f64, `[2, 2, 0]`)), dt: f64, wantFl: []float64{3, -4, inf}},
			{name: "mod floats", op: Mod, a: A(e.in(f64, `[7.5, -7.5, 7.5, 1]`)), b: A(e.in(f64, `[2, 2, -2, 0]`)), dt: f64, wantFl: []float64{1.5, 0.5, -0.5, nan}},
			{name: "mod float scalar", op: Mod, a: A(e.in(f32, `[-1]`)), b: S(Float64(3)), dt: f64, want: `[2]`},
			{name: "pow ints", op: Pow, a: A(e.in(i32, `[2, 3, -2, null]`)), b: A(e.in(i32, `[10, 0, 3, 1]`)), dt: i64, want: `[1024, 1, -8, null]`},
			{name: "pow scalar", op: Pow, a: S(Int64(2)), b: A(e.in(u8, `[0, 8]`)), dt: i64, want: `[1, 256]`},
			{name: "pow floats", op: Pow, a: A(e.in(f64, `[4, 2]`)), b: S(Float64(0.5)), dt: f64, wantFl: []float64{2, math.Sqrt2}},
			{name: "pow negative exponent in null row", op: Pow, a: A(e.in(i64, `[2, 2]`)), b: A(e.in(i64, `[1, null]`)), dt: i64, want: `[2, null]`},
			// temporal
			{name: "ts-ts", op: Sub, a: A(e.in(tsS, `[100, null]`)), b: A(e.in(tsS, `[40, 1]`)), dt: durS, want: `[60, null]`},
			{name: "ts+dur", op: Add, a: A(e.in(tsS, `[100]`)), b: A(e.in(durS, `[5]`)), dt: tsS, want: `[105]`},
			{name: "dur+ts", op: Add, a: S(Scalar{Type: durS, Int: 5}), b: A(e.in(tsS, `[100]`)), dt: tsS, want: `[105]`},
			{name: "ts-dur scalar", op: Sub, a: A(e.in(tsS, `[100]`)), b: S(Scalar{Type: durS, Int: 5}), dt: tsS, want: `[95]`},
			{name: "dur+dur", op: Add, a: A(e.in(durMs, `[1]`)), b: A(e.in(durMs, `[2]`)), dt: durMs, want: `[3]`},
		}
		for _, c := range cases {
			got, err := Arith(c.op, c.a, c.b, e.mem)
			if err != nil {
				e.t.Fatalf("%s: %v", c.name, err)
			}
			keep(e, got)
			rt, err := ResultType(c.op, c.a.Type(), c.b.Type())
			if err != nil || !arrow.TypeEqual(rt, c.dt) {
				e.t.Errorf("%s: ResultType = %v, %v; want %s", c.name, rt, err, c.dt)
			}
			var want arrow.Array
			if c.wantFl != nil {
				saved := e.pad
				e.pad = 0
				want = e.floats(c.wantFl, c.nulls...)
				e.pad = saved
			} else {
				want = e.fromJSON(c.dt, c.want)
			}
			e.t.Run(c.name, func(t *testing.T) {
				sub := &tenv{t: t, mem: e.mem}
				sub.same(got, nil, want)
				sub.rel = nil // released by e
			})
		}
	})
}

func TestArithErrors(t *testing.T) {
	layouts(t, func(e *tenv) {
		ints := e.in(i64, `[1, 2]`)
		_, err := Arith(Add, ArrayOf(ints), ArrayOf(e.in(str, `["a", "b"]`)), e.mem)
		fails(e.t, err, ErrType, "vec: add: int64 and utf8: type mismatch")
		_, err = Arith(Pow, ArrayOf(ints), ArrayOf(e.in(i64, `[1, -1]`)), e.mem)
		fails(e.t, err, ErrArgument, "vec: pow: row 1: negative integer exponent -1: invalid argument")
		_, err = Arith(Pow, ArrayOf(ints), ScalarOf(Int64(-2)), e.mem)
		fails(e.t, err, ErrArgument, "")
		_, err = Arith(Add, ArrayOf(ints), ArrayOf(e.in(i64, `[1]`)), e.mem)
		fails(e.t, err, ErrArgument, "vec: add: lengths 2 and 1 differ: invalid argument")
		_, err = Arith(Add, ScalarOf(Int64(1)), ScalarOf(Int64(1)), e.mem)
		fails(e.t, err, ErrArgument, "")
		_, err = Arith(Add, ArrayOf(ints), Datum{}, e.mem)
		fails(e.t, err, ErrArgument, "")
		_, err = Arith(Add, ArrayOf(e.in(tsS, `[1]`)), ArrayOf(e.in(tsS, `[1]`)), e.mem)
		fails(e.t, err, ErrType, "vec: add: timestamp[s] and timestamp[s]: type mismatch")
		_, err = Arith(Sub, ArrayOf(e.in(tsS, `[1]`)), ArrayOf(e.in(tsMs, `[1]`)), e.mem)
		fails(e.t, err, ErrType, "")
		_, err = Arith(Mul, ArrayOf(e.in(durS, `[1]`)), ArrayOf(e.in(durS, `[1]`)), e.mem)
		fails(e.t, err, ErrType, "")
	})
	if _, err := ResultType(Add, i64, str); err == nil {
		t.Fatal("ResultType(add, int64, utf8) did not fail")
	}
}

func TestNegAbs(t *testing.T) {
	layouts(t, func(e *tenv) {
		a := e.in(i32, `[1, -2, null, -2147483648]`)
		got, err := Neg(a, e.mem)
		e.sameJSON(got, err, i32, `[-1, 2, null, -2147483648]`)
		got, err = Abs(a, e.mem)
		e.sameJSON(got, err, i32, `[1, 2, null, -2147483648]`)
		got, err = Neg(e.in(f64, `[1.5, -0.5]`), e.mem)
		e.sameJSON(got, err, f64, `[-1.5, 0.5]`)
		got, err = Abs(e.in(f32, `[-1.5, null]`), e.mem)
		e.sameJSON(got, err, f32, `[1.5, null]`)
		got, err = Abs(e.in(u8, `[200, null]`), e.mem)
		e.sameJSON(got, err, u8, `[200, null]`)
		got, err = Neg(e.in(durS, `[3]`), e.mem)
		e.sameJSON(got, err, durS, `[-3]`)
		_, err = Neg(e.in(u8, `[1]`), e.mem)
		fails(e.t, err, ErrType, "vec: neg: uint8: type mismatch")
		_, err = Abs(e.in(str, `["x"]`), e.mem)
		fails(e.t, err, ErrType, "")
	})
	if rt, err := ResultType(UnaryNeg, i16, nil); err != nil || rt != i16 {
		t.Fatalf("ResultType(neg, int16) = %v, %v", rt, err)
	}
}
