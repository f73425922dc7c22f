package order

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Benchmark tables are built once per size and kept: building 10M rows
// costs more than sorting them.
var (
	benchMu     sync.Mutex
	benchTables = map[string]arrow.Record{}
)

func benchTable(name string, n int) arrow.Record {
	benchMu.Lock()
	defer benchMu.Unlock()
	key := fmt.Sprint(name, n)
	if rec, ok := benchTables[key]; ok {
		return rec
	}
	r := rand.New(rand.NewPCG(1, uint64(n)))
	mem := memory.DefaultAllocator
	var cols []arrow.Array
	switch name {
	case "float64":
		b := array.NewFloat64Builder(mem)
		b.Reserve(n)
		for range n {
			b.UnsafeAppend(r.Float64())
		}
		cols = append(cols, b.NewArray())
	case "int64-100k":
		b := array.NewInt64Builder(mem)
		b.Reserve(n)
		for range n {
			b.UnsafeAppend(r.Int64N(100_000) * 7919)
		}
		cols = append(cols, b.NewArray())
	case "dict100-int64":
		db := array.NewStringBuilder(mem)
		for i := range 100 {
			db.Append(fmt.Sprintf("id%03d", (i*37)%100))
		}
		dict := db.NewArray()
		ib := array.NewInt32Builder(mem)
		b := array.NewInt64Builder(mem)
		ib.Reserve(n)
		b.Reserve(n)
		for range n {
			ib.UnsafeAppend(int32(r.IntN(100)))
			b.UnsafeAppend(r.Int64N(100_000))
		}
		codes := ib.NewArray()
		cols = append(cols, array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, codes, dict), b.NewArray())
	}
	rec := record(cols...)
	benchTables[key] = rec
	return rec
}

func benchIndices(b *testing.B, rec arrow.Record, keys []Key) {
	b.ReportAllocs()
	b.SetBytes(rec.NumRows() * 8)
	b.ResetTimer()
	for range b.N {
		if _, err := Indices(rec, keys); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rec.NumRows()), "ns/row")
}

func BenchmarkIndicesFloat64_1M(b *testing.B) {
	benchIndices(b, benchTable("float64", 1_000_000), []Key{{Column: "a"}})
}

func BenchmarkIndicesFloat64_10M(b *testing.B) {
	benchIndices(b, benchTable("float64", 10_000_000), []Key{{Column: "a"}})
}

func BenchmarkIndicesInt64Distinct100k_10M(b *testing.B) {
	benchIndices(b, benchTable("int64-100k", 10_000_000), []Key{{Column: "a"}})
}

func BenchmarkIndicesDictInt64_10M(b *testing.B) {
	benchIndices(b, benchTable("dict100-int64", 10_000_000), []Key{{Column: "a"}, {Column: "b", Descending: true}})
}

func benchTopK(b *testing.B, k int) {
	rec := benchTable("float64", 10_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := TopK(rec, []Key{{Column: "a", Descending: true}}, k); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rec.NumRows()), "ns/row")
}

func BenchmarkTopK2_10M(b *testing.B)    { benchTopK(b, 2) }
func BenchmarkTopK1000_10M(b *testing.B) { benchTopK(b, 1000) }
