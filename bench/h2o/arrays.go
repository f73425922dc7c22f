package h2o

import (
	"errors"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Errors of this package; functions wrap them with the value at fault. Test
// with errors.Is.
var (
	// ErrInvalidArgument: a size, count or percentage is out of range.
	ErrInvalidArgument = errors.New("h2o: invalid argument")
	// ErrUnsupportedType: WriteCSV cannot format a column's type.
	ErrUnsupportedType = errors.New("h2o: unsupported type")
	// ErrBadHeader: a CSV file's header is not the groupby table's.
	ErrBadHeader = errors.New("h2o: bad header")
	// ErrNeedsQuoting: WriteCSV met a string that would need quotes.
	ErrNeedsQuoting = errors.New("h2o: value needs quoting")
)

// dictType is the type of every string column of the tables.
var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// maxRows bounds a table's rows: codes and permutations are int32.
const maxRows = math.MaxInt32

// rng draws from one PCG stream. Calls on the concrete *rand.PCG inline,
// where rand.Rand would call through an interface per draw.
type rng struct{ p *rand.PCG }

func newRNG(seed, stream uint64) rng { return rng{rand.NewPCG(seed, stream)} }

// below returns a uniform integer in [0, n) by multiply-shift: its bias is
// at most n/2^64, far below what any benchmark figure can show.
func (r rng) below(n uint64) uint64 {
	hi, _ := bits.Mul64(r.p.Uint64(), n)
	return hi
}

// real6 returns the uniform real in [0, 100) of the random word x, rounded
// to 6 decimals, as the R generator's round(runif(n, max=100), 6).
func real6(x uint64) float64 {
	u := float64(x>>11) * 0x1p-53 // uniform in [0, 1)
	return math.Round(u*100*1e6) / 1e6
}

// shuffle permutes s uniformly (Fisher-Yates).
func shuffle[T any](r rng, s []T) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.below(uint64(i + 1))
		s[i], s[j] = s[j], s[i]
	}
}

// alloc returns a buffer of n values of T from mem and its typed view. The
// values are unspecified: callers write every one.
func alloc[T int32 | int64 | float64](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var zero T
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n * int(unsafe.Sizeof(zero)))
	if n == 0 {
		return buf, nil
	}
	return buf, unsafe.Slice((*T)(unsafe.Pointer(&buf.Bytes()[0])), n)
}

// allocBitmap returns a validity bitmap of n bits from mem, all set.
func allocBitmap(mem memory.Allocator, n int) (*memory.Buffer, []byte) {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	b := buf.Bytes()
	for i := range b {
		b[i] = 0xff
	}
	return buf, b
}

// newPrimitive makes an array of type dt over vals and valid (nil when no
// row is null), taking over the caller's references to both buffers.
func newPrimitive(dt arrow.DataType, n int, vals, valid *memory.Buffer) arrow.Array {
	nulls := 0
	if valid != nil {
		nulls = n - bitutil.CountSetBits(valid.Bytes(), 0, n)
	}
	data := array.NewData(dt, n, []*memory.Buffer{valid, vals}, nil, nulls, 0)
	vals.Release()
	if valid != nil {
		valid.Release()
	}
	defer data.Release()
	return array.MakeFromData(data)
}

// newDict makes a dictionary<int32, utf8> array over codes and valid,
// taking over the caller's references to both buffers; dict is borrowed.
func newDict(n int, codes, valid *memory.Buffer, dict arrow.Array) arrow.Array {
	nulls := 0
	if valid != nil {
		nulls = n - bitutil.CountSetBits(valid.Bytes(), 0, n)
	}
	data := array.NewDataWithDictionary(dictType, n, []*memory.Buffer{valid, codes}, nulls, 0, dict.Data().(*array.Data))
	codes.Release()
	if valid != nil {
		valid.Release()
	}
	defer data.Release()
	return array.MakeFromData(data)
}

// idLen is the length of "id" followed by v in decimal, zero-padded to
// width digits.
func idLen(v int64, width int) int {
	d := 1
	for x := v; x >= 10; x /= 10 {
		d++
	}
	return 2 + max(d, width)
}

// appendID appends "id" and v zero-padded to width digits: the value of
// sprintf("id%0*d", width, v) without fmt's per-call cost.
func appendID(dst []byte, v int64, width int) []byte {
	dst = append(dst, 'i', 'd')
	for d := idLen(v, 0) - 2; d < width; d++ {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, v, 10)
}

// newIDStrings returns the utf8 array of "id"+v (zero-padded to width) for
// each v of vals, in that order, its two buffers sized exactly.
func newIDStrings(mem memory.Allocator, vals []int64, width int) arrow.Array {
	total := 0
	for _, v := range vals {
		total += idLen(v, width)
	}
	offBuf, offs := alloc[int32](mem, len(vals)+1)
	dataBuf := memory.NewResizableBuffer(mem)
	dataBuf.Resize(total)
	data := dataBuf.Bytes()[:0]
	offs[0] = 0
	for i, v := range vals {
		data = appendID(data, v, width)
		offs[i+1] = int32(len(data))
	}
	ad := array.NewData(arrow.BinaryTypes.String, len(vals), []*memory.Buffer{nil, offBuf, dataBuf}, nil, 0, 0)
	offBuf.Release()
	dataBuf.Release()
	defer ad.Release()
	return array.MakeFromData(ad)
}

// idDict returns the dictionary of the strings "id"+v (zero-padded to
// width) of the values 1..d, in ascending string order, and rank, the code
// of value v at rank[v-1]; rank is nil when string order is numeric order
// (every value fits in width digits), so that the code of v is v-1.
func idDict(mem memory.Allocator, d int, width int) (dict arrow.Array, rank []int32) {
	vals := make([]int64, d)
	for i := range vals {
		vals[i] = int64(i + 1)
	}
	if idLen(int64(d), width) > idLen(1, width) {
		// Variable widths: "id1000" sorts before "id101".
		strs := make([]string, d+1)
		for v := 1; v <= d; v++ {
			strs[v] = string(appendID(nil, int64(v), width))
		}
		slices.SortFunc(vals, func(a, b int64) int { return strings.Compare(strs[a], strs[b]) })
		rank = make([]int32, d)
		for code, v := range vals {
			rank[v-1] = int32(code)
		}
	}
	return newIDStrings(mem, vals, width), rank
}
