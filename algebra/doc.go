// Package algebra will hold Shoal's logical plan: about twenty operators,
// the optimizer rules (projection and predicate pushdown, map fusion, limit
// pushdown) and physical planning. Planning is pure: no I/O, no goroutines.
// It sits between dataframe (above) and partition (below). Nothing is
// exported yet: the engine core is the next issue.
package algebra
