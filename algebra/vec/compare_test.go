package vec

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestCompare(t *testing.T) {
	layouts(t, func(e *tenv) {
		A, S := ArrayOf, ScalarOf
		ints := func() Datum { return A(e.in(i64, `[1, 2, 3, null, 5]`)) }
		other := func() Datum { return A(e.in(i64, `[3, 2, 1, 1, null]`)) }
		cases := []struct {
			name string
			op   CmpOp
			a, b Datum
			want string
		}{
			{"eq", Eq, ints(), other(), `[false, true, false, null, null]`},
			{"ne", Ne, ints(), other(), `[true, false, true, null, null]`},
			{"lt", Lt, ints(), other(), `[true, false, false, null, null]`},
			{"le", Le, ints(), other(), `[true, true, false, null, null]`},
			{"gt", Gt, ints(), other(), `[false, false, true, null, null]`},
			{"ge", Ge, ints(), other(), `[false, true, true, null, null]`},
			{"eq scalar", Eq, ints(), S(Int64(2)), `[false, true, false, null, false]`},
			{"ne scalar", Ne, ints(), S(Int64(2)), `[true, false, true, null, true]`},
			{"lt scalar", Lt, ints(), S(Int64(2)), `[true, false, false, null, false]`},
			{"le scalar", Le, ints(), S(Int64(2)), `[true, true, false, null, false]`},
			{"gt scalar", Gt, ints(), S(Int64(2)), `[false, false, true, null, true]`},
			{"ge scalar", Ge, ints(), S(Int64(2)), `[false, true, true, null, true]`},
			{"scalar lt array", Lt, S(Int64(2)), ints(), `[false, false, true, null, true]`},
			{"scalar ge array", Ge, S(Int64(2)), ints(), `[true, true, false, null, false]`},
			{"null scalar", Eq, ints(), S(NullOf(i64)), `[null, null, null, null, null]`},
			{"empty", Lt, A(e.in(i64, `[]`)), S(Int64(1)), `[]`},
			{"int32 vs int64", Eq, A(e.in(i32, `[1, 2]`)), A(e.in(i64, `[1, 4294967298]`)), `[true, false]`},
			{"int vs float", Lt, A(e.in(i64, `[1, 2]`)), S(Float64(1.5)), `[true, false]`},
			{"uint64 vs int64", Gt, A(e.in(u64, `[18446744073709551615, 1]`)), A(e.in(i64, `[-1, 1]`)), `[true, false]`},
			{"uint8 vs int8", Lt, A(e.in(u8, `[200]`)), A(e.in(i8, `[-1]`)), `[false]`},
			{"float32", Le, A(e.in(f32, `[1.5, 2.5]`)), A(e.in(f32, `[1.5, 2]`)), `[true, false]`},
			{"bool vs int", Eq, A(e.in(boolT, `[true, false]`)), S(Int64(1)), `[true, false]`},
			{"nan", Ne, A(e.floats([]float64{nan, 1})), S(Float64(nan)), `[true, true]`},
			{"nan eq", Eq, A(e.floats([]float64{nan, 1})), A(e.floats([]float64{nan, 1})), `[false, true]`},
			{"strings", Lt, A(e.in(str, `["a", "b", null, "ab", ""]`)), S(String("ab")), `[true, false, null, false, true]`},
			{"strings arrays", Eq, A(e.in(str, `["a", "b", "c"]`)), A(e.in(lstr, `["a", "x", null]`)), `[true, false, null]`},
			{"large strings", Ge, A(e.in(lstr, `["b", "a"]`)), A(e.in(lstr, `["a", "b"]`)), `[true, false]`},
			{"scalar gt strings", Gt, S(String("b")), A(e.in(str, `["a", "b", "c"]`)), `[true, false, false]`},
			{"dict vs scalar", Eq, A(e.dict(i32, `["x", "y"]`, `[0, 1, null, 1]`)), S(String("y")), `[false, true, null, true]`},
			{"dict vs scalar lt", Lt, A(e.dict(i8, `["x", "y", "a"]`, `[0, 1, 2]`)), S(String("x")), `[false, false, true]`},
			{"scalar vs dict", Lt, S(String("x")), A(e.dict(u16, `["x", "y"]`, `[0, 1]`)), `[false, true]`},
			{"dict vs dict", Lt, A(e.dict(i32, `["b", "a"]`, `[0, 1, 0, null]`)), A(e.dict(i64, `["a", "c", "b"]`, `[0, 1, 2, 0]`)), `[false, true, false, null]`},
			{"dict vs dict eq", Eq, A(e.dict(i32, `["b", "a"]`, `[0, 1, 0]`)), A(e.dict(i32, `["a", "b"]`, `[1, 0, 0]`)), `[true, true, false]`},
			{"dict vs strings", Ge, A(e.dict(i32, `["b", "a"]`, `[0, 1, null]`)), A(e.in(str, `["a", "b", "a"]`)), `[true, false, null]`},
			{"strings vs dict", Ne, A(e.in(str, `["a", "b"]`)), A(e.dict(i32, `["b", "a"]`, `[0, 0]`)), `[true, false]`},
			{"bools eq", Eq, A(e.in(boolT, `[true, true, false, false, null]`)), A(e.in(boolT, `[true, false, true, false, true]`)), `[true, false, false, true, null]`},
			{"bools lt", Lt, A(e.in(boolT, `[true, true, false, false]`)), A(e.in(boolT, `[true, false, true, false]`)), `[false, false, true, false]`},
			{"bools ge scalar", Ge, A(e.in(boolT, `[true, false, null]`)), S(Bool(true)), `[true, false, null]`},
			{"bools gt scalar left", Gt, S(Bool(true)), A(e.in(boolT, `[true, false]`)), `[false, true]`},
			{"timestamp", Lt, A(e.in(tsS, `[1, 5]`)), S(Scalar{Type: tsS, Int: 3}), `[true, false]`},
			{"date32", Eq, A(e.in(d32, `[1, 5]`)), A(e.in(d32, `[1, 4]`)), `[true, false]`},
		}
		for _, c := range cases {
			got, err := Compare(c.op, c.a, c.b, e.mem)
			if err != nil {
				e.t.Fatalf("%s: %v", c.name, err)
			}
			keep(e, got)
			want := e.fromJSON(boolT, c.want)
			e.t.Run(c.name, func(t *testing.T) { (&tenv{t: t}).same(got, nil, want) })
		}
		// Longer than a chunk, to cross the chunk and byte boundaries.
		n := 3*chunk + 5
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(i % 7)
		}
		got, err := Compare(Gt, A(e.floats(vals, 10)), S(Float64(3)), e.mem)
		if err != nil {
			e.t.Fatal(err)
		}
		keep(e, got)
		for i := range n {
			if i == 10 {
				if got.IsValid(i) {
					e.t.Fatalf("row 10 not null")
				}
				continue
			}
			if got.Value(i) != (vals[i] > 3) {
				e.t.Fatalf("row %d: %v > 3 = %v", i, vals[i], got.Value(i))
			}
		}
	})
}

