package groupby

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

const benchRows = 10_000_000

var (
	h2oOnce sync.Once
	h2oRec  arrow.Record
)

// h2o returns an H2O db-benchmark-like table of benchRows rows: id1, id2
// dictionaries of 100 strings, id3 of 100k, id4, id5 int64 in 1..100, id6
// int64 in 1..100000, v1 in 1..5, v2 in 1..15, v3 float64 in [0, 100).
func h2o() arrow.Record {
	h2oOnce.Do(func() {
		mem := memory.DefaultAllocator
		r := rand.New(rand.NewPCG(1, 2))
		dictOf := func(k int, format string) arrow.Array {
			b := array.NewStringBuilder(mem)
			defer b.Release()
			for i := 1; i <= k; i++ {
				b.Append(fmt.Sprintf(format, i))
			}
			return b.NewArray()
		}
		dictCol := func(d arrow.Array) arrow.Array {
			idx := make([]int32, benchRows)
			for i := range idx {
				idx[i] = int32(r.IntN(d.Len()))
			}
			ia := array.NewData(arrow.PrimitiveTypes.Int32, benchRows, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(idx))}, nil, 0, 0)
			ix := array.MakeFromData(ia)
			dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
			return array.NewDictionaryArray(dt, ix, d)
		}
		intCol := func(lo, hi int) arrow.Array {
			v := make([]int64, benchRows)
			for i := range v {
				v[i] = int64(lo + r.IntN(hi-lo+1))
			}
			return array.NewInt64Data(array.NewData(arrow.PrimitiveTypes.Int64, benchRows, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(v))}, nil, 0, 0))
		}
		v3 := make([]float64, benchRows)
		for i := range v3 {
			v3[i] = r.Float64() * 100
		}
		d100a, d100b, d100k := dictOf(100, "id%03d"), dictOf(100, "id%03d"), dictOf(100_000, "id%010d")
		cols := []col{
			{"id1", dictCol(d100a)}, {"id2", dictCol(d100b)}, {"id3", dictCol(d100k)},
			{"id4", intCol(1, 100)}, {"id5", intCol(1, 100)}, {"id6", intCol(1, 100_000)},
			{"v1", intCol(1, 5)}, {"v2", intCol(1, 15)},
			{"v3", array.NewFloat64Data(array.NewData(arrow.PrimitiveTypes.Float64, benchRows, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Float64Traits.CastToBytes(v3))}, nil, 0, 0))},
		}
		h2oRec = record(cols...)
	})
	return h2oRec
}

func benchAgg(b *testing.B, keys []string, aggs []Agg) {
	rec := h2o()
	opt := Options{Dropna: false, Sort: true} // as the H2O pandas script runs
	b.ReportAllocs()
	b.ResetTimer()
	var groups int64
	for range b.N {
		out, err := Aggregate(rec, keys, aggs, opt, memory.DefaultAllocator)
		if err != nil {
			b.Fatal(err)
		}
		groups = out.NumRows()
		out.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
	b.ReportMetric(float64(groups), "groups")
}

func BenchmarkQ1(b *testing.B) {
	benchAgg(b, []string{"id1"}, []Agg{{Func: Sum, Column: "v1", As: "v1"}})
}

func BenchmarkQ3(b *testing.B) {
	benchAgg(b, []string{"id3"}, []Agg{{Func: Sum, Column: "v1", As: "v1"}, {Func: Mean, Column: "v3", As: "v3"}})
}

func BenchmarkQ5(b *testing.B) {
	benchAgg(b, []string{"id6"}, []Agg{{Func: Sum, Column: "v1", As: "v1"}, {Func: Sum, Column: "v2", As: "v2"}, {Func: Sum, Column: "v3", As: "v3"}})
}

func BenchmarkQ6(b *testing.B) {
	benchAgg(b, []string{"id4", "id5"}, []Agg{{Func: Median, Column: "v3", As: "median_v3"}, {Func: Std, Column: "v3", DDof: 1, As: "sd_v3"}})
}

func BenchmarkQ10(b *testing.B) {
	benchAgg(b, []string{"id1", "id2", "id3", "id4", "id5", "id6"}, []Agg{{Func: Sum, Column: "v3", As: "v3"}, {Func: Size, As: "count"}})
}
