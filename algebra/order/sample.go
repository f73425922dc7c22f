package order

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// The two halves of a sample sort: every partition contributes Sample of
// its key, Splitters turns the concatenated samples into the bounds of a
// partition.RangeSplit, and each range partition is then sorted alone.

// Sample returns up to m non-null values of column key of rec, spread
// evenly over its non-null rows (the j-th of m is the value at the middle
// of the j-th m-quantile of those rows), in row order. NaN counts as null.
// A dictionary column is sampled as plain values of its value type, so
// samples of partitions with different dictionaries concatenate. The array
// is allocated from mem (nil: memory.DefaultAllocator) and owned by the
// caller, who must Release it. Errors are those of Indices, and
// ErrArgument for m < 0.
func Sample(rec arrow.Record, key string, m int, mem memory.Allocator) (arrow.Array, error) {
	if m < 0 {
		return nil, fmt.Errorf("%w: sample of %d values", ErrArgument, m)
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	cols, err := resolve(rec, []Key{{Column: key}})
	if err != nil {
		return nil, err
	}
	i, _ := columnIndex(rec.Schema(), key)
	src, entry := rows(rec.Column(i), cols[0])
	var live []uint32 // source positions of the non-null rows
	for _, e := range entry {
		if e != nullRank {
			live = append(live, e)
		}
	}
	c := len(live)
	picks := make([]int, 0, min(m, c))
	for j := range min(m, c) {
		picks = append(picks, int(live[(2*j+1)*c/(2*min(m, c))]))
	}
	return take(src, picks, mem)
}

// rows returns the array holding col's values (its dictionary, for a
// dictionary column) and, for every row, the position of its value there,
// or nullRank for a null or NaN.
func rows(col arrow.Array, d arrow.ArrayData) (arrow.Array, []uint32) {
	n := d.Len()
	if dict, ok := col.(*array.Dictionary); ok {
		dd := dict.Dictionary()
		_, de := rows(dd, dd.Data())
		pos := make([]uint32, n)
		mapCodes(d, de, pos)
		return dd, pos
	}
	pos := make([]uint32, n)
	for i := range pos {
		pos[i] = uint32(i)
	}
	switch {
	case kindOf(d.DataType()) == kindNumeric && nullable(d):
		ord := make([]uint64, chunk)
		null := make([]bool, chunk)
		for lo := 0; lo < n; lo += chunk {
			hi := min(lo+chunk, n)
			fillOrd(d, lo, hi, ord, null)
			for i, isNull := range null[:hi-lo] {
				if isNull {
					pos[lo+i] = nullRank
				}
			}
		}
	case validBits(d) != nil:
		valid := validBits(d)
		for i := range pos {
			if !bitSet(valid, d.Offset()+i) {
				pos[i] = nullRank
			}
		}
	}
	return col, pos
}

// take copies rows picks of src into a new array; it serves a few hundred
// values at most, so it slices and concatenates rather than typed loops.
func take(src arrow.Array, picks []int, mem memory.Allocator) (arrow.Array, error) {
	if len(picks) == 0 {
		return array.MakeArrayOfNull(mem, src.DataType(), 0), nil
	}
	parts := make([]arrow.Array, len(picks))
	for j, p := range picks {
		parts[j] = array.NewSlice(src, int64(p), int64(p+1))
	}
	defer func() {
		for _, a := range parts {
			a.Release()
		}
	}()
	out, err := array.Concatenate(parts, mem)
	if err != nil {
		return nil, fmt.Errorf("order: take %d values: %w", len(picks), err)
	}
	return out, nil
}

// Splitters returns the n-1 bounds of an n-way range shuffle from the
// concatenated samples of every partition: the samples' n-quantiles, with
// nulls and NaN dropped, sorted ascending (descending if desc), so that
// partition.RangeSplit(key, splitters, desc, mem) sends near-equal numbers
// of rows to each output. They have the samples' type, or the value type
// for dictionary samples (plain strings for dictionary<string>), as
// RangeSplit accepts. With no non-null samples there is nothing to split
// on, and Splitters returns an empty array: a one-way shuffle. Equal
// splitters are possible (a frequent value) and leave a range empty.
//
// The array is allocated from mem (nil: memory.DefaultAllocator) and owned
// by the caller, who must Release it. n < 1 is an error wrapping
// ErrArgument, an unsupported type one wrapping ErrType.
func Splitters(samples arrow.Array, n int, desc bool, mem memory.Allocator) (arrow.Array, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: %d partitions", ErrArgument, n)
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if kindOf(samples.DataType()) == kindNone {
		return nil, fmt.Errorf("%w %s of the samples", ErrType, samples.DataType())
	}
	d := samples.Data()
	perm := sortData([]arrow.ArrayData{d}, []Key{{Descending: desc}}, d.Len())
	src, entry := rows(samples, d)
	c := 0
	for _, e := range entry {
		if e != nullRank {
			c++
		}
	}
	if c == 0 {
		return take(src, nil, mem)
	}
	// Nulls sorted last, so perm[:c] are the non-null samples in order.
	picks := make([]int, n-1)
	for b := 1; b < n; b++ {
		picks[b-1] = int(entry[perm[b*c/n]])
	}
	return take(src, picks, mem)
}
