// Package algebra is Shoal's logical plan: the operators a DataFrame's
// calls compile into (Scan, Project, Filter, Aggregate, Sort, Join, Limit,
// Concat, Distinct, GroupLimit, Window, RowNumber, Explode, Take, Sample,
// MapBatches, GroupMap), the expressions they evaluate, and the optimizer
// rules, one per file, that rewrite a plan to a fixpoint (map fusion,
// predicate, limit and projection pushdown). Explain prints a plan before
// and after.
//
// It sits between dataframe (above) and the physical layer below it:
// algebra/exec runs plans on partition's engines with the typed kernels of
// algebra/vec, groupby, order, join and window; algebra/source adapts io's
// readers to scans. Planning is pure: this package does no I/O and starts
// no goroutines. Nodes are immutable; they type-check their arguments when
// built, so errors reach the user at the call that caused them.
package algebra