func TestCompareErrors(t *testing.T) {
	layouts(t, func(e *tenv) {
		_, err := Compare(Eq, ArrayOf(e.in(i64, `[1]`)), ArrayOf(e.in(str, `["1"]`)), e.mem)
		fails(e.t, err, ErrType, "vec: eq: int64 and utf8: type mismatch")
		_, err = Compare(Lt, ArrayOf(e.in(tsS, `[1]`)), ArrayOf(e.in(tsMs, `[1]`)), e.mem)
		fails(e.t, err, ErrType, "vec: lt: timestamp[s] and timestamp[ms]: type mismatch")
		_, err = Compare(Lt, ArrayOf(e.in(d32, `[1]`)), ArrayOf(e.in(i32, `[1]`)), e.mem)
		fails(e.t, err, ErrType, "")
	})
	if rt, err := ResultType(Lt, dictOf(i32), str); err != nil || rt.ID() != arrow.BOOL {
		t.Fatalf("ResultType(lt, dict, utf8) = %v, %v", rt, err)
	}
}

func TestLogic(t *testing.T) {
	layouts(t, func(e *tenv) {
		a := func() Datum { return ArrayOf(e.in(boolT, `[true, true, true, false, false, false, null, null, null]`)) }
		b := func() Datum { return ArrayOf(e.in(boolT, `[true, false, null, true, false, null, true, false, null]`)) }
		check := func(name string, got arrow.Array, err error, want string) {
			e.t.Run(name, func(t *testing.T) {
				e.t.Helper()
				sub := &tenv{t: t, mem: e.mem}
				sub.sameJSON(got, err, boolT, want)
				e.rel = append(e.rel, sub.rel...)
			})
		}
		got, err := And(a(), b(), e.mem)
		check("and", got, err, `[true, false, null, false, false, false, null, false, null]`)
		got, err = Or(a(), b(), e.mem)
		check("or", got, err, `[true, true, true, true, false, null, true, null, null]`)
		got, err = Xor(a(), b(), e.mem)
		check("xor", got, err, `[false, true, null, true, false, null, null, null, null]`)
		got, err = And(a(), ScalarOf(NullOf(boolT)), e.mem)
		check("and null scalar", got, err, `[null, null, null, false, false, false, null, null, null]`)
		got, err = And(ScalarOf(Bool(false)), a(), e.mem)
		check("false and", got, err, `[false, false, false, false, false, false, false, false, false]`)
		got, err = Or(a(), ScalarOf(Bool(true)), e.mem)
		check("or true", got, err, `[true, true, true, true, true, true, true, true, true]`)
		got, err = Or(ScalarOf(NullOf(boolT)), a(), e.mem)
		check("null or", got, err, `[true, true, true, null, null, null, null, null, null]`)
		got, err = And(ArrayOf(e.in(boolT, `[true, false]`)), ArrayOf(e.in(boolT, `[true, true]`)), e.mem)
		check("no nulls", got, err, `[true, false]`)
		got, err = Not(a().Array, e.mem)
		check("not", got, err, `[false, false, false, true, true, true, null, null, null]`)
		got, err = And(ArrayOf(e.in(boolT, `[]`)), ScalarOf(Bool(true)), e.mem)
		check("empty", got, err, `[]`)

		_, err = And(ArrayOf(e.in(i64, `[1]`)), ScalarOf(Bool(true)), e.mem)
		fails(e.t, err, ErrType, "vec: and: int64: type mismatch")
		_, err = Not(e.in(str, `["a"]`), e.mem)
		fails(e.t, err, ErrType, "vec: not: utf8: type mismatch")
	})
}

