package partition

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
)

// Errors of the kernels in this file and split.go. Kernels wrap them with
// the column, type or count at fault; test with errors.Is.
var (
	// ErrUnsupportedType: a kernel cannot hash or compare a column's type.
	ErrUnsupportedType = errors.New("partition: unsupported type")
	// ErrUnknownColumn: a key names no column of the input.
	ErrUnknownColumn = errors.New("partition: unknown column")
)

// The row hash.
//
// HashColumns decides where every row of a hash shuffle goes, so its value
// for a key must be the same in every partition, goroutine, process and
// node, and stays fixed across releases (TestHashColumnsGolden pins it).
// It is not a keyed hash: Shoal hashes its users' own data, not an
// adversary's.
//
// A value's hash depends on the value, not on how it is stored:
//   - every integer type hashes its value widened to 64 bits (int8(-1) and
//     int64(-1) hash alike, so keys of different widths co-partition); bool
//     hashes as 0 or 1; dates, times, timestamps and durations hash their
//     integer count as stored (the unit is not mixed in);
//   - float32 and float64 hash the float64 value, with -0.0 as 0.0 and every
//     NaN as one NaN;
//   - string, binary and their large forms hash their bytes alike;
//     fixed-size binary and decimals hash their bytes;
//   - a dictionary row hashes the value its index points at, so two
//     partitions with different dictionaries hash equal values equally, and
//     a dictionary column hashes like its plain column;
//   - a null hashes to nullHash whatever its type, so all nulls of a key
//     group together (pandas' dropna=False).
//
// Several keys combine left to right with combine, which depends on their
// order. A single key's row hash is its value hash.
const (
	nullHash = 0x6e756c6c5f6b6579 // "null_key"
	seedWord = 0x9e3779b97f4a7c15 // 2^64 / golden ratio
	mulA     = 0xff51afd7ed558ccd
	mulB     = 0xc4ceb9fe1a85ec53
	keyA     = 0xa0761d6478bd642f
	keyB     = 0xe7037ed1a0b428db
	keyC     = 0x8ebc6af09c88c6e3
	keyD     = 0x589965cc75374cc3
)

// canonNaN is the bit pattern every NaN hashes as.
const canonNaN = 0x7ff8000000000001

// hashWord hashes a 64-bit value: a xor-shift-multiply finaliser, a
// bijection on 64 bits, so distinct integer keys never share a full hash.
func hashWord(v uint64) uint64 {
	v ^= seedWord
	v ^= v >> 33
	v *= mulA
	v ^= v >> 29
	v *= mulB
	v ^= v >> 32
	return v
}

// mum multiplies a by b to 128 bits and folds the halves together.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// combine folds the hash h of the next key into acc, the hash of the keys
// before it. Both operands vary, so the folded 128-bit product mixes every
// bit of each into every bit of the result.
func combine(acc, h uint64) uint64 { return mum(acc^keyA, h^keyB) }

// le64 and le32 read little-endian words whatever the machine's order, so
// hashes agree across architectures. The compiler turns each into a single
// load on little-endian machines.
func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func le32(b []byte) uint64 {
	_ = b[3]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
}

// hashBytes hashes a byte string in the manner of wyhash: short inputs are
// read as at most two overlapping words, long ones fold 16 bytes per step
// into a running state; the length is mixed in first, so inputs that read
// as the same words but differ in length differ.
func hashBytes(b []byte) uint64 {
	n := len(b)
	s := keyC ^ uint64(n)*keyD
	var x, y uint64
	switch {
	case n == 0:
	case n < 4:
		x = uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1])
	case n <= 8:
		x, y = le32(b), le32(b[n-4:])
	case n <= 16:
		x, y = le64(b), le64(b[n-8:])
	default:
		i := 0
		for ; n-i > 16; i += 16 {
			s = mum(le64(b[i:])^keyA, le64(b[i+8:])^s)
		}
		x, y = le64(b[n-16:]), le64(b[n-8:])
	}
	return mum(keyB^uint64(n), mum(x^keyA, y^s))
}

