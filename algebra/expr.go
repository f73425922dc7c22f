package algebra

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra/vec"
)

// Expr is a user-built expression over the columns of one frame:
// Col("a").Add(Col("b")).Gt(Lit(3)). It is immutable and safe to share;
// building one checks nothing, Resolve types it against a schema (the plan
// does that when the expression is used, so errors name the frame's
// columns).
type Expr struct{ n *exprNode }

type exprKind uint8

const (
	kindColumn exprKind = iota + 1
	kindLiteral
	kindBinary
	kindUnary
	kindCast
	kindFillNull
	kindIsIn
	kindAlias
)

type exprNode struct {
	kind   exprKind
	name   string // column name, operator name, or alias
	lit    vec.Scalar
	args   []Expr
	to     arrow.DataType // Cast
	values []vec.Scalar   // IsIn
}

// Col refers to the column name.
func Col(name string) Expr { return Expr{&exprNode{kind: kindColumn, name: name}} }

// Lit is a literal: a Go int, int32, int64, float32, float64, bool,
// string, time.Time (a timestamp in ns), nil (a null) or a vec.Scalar.
// Any other type makes the expression fail to resolve, naming the type.
func Lit(v any) Expr {
	s, err := scalarOf(v)
	if err != nil {
		return Expr{&exprNode{kind: kindLiteral, name: err.Error()}}
	}
	return Expr{&exprNode{kind: kindLiteral, lit: s}}
}

func scalarOf(v any) (vec.Scalar, error) {
	switch x := v.(type) {
	case nil:
		return vec.NullOf(arrow.Null), nil
	case vec.Scalar:
		return x, nil
	case int:
		return vec.Int64(int64(x)), nil
	case int64:
		return vec.Int64(x), nil
	case int32:
		return vec.Scalar{Type: arrow.PrimitiveTypes.Int32, Int: int64(x)}, nil
	case float64:
		return vec.Float64(x), nil
	case float32:
		return vec.Scalar{Type: arrow.PrimitiveTypes.Float32, Float: float64(x)}, nil
	case bool:
		return vec.Bool(x), nil
	case string:
		return vec.String(x), nil
	case time.Time:
		return vec.Scalar{Type: &arrow.TimestampType{Unit: arrow.Nanosecond}, Int: x.UnixNano()}, nil
	}
	return vec.Scalar{}, fmt.Errorf("algebra: literal of Go type %T is not supported (use int64, float64, bool, string, time.Time or nil)", v)
}

// exprOf lets the methods take either an Expr or a Go literal.
func exprOf(v any) Expr {
	if e, ok := v.(Expr); ok {
		return e
	}
	return Lit(v)
}

func binary(op string, a Expr, b any) Expr {
	return Expr{&exprNode{kind: kindBinary, name: op, args: []Expr{a, exprOf(b)}}}
}

func unary(op string, a Expr) Expr {
	return Expr{&exprNode{kind: kindUnary, name: op, args: []Expr{a}}}
}

// Arithmetic, with pandas' type promotion: b is an Expr or a Go literal.
func (e Expr) Add(b any) Expr      { return binary("add", e, b) }
func (e Expr) Sub(b any) Expr      { return binary("sub", e, b) }
func (e Expr) Mul(b any) Expr      { return binary("mul", e, b) }
func (e Expr) Div(b any) Expr      { return binary("div", e, b) }
func (e Expr) FloorDiv(b any) Expr { return binary("floordiv", e, b) }
func (e Expr) Mod(b any) Expr      { return binary("mod", e, b) }
func (e Expr) Pow(b any) Expr      { return binary("pow", e, b) }

// Comparisons give booleans; a null on either side gives null, which a
// filter treats as false.
func (e Expr) Eq(b any) Expr { return binary("eq", e, b) }
func (e Expr) Ne(b any) Expr { return binary("ne", e, b) }
func (e Expr) Lt(b any) Expr { return binary("lt", e, b) }
func (e Expr) Le(b any) Expr { return binary("le", e, b) }
func (e Expr) Gt(b any) Expr { return binary("gt", e, b) }
func (e Expr) Ge(b any) Expr { return binary("ge", e, b) }

