// Package dataframe will be Shoal's user API: DataFrame, Series, GroupBy,
// Index and expressions with pandas semantics, compiled into the algebra's
// logical plan. It is the top of the pipeline dataframe → algebra →
// partition → runtime (see DESIGN.md). Nothing is exported yet: the engine
// core is the next issue; this file fixes the package's place.
package dataframe
