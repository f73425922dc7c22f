// Package dataframe is Shoal's user API: DataFrame, Series and GroupBy with
// pandas semantics (checked against outputs of pandas itself), expressions
// (Col, Lit), readers and writers (Read*, Scan*, To*) and gota interop.
//
// It is the top of the pipeline dataframe → algebra → partition → runtime
// (see DESIGN.md): every method builds a lazy logical plan, and actions
// (Collect, ToArrow, ToRecords, Rows, Len, String, ...) optimize it and run
// it on the session's engine, the single-node path by default or the
// runtime's tasks. Frames are immutable and safe for concurrent use; a
// frame built with a bad argument carries the error (Err) and every action
// returns it, so calls chain as in pandas without panics.
package dataframe
