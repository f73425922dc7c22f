// Package csv reads CSV files into Arrow records in parallel and writes
// Arrow records as CSV.
//
// Place in the pipeline: io sits beside the engine layers (dataframe →
// algebra → partition → runtime). algebra's scans call ReadFile/ReadFiles
// (projection pushdown arrives in Options.Columns, schema planning uses
// InferSchema or InferSchemaFiles) and dataframe calls WriteFile/WriteDir. The package imports
// no engine package. It is named csv, not io, because io is the standard
// library's name that engine code uses everywhere (see io/README.md).
//
// # Reading
//
// A file is read in four steps:
//
//  1. The header is parsed and one schema is inferred from a sample spread
//     over the whole file (start, middle and end windows; Options.SampleBytes
//     in total; WholeFile reads every record instead). Every value class is joined in a fixed order
//     null < bool < int64 < float64 < string (bool joined with a number gives
//     string), so the schema never depends on the partition count. A column
//     that is null in the whole sample becomes float64, as in pandas.
//  2. A regular file is memory-mapped and parsed in place (a fault from a file
//     truncated meanwhile becomes an error). It is cut into byte ranges of
//     about Options.ChunkBytes. Each range is parsed speculatively
//     (DuckDB/Arrow style): it starts after the first newline at or after its
//     cut, as if that newline were outside quotes, and ends at the first
//     record that starts at or after the next cut. A serial pass then checks
//     that each range started where the previous one really ended; a range
//     whose guess was wrong (its cut fell inside a quoted field holding
//     newlines) is parsed again from the right place. Each range counts every
//     newline it consumes, so physical line numbers (1-based, counting
//     newlines inside quoted fields) are exact once the ranges are chained.
//  3. Each range is parsed straight into typed buffers taken from
//     Options.Mem: a hand-written byte state machine, a typed integer loop,
//     Clinger's fast path for floats, and per-range hash tables (offsets into
//     an arena, no string per row) for categorical columns.
//  4. If a value beyond the sample does not fit an inferred type (an int
//     column holding "1.5"), the column is promoted (int64 → float64 →
//     string; date32 → timestamp) and the file is parsed again with the
//     promoted schema, so no data is ever lost. A value that does not fit a
//     type the caller asked for (Options.Types, ParseDates) is an error
//     naming the file, line, column and value.
//
// Categorical columns (dictionary<int32, utf8>) share one dictionary over all
// records, sorted ascending like pandas' categories.
//
// Gzip and zstd inputs (by name or magic bytes) and Read's streams are
// decompressed first — into memory, or past 256 MiB into an unlinked
// temporary file that is then mapped — and split like a file; their
// Result.Bytes is the compressed size.
//
// A lazy scan (algebra/source, dataframe.ScanCSV) cannot promote: its plan
// was made with the sampled types, so a value beyond the sample that does
// not fit is an error saying to give the column a type or use WholeFile.
//
// Semantics worth knowing, chosen to round-trip with the writer:
//   - Only unquoted fields are matched against NAValues: a quoted empty field
//     ("") is the empty string, an unquoted empty field is null. The writer
//     quotes empty strings and strings that look like NA markers.
//   - A record ends at '\n'; a '\r' just before it (outside quotes) is
//     dropped, so CRLF files read like LF files. Blank lines are skipped.
//   - A quote is special only at the start of a field; inside an unquoted
//     field it is an ordinary byte. Characters after a closing quote are
//     appended to the field (lenient, like Python's csv module).
//   - Integer columns with missing values stay int64 with a validity bitmap
//     (pandas' nullable Int64), they do not become float64.
//   - SkipRows counts physical lines.
//
// All functions are safe for concurrent use; Options values are borrowed and
// not retained after the call returns.
package csv
