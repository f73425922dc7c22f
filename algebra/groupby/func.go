package groupby

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of this package; functions wrap them with the column, function or
// type at fault. Test with errors.Is.
var (
	// ErrUnknownColumn: a key or aggregate names no column of the input.
	ErrUnknownColumn = errors.New("groupby: unknown column")
	// ErrType: a key or aggregate cannot handle a column's type.
	ErrType = errors.New("groupby: unsupported type")
	// ErrFunc: an unknown aggregate name, or an invalid Agg (bad Q, DDof).
	ErrFunc = errors.New("groupby: invalid aggregate")
	// ErrNotDecomposable: Partial, MergePartial or Combine was asked for an
	// aggregate that needs all rows at once (Median, Quantile, NUnique).
	ErrNotDecomposable = errors.New("groupby: aggregate not decomposable")
)

// Func is an aggregate function.
type Func int

// The aggregate functions, named as in pandas.
const (
	Sum Func = iota
	Mean
	Min
	Max
	Count
	Size
	Median
	Std
	Var
	First
	Last
	NUnique
	Quantile
	Prod
	Corr
	numFuncs
)

var funcNames = [numFuncs]string{
	Sum: "sum", Mean: "mean", Min: "min", Max: "max", Count: "count",
	Size: "size", Median: "median", Std: "std", Var: "var", First: "first",
	Last: "last", NUnique: "nunique", Quantile: "quantile", Prod: "prod",
	Corr: "corr",
}

// String returns pandas' name of f ("sum", "mean", ...).
func (f Func) String() string {
	if f >= 0 && f < numFuncs {
		return funcNames[f]
	}
	return fmt.Sprintf("Func(%d)", int(f))
}

// ParseFunc returns the Func pandas names s ("sum", "nunique", ...).
func ParseFunc(s string) (Func, error) {
	for f, name := range funcNames {
		if name == s {
			return Func(f), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown function %q (functions: %s)", ErrFunc, s, strings.Join(funcNames[:], ", "))
}

// Agg is one aggregate: Func over Column, written to the output column As.
type Agg struct {
	Func   Func
	Column string  // input column (ignored by Size)
	Other  string  // Corr's second column
	Q      float64 // Quantile's q in [0,1], linear interpolation like pandas
	DDof   int     // Std/Var degrees of freedom (pandas' default is 1; callers pass it)
	As     string  // output column name
}

// Options are pandas' groupby options.
type Options struct {
	// Dropna drops rows with a null key (pandas dropna=True); false makes
	// null its own group. A NaN float key is a null key.
	Dropna bool
	// Sort orders groups by keys ascending, nulls last; false keeps the
	// order of first appearance.
	Sort bool
}

// decomposable reports whether f can run as Partial then Combine.
func (f Func) decomposable() bool {
	return f != Median && f != Quantile && f != NUnique
}

// Decomposable reports whether every aggregate can run in two phases
// (Partial per partition, then Combine): all but Median, Quantile, NUnique.
func Decomposable(aggs []Agg) bool {
	for _, a := range aggs {
		if !a.Func.decomposable() {
			return false
		}
	}
	return true
}
