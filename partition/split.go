package partition

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// The kernels of a shuffle: HashSplit and RangeSplit cut one partition into
// nout pieces, ConcatRows glues pieces back together, SplitRows cuts by row
// counts. All follow KernelFunc's contract: they borrow their inputs, return
// records they own, allocate Arrow memory from the allocator given to the
// constructor (nil means memory.DefaultAllocator), and are safe to run
// concurrently. Their Kernels capture their arguments, so a cluster worker
// must rebuild them from the constructor and its arguments; the name alone
// does not identify one.

var (
	// ErrKernelArity: a kernel got a number of inputs or outputs it cannot
	// serve.
	ErrKernelArity = errors.New("partition: wrong number of kernel inputs or outputs")
	// ErrSchemaMismatch: ConcatRows' inputs do not have its schema's types.
	ErrSchemaMismatch = errors.New("partition: schema mismatch")
	// ErrBadSplitters: RangeSplit's splitters are null, unsorted, or of a
	// type that does not match the key.
	ErrBadSplitters = errors.New("partition: bad splitters")
)

func allocator(mem memory.Allocator) memory.Allocator {
	if mem == nil {
		return memory.DefaultAllocator
	}
	return mem
}

func oneInput(name string, in []arrow.Record, nout int) (arrow.Record, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%s: %d inputs, want 1: %w", name, len(in), ErrKernelArity)
	}
	if nout < 1 {
		return nil, fmt.Errorf("%s: %d outputs, want at least 1: %w", name, nout, ErrKernelArity)
	}
	return in[0], nil
}

// columnIndex resolves a key name against schema; an unknown name gives an
// error listing the columns there are.
func columnIndex(schema *arrow.Schema, name string) (int, error) {
	idx := schema.FieldIndices(name)
	switch len(idx) {
	case 1:
		return idx[0], nil
	case 0:
		names := make([]string, schema.NumFields())
		for i, f := range schema.Fields() {
			names[i] = f.Name
		}
		return 0, fmt.Errorf("%w %q (columns: %s)", ErrUnknownColumn, name, strings.Join(names, ", "))
	default:
		return 0, fmt.Errorf("%w %q: %d columns have that name", ErrUnknownColumn, name, len(idx))
	}
}

// emptySlices returns nout zero-row slices of rec: distinct records, no
// copies.
func emptySlices(rec arrow.Record, nout int) []arrow.Record {
	out := make([]arrow.Record, nout)
	for i := range out {
		out[i] = rec.NewSlice(0, 0)
	}
	return out
}