func TestIsNull(t *testing.T) {
	layouts(t, func(e *tenv) {
		check := func(a arrow.Array, want, wantNot string) {
			e.t.Helper()
			e.sameJSON(IsNull(a, e.mem), nil, boolT, want)
			e.sameJSON(IsNotNull(a, e.mem), nil, boolT, wantNot)
		}
		check(e.in(i64, `[1, null, 3]`), `[false, true, false]`, `[true, false, true]`)
		check(e.in(i64, `[1, 2]`), `[false, false]`, `[true, true]`)
		check(e.floats([]float64{1, nan, 3}, 2), `[false, true, true]`, `[true, false, false]`)
		check(e.in(f32, `[1, null]`), `[false, true]`, `[true, false]`)
		check(e.in(str, `["a", null]`), `[false, true]`, `[true, false]`)
		check(e.dict(i32, `["a", null]`, `[0, 1, null]`), `[false, true, true]`, `[true, false, false]`)
		check(e.dict(i8, `["a", "b"]`, `[0, null]`), `[false, true]`, `[true, false]`)
		check(e.in(arrow.Null, `[null, null]`), `[true, true]`, `[false, false]`)
		check(e.in(i64, `[]`), `[]`, `[]`)
	})
	for _, op := range []UnaryOp{UnaryIsNull, UnaryIsNotNull} {
		if rt, err := ResultType(op, str, nil); err != nil || rt.ID() != arrow.BOOL {
			t.Fatalf("ResultType(%s, utf8) = %v, %v", op, rt, err)
		}
	}
}
