// Package dataframe is gota's dataframe package (github.com/go-gota/gota
// v0.12.0) on Shoal's engine: the same types, functions, methods, options
// and behaviour, so a gota program changes its imports
//
//	"github.com/go-gota/gota/dataframe" → "github.com/shoaldata/shoal/gota/dataframe"
//	"github.com/go-gota/gota/series"    → "github.com/shoaldata/shoal/gota/series"
//
// and nothing else. gota's own examples and test suite run unchanged on
// this package (gota_examples_test.go, gota_suite_test.go), and
// differential tests run every function on gota and here over random
// frames with NaN in all four types and compare names, types, records and
// errors.
//
// # Place in Shoal
//
// It sits on top of the user API (dataframe → algebra → partition →
// runtime): a DataFrame's columns are Arrow arrays (int64, float64, utf8,
// bool for gota's Int, Float, String, Bool; NA is null), handed to Shoal's
// engine without copying. Where the time goes in a gota program:
//
//   - ReadCSV parses with Shoal's parallel CSV reader (io/csv) and keeps
//     its per-range pieces; Filter's comparisons are Shoal expressions run
//     by the engine; Arrange is the engine's stable sort; InnerJoin,
//     LeftJoin, RightJoin and OuterJoin are the engine's hash joins.
//   - GroupBy/Aggregation group with typed hash loops here and compute each
//     aggregate with gota's own arithmetic (gonum for MEAN and STD), in
//     parallel over groups: Shoal's aggregates follow pandas (NaN skipped),
//     gota's do not.
//   - Select, Drop, Rename, CBind and Subset share or gather columns with
//     typed loops; a subset's columns are gathered when first read, so
//     columns a program never reads after a Filter are never copied.
//   - Col, Elem, Mutate, Capply, Set and New convert between Arrow and gota
//     series at the call; Rapply, LoadStructs, ReadHTML, and joins whose key
//     types differ between the two sides run gota's own code on converted
//     frames, since they work value by value anyway.
//
// The package has no context.Context: gota's API has none, and every call
// runs to completion. Two functions are additions to gota's API, for
// moving on to Shoal's native one a step at a time: DataFrame.ToShoal
// hands the columns to a github.com/shoaldata/shoal/dataframe frame without
// copying, and FromShoal brings a native frame's result back.
//
// # gota's behaviour, kept
//
// Programs may rely on these, so they are as in gota:
//
//   - NaN: gota's NA. A Float NaN is NA (IsNA, Val nil), so a NaN read or
//     computed is stored as NA; Records and WriteCSV print "NaN"; floats
//     print as %f (six decimals). When loading text, "NA", "NaN" and "<nil>"
//     (NaNValues) are NaN in every type; in an Int, Float or Bool column so
//     is any text that does not parse; the empty string stays "" in a
//     String column.
//   - Type detection (LoadRecords, ReadCSV, LoadMaps, ReadJSON): String if
//     any value is text, else Bool ("true"/"false" only), else Float, else
//     Int; a column of only NaN gets DefaultType.
//   - Filter: the filters of one call are OR'ed, chained calls AND
//     (FilterAggregation chooses). A comparando is converted to the
//     column's type first (2.7 compares as 2 with an Int column); NaN
//     matches nothing, not even Neq.
//   - Arrange: stable; NaN last for every key, reversed ones too. With three
//     keys or more gota's passes do not give a lexicographic order; that
//     order is reproduced.
//   - Joins: columns are the keys (left's names and types), the left's
//     other columns, then the right's; a name on both sides becomes name_0
//     and name_1. Inner and left joins list left rows in order with their
//     matches in right order; RightJoin lists the matched pairs in right
//     order and then the unmatched right rows; OuterJoin is the left join
//     followed by the unmatched right rows. A NaN key matches nothing.
//     CrossJoin ignores Err, as gota's does.
//   - GroupBy: rows are grouped by the text gota builds for a key (%d, %f,
//     %s, joined by "_"), so float keys equal to six decimals share a
//     group, and GetGroups is keyed by that text. A NaN in a key column is
//     the error "GroupBy: type not found"; GroupBy() with no column returns
//     nil.
//   - Aggregation: one row per group; columns sorted by name, the keys and
//     one Float column COL_AGG per aggregation (MAX, MIN, MEAN, MEDIAN, STD,
//     SUM, COUNT). As gota's Series methods: a NaN makes SUM, MEAN and STD
//     NaN; MAX and MIN are NaN when the group's first value is NaN and
//     otherwise ignore NaN; MEDIAN orders NaN last and takes the middle of
//     all values; SUM, MEDIAN of String and Bool columns and MAX, MIN of
//     String columns are NaN; COUNT counts NaN too. GetGroups' frames have
//     their columns sorted by name, and in both a String key "NA" or
//     "<nil>" reads back as NaN (gota rebuilds them through LoadMaps).
//   - Set changes the frame it is called on (and every copy sharing its
//     columns) and returns it; SetNames renames the caller's frame although
//     its receiver is a value; Rename may leave two columns of one name.
//   - Errors: the same conditions give the same messages (Err, Error()),
//     including gota's "rename: no arguments" from Arrange().
//
// Group order: gota lists groups in Go map order, which changes from run to
// run. Here Aggregation lists them sorted by key (the first key column
// first; numbers by value, strings by bytes, false before true), the same
// on every run.
//
// # Deliberate differences
//
//   - Where gota panics, this package returns a DataFrame whose Err says
//     why: Subset with an index out of range, Filter with Colidx out of
//     range or a CompFunc comparando of the wrong type, Mutate with a
//     series that carries an error, Aggregation of an unknown column or of
//     a frame with no rows, LoadRecords with a short row, an unknown
//     series.Type in WithTypes or DefaultType. Elem still panics out of
//     range, as its documentation says.
//   - Elem returns a copy of the element: setting it does not change the
//     frame (use Set).
//   - Aggregation keeps a String key column String. gota rebuilds the
//     result through LoadMaps and detects the key's type again, so a
//     String key holding "NA" or "<nil>" can come back as another type,
//     depending on its random map order.
//
// A DataFrame is safe for concurrent use by methods that do not change it
// (all but Set and SetNames); columns are immutable Arrow arrays shared
// between frames.
package dataframe
