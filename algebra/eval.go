package algebra

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra/vec"
)

// Eval computes e over every row of rec and returns a column of rec's
// length, of the type Resolve gives, that the caller must release (a bare
// column reference comes back retained, not copied). rec is borrowed.
// Expressions of literals alone are evaluated once and repeated.
func (e Expr) Eval(rec arrow.Record, mem memory.Allocator) (arrow.Array, error) {
	want, err := e.Resolve(rec.Schema())
	if err != nil {
		return nil, err
	}
	v, err := e.eval(rec, mem)
	if err != nil {
		return nil, err
	}
	if v.Scalar != nil {
		s := *v.Scalar
		if s.Type == nil || s.Type.ID() == arrow.NULL {
			s = vec.NullOf(want)
		}
		return repeat(s, int(rec.NumRows()), mem)
	}
	if arrow.TypeEqual(v.Array.DataType(), want) {
		return v.Array, nil
	}
	defer v.Array.Release()
	return vec.Cast(v.Array, want, mem)
}

// eval returns a Datum whose Array, if any, the caller owns.
func (e Expr) eval(rec arrow.Record, mem memory.Allocator) (vec.Datum, error) {
	switch e.n.kind {
	case kindColumn:
		idx := rec.Schema().FieldIndices(e.n.name)
		if len(idx) == 0 {
			return vec.Datum{}, unknownColumn(rec.Schema(), e.n.name)
		}
		col := rec.Column(idx[0])
		col.Retain()
		return vec.ArrayOf(col), nil
	case kindLiteral:
		return vec.ScalarOf(e.n.lit), nil
	case kindAlias:
		return e.n.args[0].eval(rec, mem)
	}
	args := make([]vec.Datum, len(e.n.args))
	defer func() {
		for _, a := range args {
			if a.Array != nil {
				a.Array.Release()
			}
		}
	}()
	for i, a := range e.n.args {
		d, err := a.eval(rec, mem)
		if err != nil {
			return vec.Datum{}, err
		}
		args[i] = d
	}
	// An operator over literals only folds to a literal by running the
	// kernel on one-row arrays.
	if allScalars(args) {
		return e.fold(args, mem)
	}
	out, err := e.apply(args, int(rec.NumRows()), mem)
	if err != nil {
		return vec.Datum{}, fmt.Errorf("algebra: %s: %w", e, err)
	}
	return vec.ArrayOf(out), nil
}

func allScalars(ds []vec.Datum) bool {
	for _, d := range ds {
		if d.Array != nil {
			return false
		}
	}
	return true
}

func (e Expr) fold(args []vec.Datum, mem memory.Allocator) (vec.Datum, error) {
	one := make([]vec.Datum, len(args))
	for i, a := range args {
		s := *a.Scalar
		if s.Type == nil || s.Type.ID() == arrow.NULL {
			s = vec.NullOf(arrow.PrimitiveTypes.Float64)
			for _, b := range args {
				if b.Scalar.Type != nil && b.Scalar.Type.ID() != arrow.NULL {
					s = vec.NullOf(b.Scalar.Type)
				}
			}
		}
		arr, err := repeat(s, 1, mem)
		if err != nil {
			return vec.Datum{}, err
		}
		defer arr.Release()
		one[i] = vec.ArrayOf(arr)
	}
	out, err := e.apply(one, 1, mem)
	if err != nil {
		return vec.Datum{}, fmt.Errorf("algebra: %s: %w", e, err)
	}
	defer out.Release()
	s, err := scalarAt(out, 0)
	if err != nil {
		return vec.Datum{}, err
	}
	return vec.ScalarOf(s), nil
}

