package groupby

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// keyCol is one key column turned into dense per-row codes.
type keyCol struct {
	arr   arrow.Array
	codes []int32 // per row; -1 for a null key under dropna
	card  int     // codes lie in [0, card)
	// first is each code's first row, for non-dictionary keys, whose codes
	// are numbered in order of first appearance. nil for dictionary keys,
	// whose codes are the dictionary indices and card is len(dict)+1, the
	// last code being the null key.
	first []int32
	dict  arrow.Array
	// nullCode is the null key's code, -1 if there is none.
	nullCode int32
	// borrowed: codes is the dictionary's own int32 index buffer, read
	// only and never recycled.
	borrowed bool
}

// validity describes an array's null bitmap; nulls false means every row
// is valid (the fast path).
type validity struct {
	bm    []byte
	off   int
	nulls bool
}

func validityOf(a arrow.Array) validity {
	if a.NullN() == 0 {
		return validity{}
	}
	return validity{bm: a.NullBitmapBytes(), off: a.Data().Offset(), nulls: true}
}

func (v validity) valid(i int) bool {
	j := v.off + i
	return v.bm[j>>3]>>(j&7)&1 != 0
}

// keyState numbers the codes of a non-dictionary key as they appear.
type keyState struct {
	kc     *keyCol
	dropna bool
}

func (s keyState) newCode(row int) int32 {
	c := int32(len(s.kc.first))
	s.kc.first = append(s.kc.first, int32(row))
	return c
}

// null sets row's code to the null key's.
func (s keyState) null(row int) {
	kc := s.kc
	if s.dropna {
		kc.codes[row] = -1
		return
	}
	if kc.nullCode < 0 {
		kc.nullCode = s.newCode(row)
	}
	kc.codes[row] = kc.nullCode
}

// encodeKey turns column arr into dense codes.
func encodeKey(arr arrow.Array, name string, dropna bool) (*keyCol, error) {
	n := arr.Len()
	kc := &keyCol{arr: arr, codes: int32Pool.get(n), nullCode: -1}
	st := keyState{kc: kc, dropna: dropna}
	v := validityOf(arr)
	switch a := arr.(type) {
	case *array.Int64:
		encodeInts(st, a.Int64Values(), v)
	case *array.Int32:
		encodeInts(st, a.Int32Values(), v)
	case *array.Int16:
		encodeInts(st, a.Int16Values(), v)
	case *array.Int8:
		encodeInts(st, a.Int8Values(), v)
	case *array.Uint64:
		encodeInts(st, a.Uint64Values(), v)
	case *array.Uint32:
		encodeInts(st, a.Uint32Values(), v)
	case *array.Uint16:
		encodeInts(st, a.Uint16Values(), v)
	case *array.Uint8:
		encodeInts(st, a.Uint8Values(), v)
	case *array.Timestamp:
		encodeInts(st, arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(a.TimestampValues())), v)
	case *array.Date32:
		encodeInts(st, arrow.Int32Traits.CastFromBytes(arrow.Date32Traits.CastToBytes(a.Date32Values())), v)
	case *array.Date64:
		encodeInts(st, arrow.Int64Traits.CastFromBytes(arrow.Date64Traits.CastToBytes(a.Date64Values())), v)
	case *array.Duration:
		encodeInts(st, arrow.Int64Traits.CastFromBytes(arrow.DurationTraits.CastToBytes(a.DurationValues())), v)
	case *array.Float64:
		encodeFloats(st, a.Float64Values(), v)
	case *array.Float32:
		encodeFloats(st, a.Float32Values(), v)
	case *array.Boolean:
		encodeBools(st, a, v)
	case *array.String:
		encodeBytes(st, a.ValueOffsets(), bufBytes(a.Data(), 2), v)
	case *array.LargeString:
		encodeBytes(st, a.ValueOffsets(), bufBytes(a.Data(), 2), v)
	case *array.Binary:
		encodeBytes(st, a.ValueOffsets(), bufBytes(a.Data(), 2), v)
	case *array.LargeBinary:
		encodeBytes(st, a.ValueOffsets(), bufBytes(a.Data(), 2), v)
	case *array.Dictionary:
		if err := encodeDict(kc, a, dropna); err != nil {
			return nil, fmt.Errorf("groupby: key %q: %w", name, err)
		}
		return kc, nil
	default:
		return nil, fmt.Errorf("%w: groupby key %q: type %s not supported", ErrType, name, arr.DataType())
	}
	kc.card = len(kc.first)
	return kc, nil
}

