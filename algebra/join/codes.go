package join

import (
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Keys reduce to codes: for every key pair, each row of each side gets a
// uint64 code such that two rows' keys are equal exactly when their codes
// are, whatever the two column types (int32 against int64, a float
// against an integer, a dictionary against a plain string). The hash table
// and all equality checks then work on codes only. Strings get ids through
// one map over the distinct values (a dictionary's entries are mapped
// once, never decoded per row). For an outer join codes also order as the
// values do (strings by ranking the distinct values), so the result can be
// sorted on them.

// Row states beside the codes.
const (
	stOK    uint8 = iota
	stNull        // a null or NaN key: matches another null
	stNever       // a value the other side cannot hold: matches nothing
)

// side holds one key column's codes for one side. state is nil when every
// row is stOK.
type side struct {
	vals  []uint64
	state []uint8
}

func (s *side) mark(i int, st uint8) {
	if s.state == nil {
		s.state = make([]uint8, len(s.vals))
	}
	s.state[i] = st
}

// markNulls marks rows that are null in d's validity bitmap.
func (s *side) markNulls(d arrow.ArrayData) {
	valid := validBits(d)
	if valid == nil {
		return
	}
	off := d.Offset()
	for i := range s.vals {
		if !bitSet(valid, off+i) {
			s.mark(i, stNull)
		}
	}
}

type domain int

const (
	domNone   domain = iota
	domInt           // integers, bool, dates, timestamps: exact integer values
	domFloat         // floats, or a float and an integer: float64 values
	domString        // strings, large strings, dictionaries of them: bytes
)

func isInt(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return true
	}
	return false
}

func isSigned(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		return true
	}
	return false
}

func isFloat(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT32 || dt.ID() == arrow.FLOAT64
}

func isString(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return true
	case arrow.DICTIONARY:
		vt := dt.(*arrow.DictionaryType).ValueType.ID()
		return vt == arrow.STRING || vt == arrow.LARGE_STRING
	}
	return false
}

// domainOf says how keys of types l and r compare, or domNone if they
// cannot.
func domainOf(l, r arrow.DataType) domain {
	switch {
	case isInt(l) && isInt(r):
		return domInt
	case (isFloat(l) || isInt(l)) && (isFloat(r) || isInt(r)):
		return domFloat
	case isString(l) && isString(r):
		return domString
	case l.ID() != r.ID():
		return domNone
	}
	switch l.ID() {
	case arrow.BOOL, arrow.DATE32, arrow.DATE64:
		return domInt
	case arrow.TIMESTAMP:
		if l.(*arrow.TimestampType).Unit == r.(*arrow.TimestampType).Unit {
			return domInt
		}
	}
	return domNone
}

// codePair computes the codes of both sides of one key pair. ordered asks
// for codes that order as the values do (for an outer join).
func codePair(l, r arrow.ArrayData, dom domain, ordered bool) (side, side) {
	switch dom {
	case domString:
		return stringCodes(l, r, ordered)
	case domFloat:
		return floatCodes(l), floatCodes(r)
	}
	// domInt: signed and unsigned values share one domain when either
	// side is signed: value ^ 1<<63, which orders as int64s do.
	signed := isSigned(l.DataType()) || isSigned(r.DataType())
	return intCodes(l, signed), intCodes(r, signed)
}

