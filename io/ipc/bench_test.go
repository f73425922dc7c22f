package ipc

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// benchRecords is 64 batches of 16384 rows of allTypes.
func benchRecords(b *testing.B) ([]arrow.Record, int64) {
	var recs []arrow.Record
	var size int64
	for i := 0; i < 64; i++ {
		r := makeRecord(b, memory.DefaultAllocator, i*16384, 16384)
		recs = append(recs, r)
		for _, c := range r.Columns() {
			for _, buf := range c.Data().Buffers() {
				if buf != nil {
					size += int64(buf.Len())
				}
			}
		}
	}
	return recs, size
}

func BenchmarkReadFile(b *testing.B) {
	for _, comp := range []string{"none", "lz4", "zstd"} {
		b.Run(comp, func(b *testing.B) {
			recs, size := benchRecords(b)
			path := filepath.Join(b.TempDir(), "b.arrow")
			if err := WriteFile(context.Background(), path, recs, WriteOptions{Compression: comp}); err != nil {
				b.Fatal(err)
			}
			release(recs)
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := ReadFile(context.Background(), path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
			}
		})
	}
}

func BenchmarkWriteFile(b *testing.B) {
	for _, comp := range []string{"none", "lz4", "zstd"} {
		b.Run(comp, func(b *testing.B) {
			recs, size := benchRecords(b)
			defer release(recs)
			path := filepath.Join(b.TempDir(), "b.arrow")
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := WriteFile(context.Background(), path, recs, WriteOptions{Compression: comp}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			st, _ := os.Stat(path)
			b.ReportMetric(float64(st.Size())/float64(size), "ratio")
		})
	}
}

func BenchmarkReadStream(b *testing.B) {
	recs, size := benchRecords(b)
	var buf bytes.Buffer
	if err := WriteStream(context.Background(), &buf, recs, WriteOptions{Compression: "lz4"}); err != nil {
		b.Fatal(err)
	}
	release(recs)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := ReadStream(context.Background(), bytes.NewReader(buf.Bytes()), "b", Options{})
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}
