package h2o

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// recordBytes is the size of rec's buffers, dictionaries included.
func recordBytes(rec arrow.Record) int64 {
	var n int64
	var data func(d arrow.ArrayData)
	data = func(d arrow.ArrayData) {
		for _, b := range d.Buffers() {
			if b != nil {
				n += int64(b.Len())
			}
		}
		// Dictionary returns a typed nil when there is none.
		if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
			data(dict)
		}
	}
	for _, c := range rec.Columns() {
		data(c.Data())
	}
	return n
}

func benchmarkGroupBy(b *testing.B, n, na int, sorted bool) {
	mem := memory.NewGoAllocator()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rec, err := GroupBy(n, 100, na, sorted, uint64(i), mem)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.SetBytes(recordBytes(rec))
		}
		rec.Release()
	}
}

func BenchmarkGroupBy1e6(b *testing.B)       { benchmarkGroupBy(b, 1_000_000, 0, false) }
func BenchmarkGroupBy1e6NA5(b *testing.B)    { benchmarkGroupBy(b, 1_000_000, 5, false) }
func BenchmarkGroupBy1e6Sorted(b *testing.B) { benchmarkGroupBy(b, 1_000_000, 0, true) }

func BenchmarkJoin1e6(b *testing.B) {
	mem := memory.NewGoAllocator()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		x, small, medium, big, err := Join(1_000_000, uint64(i), mem)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.SetBytes(recordBytes(x) + recordBytes(small) + recordBytes(medium) + recordBytes(big))
		}
		x.Release()
		small.Release()
		medium.Release()
		big.Release()
	}
}

// csvFile writes G1 of n rows (k=100) to a file of b's temporary folder
// and returns its path and size.
func csvFile(b *testing.B, n int) (string, int64) {
	rec, err := GroupBy(n, 100, 0, false, 1, memory.NewGoAllocator())
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	path := filepath.Join(b.TempDir(), "g.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteCSV(f, rec); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Size()
}

func BenchmarkWriteCSV1e6(b *testing.B) {
	rec, err := GroupBy(1_000_000, 100, 0, false, 1, memory.NewGoAllocator())
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	var w countWriter
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w = 0
		if err := WriteCSV(&w, rec); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(w))
}

// countWriter counts and drops what is written to it.
type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

func BenchmarkReadGroupByCSV1e6(b *testing.B) {
	path, size := csvFile(b, 1_000_000)
	mem := memory.NewGoAllocator()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec, err := ReadGroupByCSV(path, mem)
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
}
