// Package gota converts between gota DataFrames (github.com/go-gota/gota)
// and Arrow records, so programs that already use gota can hand frames to
// Shoal and take results back.
//
// It sits beside the pipeline (dataframe → algebra → partition → runtime)
// with the other io packages: it imports only Arrow and gota, and no engine
// package. The conversion is whole-frame and single-threaded; gota keeps
// every value behind an interface (series.Element), so its side of the
// conversion costs an interface call per value, while the Arrow side is
// read and written with typed loops over buffers.
//
// # Type mapping
//
// FromGota (gota → Arrow):
//
//	series.Int    → int64
//	series.Float  → float64
//	series.String → utf8
//	series.Bool   → bool
//	element IsNA  → null
//
// ToGota (Arrow → gota):
//
//	int8…int64, uint8…uint64        → series.Int (error if a value does not fit in int)
//	float32, float64                → series.Float
//	utf8, large_utf8, dictionary<utf8 or large_utf8> → series.String
//	bool                            → series.Bool
//	timestamp                       → series.String, RFC 3339 with nanoseconds
//	                                  (time.RFC3339Nano) in the type's time zone,
//	                                  UTC when the type has none
//	date32, date64                  → series.String, "2006-01-02"
//	null (any type)                 → NA
//	anything else                   → error naming the column and its type
//
// # NaN and NA
//
// Arrow tells a null float from a NaN; gota does not: its Float elements
// report IsNA for both, and Float() returns NaN for both. ToGota keeps the
// two apart inside gota (a null becomes an element set to NA, a NaN an
// element holding NaN) but no gota API can observe the difference, so
// FromGota, which follows the contract "IsNA → null", turns both into Arrow
// nulls. A NaN therefore does not survive Arrow → gota → Arrow; it comes
// back as null. Use Arrow directly when NaN must stay distinct from null.
//
// # Other differences
//
//   - gota's constructor renames columns whose names are empty ("X0", …)
//     or repeated ("a_0", "a_1"); ToGota inherits that.
//   - A record with no columns becomes the zero DataFrame (0×0): gota has
//     no frame with rows but no columns, so the row count is lost.
//   - A utf8 value "NaN" stays a string in gota (IsNA false), although
//     gota's own loaders read the text "NaN" as NA.
//   - gota's Int is Go's int, so on 32-bit platforms int64 values outside
//     the int range are an error like large uint64 values are.
package gota
