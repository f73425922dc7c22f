// Package format renders Arrow columns the way pandas prints them: a
// DataFrame's repr (Frame), a Series' repr (Series) and DataFrame.info()
// (Info). The dataframe package calls it from DataFrame.String,
// Series.String and Info; it knows nothing of plans and imports no Shoal
// package, so it sits beside the pipeline dataframe → algebra → partition →
// runtime, below dataframe only.
//
// # Fetching only what is shown
//
// A frame is partitioned and may be large, so the caller asks first what
// will be printed and fetches only that: Rows says how many head and tail
// rows, Cols how many leading and trailing columns. A Table then carries
// those rows as Arrow arrays (Head, and Tail when the rows are truncated)
// together with TotalRows and every column name, which the footer and the
// RangeIndex labels need. Every decision pandas makes from the values
// (float precision and notation, date-only timestamps, column widths) is
// made, as in pandas, from the shown rows only, so the output is the same
// as printing the whole frame.
//
// # Fidelity
//
// The rules are pandas 1.5.3's (pandas/io/formats/format.py, string.py,
// info.py), with display.max_rows 60, min_rows 10, max_columns 20,
// max_colwidth 50, width 80 and precision 6; testdata/make_golden.py
// produced every golden file with that pandas. Classic pandas holds strings
// as object columns, so strings print as objects (null "None") and their
// dtype is "object". Where Shoal's data has no classic pandas equivalent it
// prints like pandas' nullable types but keeps the Arrow dtype name: an int
// column with nulls prints nulls as "<NA>" (pandas would print Int64 or
// float64) and its dtype stays int64; a bool column with nulls prints
// "<NA>" with dtype bool (pandas: boolean). Timestamps of any unit are
// printed alike; their dtype names the unit ("datetime64[us]"), as pandas 2
// does. Categories of non-string dictionaries print their values as
// objects, and a category column's values are not cut to max_colwidth in
// the Series categories footer.
//
// Everything here is pure: no I/O, no goroutines, no retained input. The
// functions are safe for concurrent use; they borrow the arrays they are
// given and neither retain nor release them.
package format
