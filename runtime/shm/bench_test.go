package shm

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pierrec/lz4/v4"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/math"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// benchRows rows of benchRecord make about 100 MB (20 bytes a row).
const benchRows = 5_000_000

// benchRecord is a typical partition: a sequential key, a low-cardinality
// group column and a measured value. It compresses, as real data does.
func benchRecord(rows int) arrow.Record {
	ids := make([]int64, rows)
	groups := make([]int32, rows)
	vals := make([]float64, rows)
	for i := range rows {
		ids[i] = int64(i)
		groups[i] = int32(i % 1000)
		vals[i] = float64(i%100) / 4
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "group", Type: arrow.PrimitiveTypes.Int32},
		{Name: "v", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	cols := []arrow.Array{
		array.NewInt64Data(array.NewData(arrow.PrimitiveTypes.Int64, rows, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(ids))}, nil, 0, 0)),
		array.NewInt32Data(array.NewData(arrow.PrimitiveTypes.Int32, rows, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(groups))}, nil, 0, 0)),
		array.NewFloat64Data(array.NewData(arrow.PrimitiveTypes.Float64, rows, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Float64Traits.CastToBytes(vals))}, nil, 0, 0)),
	}
	rec := array.NewRecord(schema, cols, int64(rows))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// benchStore opens a store in /dev/shm (the default root), as a node does.
func benchStore(b *testing.B) *Store {
	s, err := Open(Options{Node: "bench", SpillRoot: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func reportGBps(b *testing.B, size int64, elapsed time.Duration) {
	b.ReportMetric(float64(size)*float64(b.N)/elapsed.Seconds()/1e9, "GB/s")
}

// BenchmarkGetRecordOtherProcess: a child process puts a 100 MB record;
// this process gets it through the daemon's socket as an arrow.Record
// (zero copy: pin, map, slice the buffers) and releases it. "read" also
// sums two of the three columns, touching every page of them; "populated"
// maps every page up front (Client.Populating).
func BenchmarkGetRecordOtherProcess(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	sock := startDaemon(b, s)
	id := NewID()
	if out, err := child(b, sock, "putbench", id); err != nil || out != "ok" {
		b.Fatalf("putbench child: %q, %v", out, err)
	}
	c := dial(b, sock)
	size := stat2(b, s, id).Size
	for _, bc := range []struct {
		name           string
		read, populate bool
	}{{"get", false, false}, {"get+read", true, false}, {"populated/get+read", true, true}} {
		c := c
		if bc.populate {
			c = c.Populating()
		}
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				rec, err := c.GetRecord(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				if bc.read {
					ids := rec.Column(0).(*array.Int64)
					vs := rec.Column(2).(*array.Float64)
					if math.Int64.Sum(ids) != int64(benchRows)*(benchRows-1)/2 || math.Float64.Sum(vs) < 0 {
						b.Fatal("wrong sum")
					}
				}
				rec.Release()
			}
			reportGBps(b, size, time.Since(start))
		})
	}
}

func stat2(b *testing.B, s *Store, id ID) ObjectInfo {
	info, err := s.Stat(id)
	if err != nil {
		b.Fatal(err)
	}
	return info
}

// BenchmarkPullLoopback: one store pulls a 100 MB object from another over
// a gRPC stream on loopback TCP: an Arrow record (compressible) and random
// bytes (sent raw).
func BenchmarkPullLoopback(b *testing.B) {
	ctx := context.Background()
	src := benchStore(b)
	dst := benchStore(b)
	conn := startTransfer(b, src)
	sc := src.Client()
	defer sc.Close()

	arrowID := NewID()
	rec := benchRecord(benchRows)
	if err := sc.PutRecord(ctx, arrowID, rec); err != nil {
		b.Fatal(err)
	}
	rec.Release()
	randomID := NewID()
	random := make([]byte, stat2(b, src, arrowID).Size)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(random)
	if err := sc.Put(ctx, randomID, random); err != nil {
		b.Fatal(err)
	}

	for _, bc := range []struct {
		name string
		id   ID
	}{{"arrow", arrowID}, {"random", randomID}} {
		b.Run(bc.name, func(b *testing.B) {
			size := stat2(b, src, bc.id).Size
			b.SetBytes(size)
			b.ReportAllocs()
			before := src.Stats()
			var elapsed time.Duration
			for b.Loop() {
				start := time.Now()
				if err := dst.Pull(ctx, conn, bc.id); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				if err := dst.Delete(bc.id); err != nil {
					b.Fatal(err)
				}
			}
			reportGBps(b, size, elapsed)
			st := src.Stats()
			b.ReportMetric(float64(st.SentWireBytes-before.SentWireBytes)/float64(st.SentBytes-before.SentBytes), "wire/raw")
		})
	}
}

// BenchmarkLZ4Chunk compares pierrec/lz4's block compressors on one chunk
// of benchRecord's IPC stream and of random bytes, and decompression; it
// chose the compressor Pull uses.
func BenchmarkLZ4Chunk(b *testing.B) {
	ctx := context.Background()
	s := newStore(b, Options{})
	c := newClient(b, s)
	rec := benchRecord(200_000)
	defer rec.Release()
	id := NewID()
	if err := c.PutRecord(ctx, id, rec); err != nil {
		b.Fatal(err)
	}
	data, release, err := c.Get(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	defer release()
	dst := make([]byte, lz4.CompressBlockBound(ChunkSize))
	for _, tc := range []struct {
		name string
		src  []byte
	}{{"arrow", data[ChunkSize : 2*ChunkSize]}, {"random", randomBytes(ChunkSize, 1)}} {
		compressors := []struct {
			name     string
			compress func(src, dst []byte) (int, error)
		}{
			{"fast", new(lz4.Compressor).CompressBlock},
			{"ccompat", new(lz4.CompressorCCompat).CompressBlock},
		}
		for _, z := range compressors {
			b.Run(tc.name+"/"+z.name, func(b *testing.B) {
				b.SetBytes(ChunkSize)
				n := 0
				for b.Loop() {
					n, _ = z.compress(tc.src, dst[:ChunkSize*compressedMax8ths/8])
				}
				b.ReportMetric(float64(n)/ChunkSize, "ratio")
			})
		}
		b.Run(tc.name+"/decompress", func(b *testing.B) {
			n, err := new(lz4.Compressor).CompressBlock(tc.src, dst)
			if err != nil {
				b.Fatal(err)
			}
			out := make([]byte, ChunkSize)
			b.SetBytes(ChunkSize)
			for b.Loop() {
				if _, err := lz4.UncompressBlock(dst[:n], out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
