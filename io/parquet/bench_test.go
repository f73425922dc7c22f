package parquet

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// benchFile writes 1<<20 rows of allSchema in row groups of 1<<17.
func benchFile(b *testing.B) (string, int64) {
	rec := allRecord(memory.DefaultAllocator, 0, 1<<20, 7)
	defer rec.Release()
	path := filepath.Join(b.TempDir(), "bench.parquet")
	if err := Write(context.Background(), path, []arrow.Record{rec}, WriteOptions{RowGroupRows: 1 << 17}); err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, c := range rec.Columns() {
		for _, buf := range c.Data().Buffers() {
			if buf != nil {
				size += int64(buf.Len())
			}
		}
	}
	return path, size
}

// BenchmarkRead compares the fast path with pqarrow alone on the same file,
// side by side: go test -run '^$' -bench Read -benchtime 10x ./io/parquet
func BenchmarkRead(b *testing.B) {
	path, size := benchFile(b)
	for _, mode := range []struct {
		name string
		fast bool
	}{{"fast", true}, {"pqarrow", false}} {
		b.Run(mode.name, func(b *testing.B) {
			useFastPath = mode.fast
			defer func() { useFastPath = true }()
			b.SetBytes(size)
			b.ReportAllocs()
			for range b.N {
				res, err := Read(context.Background(), path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	rec := allRecord(memory.DefaultAllocator, 0, 1<<20, 7)
	defer rec.Release()
	var size int64
	for _, c := range rec.Columns() {
		for _, buf := range c.Data().Buffers() {
			if buf != nil {
				size += int64(buf.Len())
			}
		}
	}
	path := filepath.Join(b.TempDir(), "bench.parquet")
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := Write(context.Background(), path, []arrow.Record{rec}, WriteOptions{RowGroupRows: 1 << 17}); err != nil {
			b.Fatal(err)
		}
	}
}
