package order

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// randomColumn returns a column of n rows of a random supported type, with
// random nulls, few or many distinct values, and sometimes a slice offset.
func randomColumn(r *rand.Rand, mem memory.Allocator, n int) arrow.Array {
	pad := 0
	if r.IntN(2) == 0 {
		pad = r.IntN(5)
	}
	total := n + 2*pad
	nullRate := []float64{0, 0, 0.1, 0.5}[r.IntN(4)]
	distinct := []int{2, 10, 1000, 1 << 30}[r.IntN(4)]
	valid := make([]bool, total)
	for i := range valid {
		valid[i] = r.Float64() >= nullRate
	}
	words := []string{"", "a", "ab", "b", "ba", "B", "zz", "é", "a\x00"}
	word := func() string {
		if distinct <= len(words) {
			return words[r.IntN(min(distinct, len(words)))]
		}
		return fmt.Sprint(r.IntN(distinct))
	}
	var b array.Builder
	switch r.IntN(12) {
	case 0:
		bb := array.NewInt64Builder(mem)
		for range total {
			bb.Append(r.Int64N(int64(distinct)) - int64(distinct)/2)
		}
		b = bb
	case 1:
		bb := array.NewInt64Builder(mem)
		for range total {
			bb.Append(int64(r.Uint64()))
		}
		b = bb
	case 2:
		bb := array.NewInt32Builder(mem)
		for range total {
			bb.Append(int32(r.IntN(distinct)) - int32(distinct/2))
		}
		b = bb
	case 3:
		bb := array.NewUint64Builder(mem)
		for range total {
			bb.Append(r.Uint64() >> uint(r.IntN(64)))
		}
		b = bb
	case 4:
		bb := array.NewFloat64Builder(mem)
		specials := []float64{math.NaN(), math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1)}
		for range total {
			if r.IntN(8) == 0 {
				bb.Append(specials[r.IntN(len(specials))])
			} else {
				bb.Append(float64(r.IntN(distinct)) / 4 * float64(1-2*r.IntN(2)))
			}
		}
		b = bb
	case 5:
		bb := array.NewFloat32Builder(mem)
		for range total {
			bb.Append(float32(r.NormFloat64()))
		}
		b = bb
	case 6:
		bb := array.NewStringBuilder(mem)
		for range total {
			bb.Append(word())
		}
		b = bb
	case 7:
		bb := array.NewLargeStringBuilder(mem)
		for range total {
			bb.Append(word())
		}
		b = bb
	case 8:
		// A dictionary with repeated and null entries, so equal values have
		// several codes.
		dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}
		db := array.NewStringBuilder(mem)
		m := 1 + r.IntN(20)
		for range m {
			if r.IntN(10) == 0 {
				db.AppendNull()
			} else {
				db.Append(words[r.IntN(len(words))])
			}
		}
		dict := db.NewArray()
		db.Release()
		ib := array.NewInt16Builder(mem)
		for i := range total {
			if valid[i] {
				ib.Append(int16(r.IntN(m)))
			} else {
				ib.AppendNull()
			}
		}
		codes := ib.NewArray()
		ib.Release()
		full := array.NewDictionaryArray(dt, codes, dict)
		codes.Release()
		dict.Release()
		defer full.Release()
		return array.NewSlice(full, int64(pad), int64(pad+n))
	case 9:
		bb := array.NewBooleanBuilder(mem)
		for range total {
			bb.Append(r.IntN(2) == 0)
		}
		b = bb
	case 10:
		bb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Millisecond})
		for range total {
			bb.Append(arrow.Timestamp(r.Int64N(int64(distinct))))
		}
		b = bb
	default:
		bb := array.NewDate32Builder(mem)
		for range total {
			bb.Append(arrow.Date32(r.IntN(distinct) - distinct/2))
		}
		b = bb
	}
	defer b.Release()
	full := b.NewArray()
	defer full.Release()
	// Apply the nulls by rebuilding the validity through a slice-aware
	// copy: simplest is to null rows by concatenating with nulls.
	withNulls := applyNulls(mem, full, valid)
	defer withNulls.Release()
	return array.NewSlice(withNulls, int64(pad), int64(pad+n))
}

// applyNulls returns a copy of a in which rows with !valid[i] are null.
func applyNulls(mem memory.Allocator, a arrow.Array, valid []bool) arrow.Array {
	parts := make([]arrow.Array, 0, len(valid))
	null := array.MakeArrayOfNull(mem, a.DataType(), 1)
	defer null.Release()
	for i, ok := range valid {
		if ok {
			parts = append(parts, array.NewSlice(a, int64(i), int64(i+1)))
		} else {
			null.Retain()
			parts = append(parts, null)
		}
	}
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	if len(parts) == 0 {
		return array.NewSlice(a, 0, 0)
	}
	out, err := array.Concatenate(parts, mem)
	if err != nil {
		panic(err)
	}
	return out
}

func TestIndicesProperty(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for iter := range 300 {
		n := r.IntN(40)
		if iter%10 == 0 {
			n = r.IntN(3000)
		}
		ncol := 1 + r.IntN(8)
		cols := make([]arrow.Array, ncol)
		for j := range cols {
			cols[j] = randomColumn(r, mem, n)
		}
		rec := record(cols...)
		defer rec.Release()
		keys := make([]Key, 1+r.IntN(ncol))
		for j := range keys {
			keys[j] = Key{Column: string(rune('a' + r.IntN(ncol))), Descending: r.IntN(2) == 0, NullsFirst: r.IntN(2) == 0}
		}
		want := naiveIndices(rec, keys)
		got, err := Indices(rec, keys)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d iter %d keys %v on\n%v\nIndices = %v\nwant      %v", seed, iter, keys, rec, got, want)
		}
		k := r.IntN(n + 2)
		top, err := TopK(rec, keys, k)
		if err != nil {
			t.Fatal(err)
		}
		if w := want[:min(k, n)]; !slices.Equal(top, w) {
			t.Fatalf("seed %d iter %d keys %v on\n%v\nTopK(%d) = %v\nwant %v", seed, iter, keys, rec, k, top, w)
		}
	}
}
