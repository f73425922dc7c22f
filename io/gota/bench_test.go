package gota

import (
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/go-gota/gota/series"
)

const benchRows = 1_000_000

// benchRecord is 1M rows × (int64, float64, utf8, bool), every 10th row null.
func benchRecord(mem memory.Allocator) arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		nullable("i", arrow.PrimitiveTypes.Int64),
		nullable("f", arrow.PrimitiveTypes.Float64),
		nullable("s", arrow.BinaryTypes.String),
		nullable("b", arrow.FixedWidthTypes.Boolean),
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	ib := b.Field(0).(*array.Int64Builder)
	fb := b.Field(1).(*array.Float64Builder)
	sb := b.Field(2).(*array.StringBuilder)
	bb := b.Field(3).(*array.BooleanBuilder)
	for i := 0; i < benchRows; i++ {
		if i%10 == 9 {
			ib.AppendNull()
			fb.AppendNull()
			sb.AppendNull()
			bb.AppendNull()
			continue
		}
		ib.Append(int64(i) * 1000)
		fb.Append(float64(i) * 0.5)
		sb.Append("k" + strconv.Itoa(i%1000))
		bb.Append(i%3 == 0)
	}
	return b.NewRecord()
}

func BenchmarkToGota(b *testing.B) {
	rec := benchRecord(memory.DefaultAllocator)
	defer rec.Release()
	b.SetBytes(benchBytes(rec))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		df, err := ToGota(rec)
		if err != nil || df.Nrow() != benchRows {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromGota(b *testing.B) {
	rec := benchRecord(memory.DefaultAllocator)
	df, err := ToGota(rec)
	b.SetBytes(benchBytes(rec))
	rec.Release()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := FromGota(df, memory.DefaultAllocator)
		if err != nil || out.NumRows() != benchRows {
			b.Fatal(err)
		}
		out.Release()
	}
}

// BenchmarkSeriesFill compares the two ways of filling a gota Float series
// from a []float64: series.New on the slice (boxes every value) against
// sizing with falses and setting through a reused Value (what ToGota does).
func BenchmarkSeriesFill(b *testing.B) {
	vals := make([]float64, benchRows)
	for i := range vals {
		vals[i] = float64(i) * 0.5
	}
	b.Run("New", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s := series.New(vals, series.Float, "f")
			if s.Len() != benchRows {
				b.Fatal(s.Len())
			}
		}
	})
	b.Run("Value", func(b *testing.B) {
		b.ReportAllocs()
		zeros := make([]bool, benchRows)
		for i := 0; i < b.N; i++ {
			s := floatSeries(vals, validity{}, "f", zeros)
			if s.Len() != benchRows {
				b.Fatal(s.Len())
			}
		}
	})
}

func benchBytes(rec arrow.Record) int64 {
	var n int64
	for _, c := range rec.Columns() {
		for _, buf := range c.Data().Buffers() {
			if buf != nil {
				n += int64(buf.Len())
			}
		}
	}
	return n
}