// HashSplit returns a kernel that splits its one input into nout records by
// the hash of the key columns: row i goes to output
// HashBucket(HashColumns(row i), nout). Every output has the input's schema
// (an output no row goes to has zero rows) and keeps the input's row order.
// Equal keys go to the same output index from every input with the same
// key types, whatever its chunking or dictionaries, which is what makes a
// hash shuffle correct. Key names are resolved per input; an unknown name is
// an error listing the input's columns.
func HashSplit(keys []string, mem memory.Allocator) Kernel {
	mem = allocator(mem)
	keys = append([]string(nil), keys...)
	name := "partition.HashSplit(" + strings.Join(keys, ",") + ")"
	return Kernel{Name: name, Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		rec, err := oneInput(name, in, nout)
		if err != nil {
			return nil, err
		}
		idx := make([]int, len(keys))
		for i, k := range keys {
			if idx[i], err = columnIndex(rec.Schema(), k); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		n := int(rec.NumRows())
		if n == 0 || nout == 1 {
			// Nothing to hash, but check the key types anyway, so that
			// errors do not depend on the data.
			if err := checkKeys(rec, idx); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if n == 0 {
				return emptySlices(rec, nout), nil
			}
			return []arrow.Record{rec.NewSlice(0, int64(n))}, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := hashPlan(rec, idx, nout)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out, err := scatterRecord(mem, rec, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return out, nil
	}}
}

// RangeSplit returns a kernel that splits its one input into
// nout = splitters.Len()+1 records by the value of column key: a row goes to
// the first output b with value < splitters[b] (value > splitters[b] when
// descending), and to the last output if there is none, so a value equal to
// a splitter goes to the output after it. Nulls, and NaN keys, go to the
// last output (nulls last). Outputs keep the input's schema and row order.
//
// Supported keys: signed integers, uint8/16/32, float32/64, string, large
// string, date32, date64, timestamp, and dictionaries of these (compared by
// value). splitters must hold values of the key's kind: any integer for an
// integer key, any float for a float key, string or large string (plain or
// dictionary) for a string key, the identical type for dates and
// timestamps. They must have no nulls and be sorted ascending (descending
// when descending); equal neighbours are allowed and leave an output
// empty. RangeSplit copies the splitters: the caller may release them when
// it returns. Bad splitters make every run of the kernel fail with an error
// wrapping ErrBadSplitters.
func RangeSplit(key string, splitters arrow.Array, descending bool, mem memory.Allocator) Kernel {
	mem = allocator(mem)
	name := fmt.Sprintf("partition.RangeSplit(%s)", key)
	if descending {
		name = fmt.Sprintf("partition.RangeSplit(%s desc)", key)
	}
	b, bErr := newBounds(splitters, descending)
	return Kernel{Name: name, Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		if bErr != nil {
			return nil, fmt.Errorf("%s: %w", name, bErr)
		}
		rec, err := oneInput(name, in, nout)
		if err != nil {
			return nil, err
		}
		if nout != b.len()+1 {
			return nil, fmt.Errorf("%s: %d outputs for %d splitters, want %d: %w", name, nout, b.len(), b.len()+1, ErrKernelArity)
		}
		k, err := columnIndex(rec.Schema(), key)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		col := rec.Column(k)
		if err := b.check(col.DataType()); err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", name, key, err)
		}
		n := int(rec.NumRows())
		if n == 0 {
			return emptySlices(rec, nout), nil
		}
		if nout == 1 {
			return []arrow.Record{rec.NewSlice(0, int64(n))}, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		scratch := make([]int32, 2*n)
		dest, pos := scratch[:n:n], scratch[n:]
		b.buckets(col.Data(), dest)
		out, err := scatterRecord(mem, rec, newScatterPlan(dest, pos, nout))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return out, nil
	}}
}

// ConcatRows returns a kernel that concatenates any number of inputs, in
// order, into one record of schema; no inputs, or only empty ones, give a
// zero-row record. Every input must have schema's column types (names are
// not compared). A single non-empty input is returned without a copy.
//
// Dictionary columns are unified: when the inputs' dictionaries differ,
// the output's dictionary is the first input's followed by the values of
// later dictionaries not seen before, and the indices are remapped to it
// (Arrow's array.Concatenate does this; equal dictionaries are shared, not
// copied). The value a row decodes to never changes, but its index may:
// code that compares indices across partitions must unify first.
// Unification fails, with an error naming the column, if the unified
// dictionary does not fit the index type (more than 127 values under int8
// indices, say) or Arrow cannot unify the value type (large string
// dictionaries in Arrow v15). Run-end encoded columns are refused (see
// errREE).
//
// It is the kernel behind a shuffle's receiving side; Concat (manager.go)
// is the frame-level primitive that only lists blocks.
func ConcatRows(schema *arrow.Schema, mem memory.Allocator) Kernel {
	mem = allocator(mem)
	const name = "partition.ConcatRows"
	return Kernel{Name: name, Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		if nout != 1 {
			return nil, fmt.Errorf("%s: %d outputs, want 1: %w", name, nout, ErrKernelArity)
		}
		var rows int64
		var nonEmpty []arrow.Record
		for i, f := range schema.Fields() {
			if f.Type.ID() == arrow.RUN_END_ENCODED {
				return nil, fmt.Errorf("%s: column %d (%q): %w %s: %s", name, i, f.Name, ErrUnsupportedType, f.Type, errREE)
			}
		}
		for i, rec := range in {
			if err := sameTypes(schema, rec.Schema()); err != nil {
				return nil, fmt.Errorf("%s: input %d: %w", name, i, err)
			}
			if rec.NumRows() > 0 {
				nonEmpty = append(nonEmpty, rec)
				rows += rec.NumRows()
			}
		}
		switch len(nonEmpty) {
		case 0:
			return []arrow.Record{emptyRecord(mem, schema)}, nil
		case 1:
			return []arrow.Record{array.NewRecord(schema, nonEmpty[0].Columns(), rows)}, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cols := make([]arrow.Array, len(schema.Fields()))
		defer releaseArrays(cols)
		parts := make([]arrow.Array, len(nonEmpty))
		for c := range cols {
			for i, rec := range nonEmpty {
				parts[i] = rec.Column(c)
			}
			var err error
			if dt, ok := schema.Field(c).Type.(*arrow.DictionaryType); ok && sharedDictionary(parts) {
				cols[c], err = concatIndices(dt, parts, mem)
			} else {
				cols[c], err = array.Concatenate(parts, mem)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", name, schema.Field(c).Name, err)
			}
		}
		return []arrow.Record{array.NewRecord(schema, cols, rows)}, nil
	}}
}

// sharedDictionary reports whether every part (dictionary arrays) holds
// the very same dictionary, as slices and shuffle pieces of one record do.
// Arrow's Concatenate would compare the dictionaries value by value for
// every part; a profile of a group-by on a 100,000-string dictionary key
// spent a fifth of its time there.
func sharedDictionary(parts []arrow.Array) bool {
	first := parts[0].Data().Dictionary()
	for _, p := range parts[1:] {
		d := p.Data().Dictionary()
		if d == first {
			continue
		}
		if d.Offset() != first.Offset() || d.Len() != first.Len() || len(d.Buffers()) != len(first.Buffers()) {
			return false
		}
		for i, b := range d.Buffers() {
			if b != first.Buffers()[i] {
				return false
			}
		}
	}
	return true
}

// concatIndices concatenates dictionary arrays sharing one dictionary by
// concatenating their indices only.
func concatIndices(dt *arrow.DictionaryType, parts []arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	idx := make([]arrow.Array, len(parts))
	defer releaseArrays(idx)
	for i, p := range parts {
		d := p.Data()
		data := array.NewData(dt.IndexType, d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
		idx[i] = array.MakeFromData(data)
		data.Release()
	}
	indices, err := array.Concatenate(idx, mem)
	if err != nil {
		return nil, err
	}
	defer indices.Release()
	dict := array.MakeFromData(parts[0].Data().Dictionary())
	defer dict.Release()
	return array.NewDictionaryArray(dt, indices, dict), nil
}

func sameTypes(want, got *arrow.Schema) error {
	if want.NumFields() != got.NumFields() {
		return fmt.Errorf("%w: %d columns, want %d", ErrSchemaMismatch, got.NumFields(), want.NumFields())
	}
	for i, f := range want.Fields() {
		if g := got.Field(i); !arrow.TypeEqual(f.Type, g.Type) {
			return fmt.Errorf("%w: column %d (%q) is %s, want %s", ErrSchemaMismatch, i, g.Name, g.Type, f.Type)
		}
	}
	return nil
}

func emptyRecord(mem memory.Allocator, schema *arrow.Schema) arrow.Record {
	cols := make([]arrow.Array, len(schema.Fields()))
	defer releaseArrays(cols)
	for i, f := range schema.Fields() {
		cols[i] = emptyArray(mem, f.Type)
	}
	return array.NewRecord(schema, cols, 0)
}

// emptyArray returns a zero-length array of dt. Builders make every type
// but dictionaries whose value type Arrow's dictionary builder lacks (large
// string), so dictionaries are assembled from an empty index and an empty
// dictionary.
func emptyArray(mem memory.Allocator, dt arrow.DataType) arrow.Array {
	if d, ok := dt.(*arrow.DictionaryType); ok {
		idx, dict := emptyArray(mem, d.IndexType), emptyArray(mem, d.ValueType)
		defer idx.Release()
		defer dict.Release()
		return array.NewDictionaryArray(dt, idx, dict)
	}
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	return b.NewArray()
}

func releaseArrays(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// SplitRows returns a kernel that cuts its one input into len(counts)
// consecutive zero-copy slices of counts[i] rows each. nout must equal
// len(counts) and the counts must sum to the input's rows.
func SplitRows(counts []int64) Kernel {
	counts = append([]int64(nil), counts...)
	const name = "partition.SplitRows"
	return Kernel{Name: name, Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		rec, err := oneInput(name, in, nout)
		if err != nil {
			return nil, err
		}
		if nout != len(counts) {
			return nil, fmt.Errorf("%s: %d outputs for %d counts: %w", name, nout, len(counts), ErrKernelArity)
		}
		var sum int64
		for _, c := range counts {
			if c < 0 {
				return nil, fmt.Errorf("%s: negative count %d", name, c)
			}
			sum += c
		}
		if sum != rec.NumRows() {
			return nil, fmt.Errorf("%s: counts sum to %d, input has %d rows", name, sum, rec.NumRows())
		}
		out := make([]arrow.Record, len(counts))
		var at int64
		for i, c := range counts {
			out[i] = rec.NewSlice(at, at+c)
			at += c
		}
		return out, nil
	}}
}

// Range bounds.

type boundKind int

const (
	intBounds boundKind = iota
	floatBounds
	stringBounds
	exactBounds // dates and timestamps: int64 values, identical types
)

// bounds holds RangeSplit's splitters as Go values, in one of three forms
// by kind.
type bounds struct {
	kind   boundKind
	typ    arrow.DataType // the splitters' value type, for exactBounds and errors
	desc   bool
	ints   []int64
	floats []float64
	strs   []string
}

func (b *bounds) len() int { return max(len(b.ints), len(b.floats), len(b.strs)) }

func kindOf(dt arrow.DataType) (boundKind, bool) {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		return intBounds, true
	case arrow.FLOAT32, arrow.FLOAT64:
		return floatBounds, true
	case arrow.STRING, arrow.LARGE_STRING:
		return stringBounds, true
	case arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		return exactBounds, true
	}
	return 0, false
}

// valueType is dt, or its value type if dt is a dictionary.
func valueType(dt arrow.DataType) arrow.DataType {
	if d, ok := dt.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return dt
}

func newBounds(s arrow.Array, desc bool) (*bounds, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: nil", ErrBadSplitters)
	}
	vt := valueType(s.DataType())
	kind, ok := kindOf(vt)
	if !ok {
		return nil, fmt.Errorf("%w: type %s: %w", ErrBadSplitters, s.DataType(), ErrUnsupportedType)
	}
	// Read splitter i as entry at(i) of plain: the dictionary's entry for
	// a dictionary, the array itself otherwise.
	plain, at := s, func(i int) int { return i }
	if d, ok := s.(*array.Dictionary); ok {
		plain, at = d.Dictionary(), d.GetValueIndex
	}
	b := &bounds{kind: kind, typ: vt, desc: desc}
	n := s.Len()
	switch kind {
	case intBounds, exactBounds:
		b.ints = make([]int64, n)
	case floatBounds:
		b.floats = make([]float64, n)
	case stringBounds:
		b.strs = make([]string, n)
	}
	for i := range n {
		if s.IsNull(i) || plain.IsNull(at(i)) {
			return nil, fmt.Errorf("%w: null at %d", ErrBadSplitters, i)
		}
		j := at(i)
		switch v := plain.(type) {
		case *array.Int8:
			b.ints[i] = int64(v.Value(j))
		case *array.Int16:
			b.ints[i] = int64(v.Value(j))
		case *array.Int32:
			b.ints[i] = int64(v.Value(j))
		case *array.Int64:
			b.ints[i] = v.Value(j)
		case *array.Uint8:
			b.ints[i] = int64(v.Value(j))
		case *array.Uint16:
			b.ints[i] = int64(v.Value(j))
		case *array.Uint32:
			b.ints[i] = int64(v.Value(j))
		case *array.Date32:
			b.ints[i] = int64(v.Value(j))
		case *array.Date64:
			b.ints[i] = int64(v.Value(j))
		case *array.Timestamp:
			b.ints[i] = int64(v.Value(j))
		case *array.Float32:
			b.floats[i] = float64(v.Value(j))
		case *array.Float64:
			b.floats[i] = v.Value(j)
		case *array.String:
			b.strs[i] = strings.Clone(v.Value(j))
		case *array.LargeString:
			b.strs[i] = strings.Clone(v.Value(j))
		default:
			return nil, fmt.Errorf("%w: type %s: %w", ErrBadSplitters, s.DataType(), ErrUnsupportedType)
		}
		if kind == floatBounds && b.floats[i] != b.floats[i] {
			return nil, fmt.Errorf("%w: NaN at %d", ErrBadSplitters, i)
		}
	}
	if i := b.unsorted(); i > 0 {
		order := "ascending"
		if desc {
			order = "descending"
		}
		return nil, fmt.Errorf("%w: not %s at %d", ErrBadSplitters, order, i)
	}
	return b, nil
}

