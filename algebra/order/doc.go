// Package order computes sort permutations of Arrow records: Indices (a
// stable multi-key sort), TopK (the first k rows of that order in
// O(n log k)), and the two halves of a sample sort, Sample and Splitters.
//
// It sits in algebra, below dataframe and above partition: dataframe →
// algebra → partition → runtime. It computes row indices only; the caller
// gathers rows with a separate Take kernel. A distributed sort_values runs
// Sample on every partition, Splitters once on the concatenated samples,
// partition.RangeShuffle with those splitters, and Indices on each
// resulting partition.
//
// Ordering follows pandas: sorts are stable (sort_values(kind="stable")),
// nulls go last unless NullsFirst (na_position), Descending does not move
// nulls, and a floating-point NaN sorts as a null.
//
// Every function borrows its inputs, starts no goroutines and is safe for
// concurrent use. Returned index slices belong to the caller; returned
// Arrow arrays are owned by the caller, who must Release them.
package order