// hashFloat hashes f as a float64, with -0.0 as 0.0 and one NaN.
func hashFloat(f float64) uint64 {
	if f != f {
		return hashWord(canonNaN)
	}
	if f == 0 {
		f = 0 // -0.0 == 0, so this clears the sign
	}
	return hashWord(math.Float64bits(f))
}

// HashBucket maps a row hash to one of n outputs (n ≥ 1); HashSplit sends
// row i to HashBucket(h[i], n). It scales the top 32 bits of h to [0, n)
// (a multiply, no division) rather than taking h % n: after a shuffle every
// row of a partition shares its bucket, and h % n would make those rows
// share h's low bits too, crowding a hash table that indexes by the low
// bits (a group-by or join on the same keys) into 1/n of its slots. Taking
// the top bits leaves the low bits free.
func HashBucket(h uint64, n int) int {
	return int((h >> 32) * uint64(n) >> 32)
}

// HashColumns fills out[i], for every row i of rec, with the hash of row i's
// values in the columns keys, combined in the order given. len(out) must
// equal rec.NumRows(); with no keys every row hashes alike. The hash is the
// same for equal values wherever and however they are stored (see the
// comment on nullHash for what counts as equal).
//
// Supported key types: signed and unsigned integers, float32/64, bool,
// string, large string, binary, large binary, fixed-size binary, decimal128
// and decimal256, date32/64, time32/64, timestamp, duration, null, and
// dictionaries of any of these; extension types hash as their storage. Any
// other type returns an error wrapping ErrUnsupportedType that names the
// column and the type, before any row is hashed.
//
// It borrows rec and allocates nothing per row (a dictionary column
// allocates its dictionary's hashes once). It is safe for concurrent use.
func HashColumns(rec arrow.Record, keys []int, out []uint64) error {
	n := int(rec.NumRows())
	if len(out) != n {
		return fmt.Errorf("partition: hash columns: len(out) = %d, want %d rows", len(out), n)
	}
	if err := checkKeys(rec, keys); err != nil {
		return err
	}
	if len(keys) == 0 {
		for i := range out {
			out[i] = seedWord
		}
		return nil
	}
	for j, k := range keys {
		hashData(rec.Column(k).Data(), out, j == 0)
	}
	return nil
}

// checkKeys checks that keys are columns of rec that HashColumns can hash.
func checkKeys(rec arrow.Record, keys []int) error {
	for _, k := range keys {
		if k < 0 || k >= int(rec.NumCols()) {
			return fmt.Errorf("partition: hash columns: key %d out of range [0, %d): %w", k, rec.NumCols(), ErrUnknownColumn)
		}
		if err := checkHashable(rec.Column(k).DataType()); err != nil {
			return fmt.Errorf("partition: hash column %d (%q): %w", k, rec.Schema().Field(k).Name, err)
		}
	}
	return nil
}

func storageType(dt arrow.DataType) arrow.DataType {
	if ext, ok := dt.(arrow.ExtensionType); ok {
		return ext.StorageType()
	}
	return dt
}

// checkHashable reports whether hashData handles dt.
func checkHashable(dt arrow.DataType) error {
	st := storageType(dt)
	switch st.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.BOOL,
		arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY,
		arrow.FIXED_SIZE_BINARY, arrow.DECIMAL128, arrow.DECIMAL256,
		arrow.DATE32, arrow.DATE64, arrow.TIME32, arrow.TIME64,
		arrow.TIMESTAMP, arrow.DURATION, arrow.NULL:
		return nil
	case arrow.DICTIONARY:
		vt := st.(*arrow.DictionaryType).ValueType
		if storageType(vt).ID() != arrow.DICTIONARY && checkHashable(vt) == nil {
			return nil
		}
	}
	return fmt.Errorf("%w %s", ErrUnsupportedType, dt)
}

