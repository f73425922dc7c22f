package order

import (
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Sort keys reduce to unsigned integers: a numeric column maps each value
// to an order-preserving uint64 (its "ord"), and any column can be ranked
// into dense uint32 ranks. Both are compared as plain integers, so the sort
// itself never looks at Arrow types, and strings are compared only while
// ranking their distinct values.

// nullRank is the rank of a null (or NaN) row before placement.
const nullRank = ^uint32(0)

type colKind int

const (
	kindNone    colKind = iota
	kindNumeric         // integers, floats, bool, dates, timestamps: has an ord
	kindString          // string, large string: ranked through a map
	kindDict            // dictionary of a numeric or string type: ranked through its dictionary
)

func kindOf(dt arrow.DataType) colKind {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.BOOL,
		arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		return kindNumeric
	case arrow.STRING, arrow.LARGE_STRING:
		return kindString
	case arrow.DICTIONARY:
		if k := kindOf(dt.(*arrow.DictionaryType).ValueType); k == kindNumeric || k == kindString {
			return kindDict
		}
	}
	return kindNone
}

func isFloat(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

// nullable reports whether fillOrd can report a null in d: a validity
// null, or a NaN.
func nullable(d arrow.ArrayData) bool { return validBits(d) != nil || isFloat(d.DataType()) }

// fillOrd writes the ord of rows [lo, hi) of numeric column d to dst and,
// if null is not nil, whether each row is null or NaN to null. Ords
// compare as the values do; -0.0 and 0.0 share one. null may be nil only
// when nullable(d) is false.
func fillOrd(d arrow.ArrayData, lo, hi int, dst []uint64, null []bool) {
	off, n := d.Offset()+lo, hi-lo
	dst = dst[:n]
	if null != nil {
		null = null[:n]
		clear(null)
	}
	switch d.DataType().ID() {
	case arrow.INT8:
		ordSigned(values[int8](d, 1, off, n), dst)
	case arrow.INT16:
		ordSigned(values[int16](d, 1, off, n), dst)
	case arrow.INT32, arrow.DATE32:
		ordSigned(values[int32](d, 1, off, n), dst)
	case arrow.INT64, arrow.DATE64, arrow.TIMESTAMP:
		ordSigned(values[int64](d, 1, off, n), dst)
	case arrow.UINT8:
		ordUnsigned(values[uint8](d, 1, off, n), dst)
	case arrow.UINT16:
		ordUnsigned(values[uint16](d, 1, off, n), dst)
	case arrow.UINT32:
		ordUnsigned(values[uint32](d, 1, off, n), dst)
	case arrow.UINT64:
		ordUnsigned(values[uint64](d, 1, off, n), dst)
	case arrow.FLOAT32:
		ordFloat(values[float32](d, 1, off, n), dst, null)
	case arrow.FLOAT64:
		ordFloat(values[float64](d, 1, off, n), dst, null)
	case arrow.BOOL:
		bm := bufferBytes(d, 1)
		for i := range dst {
			dst[i] = 0
			if bitSet(bm, off+i) {
				dst[i] = 1
			}
		}
	default:
		panic("order: fillOrd: not numeric: " + d.DataType().String())
	}
	if valid := validBits(d); valid != nil {
		for i := range null {
			if !bitSet(valid, off+i) {
				null[i] = true
			}
		}
	}
}

func ordSigned[T int8 | int16 | int32 | int64](v []T, dst []uint64) {
	dst = dst[:len(v)]
	for i, x := range v {
		dst[i] = uint64(int64(x)) ^ 1<<63 // flip the sign: negatives first
	}
}

func ordUnsigned[T uint8 | uint16 | uint32 | uint64](v []T, dst []uint64) {
	dst = dst[:len(v)]
	for i, x := range v {
		dst[i] = uint64(x)
	}
}

func ordFloat[T float32 | float64](v []T, dst []uint64, null []bool) {
	dst, null = dst[:len(v)], null[:len(v)]
	for i, x := range v {
		f := float64(x)
		if f != f {
			null[i] = true
		}
		if f == 0 {
			f = 0 // -0.0 == 0.0: one ord for both
		}
		b := math.Float64bits(f)
		// Negative floats order reversed as integers: flip all bits;
		// positive ones go above them: set the sign bit.
		if b>>63 != 0 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		dst[i] = b
	}
}

// rankData returns a rank for every row of d: equal values share a rank,
// ranks order as the values do and are below card, and null or NaN rows
// get nullRank. Ranks are dense except for numeric columns with a narrow
// range, whose rank is the value minus the minimum (card stays below 2n).
func rankData(d arrow.ArrayData) (ranks []uint32, card uint32) {
	n := d.Len()
	ranks = make([]uint32, n)
	if n == 0 {
		return ranks, 0
	}
	switch d.DataType().ID() {
	case arrow.STRING:
		card = rankStrings(values[int32](d, 1, d.Offset(), n+1), bufferBytes(d, 2), validBits(d), d.Offset(), ranks)
	case arrow.LARGE_STRING:
		card = rankStrings(values[int64](d, 1, d.Offset(), n+1), bufferBytes(d, 2), validBits(d), d.Offset(), ranks)
	case arrow.DICTIONARY:
		dr, dc := rankData(d.Dictionary())
		mapCodes(d, dr, ranks)
		card = dc
	default:
		card = rankNumeric(d, ranks)
	}
	return ranks, card
}

func rankNumeric(d arrow.ArrayData, ranks []uint32) uint32 {
	n := d.Len()
	ord := make([]uint64, n)
	var null []bool
	if nullable(d) {
		null = make([]bool, n)
	}
	fillOrd(d, 0, n, ord, null)
	lo, hi, seen := uint64(math.MaxUint64), uint64(0), false
	for i, v := range ord {
		if null != nil && null[i] {
			continue
		}
		lo, hi, seen = min(lo, v), max(hi, v), true
	}
	if !seen {
		for i := range ranks {
			ranks[i] = nullRank
		}
		return 0
	}
	if hi-lo < 2*uint64(n) {
		// Narrow range (small integers, bools, dates): the offset from
		// the minimum is a rank already, no sort needed.
		for i, v := range ord {
			ranks[i] = uint32(v - lo)
			if null != nil && null[i] {
				ranks[i] = nullRank
			}
		}
		return uint32(hi-lo) + 1
	}
	idx := make([]uint32, n)
	m := 0
	for i, v := range ord {
		if null != nil && null[i] {
			ranks[i] = nullRank
			continue
		}
		ord[m], idx[m] = v, uint32(i)
		m++
	}
	ord, idx = ord[:m], idx[:m]
	radixSort(ord, idx)
	r := uint32(0)
	for j, i := range idx {
		if j > 0 && ord[j] != ord[j-1] {
			r++
		}
		ranks[i] = r
	}
	return r + 1
}

// rankStrings ranks string rows given their n+1 offsets into data: each
// distinct string gets an id through a map (no copies: the map's keys
// point into data), the distinct strings are sorted once, and every row
// takes its string's rank.
func rankStrings[O int32 | int64](offs []O, data []byte, valid []byte, off int, ranks []uint32) uint32 {
	ids := make(map[string]uint32)
	var distinct []string
	ranks = ranks[:len(offs)-1]
	for i := range ranks {
		if valid != nil && !bitSet(valid, off+i) {
			ranks[i] = nullRank
			continue
		}
		s := bytesString(data[offs[i]:offs[i+1]])
		id, ok := ids[s]
		if !ok {
			id = uint32(len(distinct))
			ids[s] = id
			distinct = append(distinct, s)
		}
		ranks[i] = id
	}
	order := make([]uint32, len(distinct))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(distinct[a], distinct[b]) })
	rankOf := make([]uint32, len(distinct))
	for r, id := range order {
		rankOf[id] = uint32(r)
	}
	for i, id := range ranks {
		if id != nullRank {
			ranks[i] = rankOf[id]
		}
	}
	return uint32(len(distinct))
}