func bufBytes(d arrow.ArrayData, i int) []byte {
	if b := d.Buffers()[i]; b != nil {
		return b.Bytes()
	}
	return nil
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// directLimit bounds the span of integer keys coded through a direct array
// rather than a hash table.
func directLimit(n int) uint64 { return uint64(2*n) + 1<<16 }

func encodeInts[T integer](st keyState, vals []T, v validity) {
	kc := st.kc
	vals = vals[:len(kc.codes)]
	// Span of the valid values: a small one is coded by direct indexing.
	var lo, hi T
	seen := false
	for i, x := range vals {
		if v.nulls && !v.valid(i) {
			continue
		}
		if !seen {
			lo, hi, seen = x, x, true
		}
		lo = min(lo, x)
		hi = max(hi, x)
	}
	if !seen {
		for i := range vals {
			st.null(i)
		}
		return
	}
	span := uint64(hi) - uint64(lo) // wraps correctly for signed T
	if span < directLimit(len(vals)) {
		slot := int32Pool.getZeroed(int(span + 1)) // code+1, 0 unseen
		defer int32Pool.put(slot)
		base := uint64(lo)
		for i, x := range vals {
			if v.nulls && !v.valid(i) {
				st.null(i)
				continue
			}
			s := &slot[uint64(x)-base]
			if *s == 0 {
				*s = st.newCode(i) + 1
			}
			kc.codes[i] = *s - 1
		}
		return
	}
	t := newU64Table(1024)
	defer t.release()
	for i, x := range vals {
		if v.nulls && !v.valid(i) {
			st.null(i)
			continue
		}
		s := t.slot(uint64(x))
		if s.val == 0 {
			s.key, s.val = uint64(x), uint32(st.newCode(i))+1
			t.n++
		}
		kc.codes[i] = int32(s.val - 1)
	}
}

type float interface{ ~float32 | ~float64 }

// encodeFloats codes float keys by their bits, with NaN as the null key and
// -0.0 as 0.0 (they compare equal, so pandas groups them together).
func encodeFloats[T float](st keyState, vals []T, v validity) {
	kc := st.kc
	vals = vals[:len(kc.codes)]
	t := newU64Table(1024)
	defer t.release()
	for i, x := range vals {
		if x != x || (v.nulls && !v.valid(i)) {
			st.null(i)
			continue
		}
		f := float64(x)
		if f == 0 {
			f = 0
		}
		k := math.Float64bits(f)
		s := t.slot(k)
		if s.val == 0 {
			s.key, s.val = k, uint32(st.newCode(i))+1
			t.n++
		}
		kc.codes[i] = int32(s.val - 1)
	}
}

func encodeBools(st keyState, a *array.Boolean, v validity) {
	kc := st.kc
	code := [2]int32{-1, -1}
	for i := range kc.codes {
		if v.nulls && !v.valid(i) {
			st.null(i)
			continue
		}
		b := 0
		if a.Value(i) {
			b = 1
		}
		if code[b] < 0 {
			code[b] = st.newCode(i)
		}
		kc.codes[i] = code[b]
	}
}

// encodeBytes codes string and binary keys through a table of hashes whose
// keys are compared in place, at each code's first row.
func encodeBytes[O int32 | int64](st keyState, offs []O, data []byte, v validity) {
	kc := st.kc
	seed := maphash.MakeSeed()
	t := newBytesTable()
	for i := range kc.codes {
		if v.nulls && !v.valid(i) {
			st.null(i)
			continue
		}
		key := data[offs[i]:offs[i+1]]
		h := maphash.Bytes(seed, key)
		if 2*(t.n+1) > len(t.slots) {
			t.grow()
		}
		j := h & t.mask
		for {
			s := &t.slots[j]
			if s.val == 0 {
				s.hash, s.val = h, uint32(st.newCode(i))+1
				t.n++
				kc.codes[i] = int32(s.val - 1)
				break
			}
			if s.hash == h {
				r := kc.first[s.val-1]
				if bytes.Equal(data[offs[r]:offs[r+1]], key) {
					kc.codes[i] = int32(s.val - 1)
					break
				}
			}
			j = (j + 1) & t.mask
		}
	}
}

// encodeDict takes a dictionary key's indices as its codes, without
// decoding: code len(dict) is the null key. Indices pointing at a null
// dictionary entry are null keys too.
func encodeDict(kc *keyCol, a *array.Dictionary, dropna bool) error {
	dict := a.Dictionary()
	nd := dict.Len()
	kc.dict, kc.card = dict, nd+1
	idx := a.Indices()
	if ix, ok := idx.(*array.Int32); ok && ix.NullN() == 0 && dict.NullN() == 0 && !isFloat(dict.DataType()) {
		// Every index is its own code: read them in place. Copying 4 bytes
		// a row into fresh memory was a fifth of a cold H2O q3 (by a
		// category column), mostly page faults.
		int32Pool.put(kc.codes)
		kc.codes, kc.borrowed = ix.Int32Values(), true
		if !dropna {
			kc.nullCode = int32(nd)
		}
		return nil
	}
	switch ix := idx.(type) {
	case *array.Int8:
		copyCodes(kc.codes, ix.Int8Values())
	case *array.Int16:
		copyCodes(kc.codes, ix.Int16Values())
	case *array.Int32:
		copyCodes(kc.codes, ix.Int32Values())
	case *array.Int64:
		copyCodes(kc.codes, ix.Int64Values())
	case *array.Uint8:
		copyCodes(kc.codes, ix.Uint8Values())
	case *array.Uint16:
		copyCodes(kc.codes, ix.Uint16Values())
	case *array.Uint32:
		copyCodes(kc.codes, ix.Uint32Values())
	case *array.Uint64:
		copyCodes(kc.codes, ix.Uint64Values())
	default:
		return fmt.Errorf("%w: dictionary index type %s", ErrType, idx.DataType())
	}
	null := int32(nd)
	if dropna {
		null = -1
	} else {
		kc.nullCode = int32(nd)
	}
	if v := validityOf(idx); v.nulls {
		for i := range kc.codes {
			if !v.valid(i) {
				kc.codes[i] = null
			}
		}
	}
	if dict.NullN() > 0 || isFloat(dict.DataType()) {
		for i, c := range kc.codes {
			if c >= 0 && c < int32(nd) && isNullAt(dict, int(c)) {
				kc.codes[i] = null
			}
		}
	}
	return nil
}

func copyCodes[T integer](dst []int32, src []T) {
	src = src[:len(dst)]
	for i, x := range src {
		dst[i] = int32(x)
	}
}

func isFloat(dt arrow.DataType) bool {
	return dt.ID() == arrow.FLOAT64 || dt.ID() == arrow.FLOAT32
}

// isNullAt reports whether a's row i is null or NaN.
func isNullAt(a arrow.Array, i int) bool {
	if a.IsNull(i) {
		return true
	}
	switch a := a.(type) {
	case *array.Float64:
		return math.IsNaN(a.Value(i))
	case *array.Float32:
		return math.IsNaN(float64(a.Value(i)))
	}
	return false
}
