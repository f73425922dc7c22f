package partition

// Benchmarks of the shuffle's hot loops. Run:
//
//	go test -run '^$' -bench 'HashColumns|HashSplit' -benchmem ./partition/
//
// What a CPU profile of BenchmarkHashSplit/key=id taught (go test -run '^$'
// -bench HashSplit/key=id -benchtime 100x -cpuprofile; 1M rows of int64,
// float64 with 1% nulls, 8-16 byte strings, dictionary strings; nout 8; a
// 2-core VM, about 30 ms a split):
//
//   - The string column is nearly half the kernel. At first each row's
//     bytes went through copy(), and runtime.memmove's call overhead for
//     ~12-byte strings was 60% of scatterVarBytes. Strings of up to 16
//     bytes now move as one [16]byte copy into buffers given 16 bytes of
//     slack; scatterVarBytes fell from 1.58 s to 1.33 s of samples, and
//     what remains is the store itself, missing cache on eight output
//     streams.
//   - The fixed-width scatter (scatterValues, about 3 ns a value) is bound
//     by memory traffic, not instructions: per value it reads the value,
//     dest and pos and writes one slot. Reading dest and pos again for
//     every column is the next thing to cut (cache-blocking rows across
//     columns) if shuffles of wide tables need it.
//   - runtime.memclrNoHeapPointers, about a tenth, is the Go allocator
//     zeroing every new buffer; the scatter needs zeroed memory only for
//     the bitmaps, which it clears itself, so a non-zeroing allocator
//     removes it.
//   - Hashing is small beside the copy: one int64 key costs about 1.3 ns a
//     row, a dictionary key about 0.5 ns (one load once the dictionary's
//     1000 entries are hashed), a short string key about 4 ns.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

const benchRows = 1 << 20

var benchSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String},
	{Name: "d", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}},
}, nil)

// benchRecord builds n rows: a random int64 key, a float with 1% nulls,
// strings of 8 to 16 bytes, and a dictionary of 1000 strings.
func benchRecord(mem memory.Allocator, n int) arrow.Record {
	rng := rand.New(rand.NewPCG(1, 2))
	b := array.NewRecordBuilder(mem, benchSchema)
	defer b.Release()
	ids := b.Field(0).(*array.Int64Builder)
	xs := b.Field(1).(*array.Float64Builder)
	ss := b.Field(2).(*array.StringBuilder)
	ds := b.Field(3).(*array.BinaryDictionaryBuilder)
	for i := range n {
		ids.Append(rng.Int64N(int64(n)))
		if rng.IntN(100) == 0 {
			xs.AppendNull()
		} else {
			xs.Append(rng.Float64())
		}
		ss.Append(fmt.Sprintf("str-%0*d", 4+rng.IntN(9), i))
		if err := ds.AppendString(fmt.Sprint("category-", rng.IntN(1000))); err != nil {
			panic(err)
		}
	}
	return b.NewRecord()
}

func BenchmarkHashColumns(b *testing.B) {
	mem := memory.NewGoAllocator()
	rec := benchRecord(mem, benchRows)
	defer rec.Release()
	out := make([]uint64, benchRows)
	for _, c := range []struct {
		name  string
		keys  []int
		bytes int64 // key bytes read per row
	}{
		{"int64", []int{0}, 8},
		{"dict", []int{3}, 4},
		{"string", []int{2}, 0},
		{"int64+dict", []int{0, 3}, 12},
	} {
		b.Run(c.name, func(b *testing.B) {
			bytes := c.bytes * benchRows
			if bytes == 0 {
				bytes = int64(rec.Column(2).Data().Buffers()[2].Len() + 4*benchRows)
			}
			b.SetBytes(bytes)
			b.ReportAllocs()
			for b.Loop() {
				if err := HashColumns(rec, c.keys, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHashSplit(b *testing.B) {
	mem := memory.NewGoAllocator()
	rec := benchRecord(mem, benchRows)
	defer rec.Release()
	ctx := context.Background()
	for _, keys := range [][]string{{"id"}, {"d"}} {
		b.Run(fmt.Sprint("key=", keys[0]), func(b *testing.B) {
			k := HashSplit(keys, mem)
			b.SetBytes(benchBytes(rec))
			b.ReportAllocs()
			for b.Loop() {
				out, err := k.Fn(ctx, []arrow.Record{rec}, 8)
				if err != nil {
					b.Fatal(err)
				}
				ktRelease(out)
			}
		})
	}
}

// benchBytes sums the buffers of rec's columns and their dictionaries (not
// MetaOf, which panics on columns without a dictionary until partition.go
// is fixed).
func benchBytes(rec arrow.Record) int64 {
	var n int64
	var data func(d arrow.ArrayData)
	data = func(d arrow.ArrayData) {
		for _, b := range d.Buffers() {
			if b != nil {
				n += int64(b.Len())
			}
		}
		for _, c := range d.Children() {
			data(c)
		}
		if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
			data(dict)
		}
	}
	for _, c := range rec.Columns() {
		data(c.Data())
	}
	return n
}
