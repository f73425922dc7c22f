package dataframe

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/go-gota/gota/series"
	iogota "github.com/shoaldata/shoal/io/gota"
)

// A frame's columns are Arrow arrays of exactly four types, one per gota
// type: int64 (Int), float64 (Float), utf8 (String) and bool (Bool). gota's
// NA is an Arrow null; a Float NaN is stored as null too, because gota
// cannot tell the two apart (a Float element holding NaN reports IsNA).
// Arrays are immutable and shared between frames; nothing is ever released,
// since every buffer comes from Go's allocator and a gota DataFrame has no
// Close.

var mem = memory.DefaultAllocator

// column is one named column; frames share []column slices the way gota
// shares []series.Series, so SetNames and Set on a copy of a DataFrame
// value are seen by the original, as in gota.
//
// A column read by the parallel CSV reader arrives in pieces, one per
// byte range; it stays in pieces (parts) as long as the operations on it
// (the engine's scans, gathering rows) can read them so, and is joined
// into one array (once, shared by every copy) when something needs that.
//
// A column of a subset of rows (Filter, Subset, joins' gathers) is
// gathered lazily (sel): rows are copied when the column is first read,
// so columns a program never reads after a Filter are never copied, and a
// subset of a subset gathers from the original once. Until it is gathered,
// a selected column keeps its source column alive.
type column struct {
	name  string
	arr   arrow.Array // the whole column, or nil while it is in parts or selected
	parts *pieces
	sel   *selection
}

type selection struct {
	empty arrow.Array // no rows, the column's type
	mu    sync.Mutex
	src   column // dropped once gathered, so the source can be freed
	idx   []int
	whole arrow.Array
}

func (s *selection) array() arrow.Array {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.whole == nil {
		s.whole = takeColumn(s.src, s.idx)
		s.src, s.idx = column{}, nil
	}
	return s.whole
}

// selectRows is column c at rows idx (in range), gathered when read.
func selectRows(c column, idx []int) column {
	if c.sel != nil {
		c.sel.mu.Lock()
		defer c.sel.mu.Unlock()
		if c.sel.whole != nil {
			c = column{name: c.name, arr: c.sel.whole}
		} else {
			// Compose with the earlier selection, so the gather reads
			// the source once.
			composed := make([]int, len(idx))
			for k, i := range idx {
				composed[k] = c.sel.idx[i]
			}
			return column{name: c.name, sel: &selection{empty: c.sel.empty, src: c.sel.src, idx: composed}}
		}
	}
	empty := array.MakeArrayOfNull(mem, c.array0().DataType(), 0)
	return column{name: c.name, sel: &selection{empty: empty, src: c, idx: idx}}
}

type pieces struct {
	chunks []arrow.Array
	once   sync.Once
	whole  arrow.Array
}

func chunkedColumn(name string, chunks []arrow.Array) column {
	if len(chunks) == 1 {
		return column{name: name, arr: chunks[0]}
	}
	return column{name: name, parts: &pieces{chunks: chunks}}
}

// array is the whole column.
func (c column) array() arrow.Array {
	if c.sel != nil {
		return c.sel.array()
	}
	if c.arr != nil || c.parts == nil {
		return c.arr
	}
	p := c.parts
	p.once.Do(func() {
		whole, err := array.Concatenate(p.chunks, mem)
		if err != nil {
			// Only a total beyond Arrow's 32-bit string offsets fails;
			// the column then cannot exist in one piece at all.
			panic(fmt.Sprintf("gota/dataframe: joining column %q: %v", c.name, err))
		}
		p.whole = whole
	})
	return p.whole
}

// array0 is the column's first piece, for its type.
func (c column) array0() arrow.Array {
	if c.sel != nil {
		return c.sel.empty
	}
	if c.arr != nil || c.parts == nil {
		return c.arr
	}
	return c.parts.chunks[0]
}

// chunks are the column's pieces (the whole column as one piece once it
// has been joined).
func (c column) chunks() []arrow.Array {
	if c.sel != nil {
		return []arrow.Array{c.sel.array()}
	}
	if c.arr != nil || c.parts == nil {
		return []arrow.Array{c.arr}
	}
	return c.parts.chunks
}

func typeOf(arr arrow.Array) series.Type {
	switch arr.DataType().ID() {
	case arrow.INT64:
		return series.Int
	case arrow.FLOAT64:
		return series.Float
	case arrow.BOOL:
		return series.Bool
	}
	return series.String
}

func arrowType(t series.Type) (arrow.DataType, error) {
	switch t {
	case series.Int:
		return arrow.PrimitiveTypes.Int64, nil
	case series.Float:
		return arrow.PrimitiveTypes.Float64, nil
	case series.String:
		return arrow.BinaryTypes.String, nil
	case series.Bool:
		return arrow.FixedWidthTypes.Boolean, nil
	}
	return nil, fmt.Errorf("unknown type %v", t)
}

