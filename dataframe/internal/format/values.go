package format

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// precision is pandas' display.precision.
const precision = 6

// formatValues formats the shown values of one column, the chunks in order
// (head then tail), as pandas' format_array does before padding: numbers and
// objects get a leading space when lead is set, timestamps and durations
// never. It allocates one string per shown value; only shown rows come here.
func formatValues(chunks []arrow.Array, lead bool) []string {
	n := 0
	var typ arrow.DataType
	for _, c := range chunks {
		if c != nil {
			n += c.Len()
			typ = c.DataType()
		}
	}
	out := make([]string, 0, n)
	if typ == nil {
		return out
	}
	sp := ""
	if lead {
		sp = " "
	}
	switch typ.ID() {
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return formatFloats(out, chunks, lead)
	case arrow.TIMESTAMP:
		return formatTimestamps(out, chunks)
	case arrow.DURATION:
		return formatDurations(out, chunks)
	}
	for _, c := range chunks {
		if c != nil {
			out = formatPlain(out, c, sp)
		}
	}
	return out
}

// formatPlain appends the values whose text does not depend on their
// neighbours: integers, bools, strings, dates and categories.
func formatPlain(out []string, c arrow.Array, sp string) []string {
	switch a := c.(type) {
	case *array.Int8:
		return appendInts(out, a, a.Int8Values(), sp)
	case *array.Int16:
		return appendInts(out, a, a.Int16Values(), sp)
	case *array.Int32:
		return appendInts(out, a, a.Int32Values(), sp)
	case *array.Int64:
		return appendInts(out, a, a.Int64Values(), sp)
	case *array.Uint8:
		return appendUints(out, a, a.Uint8Values(), sp)
	case *array.Uint16:
		return appendUints(out, a, a.Uint16Values(), sp)
	case *array.Uint32:
		return appendUints(out, a, a.Uint32Values(), sp)
	case *array.Uint64:
		return appendUints(out, a, a.Uint64Values(), sp)
	case *array.Boolean:
		for i := 0; i < a.Len(); i++ {
			switch {
			case a.IsNull(i):
				out = append(out, sp+"<NA>")
			case a.Value(i):
				out = append(out, sp+"True")
			default:
				out = append(out, sp+"False")
			}
		}
		return out
	case *array.String:
		for i := 0; i < a.Len(); i++ {
			out = append(out, objectText(a.IsNull(i), a.Value(i), sp))
		}
		return out
	case *array.LargeString:
		for i := 0; i < a.Len(); i++ {
			out = append(out, objectText(a.IsNull(i), a.Value(i), sp))
		}
		return out
	case *array.Date32:
		for i, v := range a.Date32Values() {
			if a.IsNull(i) {
				out = append(out, sp+"None")
			} else {
				out = append(out, sp+v.ToTime().Format(time.DateOnly))
			}
		}
		return out
	case *array.Date64:
		for i, v := range a.Date64Values() {
			if a.IsNull(i) {
				out = append(out, sp+"None")
			} else {
				out = append(out, sp+v.ToTime().Format(time.DateOnly))
			}
		}
		return out
	case *array.Dictionary:
		// Categories print their decoded values; a missing one is NaN.
		dict := formatValues([]arrow.Array{a.Dictionary()}, false)
		for i := 0; i < a.Len(); i++ {
			if a.IsNull(i) {
				out = append(out, sp+"NaN")
			} else {
				out = append(out, sp+dict[a.GetValueIndex(i)])
			}
		}
		return out
	}
	// Types pandas has no dtype for print as Arrow renders them.
	for i := 0; i < c.Len(); i++ {
		out = append(out, objectText(c.IsNull(i), c.ValueStr(i), sp))
	}
	return out
}

// objectText is pandas' text of an object value: None for null, and tabs
// and line breaks escaped so that a row stays one line.
func objectText(null bool, s, sp string) string {
	if null {
		return sp + "None"
	}
	if strings.ContainsAny(s, "\t\r\n") {
		s = escaper.Replace(s)
	}
	return sp + s
}

var escaper = strings.NewReplacer("\t", `\t`, "\r", `\r`, "\n", `\n`)

