package gota

import "errors"

var (
	// ErrFrame wraps the error a gota DataFrame carries (df.Err) when it is
	// passed to FromGota.
	ErrFrame = errors.New("gota: dataframe carries an error")
	// ErrUnsupportedType is returned by ToGota for a column whose Arrow type
	// has no gota counterpart (see the package doc for the mapping).
	ErrUnsupportedType = errors.New("gota: unsupported Arrow type")
	// ErrIntOverflow is returned by ToGota when an integer value does not
	// fit in gota's Int, which is Go's int.
	ErrIntOverflow = errors.New("gota: integer overflows int")
)