// Boolean logic, Kleene's (false AND null is false, true OR null is true).
func (e Expr) And(b any) Expr { return binary("and", e, b) }
func (e Expr) Or(b any) Expr  { return binary("or", e, b) }
func (e Expr) Xor(b any) Expr { return binary("xor", e, b) }
func (e Expr) Not() Expr      { return unary("not", e) }

func (e Expr) Neg() Expr     { return unary("neg", e) }
func (e Expr) Abs() Expr     { return unary("abs", e) }
func (e Expr) IsNull() Expr  { return unary("isnull", e) }
func (e Expr) NotNull() Expr { return unary("notnull", e) }

// FillNull replaces nulls (and NaN) with v, an Expr or a Go literal.
func (e Expr) FillNull(v any) Expr {
	return Expr{&exprNode{kind: kindFillNull, args: []Expr{e, exprOf(v)}}}
}

// Cast converts to type to (pandas astype).
func (e Expr) Cast(to arrow.DataType) Expr {
	return Expr{&exprNode{kind: kindCast, args: []Expr{e}, to: to}}
}

// IsIn is true where the value is one of values (Go literals); null is
// never in the set (pandas isin).
func (e Expr) IsIn(values ...any) Expr {
	n := &exprNode{kind: kindIsIn, args: []Expr{e}}
	for _, v := range values {
		s, err := scalarOf(v)
		if err != nil {
			return Expr{&exprNode{kind: kindLiteral, name: err.Error()}}
		}
		n.values = append(n.values, s)
	}
	return Expr{n}
}

// Alias names the expression's result column.
func (e Expr) Alias(name string) Expr {
	return Expr{&exprNode{kind: kindAlias, name: name, args: []Expr{e.unalias()}}}
}

// IsZero reports whether e is the zero Expr (no expression).
func (e Expr) IsZero() bool { return e.n == nil }

// ColumnName returns the column e refers to, if e is a plain column
// reference (possibly aliased, in which case ok is still false).
func (e Expr) ColumnName() (string, bool) {
	if e.n != nil && e.n.kind == kindColumn {
		return e.n.name, true
	}
	return "", false
}

// OutputName is the name a projection gives e's column: its alias, the
// column it refers to, or its printed form.
func (e Expr) OutputName() string {
	switch e.n.kind {
	case kindAlias, kindColumn:
		return e.n.name
	}
	return e.String()
}

// Columns lists the columns e reads, each once, in first-use order.
func (e Expr) Columns() []string {
	var out []string
	e.walk(func(x Expr) {
		if x.n.kind == kindColumn && !slices.Contains(out, x.n.name) {
			out = append(out, x.n.name)
		}
	})
	return out
}

func (e Expr) walk(f func(Expr)) {
	if e.n == nil {
		return
	}
	f(e)
	for _, a := range e.n.args {
		a.walk(f)
	}
}

// replaceColumns returns e with each column reference c replaced by
// sub[c] when present (map fusion substitutes a projection's expressions).
func (e Expr) replaceColumns(sub map[string]Expr) Expr {
	switch e.n.kind {
	case kindColumn:
		if r, ok := sub[e.n.name]; ok {
			return r.unalias()
		}
		return e
	case kindLiteral:
		return e
	}
	n := *e.n
	n.args = make([]Expr, len(e.n.args))
	for i, a := range e.n.args {
		n.args[i] = a.replaceColumns(sub)
	}
	return Expr{&n}
}

func (e Expr) unalias() Expr {
	for e.n.kind == kindAlias {
		e = e.n.args[0]
	}
	return e
}

// conjuncts splits e at its top-level ANDs.
func (e Expr) conjuncts() []Expr {
	if e.n.kind == kindBinary && e.n.name == "and" {
		return append(e.n.args[0].conjuncts(), e.n.args[1].conjuncts()...)
	}
	return []Expr{e}
}

