// Package series is gota's series package (github.com/go-gota/gota/series
// v0.12.0) under Shoal's import path, so a gota program moves to Shoal by
// changing its imports only (see github.com/shoaldata/shoal/gota/dataframe).
//
// Every name here is an alias of gota's own or forwards to it: a Series is
// gota's Series, an Element gota's Element. That is deliberate. User code
// hands series to the dataframe package (New, Mutate, Set, Capply, Rapply,
// Filter with CompFunc) and gets them back (Col, Elem), and third-party code
// written against gota's types must keep accepting them; with aliases the
// values pass between gota, this package and Shoal's dataframe unchanged and
// behave identically, element by element. A series is one column handed to
// a user callback, so it is never where a program spends its time: the
// speed is in the dataframe package, whose frames are Arrow data processed
// by Shoal's parallel engine and which converts to and from series only at
// those boundaries.
package series

import gs "github.com/go-gota/gota/series"

// Types, all aliases of gota's, so values are interchangeable.
type (
	// Series is a named, typed column of Elements.
	Series = gs.Series
	// Elements is the array of elements inside a Series.
	Elements = gs.Elements
	// Element is one value of a Series.
	Element = gs.Element
	// ElementValue is the Go value an Element holds (Val).
	ElementValue = gs.ElementValue
	// MapFunction is the function Series.Map applies to each element.
	MapFunction = gs.MapFunction
	// Comparator names a comparison for Compare and dataframe.F.
	Comparator = gs.Comparator
	// Type is a Series' type: String, Int, Float or Bool.
	Type = gs.Type
	// Indexes select elements: int, []int, []bool or an Int or Bool Series.
	Indexes = gs.Indexes
	// RollingWindow is returned by Series.Rolling.
	RollingWindow = gs.RollingWindow
)

// The comparators of Compare and dataframe.F.
const (
	Eq        = gs.Eq
	Neq       = gs.Neq
	Greater   = gs.Greater
	GreaterEq = gs.GreaterEq
	Less      = gs.Less
	LessEq    = gs.LessEq
	In        = gs.In
	CompFunc  = gs.CompFunc
)

// The series types.
const (
	String = gs.String
	Int    = gs.Int
	Float  = gs.Float
	Bool   = gs.Bool
)

// New makes a Series of type t from values (a slice, a single value, a
// Series or nil); values that do not convert become NaN.
func New(values interface{}, t Type, name string) Series { return gs.New(values, t, name) }

// Strings makes a String Series.
func Strings(values interface{}) Series { return gs.Strings(values) }

// Ints makes an Int Series.
func Ints(values interface{}) Series { return gs.Ints(values) }

// Floats makes a Float Series.
func Floats(values interface{}) Series { return gs.Floats(values) }

// Bools makes a Bool Series.
func Bools(values interface{}) Series { return gs.Bools(values) }
