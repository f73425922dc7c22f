package vec

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

func TestResultTypeLogic(t *testing.T) {
	if rt, err := ResultType(LogicAnd, boolT, boolT); err != nil || rt.ID() != arrow.BOOL {
		t.Fatalf("and(bool, bool) = %v, %v", rt, err)
	}
	if rt, err := ResultType(LogicNot, boolT, nil); err != nil || rt.ID() != arrow.BOOL {
		t.Fatalf("not(bool) = %v, %v", rt, err)
	}
	_, err := ResultType(LogicOr, boolT, i64)
	fails(t, err, ErrType, "vec: or: int64: type mismatch")
	_, err = ResultType(Add, i64, nil)
	fails(t, err, ErrArgument, "")
	_, err = ResultType(UnaryAbs, str, nil)
	fails(t, err, ErrType, "vec: abs: utf8: type mismatch")
}

func TestScalarString(t *testing.T) {
	for _, c := range []struct {
		s    Scalar
		want string
	}{
		{Int64(-3), "-3"},
		{Float64(2.5), "2.5"},
		{Float64(1), "1.0"},
		{Bool(true), "true"},
		{String(`a"b`), `"a\"b"`},
		{NullOf(str), "null"},
		{Scalar{Type: u64, Uint: 18446744073709551615}, "18446744073709551615"},
		{Scalar{Type: tsMs, Int: 1500}, `"1970-01-01 00:00:01.5"`},
		{Scalar{Type: d32, Int: 1}, `"1970-01-02"`},
		{Scalar{Type: durS, Int: 4}, "4s"},
	} {
		if got := c.s.String(); got != c.want {
			t.Errorf("%#v.String() = %s, want %s", c.s, got, c.want)
		}
	}
}