// apply runs e's kernel over args; at least one is an array.
func (e Expr) apply(args []vec.Datum, n int, mem memory.Allocator) (arrow.Array, error) {
	switch e.n.kind {
	case kindBinary:
		a, b := args[0], args[1]
		a, b = nullAs(a, b), nullAs(b, a)
		switch op := vecOps[e.n.name].(type) {
		case vec.ArithOp:
			return vec.Arith(op, a, b, mem)
		case vec.CmpOp:
			return vec.Compare(op, a, b, mem)
		case vec.LogicOp:
			switch op {
			case vec.LogicAnd:
				return vec.And(a, b, mem)
			case vec.LogicOr:
				return vec.Or(a, b, mem)
			default:
				return vec.Xor(a, b, mem)
			}
		}
	case kindUnary:
		a := args[0].Array
		switch e.n.name {
		case "not":
			return vec.Not(args[0].Array, mem)
		case "neg":
			return vec.Neg(a, mem)
		case "abs":
			return vec.Abs(a, mem)
		case "isnull":
			return vec.IsNull(a, mem), nil
		case "notnull":
			return vec.IsNotNull(a, mem), nil
		}
	case kindCast:
		return vec.Cast(args[0].Array, e.n.to, mem)
	case kindFillNull:
		if args[1].Scalar != nil && (args[1].Scalar.Null || args[1].Scalar.Type.ID() == arrow.NULL) {
			a := args[0].Array
			a.Retain()
			return a, nil
		}
		return vec.FillNull(args[0].Array, args[1], mem)
	case kindIsIn:
		set, err := scalarsArray(e.n.values, args[0].Array.DataType(), mem)
		if err != nil {
			return nil, err
		}
		defer set.Release()
		return vec.IsIn(args[0].Array, set, mem)
	}
	return nil, fmt.Errorf("%w: cannot evaluate %s", ErrArgument, e)
}

// nullAs gives an untyped null literal d the type of other.
func nullAs(d, other vec.Datum) vec.Datum {
	if d.Scalar != nil && (d.Scalar.Type == nil || d.Scalar.Type.ID() == arrow.NULL) {
		return vec.ScalarOf(vec.NullOf(other.Type()))
	}
	return d
}

// scalarsArray builds IsIn's value set as an array of the column's value
// type (a dictionary column's set holds its value type).
func scalarsArray(vals []vec.Scalar, dt arrow.DataType, mem memory.Allocator) (arrow.Array, error) {
	if d, ok := dt.(*arrow.DictionaryType); ok {
		dt = d.ValueType
	}
	parts := make([]arrow.Array, 0, len(vals))
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	for _, v := range vals {
		if v.Null || v.Type == nil || v.Type.ID() == arrow.NULL {
			continue // a null is never in the set
		}
		one, err := repeat(v, 1, mem)
		if err != nil {
			return nil, err
		}
		if !arrow.TypeEqual(one.DataType(), dt) {
			c, err := vec.Cast(one, dt, mem)
			one.Release()
			if err != nil {
				return nil, fmt.Errorf("%w: isin value %s for a %s column: %w", ErrType, literalString(v), dt, err)
			}
			one = c
		}
		parts = append(parts, one)
	}
	if len(parts) == 0 {
		b := array.NewBuilder(mem, dt)
		defer b.Release()
		return b.NewArray(), nil
	}
	return array.Concatenate(parts, mem)
}

// repeat returns an array of n copies of s: an all-null column that vec's
// FillNull fills with s, which broadcasts a scalar with typed loops for
// every type it supports.
func repeat(s vec.Scalar, n int, mem memory.Allocator) (arrow.Array, error) {
	dt := s.Type
	if dt == nil {
		dt = arrow.Null
	}
	nulls := array.MakeArrayOfNull(mem, dt, n)
	if s.Null || dt.ID() == arrow.NULL {
		return nulls, nil
	}
	defer nulls.Release()
	return vec.FillNull(nulls, vec.ScalarOf(s), mem)
}

// scalarAt reads row i of arr as a Scalar.
func scalarAt(arr arrow.Array, i int) (vec.Scalar, error) {
	s := vec.Scalar{Type: arr.DataType()}
	if arr.IsNull(i) {
		s.Null = true
		return s, nil
	}
	switch a := arr.(type) {
	case *array.Int64:
		s.Int = a.Value(i)
	case *array.Int32:
		s.Int = int64(a.Value(i))
	case *array.Float64:
		s.Float = a.Value(i)
	case *array.Float32:
		s.Float = float64(a.Value(i))
	case *array.Boolean:
		s.Bool = a.Value(i)
	case *array.String:
		s.Str = a.Value(i)
	case *array.Timestamp:
		s.Int = int64(a.Value(i))
	case *array.Date32:
		s.Int = int64(a.Value(i))
	case *array.Duration:
		s.Int = int64(a.Value(i))
	default:
		return s, fmt.Errorf("%w: constant of type %s", ErrType, arr.DataType())
	}
	return s, nil
}