// mapCodes gives every row of dictionary column d the rank of its entry,
// dr[code]; a null row gets nullRank.
func mapCodes(d arrow.ArrayData, dr []uint32, out []uint32) {
	off, n := d.Offset(), d.Len()
	valid := validBits(d)
	switch d.DataType().(*arrow.DictionaryType).IndexType.ID() {
	case arrow.INT8:
		lookup(values[int8](d, 1, off, n), dr, valid, off, out)
	case arrow.UINT8:
		lookup(values[uint8](d, 1, off, n), dr, valid, off, out)
	case arrow.INT16:
		lookup(values[int16](d, 1, off, n), dr, valid, off, out)
	case arrow.UINT16:
		lookup(values[uint16](d, 1, off, n), dr, valid, off, out)
	case arrow.INT32:
		lookup(values[int32](d, 1, off, n), dr, valid, off, out)
	case arrow.UINT32:
		lookup(values[uint32](d, 1, off, n), dr, valid, off, out)
	case arrow.INT64:
		lookup(values[int64](d, 1, off, n), dr, valid, off, out)
	case arrow.UINT64:
		lookup(values[uint64](d, 1, off, n), dr, valid, off, out)
	}
}

func lookup[T int8 | uint8 | int16 | uint16 | int32 | uint32 | int64 | uint64](codes []T, dr []uint32, valid []byte, off int, out []uint32) {
	out = out[:len(codes)]
	if valid == nil {
		for i, c := range codes {
			out[i] = dr[c]
		}
		return
	}
	for i, c := range codes {
		if bitSet(valid, off+i) {
			out[i] = dr[c]
		} else {
			out[i] = nullRank
		}
	}
}
