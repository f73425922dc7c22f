// Package groupby is Shoal's hash group-by kernel: it groups the rows of one
// arrow.Record by key columns and computes aggregates with pandas semantics.
// It sits in algebra, under DataFrame.GroupBy(keys...).Agg(...) in
// dataframe and above partition: the executor calls Aggregate on a whole
// partition after a hash shuffle, or Partial per partition followed by
// MergePartial (tree reduce) and Combine (merge and finalize) when every
// aggregate is Decomposable. Groups, Head and Tail expose the grouping
// itself for GroupBy.Head, Transform and Apply.
//
// Kernels are pure and single-threaded: no I/O, no goroutines. Inputs are
// borrowed and never retained past the call; returned Arrow values are owned
// by the caller, who must Release them. All functions are safe for
// concurrent use on distinct or shared (read-only) inputs.
//
// How it works: each key column becomes dense per-key codes (dictionary
// indices as they are; other types through a typed open-addressing table,
// or a direct array when integers span a small range). Several keys combine
// by arithmetic c1*n2+c2 while the product of cardinalities fits in 64 bits,
// densifying through a hash table when it would not. Aggregates then run as
// typed loops over the Arrow value buffers indexed by group id.
package groupby
