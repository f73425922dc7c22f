package vec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

const benchRows = 1 << 20

func benchInts(n int, seed uint64) arrow.Array {
	r := rand.New(rand.NewPCG(seed, 1))
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(n)
	for range n {
		b.UnsafeAppend(r.Int64N(1000))
	}
	return b.NewArray()
}

func benchFloats(n int, seed uint64) arrow.Array {
	r := rand.New(rand.NewPCG(seed, 2))
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(n)
	for range n {
		b.UnsafeAppend(r.Float64())
	}
	return b.NewArray()
}

func benchBools(n int, seed uint64) *array.Boolean {
	r := rand.New(rand.NewPCG(seed, 3))
	b := array.NewBooleanBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(n)
	for range n {
		b.UnsafeAppend(r.IntN(2) == 0)
	}
	return b.NewBooleanArray()
}

// benchRecord: int64, float64, string (8-12 bytes) and dictionary<int32,
// string> over 1000 values.
func benchRecord(n int) arrow.Record {
	r := rand.New(rand.NewPCG(4, 4))
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	defer sb.Release()
	db := array.NewDictionaryBuilder(memory.DefaultAllocator, dictOf(i32)).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	for range n {
		sb.Append(fmt.Sprintf("value-%05d", r.IntN(100000)))
		db.AppendString(fmt.Sprintf("key-%d", r.IntN(1000)))
	}
	cols := []arrow.Array{benchInts(n, 5), benchFloats(n, 6), sb.NewArray(), db.NewArray()}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: i64}, {Name: "f", Type: f64}, {Name: "s", Type: str}, {Name: "d", Type: dictOf(i32)},
	}, nil)
	rec := array.NewRecord(schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

func BenchmarkAddInt64(b *testing.B) {
	x, y := benchInts(benchRows, 1), benchInts(benchRows, 2)
	defer x.Release()
	defer y.Release()
	b.SetBytes(benchRows * 8 * 2)
	b.ReportAllocs()
	for b.Loop() {
		out, err := Arith(Add, ArrayOf(x), ArrayOf(y), nil)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkMulFloat64Scalar(b *testing.B) {
	x := benchFloats(benchRows, 1)
	defer x.Release()
	b.SetBytes(benchRows * 8)
	b.ReportAllocs()
	for b.Loop() {
		out, err := Arith(Mul, ArrayOf(x), ScalarOf(Float64(1.5)), nil)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkCompareFloat64Scalar(b *testing.B) {
	x := benchFloats(benchRows, 1)
	defer x.Release()
	b.SetBytes(benchRows * 8)
	b.ReportAllocs()
	for b.Loop() {
		out, err := Compare(Lt, ArrayOf(x), ScalarOf(Float64(0.5)), nil)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkAnd(b *testing.B) {
	x, y := benchBools(benchRows, 1), benchBools(benchRows, 2)
	defer x.Release()
	defer y.Release()
	b.SetBytes(benchRows / 8 * 2)
	b.ReportAllocs()
	for b.Loop() {
		out, err := And(ArrayOf(x), ArrayOf(y), nil)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkFilterRecord(b *testing.B) {
	rec := benchRecord(benchRows)
	defer rec.Release()
	mask := benchBools(benchRows, 7) // about 50% true
	defer mask.Release()
	b.ReportAllocs()
	for b.Loop() {
		out, err := Filter(rec, mask, nil)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkTakeRecord(b *testing.B) {
	rec := benchRecord(benchRows)
	defer rec.Release()
	r := rand.New(rand.NewPCG(8, 8))
	idx := make([]int64, benchRows)
	for i := range idx {
		idx[i] = r.Int64N(benchRows)
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := Take(rec, idx, nil)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}
