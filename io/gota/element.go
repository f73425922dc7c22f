package gota

import "github.com/go-gota/gota/series"

// srcElem hands one typed value to a gota element. gota's element Set takes
// an interface{}; passing the value itself boxes it (an allocation per
// value for floats, ints above 255 and strings), while passing an Element
// makes Set copy through a method call (Int, Float, String or Bool) with no
// allocation. One srcElem is reused for a whole column.
type srcElem struct {
	t series.Type
	i int
	f float64
	s string
	b bool
}

var _ series.Element = (*srcElem)(nil)

func (e *srcElem) Int() (int, error)          { return e.i, nil }
func (e *srcElem) Float() float64             { return e.f }
func (e *srcElem) String() string             { return e.s }
func (e *srcElem) Bool() (bool, error)        { return e.b, nil }
func (e *srcElem) IsNA() bool                 { return false }
func (e *srcElem) Type() series.Type          { return e.t }
func (e *srcElem) Set(interface{})            {}
func (e *srcElem) Copy() series.Element       { c := *e; return &c }
func (e *srcElem) Eq(series.Element) bool     { return false }
func (e *srcElem) Neq(series.Element) bool    { return false }
func (e *srcElem) Less(series.Element) bool   { return false }
func (e *srcElem) LessEq(series.Element) bool { return false }
func (e *srcElem) Greater(series.Element) bool {
	return false
}
func (e *srcElem) GreaterEq(series.Element) bool { return false }

// Val is only here to satisfy series.Element; gota's Set never calls it.
func (e *srcElem) Val() series.ElementValue {
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