func appendInts[T int8 | int16 | int32 | int64](out []string, a arrow.Array, vals []T, sp string) []string {
	for i, v := range vals {
		if a.IsNull(i) {
			out = append(out, sp+"<NA>")
		} else {
			out = append(out, sp+strconv.FormatInt(int64(v), 10))
		}
	}
	return out
}

func appendUints[T uint8 | uint16 | uint32 | uint64](out []string, a arrow.Array, vals []T, sp string) []string {
	for i, v := range vals {
		if a.IsNull(i) {
			out = append(out, sp+"<NA>")
		} else {
			out = append(out, sp+strconv.FormatUint(uint64(v), 10))
		}
	}
	return out
}

// floatsOf returns a chunk's values as float64 with NaN for nulls.
func floatsOf(dst []float64, c arrow.Array) []float64 {
	switch a := c.(type) {
	case *array.Float64:
		for i, v := range a.Float64Values() {
			if a.IsNull(i) {
				v = math.NaN()
			}
			dst = append(dst, v)
		}
	case *array.Float32:
		for i, v := range a.Float32Values() {
			f := float64(v)
			if a.IsNull(i) {
				f = math.NaN()
			}
			dst = append(dst, f)
		}
	case *array.Float16:
		for i, v := range a.Values() {
			f := float64(v.Float32())
			if a.IsNull(i) {
				f = math.NaN()
			}
			dst = append(dst, f)
		}
	}
	return dst
}

// formatFloats is pandas' FloatArrayFormatter: fixed notation with
// precision decimals, trailing zeros trimmed alike down to the longest
// needed, unless a nonzero magnitude is below 10^-precision, or one is above
// 1e6 and the fixed text grows longer than precision+6 characters: then
// scientific notation for the whole column.
func formatFloats(out []string, chunks []arrow.Array, lead bool) []string {
	var vals []float64
	for _, c := range chunks {
		if c != nil {
			vals = floatsOf(vals, c)
		}
	}
	start := len(out)
	hasLarge, hasSmall := false, false
	for _, v := range vals {
		a := math.Abs(v)
		hasLarge = hasLarge || a > 1e6
		hasSmall = hasSmall || (a < 1e-6 && a > 0)
		out = append(out, floatText(v, 'f', lead))
	}
	trimZeros(out[start:])
	maxLen := 0
	for _, s := range out[start:] {
		maxLen = max(maxLen, len(s))
	}
	if hasSmall || (maxLen > precision+6 && hasLarge) {
		for i, v := range vals {
			out[start+i] = floatText(v, 'e', lead)
		}
	}
	return out
}

// floatText is Python's f"{v: .6f}" (or e), NaN as pandas' na_rep.
func floatText(v float64, fmt byte, lead bool) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		if lead {
			return " inf"
		}
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(v, fmt, precision, 64)
	if lead && !math.Signbit(v) {
		return " " + s
	}
	return s
}

// trimZeros is pandas' _trim_zeros_float: while every fixed-notation number
// ends in 0, drop the last character of each; then end a bare "." with 0.
func trimZeros(vals []string) {
	for shouldTrim(vals) {
		for i, s := range vals {
			if decimalNumber(s) {
				vals[i] = s[:len(s)-1]
			}
		}
	}
	for i, s := range vals {
		if decimalNumber(s) && s[len(s)-1] == '.' {
			vals[i] = s + "0"
		}
	}
}

func shouldTrim(vals []string) bool {
	found := false
	for _, s := range vals {
		if decimalNumber(s) {
			if s[len(s)-1] != '0' {
				return false
			}
			found = true
		}
	}
	return found
}

