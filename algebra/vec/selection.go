package vec

import (
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Filter returns the rows of rec where mask is true; a null in mask counts
// as false. mask must have rec's length. An all-true mask returns a
// zero-copy slice of rec and an all-false one a zero-row slice; otherwise
// every column is copied (dictionary columns copy their indices and share
// the dictionary). Supported column types are those of TakeArray.
func Filter(rec arrow.Record, mask *array.Boolean, mem memory.Allocator) (arrow.Record, error) {
	mem = allocator(mem)
	n := int(rec.NumRows())
	if mask.Len() != n {
		return nil, errorf(ErrArgument, "filter: mask of %d rows for a record of %d", mask.Len(), n)
	}
	if err := checkGather("filter", rec); err != nil {
		return nil, err
	}
	sel, count := maskBits(mask)
	switch count {
	case n:
		return rec.NewSlice(0, int64(n)), nil
	case 0:
		return rec.NewSlice(0, 0), nil
	}
	return gatherRecord("filter", rec, selection[int32]{idx: maskIndices(sel, n, count)}, mem)
}

// FilterArray is Filter on one array: the rows of a where mask is true.
func FilterArray(a arrow.Array, mask *array.Boolean, mem memory.Allocator) (arrow.Array, error) {
	mem = allocator(mem)
	n := a.Len()
	if mask.Len() != n {
		return nil, errorf(ErrArgument, "filter: mask of %d rows for an array of %d", mask.Len(), n)
	}
	if err := gatherable("filter", a.DataType()); err != nil {
		return nil, err
	}
	sel, count := maskBits(mask)
	switch count {
	case n:
		a.Retain()
		return a, nil
	case 0:
		return array.NewSlice(a, 0, 0), nil
	}
	return gather(a.Data(), selection[int32]{idx: maskIndices(sel, n, count)}, mem)
}

// Take returns rows indices[0], indices[1], … of rec; index -1 yields a
// null row (what an outer join needs for an unmatched side). Other
// indices must be in [0, rec.NumRows()); rec and indices are borrowed.
func Take(rec arrow.Record, indices []int64, mem memory.Allocator) (arrow.Record, error) {
	mem = allocator(mem)
	if err := checkGather("take", rec); err != nil {
		return nil, err
	}
	sel, err := takeSelection(indices, int(rec.NumRows()))
	if err != nil {
		return nil, err
	}
	return gatherRecord("take", rec, sel, mem)
}

// TakeArray is Take on one array. Supported types: integers, floats
// (float16 included), bool, date32/64, time32/64, timestamps, durations,
// (large) strings and binaries, dictionaries with any integer index, and
// the null type; anything else is an error wrapping ErrType naming it.
func TakeArray(a arrow.Array, indices []int64, mem memory.Allocator) (arrow.Array, error) {
	mem = allocator(mem)
	if err := gatherable("take", a.DataType()); err != nil {
		return nil, err
	}
	sel, err := takeSelection(indices, a.Len())
	if err != nil {
		return nil, err
	}
	return gather(a.Data(), sel, mem)
}

// selection is the rows to gather: idx, all valid positions of the
// source, and rowValid (nil when every output row is taken from the
// source) clearing the rows that must come out null; their idx is 0.
type selection[I int32 | int64] struct {
	idx      []I
	rowValid []byte
}

func takeSelection(indices []int64, n int) (selection[int64], error) {
	sel := selection[int64]{idx: indices}
	for i, x := range indices {
		if uint64(x) < uint64(n) {
			continue
		}
		if x != -1 {
			return sel, errorf(ErrArgument, "take: index %d at position %d out of range [0, %d)", x, i, n)
		}
		if sel.rowValid == nil { // first -1: copy the indices to clean them
			sel.idx = append([]int64(nil), indices...)
			sel.rowValid = make([]byte, bitutil.BytesForBits(int64(len(indices))))
			bitutil.SetBitsTo(sel.rowValid, 0, int64(len(indices)), true)
		}
		sel.idx[i] = 0
		bitutil.ClearBit(sel.rowValid, i)
	}
	return sel, nil
}

// maskBits returns mask's true-and-valid bits aligned to bit 0, and how
// many are set.
func maskBits(mask *array.Boolean) ([]byte, int) {
	d := mask.Data()
	n := d.Len()
	if n == 0 {
		return nil, 0
	}
	sel := aligned(d.Buffers()[1].Bytes(), d.Offset(), n)
	if v := validBits(d); v != nil {
		and := make([]byte, len(sel))
		bitutil.BitmapAnd(sel, v, 0, int64(d.Offset()), and, 0, int64(n))
		sel = and
	}
	return sel, bitutil.CountSetBits(sel, 0, n)
}

// maskIndices lists the set bits of sel (n bits, count set), a byte at a
// time.
func maskIndices(sel []byte, n, count int) []int32 {
	idx := make([]int32, 0, count)
	full := n / 8
	for i, b := range sel[:full] {
		for b != 0 {
			idx = append(idx, int32(i*8+bits.TrailingZeros8(b)))
			b &= b - 1
		}
	}
	for i := full * 8; i < n; i++ {
		if bitAt(sel, i) {
			idx = append(idx, int32(i))
		}
	}
	return idx
}

func checkGather(op string, rec arrow.Record) error {
	for i, f := range rec.Schema().Fields() {
		if err := gatherable(op, f.Type); err != nil {
			return errorf(ErrType, "%s: column %d (%s): unsupported type %s", op, i, f.Name, f.Type)
		}
	}
	return nil
}

func gatherable(op string, dt arrow.DataType) error {
	switch dt.ID() {
	case arrow.NULL, arrow.BOOL, arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY, arrow.DICTIONARY:
		return nil
	}
	if fw, ok := dt.(arrow.FixedWidthDataType); ok {
		switch fw.BitWidth() {
		case 8, 16, 32, 64:
			return nil
		}
	}
	return errorf(ErrType, "%s: unsupported type %s", op, dt)
}

func gatherRecord[I int32 | int64](op string, rec arrow.Record, sel selection[I], mem memory.Allocator) (arrow.Record, error) {
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range rec.Columns() {
		var err error
		if cols[i], err = gather(c.Data(), sel, mem); err != nil {
			return nil, err
		}
	}
	return array.NewRecord(rec.Schema(), cols, int64(len(sel.idx))), nil
}

// gather copies the selected rows of d into a new array.
func gather[I int32 | int64](d arrow.ArrayData, sel selection[I], mem memory.Allocator) (arrow.Array, error) {
	n := len(sel.idx)
	dt := d.DataType()
	if dt.ID() == arrow.NULL {
		return array.NewNull(n), nil
	}
	if n == 0 {
		a := array.MakeFromData(d)
		defer a.Release()
		return array.NewSlice(a, 0, 0), nil
	}
	if d.Len() == 0 { // only -1 indices can select from nothing
		return array.MakeArrayOfNull(mem, dt, n), nil
	}
	valid, nulls := gatherValidity(d, sel, mem)
	var body []*memory.Buffer
	var err error
	switch dt.ID() {
	case arrow.BOOL:
		out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		gatherBits(d.Buffers()[1].Bytes(), d.Offset(), sel.idx, out.Bytes())
		body = []*memory.Buffer{out}
	case arrow.STRING, arrow.BINARY:
		body, err = gatherVar[int32](d, sel, mem)
	case arrow.LARGE_STRING, arrow.LARGE_BINARY:
		body, err = gatherVar[int64](d, sel, mem)
	case arrow.DICTIONARY:
		it := dt.(*arrow.DictionaryType).IndexType.(arrow.FixedWidthDataType)
		body = []*memory.Buffer{gatherFixed(d, it.BitWidth(), sel.idx, mem)}
		bufs := append([]*memory.Buffer{valid}, body...)
		out := array.NewDataWithDictionary(dt, n, bufs, nulls, 0, d.Dictionary().(*array.Data))
		releaseBufs(bufs)
		defer out.Release()
		return array.MakeFromData(out), nil
	default:
		body = []*memory.Buffer{gatherFixed(d, dt.(arrow.FixedWidthDataType).BitWidth(), sel.idx, mem)}
	}
	if err != nil {
		if valid != nil {
			valid.Release()
		}
		return nil, err
	}
	return newArray(dt, n, nulls, append([]*memory.Buffer{valid}, body...)...), nil
}

// gatherValidity gathers d's validity and clears the selection's null
// rows; nil, 0 when no output row is null.
func gatherValidity[I int32 | int64](d arrow.ArrayData, sel selection[I], mem memory.Allocator) (*memory.Buffer, int) {
	n := len(sel.idx)
	src := validBits(d)
	if src == nil && sel.rowValid == nil {
		return nil, 0
	}
	valid := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	out := valid.Bytes()
	switch {
	case src == nil:
		copy(out, sel.rowValid)
	case sel.rowValid == nil:
		gatherBits(src, d.Offset(), sel.idx, out)
	default:
		gatherBits(src, d.Offset(), sel.idx, out)
		bitutil.BitmapAnd(out, sel.rowValid, 0, 0, out, 0, int64(n))
	}
	nulls := n - bitutil.CountSetBits(out, 0, n)
	if nulls == 0 {
		valid.Release()
		return nil, 0
	}
	return valid, nulls
}

func gatherFixed[I int32 | int64](d arrow.ArrayData, width int, idx []I, mem memory.Allocator) *memory.Buffer {
	n := len(idx)
	buf := newBuf(mem, n*width/8)
	b, off := d.Buffers()[1].Bytes(), d.Offset()
	switch width {
	case 8:
		gatherValues(arrow.GetData[uint8](b)[off:], idx, arrow.GetData[uint8](buf.Bytes()))
	case 16:
		gatherValues(arrow.GetData[uint16](b)[off:], idx, arrow.GetData[uint16](buf.Bytes()))
	case 32:
		gatherValues(arrow.GetData[uint32](b)[off:], idx, arrow.GetData[uint32](buf.Bytes()))
	default:
		gatherValues(arrow.GetData[uint64](b)[off:], idx, arrow.GetData[uint64](buf.Bytes()))
	}
	return buf
}

// gatherValues is the typed copy: values move by width, whatever their
// logical type.
func gatherValues[T uint8 | uint16 | uint32 | uint64, I int32 | int64](src []T, idx []I, out []T) {
	out = out[:len(idx)]
	for i, j := range idx {
		out[i] = src[j]
	}
}

// gatherBits gathers bits src[off+idx[i]] into out, a chunk at a time.
func gatherBits[I int32 | int64](src []byte, off int, idx []I, out []byte) {
	var tmp [chunk]bool
	for s := 0; s < len(idx); s += chunk {
		e := min(s+chunk, len(idx))
		t := tmp[:e-s]
		for i, j := range idx[s:e] {
			p := off + int(j)
			t[i] = src[p>>3]>>(p&7)&1 != 0
		}
		packBools(t, out[s/8:])
	}
}

// gatherVar copies variable-width values in two passes: the offsets (and
// so the total size), then the bytes. Null rows get empty values.
func gatherVar[O int32 | int64, I int32 | int64](d arrow.ArrayData, sel selection[I], mem memory.Allocator) ([]*memory.Buffer, error) {
	n := len(sel.idx)
	so, sd := offsets[O](d), varData(d)
	obuf := newBuf(mem, (n+1)*sizeOf[O]())
	oo := arrow.GetData[O](obuf.Bytes())[: n+1 : n+1]
	var total int64
	oo[0] = 0
	if sel.rowValid == nil {
		for i, j := range sel.idx {
			total += int64(so[j+1] - so[j])
			oo[i+1] = O(total)
		}
	} else {
		for i, j := range sel.idx {
			if bitAt(sel.rowValid, i) {
				total += int64(so[j+1] - so[j])
			}
			oo[i+1] = O(total)
		}
	}
	if sizeOf[O]() == 4 && total > math.MaxInt32 {
		obuf.Release()
		return nil, errorf(ErrArgument, "gather: %d bytes of %s overflow 32-bit offsets", total, d.DataType())
	}
	dbuf := newBuf(mem, int(total))
	dd := dbuf.Bytes()
	for i, j := range sel.idx {
		copy(dd[oo[i]:oo[i+1]], sd[so[j]:so[j+1]])
	}
	return []*memory.Buffer{obuf, dbuf}, nil
}

// decodeDict returns a dictionary array's values row by row, as a plain
// array of the value type.
func decodeDict(a *array.Dictionary, mem memory.Allocator) (arrow.Array, error) {
	d := a.Data()
	n := d.Len()
	idx := make([]int64, n)
	lookupCodes(d, 0, n, iota64(a.Dictionary().Len()), idx)
	sel := selection[int64]{idx: idx}
	if v := validBits(d); v != nil {
		sel.rowValid = aligned(v, d.Offset(), n)
	}
	return gather(a.Dictionary().Data(), sel, mem)
}

// iota64 is the identity table 0..n-1, through which lookupCodes widens
// codes to int64 (out-of-range codes of null rows become 0).
func iota64(n int) []int64 {
	t := make([]int64, n)
	for i := range t {
		t[i] = int64(i)
	}
	return t
}