// unsorted returns the first index out of order, or 0.
func (b *bounds) unsorted() int {
	switch {
	case b.ints != nil:
		return firstUnsorted(b.ints, b.desc)
	case b.floats != nil:
		return firstUnsorted(b.floats, b.desc)
	default:
		return firstUnsorted(b.strs, b.desc)
	}
}

func firstUnsorted[T cmp.Ordered](s []T, desc bool) int {
	for i := 1; i < len(s); i++ {
		if (!desc && s[i] < s[i-1]) || (desc && s[i] > s[i-1]) {
			return i
		}
	}
	return 0
}

// check reports whether a key column of type dt can be compared with b.
func (b *bounds) check(dt arrow.DataType) error {
	vt := valueType(dt)
	kind, ok := kindOf(vt)
	if !ok {
		return fmt.Errorf("%w %s", ErrUnsupportedType, dt)
	}
	if kind != b.kind || (kind == exactBounds && !arrow.TypeEqual(vt, b.typ)) {
		return fmt.Errorf("%w: key type %s, splitters %s", ErrBadSplitters, dt, b.typ)
	}
	return nil
}

// buckets writes each row's output index into dest. The caller has checked
// d's type against b.
func (b *bounds) buckets(d arrow.ArrayData, dest []int32) {
	n, off := d.Len(), d.Offset()
	if n == 0 {
		return
	}
	last := int32(b.len())
	st := d.DataType()
	switch st.ID() {
	case arrow.INT8:
		searchAll(values[int8](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.INT16:
		searchAll(values[int16](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.INT32, arrow.DATE32:
		searchAll(values[int32](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.INT64, arrow.DATE64, arrow.TIMESTAMP:
		searchAll(values[int64](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.UINT8:
		searchAll(values[uint8](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.UINT16:
		searchAll(values[uint16](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.UINT32:
		searchAll(values[uint32](d, 1, off, n), b.ints, b.desc, dest)
	case arrow.FLOAT32:
		searchFloats(values[float32](d, 1, off, n), b.floats, b.desc, dest)
	case arrow.FLOAT64:
		searchFloats(values[float64](d, 1, off, n), b.floats, b.desc, dest)
	case arrow.STRING:
		searchStrings(values[int32](d, 1, off, n+1), bufferBytes(d, 2), b.strs, b.desc, dest)
	case arrow.LARGE_STRING:
		searchStrings(values[int64](d, 1, off, n+1), bufferBytes(d, 2), b.strs, b.desc, dest)
	case arrow.DICTIONARY:
		// Bucket each dictionary entry once, then look rows up by index.
		dict := d.Dictionary()
		db := make([]int32, dict.Len())
		b.buckets(dict, db) // null entries go last
		dictBuckets(d, st.(*arrow.DictionaryType).IndexType, db, dest)
	}
	if valid := validBits(d); valid != nil {
		for i := range dest[:n] {
			if !bitSet(valid, off+i) {
				dest[i] = last
			}
		}
	}
}

// upperBound returns the first b with v < s[b] (v > s[b] if desc), or
// len(s).
func upperBound[T cmp.Ordered](s []T, v T, desc bool) int {
	lo, hi := 0, len(s)
	if desc {
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if v > s[m] {
				hi = m
			} else {
				lo = m + 1
			}
		}
		return lo
	}
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v < s[m] {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func searchAll[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32](v []T, s []int64, desc bool, dest []int32) {
	dest = dest[:len(v)]
	for i, x := range v {
		dest[i] = int32(upperBound(s, int64(x), desc))
	}
}

func searchFloats[T float32 | float64](v []T, s []float64, desc bool, dest []int32) {
	dest = dest[:len(v)]
	for i, x := range v {
		f := float64(x)
		if f != f {
			dest[i] = int32(len(s)) // NaN sorts with the nulls, last
			continue
		}
		dest[i] = int32(upperBound(s, f, desc))
	}
}

func searchStrings[O int32 | int64](offs []O, data []byte, s []string, desc bool, dest []int32) {
	dest = dest[:len(offs)-1]
	for i := range dest {
		// The conversion in a comparison does not allocate.
		dest[i] = int32(upperBoundBytes(s, data[offs[i]:offs[i+1]], desc))
	}
}

func upperBoundBytes(s []string, v []byte, desc bool) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		c := strings.Compare(string(v), s[m])
		if (!desc && c < 0) || (desc && c > 0) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func dictBuckets(d arrow.ArrayData, it arrow.DataType, db []int32, dest []int32) {
	off, n := d.Offset(), d.Len()
	switch it.ID() {
	case arrow.INT8:
		lookup(values[int8](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.UINT8:
		lookup(values[uint8](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.INT16:
		lookup(values[int16](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.UINT16:
		lookup(values[uint16](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.INT32:
		lookup(values[int32](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.UINT32:
		lookup(values[uint32](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.INT64:
		lookup(values[int64](d, 1, off, n), db, validBits(d), off, dest)
	case arrow.UINT64:
		lookup(values[uint64](d, 1, off, n), db, validBits(d), off, dest)
	}
}

// lookup maps indices through table; null rows are left for the caller.
func lookup[T integer](idx []T, table []int32, valid []byte, off int, dest []int32) {
	dest = dest[:len(idx)]
	for i, x := range idx {
		if valid != nil && !bitSet(valid, off+i) {
			continue
		}
		dest[i] = table[x]
	}
}

// The scatter: the hot loop of every shuffle.

// scatterPlan says where each row of a batch goes: row i to output dest[i],
// at position pos[i] among that output's rows; counts[o] rows go to output
// o. Positions follow row order, so every output keeps the input's order.
type scatterPlan struct {
	dest, pos []int32
	counts    []int
}

// newScatterPlan counts the rows per destination and ranks each row within
// its destination, in one pass: the first of the scatter's two. pos must
// be at least as long as dest; every dest[i] must be in [0, nout).
func newScatterPlan(dest, pos []int32, nout int) *scatterPlan {
	pos = pos[:len(dest)]
	counts := make([]int, nout)
	for i, d := range dest {
		pos[i] = int32(counts[d])
		counts[d]++
	}
	return &scatterPlan{dest: dest, pos: pos, counts: counts}
}

// scatterRecord copies the rows of rec into len(p.counts) new records of
// rec's schema, row i into record p.dest[i]: the second pass, column by
// column.
func scatterRecord(mem memory.Allocator, rec arrow.Record, p *scatterPlan) (out []arrow.Record, err error) {
	nout, ncol := len(p.counts), int(rec.NumCols())
	cols := make([][]arrow.Array, nout)
	for o := range cols {
		cols[o] = make([]arrow.Array, ncol)
	}
	defer func() {
		for _, c := range cols {
			releaseArrays(c)
		}
	}()
	for c := 0; c < ncol; c++ {
		parts, err := scatterData(mem, rec.Column(c).Data(), p)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", rec.Schema().Field(c).Name, err)
		}
		for o, part := range parts {
			cols[o][c] = array.MakeFromData(part)
			part.Release()
		}
	}
	out = make([]arrow.Record, nout)
	for o := range out {
		out[o] = array.NewRecord(rec.Schema(), cols[o], int64(p.counts[o]))
	}
	return out, nil
}

// newBuffers allocates one buffer per output of size(o) bytes.
func newBuffers(mem memory.Allocator, nout int, size func(o int) int) []*memory.Buffer {
	bufs := make([]*memory.Buffer, nout)
	for o := range bufs {
		bufs[o] = memory.NewResizableBuffer(mem)
		bufs[o].Resize(size(o))
	}
	return bufs
}

func releaseBuffers(bufs []*memory.Buffer) {
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
}

// views returns each buffer's bytes as a []T.
func views[T any](bufs []*memory.Buffer) [][]T {
	v := make([][]T, len(bufs))
	for o, b := range bufs {
		v[o] = castBytes[T](b.Bytes())
	}
	return v
}

// scatterData scatters the rows of d by p and returns one ArrayData per
// output, each owned by the caller. Flat types, dictionaries (indices
// scattered, dictionary shared), structs and lists are copied by typed
// loops; other types by concatenating runs of slices.
func scatterData(mem memory.Allocator, d arrow.ArrayData, p *scatterPlan) ([]arrow.ArrayData, error) {
	nout := len(p.counts)
	dt := d.DataType()
	st := storageType(dt)
	if !typedScatter(st) {
		if st.ID() == arrow.RUN_END_ENCODED {
			return nil, fmt.Errorf("%w %s: %s", ErrUnsupportedType, dt, errREE)
		}
		return scatterRuns(mem, d, p)
	}
	off, n := d.Offset(), d.Len()
	if n != len(p.dest) {
		return nil, fmt.Errorf("partition: scatter %d rows by a plan for %d", n, len(p.dest))
	}
	validity, nulls := scatterValidity(mem, d, p)
	defer releaseBuffers(validity)
	var (
		bufs     [][]*memory.Buffer // per output, buffers after the validity bitmap
		children [][]arrow.ArrayData
		dict     arrow.ArrayData
	)
	defer func() {
		for _, b := range bufs {
			releaseBuffers(b)
		}
		for _, c := range children {
			for _, cd := range c {
				if cd != nil {
					cd.Release()
				}
			}
		}
	}()
	one := func(b []*memory.Buffer) {
		bufs = make([][]*memory.Buffer, nout)
		for o := range bufs {
			bufs[o] = []*memory.Buffer{b[o]}
		}
	}
	switch st := st.(type) {
	case *arrow.NullType:
		nulls = p.counts
	case *arrow.BooleanType:
		vb := newBuffers(mem, nout, func(o int) int { return int(bitutil.BytesForBits(int64(p.counts[o]))) })
		scatterBits(bufferBytes(d, 1), off, p, views[byte](vb))
		one(vb)
	case *arrow.DictionaryType:
		one(scatterFixed(mem, d, st.IndexType.(arrow.FixedWidthDataType).Bytes(), p))
		dict = d.Dictionary()
	case arrow.FixedWidthDataType:
		one(scatterFixed(mem, d, st.Bytes(), p))
	case *arrow.StringType, *arrow.BinaryType:
		bufs = scatterVarBytes(mem, values[int32](d, 1, off, n+1), bufferBytes(d, 2), p)
	case *arrow.LargeStringType, *arrow.LargeBinaryType:
		bufs = scatterVarBytes(mem, values[int64](d, 1, off, n+1), bufferBytes(d, 2), p)
	case *arrow.StructType:
		children = make([][]arrow.ArrayData, len(st.Fields()))
		for k, child := range d.Children() {
			sl := array.NewSliceData(child, int64(off), int64(off+n))
			parts, err := scatterData(mem, sl, p)
			sl.Release()
			if err != nil {
				return nil, err
			}
			children[k] = parts
		}
	case *arrow.ListType, *arrow.MapType:
		var err error
		var ob []*memory.Buffer
		ob, children, err = scatterList(mem, values[int32](d, 1, off, n+1), d.Children()[0], p)
		if err != nil {
			return nil, err
		}
		one(ob)
	case *arrow.LargeListType:
		var err error
		var ob []*memory.Buffer
		ob, children, err = scatterList(mem, values[int64](d, 1, off, n+1), d.Children()[0], p)
		if err != nil {
			return nil, err
		}
		one(ob)
	case *arrow.FixedSizeListType:
		size := int(st.Len())
		child := array.NewSliceData(d.Children()[0], int64(off*size), int64((off+n)*size))
		defer child.Release()
		cdest := make([]int32, 2*child.Len())
		for j := range child.Len() {
			cdest[j] = p.dest[j/size]
		}
		cp := newScatterPlan(cdest[:child.Len()], cdest[child.Len():], nout)
		parts, err := scatterData(mem, child, cp)
		if err != nil {
			return nil, err
		}
		children = [][]arrow.ArrayData{parts}
	case *arrow.SparseUnionType:
		// Type codes like int8 values; every child is as long as the
		// union and scatters by the same plan.
		one(scatterFixed(mem, d, 1, p))
		children = make([][]arrow.ArrayData, len(st.Fields()))
		for k, child := range d.Children() {
			sl := array.NewSliceData(child, int64(off), int64(off+n))
			parts, err := scatterData(mem, sl, p)
			sl.Release()
			if err != nil {
				return nil, err
			}
			children[k] = parts
		}
	case *arrow.DenseUnionType:
		ids := scatterFixed(mem, d, 1, p)
		offs, parts, err := scatterDenseUnion(mem, d, st, p)
		if err != nil {
			releaseBuffers(ids)
			return nil, err
		}
		children = parts
		bufs = make([][]*memory.Buffer, nout)
		for o := range bufs {
			bufs[o] = []*memory.Buffer{ids[o], offs[o]}
		}
	}
	out := make([]arrow.ArrayData, nout)
	for o := range out {
		b := []*memory.Buffer{validity[o]}
		if bufs != nil {
			b = append(b, bufs[o]...)
		}
		var ch []arrow.ArrayData
		for _, c := range children {
			ch = append(ch, c[o])
		}
		od := array.NewData(dt, p.counts[o], b, ch, nulls[o], 0)
		if dict != nil {
			od.SetDictionary(dict)
		}
		out[o] = od
	}
	return out, nil
}

// typedScatter reports whether scatterData copies type st with its own
// loops.
func typedScatter(st arrow.DataType) bool {
	switch st := st.(type) {
	case *arrow.NullType, *arrow.BooleanType,
		*arrow.StringType, *arrow.BinaryType, *arrow.LargeStringType, *arrow.LargeBinaryType,
		*arrow.StructType, *arrow.ListType, *arrow.MapType, *arrow.LargeListType, *arrow.FixedSizeListType:
		return true
	case *arrow.DictionaryType, *arrow.SparseUnionType, *arrow.DenseUnionType:
		return true
	case arrow.FixedWidthDataType:
		return st.BitWidth()%8 == 0
	}
	return false
}

// scatterDenseUnion scatters the offsets and children of a dense union.
// Each child row goes where the union row pointing at it goes, and its
// position there is the union row's new offset; child rows no union row
// points at go to an extra output that is dropped. A child row that two
// union rows point at would need copying twice, which a scatter cannot do,
// and is an error (Arrow's own writers never share child rows).
func scatterDenseUnion(mem memory.Allocator, d arrow.ArrayData, st *arrow.DenseUnionType, p *scatterPlan) ([]*memory.Buffer, [][]arrow.ArrayData, error) {
	nout := len(p.counts)
	off, n := d.Offset(), d.Len()
	codes := values[int8](d, 1, off, n)
	offs := values[int32](d, 2, off, n)
	kids := d.Children()
	childOf := st.ChildIDs()
	plans := make([]*scatterPlan, len(kids))
	for k, kid := range kids {
		m := kid.Len()
		cd := make([]int32, 2*m)
		for j := range m {
			cd[j] = int32(nout) // unreferenced: dropped
		}
		plans[k] = &scatterPlan{dest: cd[:m:m], pos: cd[m:]}
	}
	for i, code := range codes {
		cd := plans[childOf[code]].dest
		if cd[offs[i]] != int32(nout) {
			return nil, nil, fmt.Errorf("%w: dense union child row %d is shared", ErrUnsupportedType, offs[i])
		}
		cd[offs[i]] = p.dest[i]
	}
	for k, cp := range plans {
		plans[k] = newScatterPlan(cp.dest, cp.pos, nout+1)
	}
	ob := newBuffers(mem, nout, func(o int) int { return p.counts[o] * 4 })
	outOffs := views[int32](ob)
	for i, code := range codes {
		outOffs[p.dest[i]][p.pos[i]] = plans[childOf[code]].pos[offs[i]]
	}
	children := make([][]arrow.ArrayData, len(kids))
	for k, kid := range kids {
		parts, err := scatterData(mem, kid, plans[k])
		if err != nil {
			releaseBuffers(ob)
			for _, c := range children[:k] {
				for _, cd := range c {
					cd.Release()
				}
			}
			return nil, nil, err
		}
		parts[nout].Release()
		children[k] = parts[:nout]
	}
	return ob, children, nil
}

// scatterValidity scatters d's validity bitmap and counts each output's
// nulls. An output with no nulls gets no bitmap.
func scatterValidity(mem memory.Allocator, d arrow.ArrayData, p *scatterPlan) ([]*memory.Buffer, []int) {
	nout := len(p.counts)
	bufs := make([]*memory.Buffer, nout)
	nulls := make([]int, nout)
	valid := validBits(d)
	if valid == nil || d.DataType().ID() == arrow.NULL {
		return bufs, nulls
	}
	bufs = newBuffers(mem, nout, func(o int) int { return int(bitutil.BytesForBits(int64(p.counts[o]))) })
	scatterBits(valid, d.Offset(), p, views[byte](bufs))
	for o, b := range bufs {
		nulls[o] = p.counts[o] - bitutil.CountSetBits(b.Bytes(), 0, p.counts[o])
		if nulls[o] == 0 {
			b.Release()
			bufs[o] = nil
		}
	}
	return bufs, nulls
}

// scatterBits copies bit off+i of src to bit p.pos[i] of outs[p.dest[i]],
// clearing the outputs first.
func scatterBits(src []byte, off int, p *scatterPlan, outs [][]byte) {
	for _, o := range outs {
		clear(o)
	}
	dest, pos := p.dest, p.pos[:len(p.dest)]
	for i, d := range dest {
		j := off + i
		bit := src[j>>3] >> (j & 7) & 1
		q := pos[i]
		outs[d][q>>3] |= bit << (q & 7)
	}
}

// scatterFixed scatters values w bytes wide (buffer 1 of d) and returns one
// values buffer per output.
func scatterFixed(mem memory.Allocator, d arrow.ArrayData, w int, p *scatterPlan) []*memory.Buffer {
	bufs := newBuffers(mem, len(p.counts), func(o int) int { return p.counts[o] * w })
	if d.Len() > 0 {
		scatterFixedInto(d, w, p, bufs)
	}
	return bufs
}

// scatterValues is the fixed-width inner loop.
func scatterValues[T any](src []T, p *scatterPlan, outs [][]T) {
	dest, pos := p.dest[:len(src)], p.pos[:len(src)]
	for i, v := range src {
		outs[dest[i]][pos[i]] = v
	}
}

// shortCopy is the longest string scatterVarBytes copies without memmove.
const shortCopy = 16

// scatterVarBytes scatters string or binary rows, given their n+1 offsets
// into data, and returns {offsets, data} per output.
func scatterVarBytes[O int32 | int64](mem memory.Allocator, offs []O, data []byte, p *scatterPlan) [][]*memory.Buffer {
	nout := len(p.counts)
	var z O
	width := int(unsafe.Sizeof(z))
	size := make([]int, nout)
	for i, d := range p.dest {
		size[d] += int(offs[i+1] - offs[i])
	}
	ob := newBuffers(mem, nout, func(o int) int { return (p.counts[o] + 1) * width })
	outOffs := views[O](ob)
	// Data buffers get shortCopy bytes of slack past their length, so that
	// a string of at most shortCopy bytes moves as one fixed-size copy
	// (two machine words) rather than a call to memmove, which cost more
	// than the copy itself in the profile (see bench_split_test.go). The
	// bytes written past a string are overwritten by the next, or lie past
	// the buffer's length.
	db := make([]*memory.Buffer, nout)
	outData := make([][]byte, nout)
	for o := range db {
		db[o] = memory.NewResizableBuffer(mem)
		db[o].Reserve(size[o] + shortCopy)
		db[o].ResizeNoShrink(size[o]) // Resize(0) would free the slack
		outData[o] = db[o].Buf()
	}
	cur := make([]O, nout)
	for _, oo := range outOffs {
		oo[0] = 0
	}
	pos := p.pos[:len(p.dest)]
	for i, d := range p.dest {
		start, end := int(offs[i]), int(offs[i+1])
		c := cur[d]
		if end-start <= shortCopy && start+shortCopy <= len(data) {
			*(*[shortCopy]byte)(outData[d][c : c+shortCopy]) = *(*[shortCopy]byte)(data[start : start+shortCopy])
		} else {
			copy(outData[d][c:], data[start:end])
		}
		c += O(end - start)
		cur[d] = c
		outOffs[d][pos[i]+1] = c
	}
	out := make([][]*memory.Buffer, nout)
	for o := range out {
		out[o] = []*memory.Buffer{ob[o], db[o]}
	}
	return out
}

// scatterList scatters list rows given their n+1 offsets into child: the
// offsets like strings', the child's rows by a plan sending each child row
// where its list goes. It returns one offsets buffer per output and the
// child's parts.
func scatterList[O int32 | int64](mem memory.Allocator, offs []O, child arrow.ArrayData, p *scatterPlan) ([]*memory.Buffer, [][]arrow.ArrayData, error) {
	nout := len(p.counts)
	start, end := int(offs[0]), int(offs[len(offs)-1])
	m := end - start
	cscratch := make([]int32, 2*m)
	cdest := cscratch[:m:m]
	for i, d := range p.dest {
		for j := int(offs[i]); j < int(offs[i+1]); j++ {
			cdest[j-start] = d
		}
	}
	var z O
	width := int(unsafe.Sizeof(z))
	ob := newBuffers(mem, nout, func(o int) int { return (p.counts[o] + 1) * width })
	outOffs := views[O](ob)
	cur := make([]O, nout)
	for _, oo := range outOffs {
		oo[0] = 0
	}
	pos := p.pos[:len(p.dest)]
	for i, d := range p.dest {
		c := cur[d] + offs[i+1] - offs[i]
		cur[d] = c
		outOffs[d][pos[i]+1] = c
	}
	sl := array.NewSliceData(child, int64(start), int64(end))
	defer sl.Release()
	parts, err := scatterData(mem, sl, newScatterPlan(cdest, cscratch[m:], nout))
	if err != nil {
		releaseBuffers(ob)
		return nil, nil, err
	}
	return ob, [][]arrow.ArrayData{parts}, nil
}

// errREE says why run-end encoded columns are refused: Arrow v15's
// array.Concatenate ignores a sliced run-end encoded array's offset (a
// slice [3, 7) of a a _ b b b c _ comes back as b c), so neither the
// fallback scatter nor ConcatRows can rely on it.
const errREE = "Arrow v15 concatenates sliced run-end encoded arrays wrongly"

// scatterRuns is the fallback for types without a typed loop (the view
// types): each output concatenates zero-copy slices of the runs of
// consecutive rows going to it. It allocates per run, not per value; with
// well-mixed destinations that approaches per row, which is acceptable
// only because such payload types are rare in frames.
func scatterRuns(mem memory.Allocator, d arrow.ArrayData, p *scatterPlan) (out []arrow.ArrayData, err error) {
	nout := len(p.counts)
	arr := array.MakeFromData(d)
	defer arr.Release()
	runs := make([][]arrow.Array, nout)
	defer func() {
		for _, r := range runs {
			releaseArrays(r)
		}
	}()
	for i := 0; i < len(p.dest); {
		j := i + 1
		for j < len(p.dest) && p.dest[j] == p.dest[i] {
			j++
		}
		runs[p.dest[i]] = append(runs[p.dest[i]], array.NewSlice(arr, int64(i), int64(j)))
		i = j
	}
	out = make([]arrow.ArrayData, nout)
	for o, r := range runs {
		var a arrow.Array
		switch len(r) {
		case 0:
			a = array.NewSlice(arr, 0, 0)
		default:
			if a, err = array.Concatenate(r, mem); err != nil {
				for _, od := range out[:o] {
					od.Release()
				}
				return nil, err
			}
		}
		out[o] = a.Data()
		out[o].Retain()
		a.Release()
	}
	return out, nil
}
