package csv

import "fmt"

// LineError is a bad line: a record with the wrong number of fields.
// It matches ErrBadLine with errors.Is.
type LineError struct {
	File            string
	Line            int64 // 1-based physical line where the record starts
	Expected, Found int
}

func (e *LineError) Error() string {
	return fmt.Sprintf("csv: %s:%d: expected %d fields, found %d", e.File, e.Line, e.Expected, e.Found)
}

func (e *LineError) Unwrap() error { return ErrBadLine }

// ValueError is a value that does not fit the column's requested type.
// It matches ErrBadValue with errors.Is.
type ValueError struct {
	File   string
	Line   int64 // 1-based physical line where the record starts
	Column string
	Value  string
	Type   string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("csv: %s:%d: column %q: cannot parse %q as %s", e.File, e.Line, e.Column, e.Value, e.Type)
}

func (e *ValueError) Unwrap() error { return ErrBadValue }
