// Package join matches the rows of two Arrow records on equal keys and
// returns gather indices: Indices says, for every result row, which left
// row and which right row it joins (-1: none on that side). The caller
// gathers the columns with a separate Take kernel.
//
// It sits in algebra, below dataframe and above partition: dataframe →
// algebra → partition → runtime. A distributed merge hash-shuffles both
// sides on their keys (partition.HashShuffle; HashColumns hashes int32 and
// int64, or plain and dictionary strings, alike, so the sides co-partition)
// and runs Indices on each pair of partitions; a small right side is
// broadcast instead.
//
// Results follow pandas' merge row for row, including the order of rows
// (see Kind) and null keys: a null key matches a null key, as NaN matches
// NaN in pandas, and a floating-point NaN counts as null.
//
// Indices borrows its inputs, starts no goroutines and is safe for
// concurrent use; the returned slices belong to the caller.
package join
