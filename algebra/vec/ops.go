package vec

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// Op is an operator whose result type ResultType computes: an ArithOp,
// a CmpOp, a LogicOp or a UnaryOp.
type Op interface {
	String() string
	isOp()
}

// ArithOp is a binary arithmetic operator.
type ArithOp int8

// The arithmetic operators; see Arith for their semantics.
const (
	Add ArithOp = iota
	Sub
	Mul
	Div      // true division, always float64
	FloorDiv // Python //: floor toward -inf
	Mod      // Python %: the sign follows the divisor
	Pow
)

var arithNames = [...]string{"add", "sub", "mul", "div", "floordiv", "mod", "pow"}

func (o ArithOp) String() string { return arithNames[o] }
func (ArithOp) isOp()            {}

// CmpOp is a comparison operator.
type CmpOp int8

// The comparison operators.
const (
	Eq CmpOp = iota
	Ne
	Lt
	Le
	Gt
	Ge
)

var cmpNames = [...]string{"eq", "ne", "lt", "le", "gt", "ge"}

func (o CmpOp) String() string { return cmpNames[o] }
func (CmpOp) isOp()            {}

// flip returns the operator that gives the same answer with the operands
// swapped (a < b == b > a).
func (o CmpOp) flip() CmpOp {
	switch o {
	case Lt:
		return Gt
	case Le:
		return Ge
	case Gt:
		return Lt
	case Ge:
		return Le
	}
	return o
}

// LogicOp is a boolean operator (the kernels are And, Or, Xor and Not).
type LogicOp int8

// The logic operators.
const (
	LogicAnd LogicOp = iota
	LogicOr
	LogicXor
	LogicNot // unary
)

var logicNames = [...]string{"and", "or", "xor", "not"}

func (o LogicOp) String() string { return logicNames[o] }
func (LogicOp) isOp()            {}

// UnaryOp is an element-wise unary operator other than Not.
type UnaryOp int8

// The unary operators (the kernels are Neg, Abs, IsNull and IsNotNull).
const (
	UnaryNeg UnaryOp = iota
	UnaryAbs
	UnaryIsNull
	UnaryIsNotNull
)

var unaryNames = [...]string{"neg", "abs", "isnull", "isnotnull"}

func (o UnaryOp) String() string { return unaryNames[o] }
func (UnaryOp) isOp()            {}

// ResultType returns the type op yields on operands of types a and b (b
// is ignored for unary operators), or an error wrapping ErrType when the
// kernel would reject them. It needs no data, so the planner can type an
// expression tree before running it; the kernels give the same answer.
func ResultType(op Op, a, b arrow.DataType) (arrow.DataType, error) {
	if a == nil {
		return nil, errorf(ErrArgument, "%s: nil type", op)
	}
	switch op := op.(type) {
	case ArithOp:
		if b == nil {
			return nil, errorf(ErrArgument, "%s: nil type", op)
		}
		p, err := planArith(op, a, b)
		return p.result, err
	case CmpOp:
		if b == nil {
			return nil, errorf(ErrArgument, "%s: nil type", op)
		}
		if _, err := planCompare(op, a, b); err != nil {
			return nil, err
		}
		return arrow.FixedWidthTypes.Boolean, nil
	case LogicOp:
		if err := checkLogic(op, a); err != nil {
			return nil, err
		}
		if op != LogicNot {
			if b == nil {
				return nil, errorf(ErrArgument, "%s: nil type", op)
			}
			if err := checkLogic(op, b); err != nil {
				return nil, err
			}
		}
		return arrow.FixedWidthTypes.Boolean, nil
	case UnaryOp:
		switch op {
		case UnaryIsNull, UnaryIsNotNull:
			return arrow.FixedWidthTypes.Boolean, nil
		}
		if err := checkUnary(op, a); err != nil {
			return nil, err
		}
		return a, nil
	}
	return nil, errorf(ErrArgument, "unknown operator %v", op)
}
