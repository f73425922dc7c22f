package golden

import (
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// benchTable is n rows of int64 with nulls, float64, string and category.
func benchTable(n int) Table {
	i := make([]any, n)
	f := make([]any, n)
	s := make([]any, n)
	c := make([]any, n)
	for r := 0; r < n; r++ {
		if r%10 != 0 {
			i[r] = int64(r * 7 % 1000)
		}
		f[r] = float64(r) / 3
		s[r] = fmt.Sprintf("s%d", r%100)
		c[r] = fmt.Sprintf("c%d", r%17)
	}
	return Table{Columns: []Column{{"i", Int64, i}, {"f", Float64, f}, {"s", String, s}, {"c", Category, c}}}
}

func BenchmarkRecord(b *testing.B) {
	tb := benchTable(10_000)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		rec, err := tb.Record(mem)
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
}

func benchCompare(b *testing.B, ordered bool) {
	tb := benchTable(10_000)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(b, 0)
	rec, err := tb.Record(mem)
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	b.ReportAllocs()
	for b.Loop() {
		if err := Compare(rec, tb, ordered); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompareOrdered(b *testing.B)   { benchCompare(b, true) }
func BenchmarkCompareUnordered(b *testing.B) { benchCompare(b, false) }

func BenchmarkLoadAll(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadAll(corpusDir); err != nil {
			b.Fatal(err)
		}
	}
}
