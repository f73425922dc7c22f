package csv

import (
	"math"
	"strconv"
	"unsafe"
)

// kind is a column's physical type while parsing, and a value's class
// during inference. The inferred kinds are ordered: a join of two classes is
// the larger one, except bool with a number, which is string.
type kind uint8

const (
	kNull kind = iota // inference only: every value seen was null
	kBool
	kInt64
	kFloat64
	kString
	kInt32   // overrides only
	kFloat32 // overrides only
	kDict
	kDate32
	kTimestamp   // zone-less
	kTimestampTZ // values converted to UTC
)

func (k kind) String() string {
	return [...]string{"null", "bool", "int64", "float64", "utf8", "int32", "float32",
		"dictionary<values=utf8, indices=int32>", "date32", "timestamp[ns]", "timestamp[ns, tz=UTC]"}[k]
}

// joinKind is the promotion lattice of inference: null < bool < int64 <
// float64 < string, bool with a number gives string; date32 < timestamp <
// timestamp with zone.
func joinKind(a, b kind) kind {
	switch {
	case a == b || b == kNull:
		return a
	case a == kNull:
		return b
	case a >= kDate32 && b >= kDate32:
		return max(a, b)
	case a == kString || b == kString:
		return kString
	case a == kBool || b == kBool:
		return kString
	}
	return max(a, b)
}

// classify returns the narrowest inferred kind that can hold b.
func classify(b []byte) kind {
	if _, ok := parseBool(b); ok {
		return kBool
	}
	if _, ok := parseInt(b); ok {
		return kInt64
	}
	if _, ok := parseFloat(b); ok {
		return kFloat64
	}
	return kString
}

// classifyDate returns kDate32, kTimestamp or kTimestampTZ, or kString when b
// is no date.
func classifyDate(b []byte) kind {
	_, zoned, dateOnly, ok := parseTimestamp(b)
	switch {
	case !ok:
		return kString
	case dateOnly:
		return kDate32
	case zoned:
		return kTimestampTZ
	}
	return kTimestamp
}

func parseBool(b []byte) (bool, bool) {
	switch string(b) {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// parseInt parses an optionally signed decimal integer.
func parseInt(b []byte) (int64, bool) {
	n := len(b)
	if n == 0 {
		return 0, false
	}
	i, neg := 0, false
	if b[0] == '-' || b[0] == '+' {
		neg, i = b[0] == '-', 1
		if n == 1 {
			return 0, false
		}
	}
	if n-i <= 18 { // cannot overflow
		var v int64
		for ; i < n; i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, false
			}
			v = v*10 + int64(d)
		}
		if neg {
			v = -v
		}
		return v, true
	}
	var u uint64
	for ; i < n; i++ {
		d := b[i] - '0'
		if d > 9 || u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(d)
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return int64(-u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses a decimal float. Clinger's fast path: when the digits
// fit a uint64 below 2^53 and the decimal exponent is within ±22, one exact
// multiplication or division by a power of ten is correctly rounded.
// Anything else goes to strconv.ParseFloat, without allocating.
func parseFloat(b []byte) (float64, bool) {
	n := len(b)
	if n == 0 {
		return 0, false
	}
	i, neg := 0, false
	if b[0] == '-' || b[0] == '+' {
		neg, i = b[0] == '-', 1
	}
	var mant uint64
	digits, exp := 0, 0
	sawDot := false
	for ; i < n; i++ {
		c := b[i]
		if d := c - '0'; d <= 9 {
			mant = mant*10 + uint64(d)
			digits++
			if sawDot {
				exp--
			}
			continue
		}
		if c == '.' && !sawDot {
			sawDot = true
			continue
		}
		break
	}
	if digits == 0 || digits > 19 {
		return parseFloatSlow(b)
	}
	if i < n {
		if b[i] != 'e' && b[i] != 'E' {
			return parseFloatSlow(b)
		}
		i++
		eneg := false
		if i < n && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == n || n-i > 4 {
			return parseFloatSlow(b)
		}
		e := 0
		for ; i < n; i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, false
			}
			e = e*10 + int(d)
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if mant >= 1<<53 || exp < -22 || exp > 22 {
		return parseFloatSlow(b)
	}
	f := float64(mant)
	if exp < 0 {
		f /= pow10[-exp]
	} else {
		f *= pow10[exp]
	}
	if neg {
		f = -f
	}
	return f, true
}

func parseFloatSlow(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // ±Inf or 0, as pandas reads them
		}
		return 0, false
	}
	return f, true
}

func parseFloat32(b []byte) (float32, bool) {
	if len(b) == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 32)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return float32(f), true
}

// daysFromCivil is Howard Hinnant's days-from-civil: days since 1970-01-01.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func digits(b []byte, n int) (int64, bool) {
	if len(b) < n {
		return 0, false
	}
	var v int64
	for i := 0; i < n; i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + int64(d)
	}
	return v, true
}

var monthDays = [...]int64{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// parseDate parses "YYYY-MM-DD" into days since the epoch.
func parseDate(b []byte) (int64, bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(b, 4)
	m, ok2 := digits(b[5:], 2)
	d, ok3 := digits(b[8:], 2)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > monthDays[m] {
		return 0, false
	}
	if m == 2 && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

const nsPerDay = 86400 * 1e9

// parseTimestamp parses "YYYY-MM-DD", or that followed by 'T' or ' ' and
// "HH:MM:SS[.fffffffff]" with an optional zone ("Z", "±HH:MM", "±HHMM").
// It returns nanoseconds since the epoch (UTC for zoned values).
func parseTimestamp(b []byte) (ns int64, zoned, dateOnly, ok bool) {
	days, ok := parseDate(b)
	if !ok {
		return 0, false, false, false
	}
	if len(b) == 10 {
		return days * nsPerDay, false, true, true
	}
	if len(b) < 19 || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return 0, false, false, false
	}
	hh, ok1 := digits(b[11:], 2)
	mm, ok2 := digits(b[14:], 2)
	ss, ok3 := digits(b[17:], 2)
	if !ok1 || !ok2 || !ok3 || hh > 23 || mm > 59 || ss > 60 {
		return 0, false, false, false
	}
	ns = days*nsPerDay + (hh*3600+mm*60+ss)*1e9
	r := b[19:]
	if len(r) > 0 && r[0] == '.' {
		r = r[1:]
		var frac, scale int64 = 0, 1e9
		k := 0
		for k < len(r) && r[k]-'0' <= 9 {
			if k < 9 {
				frac = frac*10 + int64(r[k]-'0')
				scale /= 10
			}
			k++
		}
		if k == 0 {
			return 0, false, false, false
		}
		ns += frac * scale
		r = r[k:]
	}
	switch {
	case len(r) == 0:
		return ns, false, false, true
	case len(r) == 1 && (r[0] == 'Z' || r[0] == 'z'):
		return ns, true, false, true
	case r[0] == '+' || r[0] == '-':
		var zh, zm int64
		var ok1, ok2 bool
		switch len(r) {
		case 6:
			if r[3] != ':' {
				return 0, false, false, false
			}
			zh, ok1 = digits(r[1:], 2)
			zm, ok2 = digits(r[4:], 2)
		case 5:
			zh, ok1 = digits(r[1:], 2)
			zm, ok2 = digits(r[3:], 2)
		default:
			return 0, false, false, false
		}
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return 0, false, false, false
		}
		off := (zh*3600 + zm*60) * 1e9
		if r[0] == '+' {
			ns -= off
		} else {
			ns += off
		}
		return ns, true, false, true
	}
	return 0, false, false, false
}