// hashData hashes the rows of d into out (len(out) == d.Len()): it stores
// each row's value hash when first, and combines it into out otherwise.
// The caller has checked the type with checkHashable.
func hashData(d arrow.ArrayData, out []uint64, first bool) {
	n := d.Len()
	if n == 0 {
		return
	}
	off := d.Offset()
	valid := validBits(d)
	switch st := storageType(d.DataType()); st.ID() {
	case arrow.INT8:
		hashInts(values[int8](d, 1, off, n), valid, off, out, first)
	case arrow.UINT8:
		hashInts(values[uint8](d, 1, off, n), valid, off, out, first)
	case arrow.INT16:
		hashInts(values[int16](d, 1, off, n), valid, off, out, first)
	case arrow.UINT16:
		hashInts(values[uint16](d, 1, off, n), valid, off, out, first)
	case arrow.INT32, arrow.DATE32, arrow.TIME32:
		hashInts(values[int32](d, 1, off, n), valid, off, out, first)
	case arrow.UINT32:
		hashInts(values[uint32](d, 1, off, n), valid, off, out, first)
	case arrow.INT64, arrow.DATE64, arrow.TIME64, arrow.TIMESTAMP, arrow.DURATION:
		hashInts(values[int64](d, 1, off, n), valid, off, out, first)
	case arrow.UINT64:
		hashInts(values[uint64](d, 1, off, n), valid, off, out, first)
	case arrow.FLOAT32:
		hashFloats(values[float32](d, 1, off, n), valid, off, out, first)
	case arrow.FLOAT64:
		hashFloats(values[float64](d, 1, off, n), valid, off, out, first)
	case arrow.BOOL:
		hashBools(bufferBytes(d, 1), valid, off, out[:n], first)
	case arrow.STRING, arrow.BINARY:
		hashVarBytes(values[int32](d, 1, off, n+1), bufferBytes(d, 2), valid, off, out, first)
	case arrow.LARGE_STRING, arrow.LARGE_BINARY:
		hashVarBytes(values[int64](d, 1, off, n+1), bufferBytes(d, 2), valid, off, out, first)
	case arrow.FIXED_SIZE_BINARY, arrow.DECIMAL128, arrow.DECIMAL256:
		w := st.(arrow.FixedWidthDataType).Bytes()
		hashFixedBytes(bufferBytes(d, 1)[off*w:(off+n)*w], w, valid, off, out[:n], first)
	case arrow.NULL:
		for i := range out[:n] {
			out[i] = put(out[i], nullHash, first)
		}
	case arrow.DICTIONARY:
		hashDictionary(d, st.(*arrow.DictionaryType), valid, out[:n], first)
	default:
		panic("partition: hashData: unchecked type " + st.String())
	}
}

// put stores h, or combines it into acc.
func put(acc, h uint64, first bool) uint64 {
	if first {
		return h
	}
	return combine(acc, h)
}

func bitSet(b []byte, i int) bool { return b[uint(i)>>3]>>(uint(i)&7)&1 != 0 }

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

func hashInts[T integer](v []T, valid []byte, off int, out []uint64, first bool) {
	out = out[:len(v)]
	switch {
	case valid == nil && first:
		for i, x := range v {
			out[i] = hashWord(uint64(x))
		}
	case valid == nil:
		for i, x := range v {
			out[i] = combine(out[i], hashWord(uint64(x)))
		}
	default:
		for i, x := range v {
			h := hashWord(uint64(x))
			if !bitSet(valid, off+i) {
				h = nullHash
			}
			out[i] = put(out[i], h, first)
		}
	}
}

func hashFloats[T float32 | float64](v []T, valid []byte, off int, out []uint64, first bool) {
	out = out[:len(v)]
	switch {
	case valid == nil && first:
		for i, x := range v {
			out[i] = hashFloat(float64(x))
		}
	case valid == nil:
		for i, x := range v {
			out[i] = combine(out[i], hashFloat(float64(x)))
		}
	default:
		for i, x := range v {
			h := hashFloat(float64(x))
			if !bitSet(valid, off+i) {
				h = nullHash
			}
			out[i] = put(out[i], h, first)
		}
	}
}

