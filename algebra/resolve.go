package algebra

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra/vec"
)

// Resolve returns the type e produces over a frame of schema, or an error
// naming the unknown column or the operation and types at fault. The rules
// are pandas': integers widen to the wider operand, any float makes a
// float64 (float32 only with float32 on both sides), true division always
// gives float64, booleans count as int64 in arithmetic, comparisons and
// logic give bool.
func (e Expr) Resolve(schema *arrow.Schema) (arrow.DataType, error) {
	if e.n == nil {
		return nil, fmt.Errorf("%w: empty expression", ErrArgument)
	}
	switch e.n.kind {
	case kindColumn:
		idx := schema.FieldIndices(e.n.name)
		if len(idx) == 0 {
			return nil, unknownColumn(schema, e.n.name)
		}
		return schema.Field(idx[0]).Type, nil
	case kindLiteral:
		if e.n.name != "" {
			return nil, errors.New(e.n.name)
		}
		return e.n.lit.Type, nil
	case kindAlias:
		return e.n.args[0].Resolve(schema)
	}
	args := make([]arrow.DataType, len(e.n.args))
	for i, a := range e.n.args {
		dt, err := a.Resolve(schema)
		if err != nil {
			return nil, err
		}
		args[i] = dt
	}
	switch e.n.kind {
	case kindBinary:
		dt, err := binaryType(e.n.name, args[0], args[1])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %s and %s in %s: %w", ErrType, e.n.name, args[0], args[1], e, err)
		}
		return dt, nil
	case kindUnary:
		switch e.n.name {
		case "isnull", "notnull":
			return arrow.FixedWidthTypes.Boolean, nil
		case "not":
			if args[0].ID() != arrow.BOOL {
				return nil, fmt.Errorf("%w: not of %s in %s", ErrType, args[0], e)
			}
			return args[0], nil
		default: // neg, abs
			if !isNumeric(args[0]) {
				return nil, fmt.Errorf("%w: %s of %s in %s", ErrType, e.n.name, args[0], e)
			}
			return args[0], nil
		}
	case kindCast:
		return e.n.to, nil
	case kindFillNull:
		if args[1].ID() != arrow.NULL && !fillable(args[0], args[1]) {
			return nil, fmt.Errorf("%w: fill %s with %s in %s", ErrType, args[0], args[1], e)
		}
		return args[0], nil
	case kindIsIn:
		return arrow.FixedWidthTypes.Boolean, nil
	}
	return nil, fmt.Errorf("%w: unknown expression %s", ErrArgument, e)
}

func isInteger(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return true
	}
	return false
}

func isFloat(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

func isNumeric(dt arrow.DataType) bool { return isInteger(dt) || isFloat(dt) || dt.ID() == arrow.BOOL }

func isString(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return true
	case arrow.DICTIONARY:
		return isString(dt.(*arrow.DictionaryType).ValueType)
	}
	return false
}

// fillable reports whether a value of type v can fill a column of type c.
func fillable(c, v arrow.DataType) bool {
	switch {
	case isNumeric(c):
		return isNumeric(v)
	case isString(c):
		return isString(v)
	}
	return arrow.TypeEqual(c, v)
}

// vecOps maps an expression's operator name to the vec kernel's.
var vecOps = map[string]vec.Op{
	"add": vec.Add, "sub": vec.Sub, "mul": vec.Mul, "div": vec.Div, "floordiv": vec.FloorDiv, "mod": vec.Mod, "pow": vec.Pow,
	"eq": vec.Eq, "ne": vec.Ne, "lt": vec.Lt, "le": vec.Le, "gt": vec.Gt, "ge": vec.Ge,
	"and": vec.LogicAnd, "or": vec.LogicOr, "xor": vec.LogicXor, "not": vec.LogicNot,
	"neg": vec.UnaryNeg, "abs": vec.UnaryAbs, "isnull": vec.UnaryIsNull, "notnull": vec.UnaryIsNotNull,
}

// binaryType types a binary operator with the kernels' own rules, so the
// plan's schema is what evaluation produces. A null literal takes the
// other operand's type.
func binaryType(op string, a, b arrow.DataType) (arrow.DataType, error) {
	if a.ID() == arrow.NULL {
		a = b
	}
	if b.ID() == arrow.NULL {
		b = a
	}
	if a.ID() == arrow.NULL { // null op null
		if _, ok := vecOps[op].(vec.ArithOp); ok {
			return arrow.PrimitiveTypes.Float64, nil
		}
		return arrow.FixedWidthTypes.Boolean, nil
	}
	return vec.ResultType(vecOps[op], a, b)
}