// intCodes codes an integer, bool, date or timestamp column.
func intCodes(d arrow.ArrayData, signed bool) side {
	n, off := d.Len(), d.Offset()
	s := side{vals: make([]uint64, n)}
	switch d.DataType().ID() {
	case arrow.INT8:
		signedCodes(values[int8](d, 1, off, n), s.vals)
	case arrow.INT16:
		signedCodes(values[int16](d, 1, off, n), s.vals)
	case arrow.INT32, arrow.DATE32:
		signedCodes(values[int32](d, 1, off, n), s.vals)
	case arrow.INT64, arrow.DATE64, arrow.TIMESTAMP:
		signedCodes(values[int64](d, 1, off, n), s.vals)
	case arrow.UINT8:
		unsignedCodes(values[uint8](d, 1, off, n), &s, signed)
	case arrow.UINT16:
		unsignedCodes(values[uint16](d, 1, off, n), &s, signed)
	case arrow.UINT32:
		unsignedCodes(values[uint32](d, 1, off, n), &s, signed)
	case arrow.UINT64:
		unsignedCodes(values[uint64](d, 1, off, n), &s, signed)
	case arrow.BOOL:
		bm := bufferBytes(d, 1)
		for i := range s.vals {
			if bitSet(bm, off+i) {
				s.vals[i] = 1
			}
		}
	}
	s.markNulls(d)
	return s
}

func signedCodes[T int8 | int16 | int32 | int64](v []T, dst []uint64) {
	dst = dst[:len(v)]
	for i, x := range v {
		dst[i] = uint64(int64(x)) ^ 1<<63
	}
}

// unsignedCodes codes unsigned values; in the signed domain a value above
// MaxInt64 equals no signed value and matches nothing.
func unsignedCodes[T uint8 | uint16 | uint32 | uint64](v []T, s *side, signed bool) {
	dst := s.vals[:len(v)]
	if !signed {
		for i, x := range v {
			dst[i] = uint64(x)
		}
		return
	}
	for i, x := range v {
		u := uint64(x)
		dst[i] = u ^ 1<<63
		if u > math.MaxInt64 {
			// Kept as is: an outer join sorts stNever rows after all
			// others (they exceed every int64), by this value.
			dst[i] = u
			s.mark(i, stNever)
		}
	}
}

// floatCodes codes a float or integer column by its float64 value: NaN is
// null, -0.0 is 0.0, and the code orders as the value does. Integers
// beyond 2^53 round to the nearest float64, as pandas compares them.
func floatCodes(d arrow.ArrayData) side {
	n, off := d.Len(), d.Offset()
	s := side{vals: make([]uint64, n)}
	switch d.DataType().ID() {
	case arrow.FLOAT32:
		floatsOf(values[float32](d, 1, off, n), &s)
	case arrow.FLOAT64:
		floatsOf(values[float64](d, 1, off, n), &s)
	case arrow.INT8:
		floatsOf(values[int8](d, 1, off, n), &s)
	case arrow.INT16:
		floatsOf(values[int16](d, 1, off, n), &s)
	case arrow.INT32:
		floatsOf(values[int32](d, 1, off, n), &s)
	case arrow.INT64:
		floatsOf(values[int64](d, 1, off, n), &s)
	case arrow.UINT8:
		floatsOf(values[uint8](d, 1, off, n), &s)
	case arrow.UINT16:
		floatsOf(values[uint16](d, 1, off, n), &s)
	case arrow.UINT32:
		floatsOf(values[uint32](d, 1, off, n), &s)
	case arrow.UINT64:
		floatsOf(values[uint64](d, 1, off, n), &s)
	}
	s.markNulls(d)
	return s
}

func floatsOf[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64 | float32 | float64](v []T, s *side) {
	dst := s.vals[:len(v)]
	for i, x := range v {
		f := float64(x)
		if f != f {
			s.mark(i, stNull)
		}
		if f == 0 {
			f = 0 // -0.0: one code for both zeros
		}
		b := math.Float64bits(f)
		if b>>63 != 0 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		dst[i] = b
	}
}

