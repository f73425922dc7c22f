package objstore

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// BenchmarkPendingSealGetRelease is the runtime's per-task path: one result
// object created, sealed, read and freed.
func BenchmarkPendingSealGetRelease(b *testing.B) {
	for _, bc := range []struct {
		name     string
		capacity int64
	}{{"unlimited", 0}, {"capacity", 1 << 30}} {
		b.Run(bc.name, func(b *testing.B) {
			s := newStore(b, Options{Capacity: bc.capacity})
			ctx := context.Background()
			var v any = 42 // boxed once: the runtime's values come boxed
			b.ReportAllocs()
			for b.Loop() {
				id := s.NewPending()
				if err := s.Seal(id, v, nil); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Get(ctx, id); err != nil {
					b.Fatal(err)
				}
				s.Release(id)
			}
		})
		b.Run(bc.name+"/parallel", func(b *testing.B) {
			s := newStore(b, Options{Capacity: bc.capacity})
			var v any = 42
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id := s.NewPending()
					if err := s.Seal(id, v, nil); err != nil {
						b.Error(err)
						return
					}
					if _, err, _ := s.TryGet(id); err != nil {
						b.Error(err)
						return
					}
					s.Release(id)
				}
			})
		})
	}
}

// bigRecord makes a record of about 100 MB: a compressible int64 column and
// an incompressible float64 column.
func bigRecord(mem memory.Allocator) arrow.Record {
	const rows = 100 << 20 / 16
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64},
		{Name: "v", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	ks := bld.Field(0).(*array.Int64Builder)
	vs := bld.Field(1).(*array.Float64Builder)
	ks.Reserve(rows)
	vs.Reserve(rows)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range rows {
		ks.UnsafeAppend(int64(i % 1000))
		vs.UnsafeAppend(rng.Float64())
	}
	return bld.NewRecord()
}

// BenchmarkPutGet stores and reads a 100 MB record: zero-copy, so the cost
// is the bookkeeping, whatever the size.
func BenchmarkPutGet(b *testing.B) {
	rec := bigRecord(memory.DefaultAllocator)
	defer rec.Release()
	s := newStore(b, Options{})
	ctx := context.Background()
	b.SetBytes(SizeOf(rec))
	b.ReportAllocs()
	for b.Loop() {
		id, err := s.Put(rec)
		if err != nil {
			b.Fatal(err)
		}
		got, err := s.Get(ctx, id)
		if err != nil || got != rec {
			b.Fatal("Get did not return the record put", err)
		}
		s.Release(id)
	}
}

// BenchmarkSpillRestore writes a 100 MB record to a spill file and reads it
// back, as a spill and a restore do.
func BenchmarkSpillRestore(b *testing.B) {
	rec := bigRecord(memory.DefaultAllocator)
	defer rec.Release()
	size := SizeOf(rec)
	for _, c := range compressions {
		b.Run(c.String(), func(b *testing.B) {
			s := newStore(b, Options{Compression: c})
			s.spillMu.Lock()
			defer s.spillMu.Unlock()
			b.SetBytes(size)
			var id ID
			var fileBytes int64
			for b.Loop() {
				id++
				f, err := s.writeSpill(id, rec, size)
				if err != nil {
					b.Fatal(err)
				}
				v, err := s.readSpill(id, f, memory.DefaultAllocator)
				if err != nil {
					b.Fatal(err)
				}
				if v.(arrow.Record).NumRows() != rec.NumRows() {
					b.Fatal("rows lost")
				}
				v.(arrow.Record).Release()
				os.Remove(f.path)
				fileBytes = f.size
			}
			b.ReportMetric(float64(fileBytes)/float64(size), "ratio")
		})
	}
}

func BenchmarkSizeOf(b *testing.B) {
	rec := testRecord(memory.DefaultAllocator, 1000)
	defer rec.Release()
	for _, bc := range []struct {
		name string
		v    any
	}{
		{"int", any(12345)},
		{"string", any("hello")},
		{"[]float64", any(make([]float64, 100))},
		{"record", any(rec)},
		{"struct", any(point{Name: "p", Tags: []string{"a", "b"}, Counts: map[string]int{"x": 1}})},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				SizeOf(bc.v)
			}
		})
	}
}
