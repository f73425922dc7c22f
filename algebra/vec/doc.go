// Package vec holds Shoal's element-wise kernels over Arrow arrays: the
// arithmetic, comparison, Kleene logic, null handling, casts and membership
// tests that evaluate a DataFrame's expressions, and the row-selection
// kernels Filter and Take.
//
// It sits in algebra, the layer that plans and evaluates expressions
// (dataframe → algebra → partition → runtime): the expression tree folds
// scalar-only sub-expressions itself and calls these kernels once per
// partition, adding column names to their errors. vec imports no engine
// package.
//
// Contract shared by every function: inputs are borrowed (never released or
// mutated); every returned Arrow value is owned by the caller, who must
// Release it. Kernels keep no state, start no goroutines and are safe for
// concurrent use on shared inputs. At least one operand of a binary kernel
// is an array and the result has its length; a Datum holding a scalar is
// broadcast. Memory for results comes from the allocator given (nil means
// memory.DefaultAllocator); short-lived scratch is plain Go memory.
//
// Semantics follow pandas unless a doc comment says otherwise. The hot
// loops are generic over the element type, with the arithmetic inline in
// the generic body and a separate loop for each of array-array,
// array-scalar and scalar-array, so that no loop branches per row on which
// side is a scalar. Validity bitmaps are combined a word at a time with
// arrow/bitutil.
package vec
