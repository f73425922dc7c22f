package gota

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// FromGota converts df to one Arrow record with the same columns in the
// same order: gota Int → int64, Float → float64, String → utf8, Bool →
// bool, all fields nullable, and every element whose IsNA is true → null
// (for Float that includes NaN values; see the package doc).
//
// df is borrowed and left unchanged. The record is allocated from mem and
// owned by the caller, who must Release it. A DataFrame carrying an error
// (df.Err != nil) returns an error wrapping both ErrFrame and df.Err. Safe
// for concurrent use as long as nobody modifies df meanwhile.
func FromGota(df gotadf.DataFrame, mem memory.Allocator) (arrow.Record, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFrame, df.Err)
	}
	names, types, n := df.Names(), df.Types(), df.Nrow()
	fields := make([]arrow.Field, len(names))
	cols := make([]arrow.Array, 0, len(names))
	defer func() {
		// The record holds its own references; on error nothing survives.
		for _, c := range cols {
			c.Release()
		}
	}()
	for c, t := range types {
		var arr arrow.Array
		switch t {
		case series.Int:
			arr = fromInts(df, c, n, mem)
		case series.Float:
			arr = fromFloats(df, c, n, mem)
		case series.String:
			arr = fromStrings(df, c, n, mem)
		case series.Bool:
			arr = fromBools(df, c, n, mem)
		default:
			return nil, fmt.Errorf("gota: column %q has unknown gota type %q", names[c], t)
		}
		cols = append(cols, arr)
		fields[c] = arrow.Field{Name: names[c], Type: arr.DataType(), Nullable: true}
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(n)), nil
}

// fixedCol holds the buffers of a fixed-width column being filled: values
// written in place, validity bits set per row, the bitmap dropped at the
// end when no row was null.
type fixedCol struct {
	vals, valid *memory.Buffer
	bits        []byte
	nulls       int
}

func newFixedCol(mem memory.Allocator, valueBytes int, n int) fixedCol {
	vals := memory.NewResizableBuffer(mem)
	vals.Resize(valueBytes)
	valid := memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(n))))
	return fixedCol{vals: vals, valid: valid, bits: valid.Bytes()}
}

func (f *fixedCol) set(i int, ok bool) {
	bitutil.SetBitTo(f.bits, i, ok)
	if !ok {
		f.nulls++
	}
}

func (f *fixedCol) finish(dt arrow.DataType, n int) arrow.Array {
	valid := f.valid
	if f.nulls == 0 {
		valid.Release()
		valid = nil
	}
	data := array.NewData(dt, n, []*memory.Buffer{valid, f.vals}, nil, f.nulls, 0)
	if valid != nil {
		valid.Release()
	}
	f.vals.Release()
	defer data.Release()
	return array.MakeFromData(data)
}

func fromInts(df gotadf.DataFrame, c, n int, mem memory.Allocator) arrow.Array {
	f := newFixedCol(mem, n*8, n)
	vals := arrow.Int64Traits.CastFromBytes(f.vals.Bytes())[:n]
	for i := range vals {
		e := df.Elem(i, c)
		// IsNA first: Int on an NA element builds an error value.
		if e.IsNA() {
			vals[i] = 0
			f.set(i, false)
			continue
		}
		v, _ := e.Int()
		vals[i] = int64(v)
		f.set(i, true)
	}
	return f.finish(arrow.PrimitiveTypes.Int64, n)
}

func fromFloats(df gotadf.DataFrame, c, n int, mem memory.Allocator) arrow.Array {
	f := newFixedCol(mem, n*8, n)
	vals := arrow.Float64Traits.CastFromBytes(f.vals.Bytes())[:n]
	for i := range vals {
		// A gota Float element is NA exactly when Float() is NaN.
		v := df.Elem(i, c).Float()
		if v != v {
			vals[i] = 0
			f.set(i, false)
			continue
		}
		vals[i] = v
		f.set(i, true)
	}
	return f.finish(arrow.PrimitiveTypes.Float64, n)
}

func fromBools(df gotadf.DataFrame, c, n int, mem memory.Allocator) arrow.Array {
	f := newFixedCol(mem, int(bitutil.BytesForBits(int64(n))), n)
	vals := f.vals.Bytes()
	for i := 0; i < n; i++ {
		e := df.Elem(i, c)
		if e.IsNA() {
			bitutil.ClearBit(vals, i)
			f.set(i, false)
			continue
		}
		v, _ := e.Bool()
		bitutil.SetBitTo(vals, i, v)
		f.set(i, true)
	}
	return f.finish(arrow.FixedWidthTypes.Boolean, n)
}

func fromStrings(df gotadf.DataFrame, c, n int, mem memory.Allocator) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		e := df.Elem(i, c)
		if e.IsNA() {
			b.AppendNull()
			continue
		}
		b.Append(e.String())
	}
	return b.NewArray()
}
