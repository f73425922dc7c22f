package vec

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Element type sets of the generic kernels.
type (
	signed interface {
		~int8 | ~int16 | ~int32 | ~int64
	}
	unsigned interface {
		~uint8 | ~uint16 | ~uint32 | ~uint64
	}
	integer interface{ signed | unsigned }
	float   interface{ ~float32 | ~float64 }
	number  interface{ integer | float }
)

func isSigned(id arrow.Type) bool {
	return id == arrow.INT8 || id == arrow.INT16 || id == arrow.INT32 || id == arrow.INT64
}

func isUnsigned(id arrow.Type) bool {
	return id == arrow.UINT8 || id == arrow.UINT16 || id == arrow.UINT32 || id == arrow.UINT64
}

func isInteger(id arrow.Type) bool { return isSigned(id) || isUnsigned(id) }
func isFloat(id arrow.Type) bool   { return id == arrow.FLOAT32 || id == arrow.FLOAT64 }
func isNumeric(id arrow.Type) bool { return isInteger(id) || isFloat(id) }

func isString(id arrow.Type) bool { return id == arrow.STRING || id == arrow.LARGE_STRING }

// isStringDict reports whether dt is a dictionary of (large) strings.
func isStringDict(dt arrow.DataType) bool {
	d, ok := dt.(*arrow.DictionaryType)
	return ok && isString(d.ValueType.ID())
}

// newBuf returns a buffer of n bytes from mem. Its contents are not
// necessarily zero: kernels write every byte they publish.
func newBuf(mem memory.Allocator, n int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(n)
	return b
}

// newBitmap returns a zeroed bitmap buffer of n bits.
func newBitmap(mem memory.Allocator, n int) *memory.Buffer {
	b := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	clear(b.Bytes())
	return b
}

// newArray wraps buffers (validity first, possibly nil) into an array of
// type dt and length n, taking over the caller's references to them.
func newArray(dt arrow.DataType, n, nulls int, bufs ...*memory.Buffer) arrow.Array {
	d := array.NewData(dt, n, bufs, nil, nulls, 0)
	releaseBufs(bufs)
	a := array.MakeFromData(d)
	d.Release()
	return a
}

func releaseBufs(bufs []*memory.Buffer) {
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
}

// values returns d's fixed-width values (buffer 1) as []T, offset applied.
func values[T arrow.FixedWidthType](d arrow.ArrayData) []T {
	if d.Len() == 0 || d.Buffers()[1] == nil {
		return nil
	}
	return arrow.GetData[T](d.Buffers()[1].Bytes())[d.Offset() : d.Offset()+d.Len()]
}

// offsets returns d's len+1 offsets, offset applied.
func offsets[O int32 | int64](d arrow.ArrayData) []O {
	if d.Buffers()[1] == nil {
		return make([]O, d.Len()+1) // zero-length arrays may omit the buffer
	}
	return arrow.GetData[O](d.Buffers()[1].Bytes())[d.Offset() : d.Offset()+d.Len()+1]
}

func varData(d arrow.ArrayData) []byte {
	if len(d.Buffers()) < 3 || d.Buffers()[2] == nil {
		return nil
	}
	return d.Buffers()[2].Bytes()
}

// validBits returns d's validity bitmap, or nil when d has no nulls.
// Bit i of the array is bit d.Offset()+i of the bitmap.
func validBits(d arrow.ArrayData) []byte {
	if d.Buffers()[0] == nil || nullCount(d) == 0 {
		return nil
	}
	return d.Buffers()[0].Bytes()
}

// nullCount is d's null count. Data of a slice reports
// array.UnknownNullCount (-1) until an Array computes it, so count the
// bits then.
func nullCount(d arrow.ArrayData) int {
	if n := d.NullN(); n >= 0 {
		return n
	}
	if d.Buffers()[0] == nil {
		return 0
	}
	return d.Len() - bitutil.CountSetBits(d.Buffers()[0].Bytes(), d.Offset(), d.Len())
}

func bitAt(b []byte, i int) bool { return b[uint(i)>>3]>>(uint(i)&7)&1 != 0 }

// andValidity returns the AND of the validity bitmaps of the given arrays
// (nil entries and arrays without nulls count as all valid), as a new
// buffer at offset 0, and its null count; nil, 0 when no input has nulls.
func andValidity(mem memory.Allocator, n int, ds ...arrow.ArrayData) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, d := range ds {
		if d == nil {
			continue
		}
		v := validBits(d)
		if v == nil {
			continue
		}
		if out == nil {
			out = newBuf(mem, int(bitutil.BytesForBits(int64(n))))
			bitutil.CopyBitmap(v, d.Offset(), n, out.Bytes(), 0)
			continue
		}
		bitutil.BitmapAnd(out.Bytes(), v, 0, int64(d.Offset()), out.Bytes(), 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(out.Bytes(), 0, n)
}

// aligned returns n bits of b starting at bit off as a byte slice starting
// at bit 0: a subslice when off is a multiple of 8, else a copy.
func aligned(b []byte, off, n int) []byte {
	if off%8 == 0 {
		return b[off/8 : off/8+int(bitutil.BytesForBits(int64(n)))]
	}
	out := make([]byte, bitutil.BytesForBits(int64(n)))
	bitutil.CopyBitmap(b, off, n, out, 0)
	return out
}

// pyFloat formats f as Python's str() does: the shortest repr, ".0" on
// integral values, exponent form outside [1e-4, 1e16), nan, inf, -inf.
func pyFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, bits)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, bits)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

const day = 24 * time.Hour

// unitsPerSecond returns how many ticks of u make a second.
func unitsPerSecond(u arrow.TimeUnit) int64 { return int64(time.Second / u.Multiplier()) }

func tickTime(ticks int64, u arrow.TimeUnit) time.Time {
	ps := unitsPerSecond(u)
	sec, frac := ticks/ps, ticks%ps
	if frac < 0 {
		sec, frac = sec-1, frac+ps
	}
	return time.Unix(sec, frac*int64(u.Multiplier())).UTC()
}

// formatTimestamp renders ticks as pandas prints a Timestamp: UTC,
// "2006-01-02 15:04:05" with fractional seconds only when non-zero.
func formatTimestamp(ticks int64, u arrow.TimeUnit) string {
	return tickTime(ticks, u).Format("2006-01-02 15:04:05.999999999")
}

func formatDate32(days int32) string {
	return time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02")
}

// newVarArray finishes a BinaryBuilder as an array of the builder's type:
// BinaryBuilder.NewArray returns *array.Binary even for utf8.
func newVarArray(b *array.BinaryBuilder) arrow.Array {
	a := b.NewArray()
	defer a.Release()
	d := a.Data()
	if a.NullN() == 0 && d.Buffers()[0] != nil { // builders always keep a bitmap
		nd := array.NewData(d.DataType(), d.Len(), []*memory.Buffer{nil, d.Buffers()[1], d.Buffers()[2]}, nil, 0, d.Offset())
		defer nd.Release()
		return array.MakeFromData(nd)
	}
	return array.MakeFromData(d)
}