// normalize converts an array the engine returned to one of the four
// column types (int32 → int64, large or dictionary strings → utf8, float32
// → float64) and turns float NaN into null.
func normalize(arr arrow.Array) (arrow.Array, error) {
	switch a := arr.(type) {
	case *array.Int64, *array.String, *array.Boolean:
		return arr, nil
	case *array.Float64:
		vals := a.Float64Values()
		for i, v := range vals {
			if math.IsNaN(v) && a.IsValid(i) {
				return buildFloats(len(vals), func(i int) (float64, bool) { return vals[i], a.IsValid(i) }), nil
			}
		}
		return arr, nil
	case *array.Float32:
		return buildFloats(a.Len(), func(i int) (float64, bool) { return float64(a.Value(i)), a.IsValid(i) }), nil
	case *array.Int32:
		return buildInts(a.Len(), func(i int) (int64, bool) { return int64(a.Value(i)), a.IsValid(i) }), nil
	case *array.LargeString:
		return buildStrings(a.Len(), func(i int) (string, bool) { return a.Value(i), a.IsValid(i) }), nil
	case *array.Dictionary:
		d, ok := a.Dictionary().(*array.String)
		if !ok {
			break
		}
		return buildStrings(a.Len(), func(i int) (string, bool) {
			if a.IsNull(i) {
				return "", false
			}
			return d.Value(a.GetValueIndex(i)), true
		}), nil
	}
	return nil, fmt.Errorf("unsupported column type %s", arr.DataType())
}

func buildInts(n int, get func(i int) (int64, bool)) arrow.Array {
	b := array.NewInt64Builder(mem)
	b.Reserve(n)
	for i := 0; i < n; i++ {
		if v, ok := get(i); ok {
			b.UnsafeAppend(v)
		} else {
			b.UnsafeAppendBoolToBitmap(false)
		}
	}
	return b.NewArray()
}

// buildFloats stores NaN as null (see the comment at the top).
func buildFloats(n int, get func(i int) (float64, bool)) arrow.Array {
	b := array.NewFloat64Builder(mem)
	b.Reserve(n)
	for i := 0; i < n; i++ {
		if v, ok := get(i); ok && !math.IsNaN(v) {
			b.UnsafeAppend(v)
		} else {
			b.UnsafeAppendBoolToBitmap(false)
		}
	}
	return b.NewArray()
}

func buildBools(n int, get func(i int) (bool, bool)) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	b.Reserve(n)
	for i := 0; i < n; i++ {
		if v, ok := get(i); ok {
			b.UnsafeAppend(v)
		} else {
			b.UnsafeAppendBoolToBitmap(false)
		}
	}
	return b.NewArray()
}