// andAll joins es with AND; es must not be empty.
func andAll(es []Expr) Expr {
	out := es[0]
	for _, x := range es[1:] {
		out = out.And(x)
	}
	return out
}

var opSymbols = map[string]string{
	"add": "+", "sub": "-", "mul": "*", "div": "/", "floordiv": "//", "mod": "%", "pow": "**",
	"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
	"and": "&", "or": "|", "xor": "^",
}

// String prints e in pandas' operator syntax: (a + b), (a > 3) & b.isnull().
func (e Expr) String() string {
	if e.n == nil {
		return "<nil>"
	}
	switch e.n.kind {
	case kindColumn:
		return e.n.name
	case kindLiteral:
		if e.n.name != "" {
			return "<" + e.n.name + ">"
		}
		return literalString(e.n.lit)
	case kindBinary:
		return "(" + e.n.args[0].String() + " " + opSymbols[e.n.name] + " " + e.n.args[1].String() + ")"
	case kindUnary:
		switch e.n.name {
		case "not":
			return "~" + e.n.args[0].String()
		case "neg":
			return "-" + e.n.args[0].String()
		}
		return e.n.args[0].String() + "." + e.n.name + "()"
	case kindCast:
		return e.n.args[0].String() + ".astype(" + e.n.to.String() + ")"
	case kindFillNull:
		return e.n.args[0].String() + ".fillna(" + e.n.args[1].String() + ")"
	case kindIsIn:
		vals := make([]string, len(e.n.values))
		for i, v := range e.n.values {
			vals[i] = literalString(v)
		}
		return e.n.args[0].String() + ".isin([" + strings.Join(vals, ", ") + "])"
	case kindAlias:
		return e.n.args[0].String() + " AS " + e.n.name
	}
	return "?"
}

func literalString(s vec.Scalar) string {
	if s.Null || s.Type == nil || s.Type.ID() == arrow.NULL {
		return "null"
	}
	switch s.Type.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return strconv.Quote(s.Str)
	case arrow.BOOL:
		if s.Bool {
			return "True"
		}
		return "False"
	case arrow.FLOAT32, arrow.FLOAT64:
		if math.IsInf(s.Float, 0) || math.IsNaN(s.Float) {
			return strconv.FormatFloat(s.Float, 'g', -1, 64)
		}
		f := strconv.FormatFloat(s.Float, 'g', -1, 64)
		if !strings.ContainsAny(f, ".e") {
			f += ".0"
		}
		return f
	case arrow.TIMESTAMP:
		return strconv.Quote(time.Unix(0, s.Int).UTC().Format("2006-01-02 15:04:05.999999999"))
	}
	return strconv.FormatInt(s.Int, 10)
}

// Comparison is a conjunct of the form column OP literal, which a file
// reader can test against statistics.
type Comparison struct {
	Column string
	Op     string // "eq", "lt", "le", "gt", "ge"
	Value  vec.Scalar
}

// Comparisons returns e's top-level AND-ed conjuncts that compare a column
// with a non-null literal (either side; a literal on the left flips the
// operator). Other conjuncts are left out: a reader may skip data only by
// what these prove.
func (e Expr) Comparisons() []Comparison {
	if e.n == nil {
		return nil
	}
	flip := map[string]string{"eq": "eq", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}
	var out []Comparison
	for _, c := range e.conjuncts() {
		if c.n.kind != kindBinary {
			continue
		}
		op, ok := flip[c.n.name]
		if !ok {
			continue
		}
		a, b := c.n.args[0].unalias(), c.n.args[1].unalias()
		switch {
		case a.n.kind == kindColumn && b.n.kind == kindLiteral && b.n.name == "" && !b.n.lit.Null:
			out = append(out, Comparison{Column: a.n.name, Op: c.n.name, Value: b.n.lit})
		case b.n.kind == kindColumn && a.n.kind == kindLiteral && a.n.name == "" && !a.n.lit.Null:
			out = append(out, Comparison{Column: b.n.name, Op: op, Value: a.n.lit})
		}
	}
	return out
}