// decimalNumber matches pandas' ^\s*[\+-]?[0-9]+\.[0-9]*$.
func decimalNumber(s string) bool {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	d := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == d || i == len(s) || s[i] != '.' {
		return false
	}
	for i++; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// nanosPer is the number of nanoseconds in one unit.
func nanosPer(u arrow.TimeUnit) int64 {
	switch u {
	case arrow.Second:
		return 1e9
	case arrow.Millisecond:
		return 1e6
	case arrow.Microsecond:
		return 1e3
	}
	return 1
}

// nanosOf returns a timestamp or duration chunk's values in nanoseconds and
// its validity.
func nanosOf(c arrow.Array) ([]int64, func(int) bool) {
	switch a := c.(type) {
	case *array.Timestamp:
		m := nanosPer(a.DataType().(*arrow.TimestampType).Unit)
		vals := a.TimestampValues()
		out := make([]int64, len(vals))
		for i, v := range vals {
			out[i] = int64(v) * m
		}
		return out, a.IsNull
	case *array.Duration:
		m := nanosPer(a.DataType().(*arrow.DurationType).Unit)
		vals := a.DurationValues()
		out := make([]int64, len(vals))
		for i, v := range vals {
			out[i] = int64(v) * m
		}
		return out, a.IsNull
	}
	return nil, nil
}

const dayNanos = 86400 * int64(1e9)

// formatTimestamps is pandas' Datetime64Formatter: without a time zone, the
// date alone when every value is midnight, else seconds with as many
// fractional digits (3, 6 or 9) as the finest value needs; with a zone,
// each value as str(Timestamp). Null is NaT.
func formatTimestamps(out []string, chunks []arrow.Array) []string {
	var tz string
	var ns []int64
	var null []bool
	for _, c := range chunks {
		if c == nil {
			continue
		}
		tz = c.DataType().(*arrow.TimestampType).TimeZone
		v, isNull := nanosOf(c)
		ns = append(ns, v...)
		for i := range v {
			null = append(null, isNull(i))
		}
	}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			loc = time.UTC
		}
		for i, v := range ns {
			if null[i] {
				out = append(out, "NaT")
				continue
			}
			t := time.Unix(0, v).In(loc)
			s := t.Format(time.DateTime)
			switch {
			case v%1000 != 0:
				s += "." + pad(int64(t.Nanosecond()), 9)
			case v%1e6 != 0 || t.Nanosecond() != 0:
				s += "." + pad(int64(t.Nanosecond()/1000), 6)
			}
			out = append(out, s+t.Format("-07:00"))
		}
		return out
	}
	digits, datesOnly := 0, true
	for i, v := range ns {
		if null[i] {
			continue
		}
		switch {
		case v%1000 != 0:
			digits = 9
		case v%1e6 != 0:
			digits = max(digits, 6)
		case v%1e9 != 0:
			digits = max(digits, 3)
		}
		datesOnly = datesOnly && v%dayNanos == 0
	}
	for i, v := range ns {
		if null[i] {
			out = append(out, "NaT")
			continue
		}
		t := time.Unix(0, v).UTC()
		if datesOnly {
			out = append(out, t.Format(time.DateOnly))
			continue
		}
		s := t.Format(time.DateTime)
		frac := int64(t.Nanosecond())
		switch digits {
		case 9:
			s += "." + pad(frac, 9)
		case 6:
			s += "." + pad(frac/1000, 6)
		case 3:
			s += "." + pad(frac/1e6, 3)
		}
		out = append(out, s)
	}
	return out
}

// pad writes v with at least width digits.
func pad(v int64, width int) string {
	s := strconv.FormatInt(v, 10)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// formatDurations is pandas' Timedelta64Formatter: "N days" when every
// value is whole days, else "N days HH:MM:SS" with the sub-seconds a value
// has; a negative value counts days down and the time up ("-1 days
// +23:59:00"). Null is NaT.
func formatDurations(out []string, chunks []arrow.Array) []string {
	var ns []int64
	var null []bool
	for _, c := range chunks {
		if c == nil {
			continue
		}
		v, isNull := nanosOf(c)
		ns = append(ns, v...)
		for i := range v {
			null = append(null, isNull(i))
		}
	}
	long := false
	for i, v := range ns {
		long = long || (!null[i] && v%dayNanos != 0)
	}
	for i, v := range ns {
		if null[i] {
			out = append(out, "NaT")
			continue
		}
		days := v / dayNanos
		rem := v % dayNanos
		if rem < 0 {
			days--
			rem += dayNanos
		}
		s := strconv.FormatInt(days, 10) + " days"
		if long {
			sign := " "
			if v < 0 {
				sign = " +"
			}
			sec := rem / 1e9
			sub := rem % 1e9
			s += sign + pad(sec/3600, 2) + ":" + pad(sec/60%60, 2) + ":" + pad(sec%60, 2)
			if sub != 0 {
				if sub%1000 != 0 {
					s += "." + pad(sub, 9)
				} else {
					s += "." + pad(sub/1000, 6)
				}
			}
		}
		out = append(out, s)
	}
	return out
}
