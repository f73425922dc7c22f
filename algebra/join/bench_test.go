package join

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// H2O join shapes: a 10M-row left side against right sides of 100, 10k
// and 10M unique keys. Tables are built once and kept.
var (
	benchMu     sync.Mutex
	benchTables = map[string]arrow.Record{}
)

// intTable returns a record of n int64 keys: unique (a permutation of
// [0, n)) or drawn from [0, distinct).
func intTable(n, distinct int, unique bool) arrow.Record {
	benchMu.Lock()
	defer benchMu.Unlock()
	name := fmt.Sprint("int", n, distinct, unique)
	if rec, ok := benchTables[name]; ok {
		return rec
	}
	r := rand.New(rand.NewPCG(uint64(n), uint64(distinct)))
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.Reserve(n)
	if unique {
		for _, v := range r.Perm(n) {
			b.UnsafeAppend(int64(v))
		}
	} else {
		for range n {
			b.UnsafeAppend(r.Int64N(int64(distinct)))
		}
	}
	rec := record("k", b.NewArray())
	b.Release()
	benchTables[name] = rec
	return rec
}

// dictTable returns n dictionary<int32, utf8> keys over distinct strings,
// each side with its own dictionary order.
func dictTable(n, distinct int, seed uint64) arrow.Record {
	benchMu.Lock()
	defer benchMu.Unlock()
	name := fmt.Sprint("dict", n, distinct, seed)
	if rec, ok := benchTables[name]; ok {
		return rec
	}
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	db := array.NewStringBuilder(memory.DefaultAllocator)
	for _, v := range r.Perm(distinct) {
		db.Append(fmt.Sprintf("id%09d", v))
	}
	dict := db.NewArray()
	db.Release()
	ib := array.NewInt32Builder(memory.DefaultAllocator)
	ib.Reserve(n)
	if n == distinct {
		for _, v := range r.Perm(n) {
			ib.UnsafeAppend(int32(v))
		}
	} else {
		for range n {
			ib.UnsafeAppend(int32(r.IntN(distinct)))
		}
	}
	codes := ib.NewArray()
	ib.Release()
	rec := record("k", array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, codes, dict))
	codes.Release()
	dict.Release()
	benchTables[name] = rec
	return rec
}

func benchJoin(b *testing.B, left, right arrow.Record, kind Kind) {
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, _, err := Indices(left, right, []string{"k"}, []string{"k"}, kind); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(left.NumRows()), "ns/leftrow")
}

func BenchmarkInner10Mx100(b *testing.B) {
	benchJoin(b, intTable(10_000_000, 100, false), intTable(100, 100, true), Inner)
}

func BenchmarkInner10Mx10k(b *testing.B) {
	benchJoin(b, intTable(10_000_000, 10_000, false), intTable(10_000, 10_000, true), Inner)
}

func BenchmarkInner10Mx10M(b *testing.B) {
	benchJoin(b, intTable(10_000_000, 10_000_000, false), intTable(10_000_000, 10_000_000, true), Inner)
}

func BenchmarkLeft10Mx10k(b *testing.B) {
	benchJoin(b, intTable(10_000_000, 20_000, false), intTable(10_000, 10_000, true), Left)
}

func BenchmarkInnerDict10Mx10k(b *testing.B) {
	benchJoin(b, dictTable(10_000_000, 10_000, 1), dictTable(10_000, 10_000, 2), Inner)
}

func BenchmarkOuter1Mx1M(b *testing.B) {
	benchJoin(b, intTable(1_000_000, 2_000_000, false), intTable(1_000_000, 1_000_000, true), Outer)
}