// stringCodes gives equal strings equal ids through one map, built from
// the right side (its dictionary entries, or its rows) and probed with the
// left; a left string the map lacks matches nothing. When ordered, left
// strings join the map too, and ids become ranks of the sorted distinct
// strings.
func stringCodes(l, r arrow.ArrayData, ordered bool) (side, side) {
	ids := make(map[string]uint64)
	var distinct []string
	add := func(s string) (uint64, bool) {
		id, ok := ids[s]
		if !ok {
			id = uint64(len(distinct))
			ids[s] = id
			distinct = append(distinct, s)
		}
		return id, true
	}
	find := func(s string) (uint64, bool) {
		id, ok := ids[s]
		return id, ok
	}
	rs := stringSide(r, add)
	probe := find
	if ordered {
		probe = add
	}
	ls := stringSide(l, probe)
	if ordered {
		order := make([]uint64, len(distinct))
		for i := range order {
			order[i] = uint64(i)
		}
		slices.SortFunc(order, func(a, b uint64) int { return strings.Compare(distinct[a], distinct[b]) })
		rank := make([]uint64, len(distinct))
		for r, id := range order {
			rank[id] = uint64(r)
		}
		for _, s := range []side{ls, rs} {
			for i, v := range s.vals {
				if s.state == nil || s.state[i] == stOK {
					s.vals[i] = rank[v]
				}
			}
		}
	}
	return ls, rs
}

// stringSide codes one string column with id, which returns a string's id
// or false if it has none. A dictionary's entries are looked up once.
func stringSide(d arrow.ArrayData, id func(string) (uint64, bool)) side {
	n, off := d.Len(), d.Offset()
	s := side{vals: make([]uint64, n)}
	switch d.DataType().ID() {
	case arrow.STRING:
		stringIDs(values[int32](d, 1, off, n+1), bufferBytes(d, 2), &s, id)
	case arrow.LARGE_STRING:
		stringIDs(values[int64](d, 1, off, n+1), bufferBytes(d, 2), &s, id)
	case arrow.DICTIONARY:
		dict := d.Dictionary()
		es := stringSide(dict, id)
		dictCodes(d, es, &s)
	}
	s.markNulls(d)
	return s
}

func stringIDs[O int32 | int64](offs []O, data []byte, s *side, id func(string) (uint64, bool)) {
	for i := range s.vals {
		v, ok := id(bytesString(data[offs[i]:offs[i+1]]))
		s.vals[i] = v
		if !ok {
			s.mark(i, stNever)
		}
	}
}

// dictCodes gives each row of dictionary column d its entry's code and
// state.
func dictCodes(d arrow.ArrayData, es side, s *side) {
	off, n := d.Offset(), d.Len()
	valid := validBits(d)
	switch d.DataType().(*arrow.DictionaryType).IndexType.ID() {
	case arrow.INT8:
		entryCodes(values[int8](d, 1, off, n), valid, off, es, s)
	case arrow.UINT8:
		entryCodes(values[uint8](d, 1, off, n), valid, off, es, s)
	case arrow.INT16:
		entryCodes(values[int16](d, 1, off, n), valid, off, es, s)
	case arrow.UINT16:
		entryCodes(values[uint16](d, 1, off, n), valid, off, es, s)
	case arrow.INT32:
		entryCodes(values[int32](d, 1, off, n), valid, off, es, s)
	case arrow.UINT32:
		entryCodes(values[uint32](d, 1, off, n), valid, off, es, s)
	case arrow.INT64:
		entryCodes(values[int64](d, 1, off, n), valid, off, es, s)
	case arrow.UINT64:
		entryCodes(values[uint64](d, 1, off, n), valid, off, es, s)
	}
}

// entryCodes reads the codes of valid rows only: a null row's index slot
// may hold anything.
func entryCodes[T int8 | uint8 | int16 | uint16 | int32 | uint32 | int64 | uint64](codes []T, valid []byte, off int, es side, s *side) {
	dst := s.vals[:len(codes)]
	for i, c := range codes {
		if valid != nil && !bitSet(valid, off+i) {
			s.mark(i, stNull)
			continue
		}
		dst[i] = es.vals[c]
		if es.state != nil && es.state[c] != stOK {
			s.mark(i, es.state[c])
		}
	}
}
