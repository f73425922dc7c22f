package gota

import "github.com/go-gota/gota/series"

// Value hands one typed value to a gota element: set it with SetInt,
// SetFloat, SetString or SetBool, then pass it to the element's Set. gota's
// element Set takes an interface{}; passing the value itself boxes it (an
// allocation per value for floats, ints above 255 and strings), while
// passing an Element makes Set copy through a method call (Int, Float,
// String or Bool) with no allocation. One Value is reused for a whole
// column (one per goroutine).
type Value struct {
	t series.Type
	i int
	f float64
	s string
	b bool
}

var _ series.Element = (*Value)(nil)

// NewValue returns a Value of gota type t.
func NewValue(t series.Type) *Value { return &Value{t: t} }

func (e *Value) SetInt(i int)       { e.i = i }
func (e *Value) SetFloat(f float64) { e.f = f }
func (e *Value) SetString(s string) { e.s = s }
func (e *Value) SetBool(b bool)     { e.b = b }

func (e *Value) Int() (int, error)          { return e.i, nil }
func (e *Value) Float() float64             { return e.f }
func (e *Value) String() string             { return e.s }
func (e *Value) Bool() (bool, error)        { return e.b, nil }
func (e *Value) IsNA() bool                 { return false }
func (e *Value) Type() series.Type          { return e.t }
func (e *Value) Set(interface{})            {}
func (e *Value) Copy() series.Element       { c := *e; return &c }
func (e *Value) Eq(series.Element) bool     { return false }
func (e *Value) Neq(series.Element) bool    { return false }
func (e *Value) Less(series.Element) bool   { return false }
func (e *Value) LessEq(series.Element) bool { return false }
func (e *Value) Greater(series.Element) bool {
	return false
}
func (e *Value) GreaterEq(series.Element) bool { return false }

// Val is only here to satisfy series.Element; gota's Set never calls it.
func (e *Value) Val() series.ElementValue {
	switch e.t {
	case series.Int:
		return e.i
	case series.Float:
		return e.f
	case series.Bool:
		return e.b
	}
	return e.s
}