func buildStrings(n int, get func(i int) (string, bool)) arrow.Array {
	b := array.NewStringBuilder(mem)
	b.Reserve(n)
	for i := 0; i < n; i++ {
		if v, ok := get(i); ok {
			b.Append(v)
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray()
}

// nullArray is a column of n NAs of type t.
func nullArray(t series.Type, n int) arrow.Array {
	dt, err := arrowType(t)
	if err != nil {
		dt = arrow.BinaryTypes.String
	}
	return array.MakeArrayOfNull(mem, dt, n)
}

// format appends the text gota's Element.String gives for row i
// ("NaN" for NA, "%f" for floats).
func format(buf []byte, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return append(buf, "NaN"...)
	}
	switch a := arr.(type) {
	case *array.Int64:
		return strconv.AppendInt(buf, a.Value(i), 10)
	case *array.Float64:
		return strconv.AppendFloat(buf, a.Value(i), 'f', 6, 64)
	case *array.Boolean:
		return strconv.AppendBool(buf, a.Value(i))
	case *array.String:
		return append(buf, a.Value(i)...)
	}
	return buf
}

// records renders a column as gota's Series.Records does.
func records(arr arrow.Array) []string {
	n := arr.Len()
	out := make([]string, n)
	if s, ok := arr.(*array.String); ok {
		for i := range out {
			if s.IsNull(i) {
				out[i] = "NaN"
			} else {
				out[i] = s.Value(i) // a view of the immutable buffer
			}
		}
		return out
	}
	// One string holds all values; each row is a substring of it.
	var buf []byte
	offs := make([]int, n+1)
	for i := 0; i < n; i++ {
		buf = format(buf, arr, i)
		offs[i+1] = len(buf)
	}
	all := string(buf)
	for i := range out {
		out[i] = all[offs[i]:offs[i+1]]
	}
	return out
}

// value is row i as gota's Element.Val gives it: int, float64, string,
// bool, or nil for NA.
func value(arr arrow.Array, i int) interface{} {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Int64:
		return int(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	}
	return nil
}

// toSeries converts a column to a gota Series named name; element ranges
// are filled in parallel (each goroutine sets its own elements).
func toSeries(arr arrow.Array, name string) series.Series {
	t := typeOf(arr)
	n := arr.Len()
	// n copies of one element, made by Subset (a typed copy loop inside
	// gota) rather than series.New (an interface call per element); every
	// element is overwritten below.
	s := series.New([]bool{false}, t, name).Subset(zeros(n))
	var all string
	var offs []int32
	if str, ok := arr.(*array.String); ok && n > 0 {
		// One copy of the bytes for the whole column: the elements are
		// substrings of it, and nothing the series holds aliases a frame.
		all = string(str.ValueBytes())
		offs = str.ValueOffsets()
	}
	parallelRange(n, func(lo, hi int) {
		src := iogota.NewValue(t)
		for i := lo; i < hi; i++ {
			if arr.IsNull(i) {
				s.Elem(i).Set(nil)
				continue
			}
			switch a := arr.(type) {
			case *array.Int64:
				src.SetInt(int(a.Value(i)))
			case *array.Float64:
				src.SetFloat(a.Value(i))
			case *array.Boolean:
				src.SetBool(a.Value(i))
			case *array.String:
				src.SetString(all[offs[i]-offs[0] : offs[i+1]-offs[0]])
			}
			s.Elem(i).Set(src)
		}
	})
	return s
}

// pending returns a selected column's source pieces and rows while it
// has not been gathered.
func (c column) pending() (chunks []arrow.Array, idx []int, ok bool) {
	if c.sel == nil {
		return nil, nil, false
	}
	c.sel.mu.Lock()
	defer c.sel.mu.Unlock()
	if c.sel.whole != nil {
		return nil, nil, false
	}
	return c.sel.src.chunks(), c.sel.idx, true
}

// columnSeries is toSeries of column c; a selected numeric or bool column
// not yet gathered is read straight from its source pieces (in parallel),
// skipping the gather.
func columnSeries(c column, name string) series.Series {
	chunks, idx, ok := c.pending()
	t := typeOf(c.array0())
	if !ok || t == series.String || !slices.IsSorted(idx) {
		return toSeries(c.array(), name)
	}
	starts := make([]int, len(chunks)+1)
	for j, ch := range chunks {
		starts[j+1] = starts[j] + ch.Len()
	}
	n := len(idx)
	s := series.New([]bool{false}, t, name).Subset(zeros(n))
	parallelRange(n, func(lo, hi int) {
		src := iogota.NewValue(t)
		j := sort.SearchInts(starts[1:], idx[lo]+1)
		for k := lo; k < hi; k++ {
			i := idx[k]
			for i >= starts[j+1] {
				j++
			}
			ch, at := chunks[j], i-starts[j]
			if ch.IsNull(at) {
				s.Elem(k).Set(nil)
				continue
			}
			switch a := ch.(type) {
			case *array.Int64:
				src.SetInt(int(a.Value(at)))
			case *array.Float64:
				src.SetFloat(a.Value(at))
			case *array.Boolean:
				src.SetBool(a.Value(at))
			}
			s.Elem(k).Set(src)
		}
	})
	return s
}

// zeroIdx is a read-only slice of zeros shared by toSeries calls, grown
// as needed up to maxSharedZeros (16 MiB); longer ones are not kept.
var zeroIdx atomic.Pointer[[]int]

const maxSharedZeros = 1 << 21

func zeros(n int) []int {
	if z := zeroIdx.Load(); z != nil && len(*z) >= n {
		return (*z)[:n]
	}
	z := make([]int, n)
	if n <= maxSharedZeros {
		zeroIdx.Store(&z)
	}
	return z
}

// fromSeries converts a gota Series to a column; IsNA elements become
// null. Ranges of elements are read in parallel.
func fromSeries(s series.Series) arrow.Array {
	n := s.Len()
	switch s.Type() {
	case series.Int:
		vals := make([]int64, n)
		na := make([]bool, n)
		parallelRange(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				e := s.Elem(i)
				if e.IsNA() {
					na[i] = true
					continue
				}
				v, err := e.Int()
				vals[i], na[i] = int64(v), err != nil
			}
		})
		return int64Array(vals, validityOf(na))
	case series.Float:
		vals := make([]float64, n)
		na := make([]bool, n)
		parallelRange(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				e := s.Elem(i)
				vals[i] = e.Float()
				na[i] = e.IsNA() || math.IsNaN(vals[i])
			}
		})
		return float64Array(vals, validityOf(na))
	case series.Bool:
		return buildBools(n, func(i int) (bool, bool) {
			e := s.Elem(i)
			if e.IsNA() {
				return false, false
			}
			v, err := e.Bool()
			return v, err == nil
		})
	}
	return buildStrings(n, func(i int) (string, bool) {
		e := s.Elem(i)
		return e.String(), !e.IsNA()
	})
}

