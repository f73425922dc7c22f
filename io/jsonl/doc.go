// Package jsonl reads and writes JSON lines: one JSON object per line.
//
// It sits beside the pipeline (dataframe → algebra → partition → runtime):
// algebra's scans call ReadFile/Read and turn the records into partitions,
// dataframe's writers call WriteFile/Write. It imports no engine package.
//
// # Reading
//
// JSON lines hold no raw newline inside a value, so a file splits into byte
// ranges at newlines and the ranges parse in parallel, one Arrow record per
// range, in file order. A small hand-written tokenizer parses each line
// (encoding/json is several times slower and allocates per value); it
// checks the whole JSON grammar, nested values included.
//
// The schema is inferred: the columns are the union of the keys, in
// first-seen order in the sample (SampleLines lines spread over the input),
// then in order of first occurrence in the input. Each column's type is the
// least type in bool → int64 → float64 → string that holds every value in
// the whole input, not only in the sample: a value beyond the sample that
// does not fit widens the column and the input is parsed again (each column
// can widen at most three times, and the first parse already finds the
// final types, so at most two parses happen). Promotion never loses what
// the line said: bool→int64 stores true as 1 and false as 0 (the promotion
// order asks for it); int64→float64 parses the number's text as a float
// (the nearest float64, as ParseFloat gives); →string stores the value's
// JSON text (strings unescaped, numbers as written, nested objects and
// arrays as their raw JSON text). JSON numbers without fraction or exponent
// are ints; one outside int64 is a float. Null fits any type; missing keys
// are null; a key that is null on every line becomes a utf8 column of
// nulls. Timestamps and dates are never inferred, only read through
// Options.Types, which also fixes a column's type: there a value that does
// not fit is an error naming file, line, key and value (or a skipped line
// with OnBadLines: Skip), never a promotion.
//
// Lines that are not JSON objects, that repeat a key, or whose value does
// not fit a type given in Types are bad lines: an error naming file and
// line (the default), or skipped and counted (Skip). Blank lines are
// ignored. A trailing "\r" (CRLF files) is whitespace. Invalid UTF-8 in
// strings is replaced by U+FFFD, as encoding/json does.
//
// # Writing
//
// One object per line, keys in schema order, nulls as null, timestamps as
// RFC 3339 in the column's time zone, dates as "2006-01-02", dictionary
// values as their values, floats in the shortest text that reads back to
// the same float (with ".0" added to integral values so they read back as
// floats), NaN and ±Inf as null since JSON has no spelling for them, lists
// as arrays and structs as objects.
//
// Ownership follows Arrow's convention: records passed in are borrowed,
// records returned are owned by the caller, who must Release each one. All
// functions are safe for concurrent use on distinct inputs.
package jsonl
