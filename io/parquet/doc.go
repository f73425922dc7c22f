// Package parquet reads and writes Apache Parquet files as Arrow records,
// in parallel, with projection and predicate pushdown.
//
// It sits beside the pipeline (dataframe → algebra → partition → runtime):
// algebra's scans Open a Dataset when they are planned (reading every
// footer once, for the schema) and Read it on each action with the
// projection in Options.Columns and the pushed-down predicate in
// Options.RowGroupFilter, reusing the footers; dataframe calls Write.
// It imports no engine package. The folder is io/parquet rather than a
// package named io so engine code keeps the standard library's io.
//
// Read fans out over row groups (of one file or many) with
// Options.Parallelism workers. Each worker opens its own Parquet and
// pqarrow readers over a shared *os.File read only through ReadAt, which is
// safe for concurrent use; only the decoded footer is shared, and it is
// read-only once its lazily computed fields have been primed. Records come
// back one per row group, in file then row-group order, whatever order the
// workers finish in.
//
// Decoding is Arrow's pqarrow. Columns written from Arrow dictionaries come
// back as dictionary<int32, utf8> (the Arrow schema is stored in the file
// and pqarrow reads byte-array columns whose stored type is a dictionary
// straight into dictionary arrays, without materializing strings).
//
// The Arrow schema is stored in every file written, and Read restores from
// it what pqarrow v15 alone would lose: zone-less and second-unit
// timestamps, and dictionary columns.
//
// A directory is read as a hive-partitioned dataset: every data file under
// it (names starting with "." or "_" are skipped, as pyarrow and Spark skip
// _SUCCESS and temporary files), with the key=value segments of its
// directory path becoming columns appended after the file's columns, in the
// order the keys appear in the path. As pyarrow's hive partitioning infers
// them, a key whose values all parse as integers becomes int64 and any
// other key dictionary<int32, utf8> whose dictionary is the key's distinct
// values in ascending order (the same dictionary in every record). The
// value __HIVE_DEFAULT_PARTITION__ is null; values are URL-unescaped.
package parquet