func validityOf(na []bool) *validity {
	v := &validity{n: len(na)}
	for i, b := range na {
		if b {
			v.null(i)
		}
	}
	return v
}

// parallel runs f(i) for i in [0, n) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// takeColumn gathers rows idx (all in range) of a column held in chunks,
// with typed loops; no chunk is joined. Increasing idx (a filter's) is
// gathered chunk by chunk; any other order goes through the joined column.
func takeColumn(c column, idx []int) arrow.Array {
	chunks := c.chunks()
	if len(chunks) == 1 {
		return take(chunks[0], idx)
	}
	if !slices.IsSorted(idx) {
		return take(c.array(), idx)
	}
	// runs[j] is the run of idx in chunk j, starts[j] the chunk's first row.
	runs := make([][]int, len(chunks))
	starts := make([]int, len(chunks))
	start, k := 0, 0
	for j, ch := range chunks {
		end := start + ch.Len()
		lo := k
		for k < len(idx) && idx[k] < end {
			k++
		}
		runs[j], starts[j] = idx[lo:k], start
		start = end
	}
	n := len(idx)
	v := &validity{n: n}
	k = 0
	for j, ch := range chunks {
		if ch.NullN() > 0 {
			bits, off := ch.NullBitmapBytes(), ch.Data().Offset()-starts[j]
			for q, i := range runs[j] {
				if !bitutil.BitIsSet(bits, off+i) {
					v.null(k + q)
				}
			}
		}
		k += len(runs[j])
	}
	switch chunks[0].(type) {
	case *array.Int64:
		vals := make([]int64, 0, n)
		for j, ch := range chunks {
			src := ch.(*array.Int64).Int64Values()
			at := starts[j]
			for _, i := range runs[j] {
				vals = append(vals, src[i-at])
			}
		}
		return int64Array(vals, v)
	case *array.Float64:
		vals := make([]float64, 0, n)
		for j, ch := range chunks {
			src := ch.(*array.Float64).Float64Values()
			at := starts[j]
			for _, i := range runs[j] {
				vals = append(vals, src[i-at])
			}
		}
		return float64Array(vals, v)
	case *array.String:
		size := 0
		for j, ch := range chunks {
			offs := ch.(*array.String).ValueOffsets()
			at := starts[j]
			for _, i := range runs[j] {
				size += int(offs[i-at+1] - offs[i-at])
			}
		}
		out := make([]byte, 0, size)
		newOffs := make([]int32, 1, n+1)
		for j, ch := range chunks {
			a := ch.(*array.String)
			offs, data := a.ValueOffsets(), a.ValueBytes()
			base, at := offs[0], starts[j]
			for _, i := range runs[j] {
				out = append(out, data[offs[i-at]-base:offs[i-at+1]-base]...)
				newOffs = append(newOffs, int32(len(out)))
			}
		}
		return stringArray(newOffs, out, v)
	}
	return take(c.array(), idx)
}

func stringArray(offs []int32, data []byte, v *validity) arrow.Array {
	d := array.NewData(arrow.BinaryTypes.String, len(offs)-1, []*memory.Buffer{v.buffer(),
		memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offs)), memory.NewBufferBytes(data)}, nil, v.nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// take gathers rows idx of arr (all in range) with typed loops.
func take(arr arrow.Array, idx []int) arrow.Array {
	n := len(idx)
	v := &validity{n: n}
	if arr.NullN() > 0 {
		bits, off := arr.NullBitmapBytes(), arr.Data().Offset()
		for k, i := range idx {
			if !bitutil.BitIsSet(bits, off+i) {
				v.null(k)
			}
		}
	}
	switch a := arr.(type) {
	case *array.Int64:
		src := a.Int64Values()
		vals := make([]int64, n)
		for k, i := range idx {
			vals[k] = src[i]
		}
		return int64Array(vals, v)
	case *array.Float64:
		src := a.Float64Values()
		vals := make([]float64, n)
		for k, i := range idx {
			vals[k] = src[i]
		}
		return float64Array(vals, v)
	case *array.Boolean:
		return buildBools(n, func(k int) (bool, bool) { return a.Value(idx[k]), a.IsValid(idx[k]) })
	case *array.String:
		offs := a.ValueOffsets()
		data := a.ValueBytes()
		base := offs[0]
		size := 0
		for _, i := range idx {
			size += int(offs[i+1] - offs[i])
		}
		out := make([]byte, 0, size)
		newOffs := make([]int32, n+1)
		for k, i := range idx {
			out = append(out, data[offs[i]-base:offs[i+1]-base]...)
			newOffs[k+1] = int32(len(out))
		}
		return stringArray(newOffs, out, v)
	}
	return arr
}
