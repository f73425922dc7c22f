package groupby

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
)

// typeError is an ErrType with a message of its own.
type typeError struct{ msg string }

func (e *typeError) Error() string { return e.msg }
func (e *typeError) Unwrap() error { return ErrType }

func errType(f Func, col string, dt arrow.DataType) error {
	return &typeError{fmt.Sprintf("groupby: %s of column %q: type %s not supported", f, col, dt)}
}

// resolved is one Agg checked against an input schema.
type resolved struct {
	Agg
	col, other int            // column indices (-1: none)
	in         arrow.DataType // input column type
	out        arrow.DataType // result type
	intSum     bool           // Sum/Prod accumulate int64
}

func isNumeric(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.BOOL:
		return true
	}
	return false
}

// isOrdered reports whether Min and Max support dt.
func isOrdered(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.TIMESTAMP, arrow.DATE32, arrow.DATE64, arrow.DURATION,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		return true
	case arrow.DICTIONARY:
		vt := dt.(*arrow.DictionaryType).ValueType
		return isNumeric(vt) || isOrdered(vt)
	}
	return isNumeric(dt)
}

// isGatherable reports whether First, Last (and take) support dt.
func isGatherable(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.BOOL, arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY, arrow.DICTIONARY:
		return true
	}
	fw, ok := dt.(arrow.FixedWidthDataType)
	return ok && fw.BitWidth()%8 == 0
}

// isKeyType reports whether dt can be a key (and NUnique's input).
func isKeyType(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.TIMESTAMP, arrow.DATE32, arrow.DATE64, arrow.DURATION,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY:
		return true
	case arrow.DICTIONARY:
		return true
	}
	return isNumeric(dt)
}

func resolve(in *arrow.Schema, aggs []Agg) ([]resolved, error) {
	rs := make([]resolved, len(aggs))
	for i, a := range aggs {
		r := resolved{Agg: a, col: -1, other: -1}
		if a.Func < 0 || a.Func >= numFuncs {
			return nil, fmt.Errorf("%w: %v", ErrFunc, a.Func)
		}
		if a.Func != Size {
			c, err := columnIndex(in, a.Column)
			if err != nil {
				return nil, err
			}
			r.col, r.in = c, in.Field(c).Type
		}
		f, dt := a.Func, r.in
		switch f {
		case Sum, Prod:
			if !isNumeric(dt) {
				return nil, errType(f, a.Column, dt)
			}
			r.intSum = !isFloat(dt)
			r.out = arrow.PrimitiveTypes.Float64
			if r.intSum {
				r.out = arrow.PrimitiveTypes.Int64
			}
		case Mean, Median, Std, Var, Quantile, Corr:
			if !isNumeric(dt) {
				return nil, errType(f, a.Column, dt)
			}
			r.out = arrow.PrimitiveTypes.Float64
			if f == Quantile && !(a.Q >= 0 && a.Q <= 1) {
				return nil, fmt.Errorf("%w: quantile of column %q: q %v not in [0, 1]", ErrFunc, a.Column, a.Q)
			}
			if (f == Std || f == Var) && a.DDof < 0 {
				return nil, fmt.Errorf("%w: %s of column %q: negative ddof %d", ErrFunc, f, a.Column, a.DDof)
			}
			if f == Corr {
				c, err := columnIndex(in, a.Other)
				if err != nil {
					return nil, err
				}
				r.other = c
				if ot := in.Field(c).Type; !isNumeric(ot) {
					return nil, errType(f, a.Other, ot)
				}
			}
		case Min, Max:
			if !isOrdered(dt) {
				return nil, errType(f, a.Column, dt)
			}
			r.out = dt
		case First, Last:
			if !isGatherable(dt) {
				return nil, errType(f, a.Column, dt)
			}
			r.out = dt
		case Count:
			r.out = arrow.PrimitiveTypes.Int64
		case NUnique:
			if !isKeyType(dt) {
				return nil, errType(f, a.Column, dt)
			}
			r.out = arrow.PrimitiveTypes.Int64
		case Size:
			r.out = arrow.PrimitiveTypes.Int64
		}
		rs[i] = r
	}
	return rs, nil
}

// keyFields resolves the keys and returns their fields, nullable.
func keyFields(in *arrow.Schema, keys []string) ([]arrow.Field, []int, error) {
	fs := make([]arrow.Field, len(keys))
	ix := make([]int, len(keys))
	for i, k := range keys {
		c, err := columnIndex(in, k)
		if err != nil {
			return nil, nil, err
		}
		f := in.Field(c)
		if !isKeyType(f.Type) {
			return nil, nil, &typeError{fmt.Sprintf("groupby: key %q: type %s not supported", k, f.Type)}
		}
		fs[i], ix[i] = arrow.Field{Name: f.Name, Type: f.Type, Nullable: true}, c
	}
	return fs, ix, nil
}

// OutputSchema returns the schema Aggregate (and Combine) produce for an
// input schema: the key columns, then one column per Agg named As.
func OutputSchema(in *arrow.Schema, keys []string, aggs []Agg) (*arrow.Schema, error) {
	fs, _, err := keyFields(in, keys)
	if err != nil {
		return nil, err
	}
	rs, err := resolve(in, aggs)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		fs = append(fs, arrow.Field{Name: r.As, Type: r.out, Nullable: true})
	}
	return arrow.NewSchema(fs, nil), nil
}

// stateFields lists the partial-state columns of r, in order.
func (r *resolved) stateFields() []arrow.Field {
	i64, f64 := arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64
	fld := func(suffix string, dt arrow.DataType) arrow.Field {
		return arrow.Field{Name: r.As + "." + suffix, Type: dt, Nullable: true}
	}
	switch r.Func {
	case Sum:
		return []arrow.Field{fld("sum", r.out)}
	case Prod:
		return []arrow.Field{fld("prod", r.out)}
	case Count:
		return []arrow.Field{fld("count", i64)}
	case Size:
		return []arrow.Field{fld("size", i64)}
	case Mean:
		return []arrow.Field{fld("sum", f64), fld("count", i64)}
	case Std, Var:
		return []arrow.Field{fld("count", i64), fld("mean", f64), fld("m2", f64)}
	case Min, Max, First, Last:
		return []arrow.Field{fld("value", r.out)}
	case Corr:
		return []arrow.Field{fld("n", i64), fld("mean_x", f64), fld("mean_y", f64),
			fld("m2_x", f64), fld("m2_y", f64), fld("c_xy", f64)}
	}
	return nil
}

// PartialSchema returns the schema of Partial's output: the key columns,
// then each Agg's state columns, named As + "." + part (for Mean, As.sum
// and As.count).
func PartialSchema(in *arrow.Schema, keys []string, aggs []Agg) (*arrow.Schema, error) {
	fs, _, err := keyFields(in, keys)
	if err != nil {
		return nil, err
	}
	rs, err := resolve(in, aggs)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if !rs[i].Func.decomposable() {
			return nil, fmt.Errorf("%w: %s of column %q", ErrNotDecomposable, rs[i].Func, rs[i].Column)
		}
		fs = append(fs, rs[i].stateFields()...)
	}
	return arrow.NewSchema(fs, nil), nil
}