func hashBools(bitmap, valid []byte, off int, out []uint64, first bool) {
	h0, h1 := hashWord(0), hashWord(1)
	for i := range out {
		h := h0
		if bitSet(bitmap, off+i) {
			h = h1
		}
		if valid != nil && !bitSet(valid, off+i) {
			h = nullHash
		}
		out[i] = put(out[i], h, first)
	}
}

// hashVarBytes hashes string or binary rows: offs holds the n+1 offsets of
// the rows into data.
func hashVarBytes[O int32 | int64](offs []O, data []byte, valid []byte, off int, out []uint64, first bool) {
	out = out[:len(offs)-1]
	for i := range out {
		h := hashBytes(data[offs[i]:offs[i+1]])
		if valid != nil && !bitSet(valid, off+i) {
			h = nullHash
		}
		out[i] = put(out[i], h, first)
	}
}

func hashFixedBytes(data []byte, w int, valid []byte, off int, out []uint64, first bool) {
	for i := range out {
		h := hashBytes(data[i*w : (i+1)*w])
		if valid != nil && !bitSet(valid, off+i) {
			h = nullHash
		}
		out[i] = put(out[i], h, first)
	}
}

// hashDictionary hashes each dictionary entry once, then gives every row
// the hash of the entry its index points at. An index that is null, or
// points at a null entry, hashes as null.
func hashDictionary(d arrow.ArrayData, dt *arrow.DictionaryType, valid []byte, out []uint64, first bool) {
	dict := d.Dictionary()
	dh := make([]uint64, dict.Len())
	hashData(dict, dh, true)
	off, n := d.Offset(), d.Len()
	switch dt.IndexType.ID() {
	case arrow.INT8:
		hashIndices(values[int8](d, 1, off, n), dh, valid, off, out, first)
	case arrow.UINT8:
		hashIndices(values[uint8](d, 1, off, n), dh, valid, off, out, first)
	case arrow.INT16:
		hashIndices(values[int16](d, 1, off, n), dh, valid, off, out, first)
	case arrow.UINT16:
		hashIndices(values[uint16](d, 1, off, n), dh, valid, off, out, first)
	case arrow.INT32:
		hashIndices(values[int32](d, 1, off, n), dh, valid, off, out, first)
	case arrow.UINT32:
		hashIndices(values[uint32](d, 1, off, n), dh, valid, off, out, first)
	case arrow.INT64:
		hashIndices(values[int64](d, 1, off, n), dh, valid, off, out, first)
	case arrow.UINT64:
		hashIndices(values[uint64](d, 1, off, n), dh, valid, off, out, first)
	default:
		panic("partition: dictionary index type " + dt.IndexType.String())
	}
}

func hashIndices[T integer](idx []T, dh []uint64, valid []byte, off int, out []uint64, first bool) {
	out = out[:len(idx)]
	switch {
	case valid == nil && first:
		for i, x := range idx {
			out[i] = dh[x]
		}
	case valid == nil:
		for i, x := range idx {
			out[i] = combine(out[i], dh[x])
		}
	default:
		for i, x := range idx {
			h := uint64(nullHash)
			if bitSet(valid, off+i) {
				h = dh[x]
			}
			out[i] = put(out[i], h, first)
		}
	}
}

// Typed views of Arrow buffers, shared with split.go.

// bufferBytes returns buffer i of d whole (no offset applied), or nil.
func bufferBytes(d arrow.ArrayData, i int) []byte {
	bufs := d.Buffers()
	if i >= len(bufs) || bufs[i] == nil {
		return nil
	}
	return bufs[i].Bytes()
}

// castBytes views b as a []T; Arrow buffers are 64-byte aligned.
func castBytes[T any](b []byte) []T {
	var z T
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(z)))
}

// values returns elements [off, off+n) of buffer i of d as a []T.
func values[T any](d arrow.ArrayData, i, off, n int) []T {
	if n == 0 {
		return nil
	}
	return castBytes[T](bufferBytes(d, i))[off : off+n]
}

// validBits returns d's validity bitmap, or nil if d has no nulls.
func validBits(d arrow.ArrayData) []byte {
	if d.NullN() == 0 {
		return nil
	}
	return bufferBytes(d, 0)
}
