package format

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// Dtype returns the name pandas gives a column of type t: "int64",
// "float64", "bool", "object" for strings, binaries and dates,
// "category" for dictionaries, "datetime64[ns]" (or "[us]", "[ms]", "[s]",
// and "datetime64[ns, UTC]" with a time zone) for timestamps and
// "timedelta64[ns]" (by unit) for durations. Types pandas has no dtype
// for are named "object".
func Dtype(t arrow.DataType) string {
	switch t.ID() {
	case arrow.INT8:
		return "int8"
	case arrow.INT16:
		return "int16"
	case arrow.INT32:
		return "int32"
	case arrow.INT64:
		return "int64"
	case arrow.UINT8:
		return "uint8"
	case arrow.UINT16:
		return "uint16"
	case arrow.UINT32:
		return "uint32"
	case arrow.UINT64:
		return "uint64"
	case arrow.FLOAT16:
		return "float16"
	case arrow.FLOAT32:
		return "float32"
	case arrow.FLOAT64:
		return "float64"
	case arrow.BOOL:
		return "bool"
	case arrow.DICTIONARY:
		return "category"
	case arrow.TIMESTAMP:
		ts := t.(*arrow.TimestampType)
		if ts.TimeZone != "" {
			return "datetime64[" + unitName(ts.Unit) + ", " + ts.TimeZone + "]"
		}
		return "datetime64[" + unitName(ts.Unit) + "]"
	case arrow.DURATION:
		return "timedelta64[" + unitName(t.(*arrow.DurationType).Unit) + "]"
	}
	return "object"
}

func unitName(u arrow.TimeUnit) string {
	switch u {
	case arrow.Second:
		return "s"
	case arrow.Millisecond:
		return "ms"
	case arrow.Microsecond:
		return "us"
	}
	return "ns"
}

// numeric reports pandas' is_numeric_dtype, which puts a space before a
// column's header.
func numeric(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64, arrow.BOOL:
		return true
	}
	return false
}

// object reports whether pandas would hold t as an object column.
func object(t arrow.DataType) bool { return Dtype(t) == "object" }
