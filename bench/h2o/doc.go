// Package h2o provides the data of the H2O db-benchmark (h2oai/db-benchmark,
// continued by duckdblabs/db-benchmark) in memory and as CSV, so Shoal's
// groupby and join questions run on the same tables pandas, Polars and
// DuckDB read.
//
// # Place in Shoal
//
// The benchmarks stand beside the pipeline (dataframe → algebra → partition →
// runtime) and nothing in the engine imports them. This package is their data
// layer: it builds Arrow records and imports only Arrow, never an engine
// package, so the question code above it (written against the DataFrame API)
// can measure the engine without the generator in its profile.
//
//   - GroupBy builds G1_{N}_{K}_{NA}_{sorted}, the groupby table.
//   - Join builds J1_{N}: the left table x and the small, medium and big
//     right tables.
//   - WriteCSV writes a record in the format of
//     /work/shared/bench-anchors/gen_h2o.py (what pandas reads), and
//     ReadGroupByCSV loads such a groupby file back.
//
// The published reference figures of pandas on this machine are in
// testdata/anchors.
//
// # Column types
//
// Each table's string columns are dictionary<int32, utf8> (pandas reads them
// as category); each dictionary holds its strings in ascending byte order,
// as pandas orders categories, so comparing codes compares the strings.
// Integer columns are int64 and real columns float64, as pandas' read_csv
// types them. NA is an Arrow null (pandas turns an integer column with NA
// into float64; here it stays int64).
//
// Generators are deterministic for a seed: each column draws from its own
// PCG stream (math/rand/v2), so the same seed gives the same values on every
// machine and Go release, and the NA and sorted variants of a seed hold the
// same drawn values as its plain variant.
package h2o
